package org.coursebatch.node;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.coursebatch.core.testing.MutableClock;
import org.junit.jupiter.api.Test;

/**
 * A node publishing to a webhook receiver (a real HTTP server on loopback): every message is
 * signed as docs/webhooks.md says; the receiver is stopped for 10 s during a burst of enrolments
 * and, once it is back on the same port, every event of the journal arrives, in journal order per
 * key (a message sent again being the same message).
 */
class WebhooksH2Test {

  static final String SECRET = "webhook-secret-of-at-least-thirty-two-bytes";
  static final Duration WITHIN = Duration.ofSeconds(60);

  @Test
  void aReceiverDownDuringABurstGetsEveryEventInOrderOnceBack() throws Exception {
    Receiver receiver = new Receiver();
    receiver.listen(0);
    int port = receiver.port();
    try (TestNode node = TestNode.start(Files.createTempDirectory("batch-webhooks"), null, MutableClock.startingNow(), Map.of(
        "course-batch.webhook.urls", "http://127.0.0.1:" + port + "/hooks/course-batch",
        "course-batch.webhook.secret", SECRET,
        "course-batch.webhook.max-backoff", "1s",
        "course-batch.webhook.timeout", "2s",
        "course-batch.webhook.max-deliver-time", "5s",
        "course-batch.publish.min-backoff", "200ms",
        "course-batch.publish.max-backoff", "1s"))) {
      ApiClient api = node.client();
      String courseId = "do_events";
      String batchId = EventsOutContract.openBatch(api, courseId, "Hooks batch");

      List<String> users = new ArrayList<>();
      for (int i = 1; i <= 2; i++) {
        EventsOutContract.learn(api, batchId, courseId, "learner-" + i, true);
        users.add("learner-" + i);
      }
      receiver.await(EventsOutContract.expected(node.node(), batchId, users));

      // The receiver goes away; a burst of enrolments is acknowledged meanwhile; it is back 10 s later.
      receiver.stop();
      for (int i = 3; i <= 10; i++) {
        EventsOutContract.learn(api, batchId, courseId, "learner-" + i, i % 2 == 0);
        users.add("learner-" + i);
      }
      Thread.sleep(10_000);
      receiver.listen(port);
      Map<String, List<String>> expected = EventsOutContract.expected(node.node(), batchId, users);
      receiver.await(expected);

      Map<String, List<String>> firstSeen = new LinkedHashMap<>();
      Map<String, String> bodies = new LinkedHashMap<>();
      for (Delivery d : receiver.deliveries) {
        assertEquals("sha256=" + hmac(d.timestamp() + "." + d.body()), d.signature(), "the signature of " + d.body());
        JsonNode m = ApiClient.JSON.readTree(d.body());
        String id = m.path("eventId").asText();
        assertEquals(id, d.eventIdHeader());
        String before = bodies.putIfAbsent(id, d.body());
        if (before == null) {
          firstSeen.computeIfAbsent(m.path("key").asText(), k -> new ArrayList<>()).add(id + " " + m.path("type").asText());
        } else {
          assertEquals(before, d.body(), "a message sent again is the same message");
        }
      }
      assertEquals(expected, firstSeen, "every event, in journal order per key");
      assertTrue(receiver.paths.stream().allMatch("/hooks/course-batch"::equals), receiver.paths.toString());
    } finally {
      receiver.stop();
    }
  }

  private static String hmac(String signed) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.US_ASCII), "HmacSHA256"));
    return HexFormat.of().formatHex(mac.doFinal(signed.getBytes(StandardCharsets.UTF_8)));
  }

  record Delivery(String body, String signature, String timestamp, String eventIdHeader) {}

  /** A webhook receiver that answers 204 to everything it reads, and can be stopped and started on its port. */
  static final class Receiver {
    final List<Delivery> deliveries = new CopyOnWriteArrayList<>();
    final List<String> paths = new CopyOnWriteArrayList<>();
    private HttpServer server;

    void listen(int port) throws IOException {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
      server.createContext("/", exchange -> {
        byte[] body = exchange.getRequestBody().readAllBytes();
        var headers = exchange.getRequestHeaders();
        paths.add(exchange.getRequestURI().getPath());
        deliveries.add(new Delivery(new String(body, StandardCharsets.UTF_8), headers.getFirst("X-Coursebatch-Signature"),
            headers.getFirst("X-Coursebatch-Timestamp"), headers.getFirst("X-Coursebatch-Event-Id")));
        exchange.sendResponseHeaders(204, -1);
        exchange.close();
      });
      server.start();
    }

    int port() {
      return server.getAddress().getPort();
    }

    void stop() {
      if (server != null) {
        server.stop(0);
        server = null;
      }
    }

    /** Waits until every expected event id has arrived. */
    void await(Map<String, List<String>> expected) throws Exception {
      Set<String> wanted = new LinkedHashSet<>();
      expected.values().forEach(list -> list.forEach(s -> wanted.add(s.substring(0, s.lastIndexOf(' ')))));
      long deadline = System.nanoTime() + WITHIN.toNanos();
      Set<String> seen = new LinkedHashSet<>();
      while (System.nanoTime() < deadline) {
        seen.clear();
        for (Delivery d : deliveries) {
          seen.add(ApiClient.JSON.readTree(d.body()).path("eventId").asText());
        }
        if (seen.containsAll(wanted)) {
          return;
        }
        Thread.sleep(200);
      }
      Set<String> missing = new LinkedHashSet<>(wanted);
      missing.removeAll(seen);
      fail("events that never reached the receiver: " + missing);
    }
  }
}
