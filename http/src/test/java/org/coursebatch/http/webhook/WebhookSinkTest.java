package org.coursebatch.http.webhook;

import static org.junit.jupiter.api.Assertions.*;

import akka.Done;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.Behaviors;
import com.typesafe.config.ConfigFactory;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.coursebatch.core.metrics.NodeMeters;
import org.coursebatch.core.publish.EventSink;
import org.coursebatch.core.publish.OutboundEvent;
import org.coursebatch.http.api.Envelope;
import org.coursebatch.http.outbound.OutboundCalls;
import org.coursebatch.http.webhook.WebhookReceiver.Received;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The webhook sink against real HTTP receivers on loopback: what it sends and how it is signed,
 * retries (a receiver that fails, refuses, or is down for a while), order per key, and that one
 * receiver that is down holds up no other.
 */
class WebhookSinkTest {

  static final String SECRET = "0123456789abcdef0123456789abcdef-test";
  static final Duration WAIT = Duration.ofSeconds(90);

  static ActorSystem<Void> system;
  static final MeterRegistry meters = new SimpleMeterRegistry();

  @BeforeAll
  static void startSystem() {
    system = ActorSystem.create(Behaviors.empty(), "webhook-sink-test", ConfigFactory.load("application-test"));
    NodeMeters.publishTo(system, meters);
  }

  @AfterAll
  static void stopSystem() {
    system.terminate();
  }

  static WebhookSettings settings(Duration maxDeliverTime, String... urls) {
    return new WebhookSettings(java.util.Arrays.stream(urls).map(URI::create).toList(), SECRET, Duration.ofSeconds(2),
        Duration.ofSeconds(2), 4, maxDeliverTime);
  }

  static WebhookSink sink(WebhookSettings settings) {
    return new WebhookSink(system, settings, settings.urls().get(0));
  }

  /** The {@code seq}-th event of learner {@code user} of batch b1. */
  static OutboundEvent event(String user, int seq) {
    return new OutboundEvent("Enrollment|b1:" + user + "#" + seq, "enrolment.progress", 1,
        Instant.parse("2026-12-07T09:00:00Z").plusSeconds(seq), "mentor-1", "b1", "do_course1", user, "b1:" + user,
        Envelope.JSON.createObjectNode().put("seq", seq).put("note", "ü \"quoted\" \u0001"));
  }

