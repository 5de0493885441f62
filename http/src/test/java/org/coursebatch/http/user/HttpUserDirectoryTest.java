package org.coursebatch.http.user;

import static org.junit.jupiter.api.Assertions.*;

import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.Behaviors;
import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;
import org.coursebatch.core.error.ErrorCode;
import org.coursebatch.core.error.Rejection;
import org.coursebatch.core.user.Consent;
import org.coursebatch.core.user.UserProfile;
import org.coursebatch.http.api.Envelope;
import org.coursebatch.http.outbound.OutboundCalls;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The user service client against a real HTTP server in this JVM whose answers each test picks:
 * what it asks (and how many times), what it makes of Sunbird's answers and of answers that are
 * not, retries, time limits, the circuit breaker and the cache of root organisations.
 */
class HttpUserDirectoryTest {

  static final Duration TIMEOUT = Duration.ofSeconds(1);
  static final String ORG = "01269878797503692810";
  static final String COURSE = "do_course1";

  static ActorSystem<Void> system;

  /** A request as the server saw it. */
  record Request(String path, JsonNode body) {
    List<String> ids() {
      List<String> ids = new ArrayList<>();
      body.at("/request/filters/id").forEach(id -> ids.add(id.asText()));
      return ids;
    }
  }

  /** What the server answers a request: a status and a body. */
  record Answer(int status, String body) {}

  @FunctionalInterface
  interface Reply {
    Answer to(Request request) throws Exception;
  }

  HttpServer server;
  final AtomicReference<Reply> reply = new AtomicReference<>();
  final List<Request> requests = new CopyOnWriteArrayList<>();
  final AtomicInteger inFlight = new AtomicInteger();
  final AtomicInteger mostInFlight = new AtomicInteger();

  @BeforeAll
  static void startSystem() throws Exception {
    system = ActorSystem.create(Behaviors.empty(), "http-user-directory-test");
    OutboundCalls.warmUp(url -> new HttpUserDirectory(system, HttpUserDirectory.settings(url, Duration.ofSeconds(30), 0,
        Duration.ZERO, 1, Duration.ofSeconds(1), 10, 1, Duration.ZERO, 0)).consents(COURSE, ORG, List.of("warm-up")));
  }

  @AfterAll
  static void stopSystem() {
    system.terminate();
  }

  @BeforeEach
  void startServer() throws IOException {
    server = OutboundCalls.serve(exchange -> {
      int now = inFlight.incrementAndGet();
      mostInFlight.accumulateAndGet(now, Math::max);
      try {
        byte[] in = exchange.getRequestBody().readAllBytes();
        Request request = new Request(exchange.getRequestURI().getRawPath(), Envelope.JSON.readTree(in));
        requests.add(request);
        Answer answer = reply.get().to(request);
        byte[] out = answer.body().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(answer.status(), out.length);
        exchange.getResponseBody().write(out);
      } catch (Exception e) {
        // the client went away (a slow answer): nothing to do
      } finally {
        inFlight.decrementAndGet();
        exchange.close();
      }
    });
  }

  @AfterEach
  void stopServer() {
    OutboundCalls.stop(server);
  }

  String url() {
    return OutboundCalls.url(server);
  }

  HttpUserDirectory client(int pageSize, int parallelism, Duration cacheTtl) {
    return new HttpUserDirectory(system, HttpUserDirectory.settings(url() + "/", TIMEOUT, 2, Duration.ofMillis(50), 5,
        Duration.ofSeconds(30), pageSize, parallelism, cacheTtl, 1_000));
  }

  HttpUserDirectory client() {
    return client(100, 4, Duration.ZERO);
  }

