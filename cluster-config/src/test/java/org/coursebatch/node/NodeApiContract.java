package org.coursebatch.node;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.coursebatch.core.testing.MutableClock;
import org.coursebatch.node.ApiClient.Reply;
import org.coursebatch.persistence.db.DatabaseSettings;
import org.coursebatch.persistence.testing.OnBothDatabases;
import org.coursebatch.persistence.testing.TestDatabase;
import org.coursebatch.persistence.testing.TestDatabases;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

/**
 * What the HTTP contracts against a running node share: one node per test class on a real
 * database (the run's of an {@link OnBothDatabases} class, or the one a subclass picks) with a
 * clock the tests move, and helpers to register courses and
 * templates, create and read batches and check Sunbird error envelopes.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class NodeApiContract {

  static final String CREATOR = "creator-1";
  static final String MENTOR = "mentor-1";
  static final String STRANGER = "stranger-1";
  static final String CURATOR = "curator-1";
  /** How long a projection (lists, counts) may trail the journal in these tests. */
  static final Duration PROJECTION = Duration.ofSeconds(10);

  TestNode node;
  ApiClient api;
  MutableClock clock;

  /** The run of the {@link OnBothDatabases} class this contract runs in; null where a subclass picks the database. */
  private final TestDatabase run;

  NodeApiContract() {
    this(null);
  }

  NodeApiContract(TestDatabase run) {
    this.run = run;
  }

  /** The database for a node of this class; null for the embedded H2 default under {@code dataDir}. */
  DatabaseSettings database(Path dataDir) throws Exception {
    if (run == null) {
      throw new IllegalStateException(getClass().getName() + " is not in an @OnBothDatabases run and picks no database");
    }
    return TestNode.databaseFor(run);
  }

  @BeforeAll
  void startNode() throws Exception {
    clock = MutableClock.startingNow();
    node = newNode(clock);
    api = node.client();
  }

  @AfterAll
  void stopNode() {
    if (node != null) {
      node.close();
    }
    // Nodes a test started itself are closed by then; their databases go too.
    databases.forEach(TestDatabases::dropPostgres);
  }

  /** The databases of the nodes this class started, dropped at the end (PostgreSQL ones; H2 lives in a temp dir). */
  private final List<DatabaseSettings> databases = new java.util.ArrayList<>();

  /** A node of its own (own data directory, own database) for tests that must not share one. */
  TestNode newNode(MutableClock nodeClock) throws Exception {
    Path dir = Files.createTempDirectory("batch-api");
    return TestNode.start(dir, ownDatabase(dir), nodeClock, configOverrides());
  }

  /** A node of its own (own data directory, own database) on this class's clock, with these settings. */
  TestNode nodeWith(Map<String, Object> overrides) throws Exception {
    Path dir = Files.createTempDirectory("batch-api");
    TestNode n = new TestNode(dir, ownDatabase(dir), clock, overrides);
    n.startNode();
    return n;
  }

  /** Settings this class's nodes take over application-test.conf's. */
  Map<String, Object> configOverrides() {
    return Map.of();
  }

  /** A database of its own for a node a test starts, dropped when the class is done. */
  DatabaseSettings ownDatabase(Path dir) throws Exception {
    DatabaseSettings db = database(dir);
    if (db != null && run == null) { // a run drops its databases itself
      databases.add(db);
    }
    return db;
  }

  // ---- helpers ----

  LocalDate today() {
    return LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
  }

  static String token(String user, String... roles) {
    return TestNode.token(user, roles);
  }

  Reply call(String method, String path, String user, Object request) {
    return api.call(method, path, user == null ? null : token(user), request);
  }

  /**
   * A trackable course with two leaves: {@code <id>_c1} (a video) and {@code <id>_a1} (a question
   * set with one question {@code q1} worth 2).
   */
  String registerCourse(boolean trackable) {
    return registerCourse(api, trackable);
  }

  /** {@link #registerCourse(boolean)} on the node {@code client} talks to. */
  static String registerCourse(ApiClient client, boolean trackable) {
    String id = "do_" + UUID.randomUUID().toString().substring(0, 8);
    Map<String, Object> course = Map.of(
        "identifier", id, "name", "Course " + id, "status", "Live",
        "trackable", Map.of("enabled", trackable ? "Yes" : "No"),
        "children", List.of(Map.of("identifier", id + "_u1", "name", "Unit 1", "mimeType", "application/vnd.ekstep.content-collection",
            "children", List.of(
                Map.of("identifier", id + "_c1", "name", "Video", "mimeType", "video/mp4"),
                Map.of("identifier", id + "_a1", "name", "Quiz", "mimeType", "application/vnd.sunbird.questionset",
                    "questions", List.of(Map.of("identifier", "q1", "maxScore", 2)))))));
    Reply r = client.call("PUT", "/v1/catalog/course/" + id, token(CURATOR, "CONTENT_CREATOR"), course);
    assertEquals(200, r.status(), r.toString());
    return id;
  }

  /** A certificate-template asset in the catalog, with or without its own issuer and signatories. */
  void registerTemplate(String id, boolean withIssuer) {
    Map<String, Object> asset = new HashMap<>(Map.of("name", "Template " + id, "url", "https://certs/" + id + ".svg"));
    if (withIssuer) {
      asset.put("issuer", Map.of("name", "Issuer", "url", "https://issuer"));
      asset.put("signatoryList", List.of(Map.of("name", "CEO", "id", "CEO", "designation", "CEO", "image", "https://img")));
    }
    Reply r = api.call("PUT", "/v1/catalog/certificate-template/" + id, token(CURATOR, "ORG_ADMIN"), asset);
    assertEquals(200, r.status(), r.toString());
  }

  /** An open batch of the course from tomorrow for 30 days, mentored by {@link #MENTOR}. */
  Map<String, Object> batchRequest(String courseId) {
    Map<String, Object> r = new HashMap<>();
    r.put("courseId", courseId);
    r.put("name", "Batch of " + courseId);
    r.put("enrollmentType", "open");
    r.put("startDate", today().plusDays(1).toString());
    r.put("endDate", today().plusDays(30).toString());
    r.put("mentors", List.of(MENTOR));
    return r;
  }

  /** An open batch of the course that is in progress: from today for 30 days. */
  Map<String, Object> ongoingBatch(String courseId) {
    Map<String, Object> r = batchRequest(courseId);
    r.put("startDate", today().toString());
    return r;
  }

  /** An attempt at the course's question set: one ASSESS event for question q1 (worth 2), then an END event. */
  Map<String, Object> attempt(String user, String courseId, String batchId, String attemptId, int score) {
    List<Map<String, String>> options = List.of(Map.of("1", "{\"text\":\"A\"}"), Map.of("2", "{\"text\":\"B\"}"));
    Map<String, Object> item = Map.of("id", "q1", "title", "Question 1", "type", "mcq", "maxscore", 2, "params", options);
    Map<String, Object> assess = Map.of("eid", "ASSESS", "ets", clock.millis(),
        "edata", Map.of("item", item, "score", score, "resvalues", List.of(options.get(score > 0 ? 0 : 1)), "duration", 7));
    Map<String, Object> end = Map.of("eid", "END", "ets", clock.millis(), "edata", Map.of());
    return Map.of("assessmentTs", clock.millis(), "courseId", courseId, "contentId", courseId + "_a1", "batchId", batchId,
        "userId", user, "attemptId", attemptId, "events", List.of(assess, end));
  }

  String createBatch(Map<String, Object> request) {
    return createBatch(api, request);
  }

  /** Creates a batch as {@link #CREATOR} (a content creator) on the node {@code client} talks to; returns its id. */
  static String createBatch(ApiClient client, Map<String, Object> request) {
    Reply r = client.call("POST", "/v1/course/batch/create", token(CREATOR, "CONTENT_CREATOR"), request);
    assertEquals(200, r.status(), r.toString());
    return r.result().path("batchId").asText();
  }

  JsonNode read(String batchId) {
    Reply r = call("GET", "/v1/course/batch/read/" + batchId, STRANGER, null);
    assertEquals(200, r.status(), r.toString());
    return r.result().path("response");
  }

  static void assertError(Reply r, int status, String err) {
    assertEquals(status, r.status(), r.toString());
    assertEquals(err, r.err(), r.toString());
    assertEquals(err, r.body().path("params").path("status").asText(), r.toString());
    assertFalse(r.errmsg() == null || r.errmsg().isBlank(), r.toString());
    assertEquals("{}", r.result().toString(), r.toString());
  }

  /**
   * The whole error envelope: HTTP status, {@code params.err}, {@code params.status} (the code
   * again), {@code errmsg}, {@code responseCode} and an empty result.
   */
  static void assertError(Reply r, int status, String err, String errmsg, String responseCode) {
    assertError(r, status, err);
    assertEquals(errmsg, r.errmsg(), r.toString());
    assertEquals(responseCode, r.body().path("responseCode").asText(), r.toString());
  }

  /** Reads from a projection trail the journal: asks again until the answer satisfies the condition. */
  static <T> T pollUntil(String what, Duration timeout, Supplier<T> ask, Predicate<T> condition) {
    long deadline = System.nanoTime() + timeout.toNanos();
    T last = null;
    while (System.nanoTime() < deadline) {
      last = ask.get();
      if (condition.test(last)) {
        return last;
      }
      sleep(100);
    }
    fail(what + " never satisfied the condition; last: " + last);
    return null;
  }

  static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