  static <T> T await(CompletionStage<T> stage) throws Exception {
    return stage.toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);
  }

  static double counter(String receiver, String outcome) {
    var c = meters.find("coursebatch.webhook.deliveries").tags("receiver", receiver, "outcome", outcome).counter();
    return c == null ? 0 : c.count();
  }

  static double gauge(String name, String receiver) {
    return meters.get(name).tags("receiver", receiver).gauge().value();
  }

  /** The event ids each key received, in the order received. */
  static Map<String, List<String>> byKey(List<Received> received) {
    return received.stream().collect(Collectors.groupingBy(Received::key, LinkedHashMap::new,
        Collectors.mapping(Received::eventId, Collectors.toList())));
  }

  static Map<String, List<String>> byKeyOf(List<OutboundEvent> events) {
    return events.stream().collect(Collectors.groupingBy(OutboundEvent::key, LinkedHashMap::new,
        Collectors.mapping(OutboundEvent::eventId, Collectors.toList())));
  }

  /** {@code ids} with each run of one id kept once. */
  static List<String> withoutRepeats(List<String> ids) {
    List<String> out = new ArrayList<>();
    for (String id : ids) {
      if (out.isEmpty() || !out.get(out.size() - 1).equals(id)) {
        out.add(id);
      }
    }
    return out;
  }

  @Test
  void eachMessageIsTheEventSignedOverTimestampAndBody() throws Exception {
    try (WebhookReceiver receiver = WebhookReceiver.start()) {
      List<OutboundEvent> events = List.of(event("u1", 1), event("u2", 1), event("u1", 2));
      await(sink(settings(WAIT, receiver.url())).deliver(events));

      List<Received> received = receiver.received();
      assertEquals(3, received.size());
      for (Received message : received) {
        String timestamp = message.headers().getFirst("X-Coursebatch-Timestamp");
        long sent = Long.parseLong(timestamp);
        assertTrue(Math.abs(Instant.now().getEpochSecond() - sent) < 300, "the timestamp is the time of sending: " + timestamp);
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        mac.update((timestamp + ".").getBytes(StandardCharsets.UTF_8));
        String expected = "sha256=" + HexFormat.of().formatHex(mac.doFinal(message.body()));
        assertEquals(expected, message.headers().getFirst("X-Coursebatch-Signature"), "signature of " + message.eventId());
        assertEquals(message.eventId(), message.headers().getFirst("X-Coursebatch-Event-Id"));
        assertEquals("enrolment.progress", message.headers().getFirst("X-Coursebatch-Event-Type"));
        assertEquals("application/json", message.headers().getFirst("Content-Type"));
      }
      assertEquals(Set.of("Enrollment|b1:u1#1", "Enrollment|b1:u2#1", "Enrollment|b1:u1#2"),
          received.stream().map(Received::eventId).collect(Collectors.toSet()));
      assertEquals(List.of("Enrollment|b1:u1#1", "Enrollment|b1:u1#2"), byKey(received).get("b1:u1"));
    }
  }

  @Test
  void theBodyIsTheEventInDocumentedOrder() throws Exception {
    String body = new String(WebhookMessage.body(event("u7", 3)), StandardCharsets.UTF_8);
    assertEquals("{\"eventId\":\"Enrollment|b1:u7#3\",\"type\":\"enrolment.progress\",\"version\":1,"
        + "\"occurredAt\":\"2026-12-07T09:00:03Z\",\"actor\":\"mentor-1\",\"batchId\":\"b1\",\"courseId\":\"do_course1\","
        + "\"userId\":\"u7\",\"key\":\"b1:u7\",\"change\":{\"seq\":3,\"note\":\"ü \\\"quoted\\\" \\u0001\"}}", body);
    String noUser = new String(WebhookMessage.body(new OutboundEvent("CourseBatch|b1#1", "batch.created", 1,
        Instant.parse("2026-12-07T09:00:00.123Z"), null, "b1", null, null, "b1", null)), StandardCharsets.UTF_8);
    assertEquals("{\"eventId\":\"CourseBatch|b1#1\",\"type\":\"batch.created\",\"version\":1,\"occurredAt\":\"2026-12-07T09:00:00.123Z\","
        + "\"actor\":null,\"batchId\":\"b1\",\"courseId\":null,\"userId\":null,\"key\":\"b1\",\"change\":null}", noUser);
  }

  @Test
  void theSignatureIsWhatTheDocumentedOpensslRecipeComputes() {
    // docs/webhooks.md: { printf '%s.' 1796634003; printf '{"eventId":"a|b#1","x":"ü"}'; } | openssl dgst -sha256 -hmac "$SECRET" -hex
    assertEquals("sha256=77c31a3e676c26de9e4e9622a45ebc677d4062bcad1b74de14e4be1b80c6de28",
        WebhookMessage.signature(SECRET.getBytes(StandardCharsets.US_ASCII), "1796634003",
            "{\"eventId\":\"a|b#1\",\"x\":\"ü\"}".getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void anEventIdOutsideVisibleAsciiIsPercentEncodedInTheHeader() {
    assertEquals("Enrollment|b1:u1#7", WebhookMessage.headerValue("Enrollment|b1:u1#7"));
    assertEquals("a%20b%0D%0Ac%25%C3%BC", WebhookMessage.headerValue("a b\r\nc%ü"));
  }

  @Test
  void aFailedOrRefusedAttemptIsRetriedUntilAcknowledged() throws Exception {
    try (WebhookReceiver receiver = WebhookReceiver.start()) {
      // 500, then 400 (a receiver misconfigured for a while), then 200
      receiver.answer((message, n) -> n == 1 ? 500 : n == 2 ? 400 : 200);
      WebhookSink sink = sink(settings(WAIT, receiver.url()));
      await(sink.deliver(List.of(event("u1", 1), event("u1", 2))));

      assertEquals(List.of("Enrollment|b1:u1#1", "Enrollment|b1:u1#1", "Enrollment|b1:u1#1", "Enrollment|b1:u1#2"),
          receiver.received().stream().map(Received::eventId).toList());
      assertEquals(2, counter(sink.name(), "failed"));
      assertEquals(2, counter(sink.name(), "delivered"));
      assertEquals(0, gauge("coursebatch.webhook.consecutive.failures", sink.name()));
      assertEquals(0, gauge("coursebatch.webhook.retrying.seconds", sink.name()));
    }
  }

  @Test
  void aBurstWhileTheReceiverIsDownArrivesWhenItReturnsInOrderPerKey() throws Exception {
    try (WebhookReceiver receiver = WebhookReceiver.start()) {
      List<OutboundEvent> events = new ArrayList<>();
      for (int seq = 1; seq <= 12; seq++) {
        for (String user : List.of("u1", "u2", "u3", "u4", "u5", "u6")) {
          events.add(event(user, seq));
        }
      }
      // From the 10th message on the receiver reads but does not answer until the test has stopped
      // it: those messages were seen, never acknowledged, and must come again.
      var tenth = new java.util.concurrent.CountDownLatch(1);
      var down = new java.util.concurrent.CountDownLatch(1);
      Set<String> unanswered = java.util.concurrent.ConcurrentHashMap.newKeySet();
      receiver.answer((message, n) -> {
        if (n >= 10 && down.getCount() > 0) {
          unanswered.add(message.eventId());
          if (n == 10) {
            tenth.countDown();
          }
          try {
            down.await(30, TimeUnit.SECONDS);
          } catch (InterruptedException stopping) {
            Thread.currentThread().interrupt();
          }
        }
        return 200;
      });
      WebhookSink sink = sink(settings(WAIT, receiver.url()));
      CompletionStage<Done> delivered = sink.deliver(events);
      assertTrue(tenth.await(30, TimeUnit.SECONDS));
      receiver.stop();
      down.countDown();
      int beforeStop = receiver.received().size();
      Thread.sleep(10_000);
      assertFalse(delivered.toCompletableFuture().isDone(), "nothing is acknowledged while the receiver is down");
      assertTrue(gauge("coursebatch.webhook.consecutive.failures", sink.name()) > 0);
      assertTrue(gauge("coursebatch.webhook.retrying.seconds", sink.name()) > 0);
      receiver.restart();
      await(delivered);

      List<Received> received = receiver.received();
      assertTrue(beforeStop < events.size(), "the receiver was stopped during the burst");
      Map<String, List<String>> got = byKey(received);
      Map<String, List<String>> sent = byKeyOf(events);
      for (String key : sent.keySet()) {
        // in order per key, none lost; a message is repeated only right after itself: one the stopped
        // receiver had read but whose answer never arrived
        assertEquals(sent.get(key), withoutRepeats(got.get(key)), "order of " + key);
      }
      Set<String> readBeforeTheStop = received.stream().filter(m -> m.generation() == 1).map(Received::eventId)
          .collect(Collectors.toSet());
      Map<String, Long> times = received.stream().collect(Collectors.groupingBy(Received::eventId, Collectors.counting()));
      times.forEach((id, n) -> {
        assertTrue(n <= 2, id + " received " + n + " times");
        if (n == 2) {
          assertTrue(readBeforeTheStop.contains(id), id + " was sent again though the receiver had not read it");
        }
      });
      Set<String> readAfterTheRestart = received.stream().filter(m -> m.generation() == 2).map(Received::eventId)
          .collect(Collectors.toSet());
      assertFalse(unanswered.isEmpty());
      for (String id : unanswered) {
        assertTrue(readAfterTheRestart.contains(id), id + " was read but never answered before the stop, and must come again");
      }
      assertEquals(0, gauge("coursebatch.webhook.consecutive.failures", sink.name()));
    }
  }

  @Test
  void aCallThatRunsOutOfTimeFailsAndTheNextSendsOnlyWhatWasNotAcknowledged() throws Exception {
    try (WebhookReceiver receiver = WebhookReceiver.start()) {
      receiver.answer((message, n) -> message.eventId().equals("Enrollment|b1:u2#2") ? 503 : 200);
      WebhookSink sink = sink(settings(Duration.ofSeconds(3), receiver.url()));
      List<OutboundEvent> events = List.of(event("u1", 1), event("u2", 1), event("u1", 2), event("u2", 2), event("u1", 3),
          event("u2", 3));

      var failure = assertThrows(ExecutionException.class, () -> await(sink.deliver(events)));
      assertInstanceOf(WebhookSink.Undelivered.class, failure.getCause());
      assertTrue(failure.getCause().getMessage().contains("2 of 6"), failure.getCause().getMessage());
      assertFalse(receiver.received().stream().anyMatch(m -> m.eventId().equals("Enrollment|b1:u2#3")),
          "u2's third event waits for its second");

      receiver.answer((message, n) -> 200);
      await(sink.deliver(events));
      Map<String, List<String>> got = byKey(receiver.received());
      assertEquals(List.of("Enrollment|b1:u1#1", "Enrollment|b1:u1#2", "Enrollment|b1:u1#3"), got.get("b1:u1"),
          "what the failed call had delivered is not sent again");
      assertEquals("Enrollment|b1:u2#1", got.get("b1:u2").get(0));
      assertEquals(List.of("Enrollment|b1:u2#1", "Enrollment|b1:u2#2", "Enrollment|b1:u2#3"), withoutRepeats(got.get("b1:u2")));
    }
  }

  @Test
  void aReceiverThatIsDownHoldsUpNoOther() throws Exception {
    try (WebhookReceiver live = WebhookReceiver.start()) {
      String dead = "http://127.0.0.1:" + OutboundCalls.closedPort() + "/hooks";
      List<EventSink> sinks = WebhookSinks.fromSettings(system, Optional.of(settings(Duration.ofSeconds(4), dead, live.url())));
      assertEquals(2, sinks.size());
      assertNotEquals(sinks.get(0).name(), sinks.get(1).name());
      List<OutboundEvent> events = List.of(event("u1", 1), event("u2", 1));

      CompletionStage<Done> toDead = sinks.get(0).deliver(events);
      await(sinks.get(1).deliver(events));
      assertEquals(2, live.received().size());

      var failure = assertThrows(ExecutionException.class, () -> await(toDead));
      assertInstanceOf(WebhookSink.Undelivered.class, failure.getCause());
      assertTrue(gauge("coursebatch.webhook.consecutive.failures", sinks.get(0).name()) > 0);
      assertEquals(0, gauge("coursebatch.webhook.consecutive.failures", sinks.get(1).name()));
    }
  }

  @Test
  void aCallWaitsForThePreviousOne() throws Exception {
    try (WebhookReceiver receiver = WebhookReceiver.start()) {
      var release = new java.util.concurrent.CountDownLatch(1);
      receiver.answer((message, n) -> {
        if (message.eventId().equals("Enrollment|b1:u1#1")) {
          try {
            release.await(30, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }
        return 200;
      });
      WebhookSink sink = new WebhookSink(system, new WebhookSettings(List.of(URI.create(receiver.url())), SECRET,
          Duration.ofSeconds(30), Duration.ofSeconds(2), 4, WAIT), URI.create(receiver.url()));
      CompletionStage<Done> first = sink.deliver(List.of(event("u1", 1)));
      CompletionStage<Done> second = sink.deliver(List.of(event("u2", 1)));
      Thread.sleep(1_000);
      assertThrows(TimeoutException.class, () -> second.toCompletableFuture().get(1, TimeUnit.SECONDS));
      assertEquals(List.of("Enrollment|b1:u1#1"), receiver.received().stream().map(Received::eventId).toList());
      release.countDown();
      await(first);
      await(second);
      assertEquals(List.of("Enrollment|b1:u1#1", "Enrollment|b1:u2#1"),
          receiver.received().stream().map(Received::eventId).toList());
    }
  }

  @Test
  void theBackoffDoublesUpToTheMostAndIsJittered() {
    WebhookSink sink = new WebhookSink(system, new WebhookSettings(List.of(URI.create("http://127.0.0.1:1/x")), SECRET,
        Duration.ofSeconds(10), Duration.ofSeconds(60), 4, Duration.ofMinutes(5)), URI.create("http://127.0.0.1:1/x"));
    for (int i = 0; i < 50; i++) {
      assertBetween(500, 1_000, sink.backoff(1));
      assertBetween(1_000, 2_000, sink.backoff(2));
      assertBetween(16_000, 32_000, sink.backoff(6));
      assertBetween(30_000, 60_000, sink.backoff(7));
      assertBetween(30_000, 60_000, sink.backoff(1_000));
    }
  }

  static void assertBetween(long low, long high, Duration value) {
    assertTrue(value.toMillis() >= low && value.toMillis() <= high, value + " not in " + low + ".." + high + " ms");
  }

}