  /** A user of the search answer as Sunbird's user service lists one (the fields lms-service's fixtures show). */
  static Map<String, Object> user(String id, String rootOrgId) {
    return Map.ofEntries(
        Map.entry("id", id), Map.entry("userId", id), Map.entry("identifier", id),
        Map.entry("rootOrgId", rootOrgId), Map.entry("rootOrgName", "Tamil Nadu"), Map.entry("channel", "tn"),
        Map.entry("firstName", "creator"), Map.entry("lastName", "test"),
        Map.entry("email", "cr************@yopmail.com"), Map.entry("phone", ""),
        Map.entry("status", 1), Map.entry("isDeleted", false),
        Map.entry("profileUserType", Map.of("type", "TEACHER", "subType", "HM")),
        Map.entry("framework", Map.of("board", List.of("State (Tamil Nadu)"), "medium", List.of("English"))),
        Map.entry("userLocations", List.of(
            Map.of("type", "state", "name", "Tamil Nadu", "code", "33", "id", "91d9baae"),
            Map.of("type", "district", "name", "Chennai", "code", "3301", "id", "d1"),
            Map.of("type", "school", "name", "Govt School", "code", "33010100101", "id", "s1"))),
        Map.entry("organisations", List.of(Map.of("organisationId", rootOrgId, "orgName", "Tamil Nadu"))));
  }

  static Answer search(List<Map<String, Object>> content) throws Exception {
    return new Answer(200, Envelope.JSON.writeValueAsString(Map.of("id", "api.user.search", "ver", "v3",
        "params", Map.of("status", "SUCCESS"), "responseCode", "OK",
        "result", Map.of("response", Map.of("count", content.size(), "content", content)))));
  }

  /** Answers every search with the asked users, except those whose id starts with "nobody". */
  static Reply knowsAllButNobody(String rootOrgId) {
    return request -> search(request.ids().stream().filter(id -> !id.startsWith("nobody")).map(id -> user(id, rootOrgId)).toList());
  }

  static <T> T await(CompletionStage<T> stage) throws Exception {
    return OutboundCalls.await(stage);
  }

  static Rejection failure(CompletionStage<?> lookup) throws Exception {
    return OutboundCalls.rejection(lookup);
  }

  // ---- what it asks and reads ----

  @Test
  void readsProfilesFromTheSunbirdSearchAnswerAndIgnoresUsersItDidNotAskFor() throws Exception {
    Map<String, Object> odd = new java.util.HashMap<>(user("u2", ORG));
    odd.put("firstName", 42);
    odd.put("email", List.of("not", "a", "string"));
    odd.put("rootOrgName", "x".repeat(UserProfile.Field.ORG_NAME.maxLength() + 1));
    Map<String, Object> deleted = new java.util.HashMap<>(user("u4", ORG));
    deleted.put("isDeleted", true);
    reply.set(request -> search(List.of(user("u1", ORG), odd, user("not-asked", "other-org"), Map.of("firstName", "no id"),
        deleted)));

    Map<String, UserProfile> found = await(client().profiles(List.of("u1", "u2", "u3", "u1", "u4")));

    assertEquals(Set.of("u1", "u2"), found.keySet(),
        "u3 is unknown, u4 deleted; not-asked and the record without an id are ignored");
    assertEquals(new UserProfile("u1", ORG, "creator test", "cr************@yopmail.com", null, "Tamil Nadu", "Chennai", null, null,
        "33010100101", "Govt School", "Tamil Nadu", "TEACHER", "HM", "State (Tamil Nadu)"), found.get("u1"));
    UserProfile u2 = found.get("u2");
    assertEquals("test", u2.name(), "a first name that is not a string is left out");
    assertNull(u2.email());
    assertNull(u2.orgName(), "a value longer than the directory keeps is left out");
    assertEquals(ORG, u2.rootOrgId());

    assertEquals(1, requests.size());
    Request asked = requests.get(0);
    assertEquals(HttpUserDirectory.SEARCH_PATH, asked.path());
    assertEquals(List.of("u1", "u2", "u3", "u4"), asked.ids(), "each id once");
    assertEquals(4, asked.body().at("/request/limit").asInt());
  }

