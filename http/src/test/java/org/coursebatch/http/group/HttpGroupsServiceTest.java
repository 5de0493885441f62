package org.coursebatch.http.group;

import static org.coursebatch.http.outbound.ScriptedService.json;
import static org.junit.jupiter.api.Assertions.*;

import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.Behaviors;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.coursebatch.core.error.ErrorCode;
import org.coursebatch.core.error.RejectedException;
import org.coursebatch.core.error.Rejection;
import org.coursebatch.core.group.Group;
import org.coursebatch.core.group.GroupMember;
import org.coursebatch.http.outbound.OutboundCalls;
import org.coursebatch.http.outbound.ScriptedService;
import org.coursebatch.http.outbound.ScriptedService.Reply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The groups service client against a real HTTP server in this JVM whose answer each test picks:
 * what it asks, what it makes of answers, retries, time limits and the circuit breaker.
 */
class HttpGroupsServiceTest {

  static final Duration TIMEOUT = Duration.ofSeconds(1);
  static final String GROUP = "{\"id\":\"g 1\",\"name\":\"Readers\",\"members\":["
      + "{\"userId\":\"u1\",\"name\":\"One\",\"role\":\"admin\",\"status\":\"active\",\"createdBy\":\"u1\",\"groupId\":\"g 1\"},"
      + "{\"name\":\"no id\"},"
      + "{\"userId\":\"u2\",\"role\":\"member\",\"status\":\"inactive\",\"createdBy\":null}]}";

  static ActorSystem<Void> system;

  ScriptedService server;