  @Test
  void knownUsersAndRootOrganisationsComeFromTheSameSearch() throws Exception {
    reply.set(knowsAllButNobody(ORG));
    HttpUserDirectory client = client();
    assertEquals(Set.of("a", "b"), await(client.knownUsers(List.of("a", "nobody-1", "b"))));
    assertEquals(Optional.of(ORG), await(client.rootOrgId("a")));
    assertEquals(Optional.empty(), await(client.rootOrgId("nobody-2")));
    assertEquals(Optional.empty(), await(client.rootOrgId("")), "no id: nothing to ask");
    assertEquals(3, requests.size());
    assertEquals(Map.of(), await(client.profiles(List.of())));
    assertEquals(3, requests.size(), "no ids: no call");
  }

  @Test
  void manyIdsAreAskedAPageACallABoundedNumberAtOnce() throws Exception {
    reply.set(request -> {
      Thread.sleep(50); // long enough for the calls of one lookup to overlap
      return knowsAllButNobody(ORG).to(request);
    });
    List<String> ids = new ArrayList<>(IntStream.range(0, 2_490).mapToObj(i -> "learner-" + i).toList());
    IntStream.range(0, 10).forEach(i -> ids.add("nobody-" + i));
    int pageSize = 1_000;

    // No retries, and time enough for a page on a busy machine: every call is counted once.
    var client = new HttpUserDirectory(system, HttpUserDirectory.settings(url(), Duration.ofSeconds(20), 0, Duration.ZERO, 5,
        Duration.ofSeconds(30), pageSize, 2, Duration.ZERO, 0));
    Set<String> known = await(client.knownUsers(ids));

    assertEquals(2_490, known.size());
    assertTrue(known.stream().allMatch(id -> id.startsWith("learner-")), "unknown users are left out");
    assertEquals((ids.size() + pageSize - 1) / pageSize, requests.size(), "ceil(2500 / 1000) calls, not one per learner");
    List<String> asked = requests.stream().flatMap(r -> r.ids().stream()).toList();
    assertEquals(ids.size(), asked.size());
    assertEquals(new HashSet<>(ids), new HashSet<>(asked), "every id asked once");
    assertTrue(requests.stream().allMatch(r -> r.ids().size() <= pageSize));
    assertTrue(mostInFlight.get() <= 2, "at most 2 calls at once, were " + mostInFlight.get());
  }

  @Test
  void consentsAreReadPerUserInSunbirdsFormat() throws Exception {
    reply.set(request -> {
      String user = request.body().at("/request/consent/filters/userId").asText();
      String consent = switch (user) {
        case "given" -> consent(user, ORG, COURSE, "ACTIVE", "2024-05-01 10:00:00:000+0000", "2024-05-02 11:00:00:000+0000");
        case "revoked" -> consent(user, ORG, COURSE, "revoked", "2024-05-01 10:00:00:000+0000", null);
        // Answers for another organisation, course or user, and an unreadable status, are not this consent.
        case "elsewhere" -> consent(user, "other-org", COURSE, "ACTIVE", "2024-05-01 10:00:00:000+0000", null) + ","
            + consent(user, ORG, "do_other", "ACTIVE", "2024-05-01 10:00:00:000+0000", null) + ","
            + consent("someone-else", ORG, COURSE, "ACTIVE", "2024-05-01 10:00:00:000+0000", null) + ","
            + consent(user, ORG, COURSE, "MAYBE", "2024-05-01 10:00:00:000+0000", null);
        default -> null;
      };
      if (consent == null) {
        return new Answer(404, "{\"params\":{\"err\":\"USER_CONSENT_NOT_FOUND\",\"errmsg\":\"User consent not found.\"},"
            + "\"responseCode\":\"RESOURCE_NOT_FOUND\",\"result\":{}}");
      }
      return new Answer(200, "{\"id\":\"api.user.consent.read\",\"responseCode\":\"OK\",\"result\":{\"consents\":[" + consent + "]}}");
    });

    Map<String, Consent> found = await(client(100, 2, Duration.ZERO).consents(COURSE, ORG, List.of("given", "revoked", "elsewhere",
        "never")));

    assertEquals(Set.of("given", "revoked"), found.keySet());
    assertEquals(new Consent("given", COURSE, "Collection", ORG, Consent.Status.ACTIVE, Instant.parse("2024-05-01T10:00:00Z"),
        Instant.parse("2024-05-02T11:00:00Z")), found.get("given"));
    assertEquals(Consent.Status.REVOKED, found.get("revoked").status());
    assertEquals(Instant.parse("2024-05-01T10:00:00Z"), found.get("revoked").at(), "no lastUpdatedOn: when it was given");
    assertEquals(4, requests.size(), "the consent read takes one user a call");
    Request one = requests.get(0);
    assertEquals(HttpUserDirectory.CONSENT_READ_PATH, one.path());
    assertEquals(ORG, one.body().at("/request/consent/filters/consumerId").asText());
    assertEquals(COURSE, one.body().at("/request/consent/filters/objectId").asText());
  }

  static String consent(String userId, String consumer, String objectId, String status, String createdOn, String updatedOn)
      throws Exception {
    Map<String, Object> c = new java.util.HashMap<>(Map.of("id", "usr-consent:" + userId, "userId", userId, "consumerId", consumer,
        "objectId", objectId, "objectType", "Collection", "status", status, "createdOn", createdOn));
    if (updatedOn != null) {
      c.put("lastUpdatedOn", updatedOn);
    }
    return Envelope.JSON.writeValueAsString(c);
  }

  // ---- answers that are not what they should be ----

  @Test
  void anUnreadableAnswerIsRetriedThenUnavailable() throws Exception {
    for (String body : List.of("<html>gateway</html>", "{\"result\":{\"response\":{\"content\":{}}}}", "{\"result\":[]}", "null")) {
      requests.clear();
      reply.set(request -> new Answer(200, body));
      Rejection r = failure(client().profiles(List.of("u1")));
      assertEquals(ErrorCode.USER_SERVICE_UNAVAILABLE, r.code(), body);
      assertEquals(503, r.code().responseCode().httpStatus(), body);
      assertEquals(3, requests.size(), "the call and two retries: " + body);
    }
  }

  @Test
  void anOversizedAnswerIsUnavailable() throws Exception {
    HttpUserDirectory client = client(2, 1, Duration.ZERO);
    long limit = client.settings().maxAnswerBytes();
    reply.set(request -> search(List.of(Map.of("id", "u1", "rootOrgId", ORG, "padding", "x".repeat((int) limit)))));
    Rejection r = failure(client.profiles(List.of("u1")));
    assertEquals(ErrorCode.USER_SERVICE_UNAVAILABLE, r.code());
    assertTrue(r.message().contains("larger than " + limit + " bytes"), r.message());
  }

  @Test
  void anOversizedAnswerWithoutALengthIsUnavailableToo() throws Exception {
    long limit = client(2, 1, Duration.ZERO).settings().maxAnswerBytes();
    HttpServer chunked = OutboundCalls.serve(exchange -> {
      try (exchange) {
        exchange.sendResponseHeaders(200, 0); // chunked: the size shows only while it is read
        byte[] block = "{\"padding\":\"".concat("x".repeat(64 * 1024)).getBytes(StandardCharsets.UTF_8);
        for (long sent = 0; sent <= limit; sent += block.length) {
          exchange.getResponseBody().write(block);
        }
      } catch (IOException clientLeft) {
        // the client stopped reading at its limit
      }
    });
    try {
      var client = new HttpUserDirectory(system, HttpUserDirectory.settings(OutboundCalls.url(chunked), TIMEOUT, 0,
          Duration.ZERO, 5, Duration.ofSeconds(30), 2, 1, Duration.ZERO, 0));
      Rejection r = failure(client.profiles(List.of("u1")));
      assertEquals(ErrorCode.USER_SERVICE_UNAVAILABLE, r.code());
      assertTrue(r.message().contains("larger than " + limit + " bytes"), r.message());
    } finally {
      OutboundCalls.stop(chunked);
    }
  }