  /** Starts the system and the HTTP client (which takes a while once) before the tests time calls. */
  @BeforeAll
  static void startSystem() throws Exception {
    system = ActorSystem.create(Behaviors.empty(), "http-groups-service-test");
    try (ScriptedService warmUp = ScriptedService.start()) {
      new HttpGroupsService(system, HttpGroupsService.settings(warmUp.url(), Duration.ofSeconds(30), 0, Duration.ZERO, 1,
          Duration.ofSeconds(1))).group("warm-up").toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }

  @AfterAll
  static void stopSystem() {
    system.terminate();
  }

  @BeforeEach
  void startServer() throws IOException {
    server = ScriptedService.start();
  }

  @AfterEach
  void stopServer() {
    server.close();
  }

  String url() {
    return server.url();
  }

  HttpGroupsService client(int retries, int maxFailures, Duration resetTimeout) {
    return new HttpGroupsService(system, HttpGroupsService.settings(url() + "/", TIMEOUT, retries, Duration.ofMillis(50),
        maxFailures, resetTimeout));
  }

  static Reply envelope(String result) {
    return json(200, "{\"id\":\"api.group.read\",\"ver\":\"v1\",\"params\":{\"status\":\"success\"},\"responseCode\":\"OK\","
        + "\"result\":" + result + "}");
  }

  static Optional<Group> get(HttpGroupsService client, String groupId) throws Exception {
    return client.group(groupId, Optional.of("the-token")).toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  /** The rejection the lookup failed with. */
  static Rejection failure(HttpGroupsService client, String groupId) throws Exception {
    try {
      get(client, groupId);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RejectedException r) {
        return r.rejection();
      }
      throw e;
    }
    throw new AssertionError("the lookup succeeded");
  }

  @Test
  void readsTheGroupsMembersFromTheSunbirdEnvelopeWithTheCallersToken() throws Exception {
    server.reply(envelope(GROUP));
    Group group = get(client(2, 5, Duration.ofSeconds(30)), "g 1").orElseThrow();
    assertEquals(new Group("g 1", "Readers", List.of(new GroupMember("u1", "One", "admin", "active", "u1"),
        new GroupMember("u2", null, "member", "inactive", null))), group, "a member without a user id is skipped");
    assertEquals(List.of("GET /v1/group/read/g%201?fields=members"), server.requests());
    assertEquals(List.of("the-token"), server.header("x-authenticated-user-token"));

    server.reply(envelope("{\"id\":\"g2\"}"));
    assertEquals(Optional.of(new Group("g2", null, List.of())), get(client(2, 5, Duration.ofSeconds(30)), "g2"), "no members field");
  }

  @Test
  void notFoundIsAnUnknownGroupAndIsNotRetried() throws Exception {
    server.reply(json(404, "{\"params\":{\"err\":\"GROUP_NOT_FOUND\"}}"));
    assertEquals(Optional.empty(), get(client(2, 5, Duration.ofSeconds(30)), "nope"));
    assertEquals(1, server.requests().size());
  }

  @Test
  void aServerErrorIsRetriedThenReportedAsUnavailable() throws Exception {
    server.reply(json(500, "{}"));
    Rejection r = failure(client(2, 5, Duration.ofSeconds(30)), "g1");
    assertEquals(ErrorCode.GROUPS_SERVICE_UNAVAILABLE, r.code());
    assertTrue(r.message().contains("HTTP 500"), r.message());
    assertEquals(3, server.requests().size(), "the call and two retries");
  }

  @Test
  void anUnreadableAnswerIsAFailure() throws Exception {
    server.reply(json(200, "<html>gateway</html>"));
    Rejection r = failure(client(1, 5, Duration.ofSeconds(30)), "g1");
    assertTrue(r.message().contains("not JSON"), r.message());
    assertEquals(2, server.requests().size());
  }

  @Test
  void aRefusalIsReportedAtOnceAndDoesNotCountAgainstTheBreaker() throws Exception {
    server.reply(json(401, "{}"));
    HttpGroupsService client = client(2, 1, Duration.ofSeconds(30));
    Rejection r = failure(client, "g1");
    assertEquals(ErrorCode.GROUPS_SERVICE_UNAVAILABLE, r.code());
    assertTrue(r.message().contains("HTTP 401"), r.message());
    assertEquals(1, server.requests().size(), "not retried");
    server.reply(envelope(GROUP));
    assertTrue(get(client, "g1").isPresent(), "the breaker (one failure opens it) is still closed");
  }

  @Test
  void aSlowServiceIsUnavailableWithinTheTimeLimit() throws Exception {
    server.reply(exchange -> {
      Thread.sleep(5_000);
      envelope(GROUP).to(exchange);
    });
    HttpGroupsService client = client(1, 5, Duration.ofSeconds(30));
    long started = System.nanoTime();
    Rejection r = failure(client, "g1");
    Duration took = Duration.ofNanos(System.nanoTime() - started);
    assertTrue(r.message().contains("no answer within 1000 ms"), r.message());
    assertTrue(took.compareTo(client.settings().worstCase().multipliedBy(3)) < 0, "answered in " + took);
    assertEquals(2, server.requests().size());
  }

  @Test
  void aServiceThatIsDownIsUnavailable() throws Exception {
    int closedPort = OutboundCalls.closedPort();
    var client = new HttpGroupsService(system, HttpGroupsService.settings("http://127.0.0.1:" + closedPort, TIMEOUT, 1,
        Duration.ofMillis(10), 5, Duration.ofSeconds(30)));
    Rejection r = failure(client, "g1");
    assertEquals(ErrorCode.GROUPS_SERVICE_UNAVAILABLE, r.code());
    assertTrue(r.message().contains("cannot reach http://127.0.0.1:" + closedPort), r.message());
  }

  @Test
  void theBreakerOpensAfterFailuresInARowAndClosesWhenATrialCallSucceeds() throws Exception {
    server.reply(json(503, "{}"));
    HttpGroupsService client = client(0, 3, Duration.ofSeconds(1));
    for (int i = 0; i < 3; i++) {
      assertTrue(failure(client, "g1").message().contains("HTTP 503"));
    }
    OutboundCalls.untilBreakerOpens(() -> client.group("g1", Optional.of("the-token")));
    int calls = server.requests().size();
    assertTrue(calls <= 4, calls + " calls: the breaker opened after the third failure, or the call right after it");
    server.reply(envelope(GROUP));
    Rejection open = failure(client, "g1");
    assertTrue(open.message().contains("too many failures in a row"), open.message());
    assertEquals(calls, server.requests().size(), "an open breaker does not call");

    // After the reset timeout (1 s; later on a busy machine) the next call is a trial.
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    Optional<Group> trial = Optional.empty();
    while (trial.isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(200);
      try {
        trial = get(client, "g1");
      } catch (ExecutionException stillOpen) {
        assertEquals(calls, server.requests().size(), "an open breaker does not call: " + stillOpen.getCause().getMessage());
      }
    }
    assertTrue(trial.isPresent(), "the trial call went through");
    // The breaker closes when it sees the trial's result, which may come just after the caller saw it.
    Optional<Group> next = Optional.empty();
    deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (next.isEmpty() && System.nanoTime() < deadline) {
      try {
        next = get(client, "g1");
      } catch (ExecutionException notYetClosed) {
        assertEquals(calls + 1, server.requests().size(), "still half-open, no call: " + notYetClosed.getCause().getMessage());
        Thread.sleep(10);
      }
    }
    assertTrue(next.isPresent(), "closed again after the trial");
    assertEquals(calls + 2, server.requests().size(), "closed again: the trial and the next call");
  }

  @Test
  void settingsAreChecked() {
    assertThrows(IllegalArgumentException.class, () -> HttpGroupsService.settings("groups:9000", TIMEOUT, 1, TIMEOUT, 1, TIMEOUT));
    assertThrows(IllegalArgumentException.class, () -> HttpGroupsService.settings("http://g", Duration.ZERO, 1, TIMEOUT, 1, TIMEOUT));
    assertThrows(IllegalArgumentException.class, () -> HttpGroupsService.settings("http://g", TIMEOUT, -1, TIMEOUT, 1, TIMEOUT));
    assertThrows(IllegalArgumentException.class, () -> HttpGroupsService.settings("http://g", TIMEOUT, 1, TIMEOUT, 0, TIMEOUT));
    var s = HttpGroupsService.settings("http://groups:9000/private//", Duration.ofSeconds(3), 2, Duration.ofMillis(200), 5,
        Duration.ofSeconds(30));
    assertEquals("http://groups:9000/private", s.url());
    assertEquals(Duration.ofMillis(9_600), s.worstCase(), "3 calls of 3 s, waits of 200 and 400 ms");
  }
}