  @Test
  void aServerErrorIsRetriedThenUnavailable() throws Exception {
    reply.set(request -> new Answer(500, "{}"));
    Rejection r = failure(client().rootOrgId("u1"));
    assertEquals(ErrorCode.USER_SERVICE_UNAVAILABLE, r.code());
    assertTrue(r.message().startsWith("Error while fetching user details: the user service is unavailable ("), r.message());
    assertTrue(r.message().contains("HTTP 500"), r.message());
    assertEquals(3, requests.size(), "the call and two retries");
  }

  @Test
  void aRefusalIsUnavailableAtOnce() throws Exception {
    reply.set(request -> new Answer(401, "{\"params\":{\"err\":\"UNAUTHORIZED_USER\"}}"));
    Rejection r = failure(client().profiles(List.of("u1")));
    assertEquals(ErrorCode.USER_SERVICE_UNAVAILABLE, r.code());
    assertTrue(r.message().contains("HTTP 401"), r.message());
    assertEquals(1, requests.size(), "not retried");
  }

  @Test
  void aSlowServiceIsUnavailable() throws Exception {
    reply.set(request -> {
      Thread.sleep(5_000);
      return search(List.of(user("u1", ORG)));
    });
    Rejection r = failure(client().rootOrgId("u1"));
    assertEquals(ErrorCode.USER_SERVICE_UNAVAILABLE, r.code());
    assertTrue(r.message().contains("no answer within 1000 ms"), r.message());
  }

  @Test
  void aServiceThatIsDownIsUnavailable() throws Exception {
    int closedPort = OutboundCalls.closedPort();
    var client = new HttpUserDirectory(system, HttpUserDirectory.settings("http://127.0.0.1:" + closedPort, TIMEOUT, 1,
        Duration.ofMillis(10), 5, Duration.ofSeconds(30), 100, 2, Duration.ofSeconds(30), 100));
    Rejection r = failure(client.knownUsers(List.of("u1")));
    assertEquals(ErrorCode.USER_SERVICE_UNAVAILABLE, r.code());
    assertTrue(r.message().contains("cannot reach http://127.0.0.1:" + closedPort), r.message());
  }

  @Test
  void theBreakerOpensAfterFailuresInARow() throws Exception {
    reply.set(request -> new Answer(503, "{}"));
    var client = new HttpUserDirectory(system, HttpUserDirectory.settings(url(), TIMEOUT, 0, Duration.ZERO, 3,
        Duration.ofSeconds(30), 100, 1, Duration.ZERO, 0));
    for (int i = 0; i < 3; i++) {
      assertTrue(failure(client.rootOrgId("u1")).message().contains("HTTP 503"));
    }
    OutboundCalls.untilBreakerOpens(() -> client.rootOrgId("u1"));
    int calls = requests.size();
    assertTrue(calls <= 4, calls + " calls: the breaker opened after the third failure, or the call right after it");
    reply.set(knowsAllButNobody(ORG));
    Rejection open = failure(client.rootOrgId("u1"));
    assertTrue(open.message().contains("too many failures in a row"), open.message());
    assertEquals(calls, requests.size(), "an open breaker does not call");
  }

  // ---- the cache of root organisations ----

  @Test
  void rootOrganisationsAreKeptUntilTheyExpire() throws Exception {
    reply.set(knowsAllButNobody(ORG));
    HttpUserDirectory client = client(100, 2, Duration.ofMillis(300));
    assertEquals(Optional.of(ORG), await(client.rootOrgId("u1")));
    assertEquals(Optional.of(ORG), await(client.rootOrgId("u1")));
    assertEquals(1, requests.size(), "the second one from the cache");

    // The user moved: seen once the entry expired (after 300 ms; later on a busy machine).
    reply.set(knowsAllButNobody("new-org"));
    Optional<String> org = Optional.of(ORG);
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (org.equals(Optional.of(ORG)) && System.nanoTime() < deadline) {
      Thread.sleep(100);
      org = await(client.rootOrgId("u1"));
    }
    assertEquals(Optional.of("new-org"), org);
  }

  @Test
  void lookupsOfManyFillTheCacheAndUnknownUsersAreNotKept() throws Exception {
    reply.set(knowsAllButNobody(ORG));
    HttpUserDirectory client = client(100, 2, Duration.ofMinutes(5));
    await(client.profiles(List.of("u1", "u2", "nobody")));
    assertEquals(1, requests.size());
    assertEquals(Optional.of(ORG), await(client.rootOrgId("u1")));
    assertEquals(Optional.of(ORG), await(client.rootOrgId("u2")));
    assertEquals(1, requests.size(), "u1 and u2 came with the page");

    assertEquals(Optional.empty(), await(client.rootOrgId("nobody")));
    assertEquals(2, requests.size());
    assertEquals(Optional.empty(), await(client.rootOrgId("nobody")));
    assertEquals(3, requests.size(), "an unknown user is asked again: they may have been created since");
  }

  @Test
  void aFailedAnswerDoesNotPoisonTheCache() throws Exception {
    HttpUserDirectory client = new HttpUserDirectory(system, HttpUserDirectory.settings(url(), TIMEOUT, 2, Duration.ofMillis(50),
        100, Duration.ofSeconds(30), 100, 2, Duration.ofMinutes(5), 1_000));
    // An answer that names the user with another organisation but cannot be read as a whole is not kept.
    reply.set(request -> new Answer(200, "{\"result\":{\"response\":{\"content\":[{\"id\":\"u1\",\"rootOrgId\":\"evil\"}]}}} trailing"));
    assertEquals(ErrorCode.USER_SERVICE_UNAVAILABLE, failure(client.rootOrgId("u1")).code());
    reply.set(request -> new Answer(500, "{}"));
    assertEquals(ErrorCode.USER_SERVICE_UNAVAILABLE, failure(client.rootOrgId("u1")).code());

    reply.set(knowsAllButNobody(ORG));
    assertEquals(Optional.of(ORG), await(client.rootOrgId("u1")));
    int asked = requests.size();
    reply.set(request -> new Answer(500, "{}"));
    assertEquals(Optional.of(ORG), await(client.rootOrgId("u1")), "kept while the service fails");
    assertEquals(asked, requests.size());
  }

  @Test
  void settingsAreChecked() {
    assertThrows(IllegalArgumentException.class, () -> HttpUserDirectory.settings("users:9000", TIMEOUT, 1, TIMEOUT, 1, TIMEOUT,
        100, 1, TIMEOUT, 1));
    assertThrows(IllegalArgumentException.class, () -> HttpUserDirectory.settings("http://u", TIMEOUT, 1, TIMEOUT, 1, TIMEOUT,
        0, 1, TIMEOUT, 1));
    assertThrows(IllegalArgumentException.class, () -> HttpUserDirectory.settings("http://u", TIMEOUT, 1, TIMEOUT, 1, TIMEOUT,
        100, 0, TIMEOUT, 1));
    assertThrows(IllegalArgumentException.class, () -> HttpUserDirectory.settings("http://u", TIMEOUT, 1, TIMEOUT, 1, TIMEOUT,
        100, 1, Duration.ofSeconds(-1), 1));
    var s = HttpUserDirectory.settings("http://userorg-service:9000/", Duration.ofSeconds(3), 2, Duration.ofMillis(200), 5,
        Duration.ofSeconds(30), 200, 4, Duration.ofSeconds(60), 10_000);
    assertEquals("http://userorg-service:9000", s.calls().url());
    assertTrue(s.caching());
    assertFalse(HttpUserDirectory.settings("http://u", TIMEOUT, 1, TIMEOUT, 1, TIMEOUT, 100, 1, Duration.ZERO, 10).caching());
  }
}
