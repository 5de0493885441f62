package org.coursebatch.node;

import static org.coursebatch.node.TestNode.token;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.coursebatch.core.enrollment.EnrollmentEvent;
import org.coursebatch.core.testing.MutableClock;
import org.coursebatch.node.ApiClient.Reply;
import org.coursebatch.persistence.db.DatabaseSettings;
import org.coursebatch.persistence.testing.TestDatabases;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Retries, 503 and idempotency keys (docs/api.md) against a node on PostgreSQL with a 2 s ask
 * timeout. The journal is made unavailable from a connection of the test's own: a lock on the
 * whole table (entities cannot recover, so commands wait in their stash), or an uncommitted row
 * with the sequence number a learner's next event needs (that one write waits, as in a journal
 * stalled mid-write). The node's clock only moves when the test moves it, as the real one would
 * while the journal is away.
 */
class RetriesPostgresTest {

  private static final String CREATOR = "creator-r";
  private static final Duration ASK_TIMEOUT = Duration.ofSeconds(2);

  private static DatabaseSettings database;
  private static MutableClock clock;
  private static TestNode node;
  private static ApiClient api;

  @BeforeAll
  static void start() throws Exception {
    database = TestDatabases.freshPostgres();
    clock = MutableClock.startingNow();
    node = new TestNode(Files.createTempDirectory("batch-retries"), database, clock,
        Map.of("course-batch.http.ask-timeout", ASK_TIMEOUT.toMillis() + "ms"));
    node.startNode();
    api = node.client();
    // The first entities of a node start slowly (sharding, JIT): past them before the short ask timeout matters.
    String courseId = NodeApiContract.registerCourse(api, true);
    NodeApiContract.pollUntil("a first batch", Duration.ofSeconds(60),
        () -> api.call("POST", "/v1/course/batch/create", token(CREATOR), ongoingBatch(courseId, "Warm-up")), r -> r.status() == 200);
  }

  @AfterAll
  static void stop() {
    if (node != null) {
      node.close();
    }
    TestDatabases.dropPostgres(database);
  }

  // ---------------------------------------------------------------- helpers

  private static Reply send(String method, String path, String user, Object request, Map<String, String> headers) {
    return sendEnvelope(method, path, user, Map.of("request", request), headers);
  }

  private static Reply sendEnvelope(String method, String path, String user, Map<String, Object> envelope,
      Map<String, String> headers) {
    Map<String, String> all = new HashMap<>(headers);
    all.put("Authorization", "Bearer " + token(user));
    try {
      return api.send(method, path, ApiClient.JSON.writeValueAsString(envelope), all);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Map<String, String> key(String key) {
    return Map.of("Idempotency-Key", key);
  }

  private static String today() {
    return LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC).toString();
  }

  private static Map<String, Object> ongoingBatch(String courseId, String name) {
    return Map.of("courseId", courseId, "name", name, "enrollmentType", "open", "startDate", today(),
        "endDate", LocalDate.parse(today()).plusDays(30).toString());
  }

  private static Map<String, Object> enrolment(String courseId, String batchId) {
    return Map.of("courseId", courseId, "batchId", batchId);
  }

  private static Connection connect() throws SQLException {
    return DriverManager.getConnection(database.url(), database.user(), database.password());
  }

  private static long count(String sql, String... parameters) throws SQLException {
    try (Connection c = connect(); PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < parameters.length; i++) {
        ps.setString(i + 1, parameters[i]);
      }
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  /** Batch-created events whose name is {@code name}, from the journal itself. */
  private static long batchesNamed(String name) throws SQLException {
    return count("SELECT COUNT(*) FROM event_journal WHERE persistence_id LIKE 'CourseBatch|%'"
        + " AND convert_from(event_payload, 'UTF8') LIKE ?", "%\"type\":\"BatchCreated\"%\"name\":\"" + name + "\"%");
  }

  private static List<EnrollmentEvent> journalOf(String batchId, String userId) {
    return JournalProbe.enrollmentEvents(node.node(), batchId, userId);
  }

  private static JsonNode contentState(String user, String courseId, String batchId) {
    Reply r = api.call("POST", "/v1/content/state/read", token(user), Map.of("courseId", courseId, "batchId", batchId));
    assertEquals(200, r.status(), r.toString());
    return r.result().path("contentList");
  }

  /** Waits until the node writes to the journal again: a learner of its own enrols. */
  private static void awaitJournal(String courseId, String batchId) {
    String probe = "probe-" + UUID.randomUUID();
    NodeApiContract.pollUntil("an enrolment after the outage", Duration.ofSeconds(30),
        () -> api.call("POST", "/v1/course/enroll", token(probe), enrolment(courseId, batchId)), r -> r.status() == 200);
  }

  // ---------------------------------------------------------------- tests

  @Test
  void aBatchCreateRetriedWithTheSameKeyIsOneBatch() throws Exception {
    String courseId = NodeApiContract.registerCourse(api, true);
    String name = "Keyed " + UUID.randomUUID();
    Reply first = send("POST", "/v1/course/batch/create", CREATOR, ongoingBatch(courseId, name), key("create-1"));
    assertEquals(200, first.status(), first.toString());
    String batchId = first.result().path("batchId").asText();
    assertTrue(batchId.startsWith("02"), "derived from the request: " + batchId);

    Reply retry = send("POST", "/v1/course/batch/create", CREATOR, ongoingBatch(courseId, name), key("create-1"));
    assertEquals(200, retry.status(), retry.toString());
    assertEquals(batchId, retry.result().path("batchId").asText());
    assertEquals("SUCCESS", retry.result().path("response").asText());

    // The key with other fields is another request; the same key from another caller too.
    Reply other = send("POST", "/v1/course/batch/create", CREATOR, ongoingBatch(courseId, name + " (2)"), key("create-1"));
    assertNotEquals(batchId, other.result().path("batchId").asText());
    Reply otherCaller = send("POST", "/v1/course/batch/create", "creator-s", ongoingBatch(courseId, name), key("create-1"));
    assertNotEquals(batchId, otherCaller.result().path("batchId").asText());

    JsonNode found = NodeApiContract.pollUntil("the keyed batches in search", NodeApiContract.PROJECTION,
        () -> api.call("POST", "/v1/course/batch/search", token(CREATOR), Map.of("filters", Map.of("courseId", courseId))),
        r -> r.result().path("response").path("count").asInt() >= 3).result().path("response");
    assertEquals(3, found.path("count").asInt(), "one batch per request, not per attempt: " + found);
    assertEquals(2, batchesNamed(name));
    assertEquals(1, batchesNamed(name + " (2)"));
  }

  @Test
  void theBodysMsgidIsTheKeyWhenThereIsNoIdempotencyKeyHeader() throws Exception {
    String courseId = NodeApiContract.registerCourse(api, true);
    String name = "By msgid " + UUID.randomUUID();
    Map<String, Object> envelope = Map.of("params", Map.of("msgid", "msg-" + name), "request", ongoingBatch(courseId, name));
    // A proxy gives each attempt an X-Request-ID of its own: the client's msgid decides.
    Reply first = sendEnvelope("POST", "/v1/course/batch/create", CREATOR, envelope, Map.of("X-Request-ID", "proxy-1"));
    Reply retry = sendEnvelope("POST", "/v1/course/batch/create", CREATOR, envelope, Map.of("X-Request-ID", "proxy-2"));
    assertEquals(200, retry.status(), retry.toString());
    assertEquals(first.result().path("batchId"), retry.result().path("batchId"));
    assertEquals("proxy-2", retry.body().path("params").path("msgid").asText(), "the answer echoes X-Request-ID");
    assertEquals(1, batchesNamed(name));
  }

  @Test
  void anEnrolmentRetriedWithTheSameKeyAnswersSuccess() throws Exception {
    String courseId = NodeApiContract.registerCourse(api, true);
    String batchId = NodeApiContract.createBatch(api, ongoingBatch(courseId, "Enrol twice"));
    String learner = "learner-" + UUID.randomUUID();
    Map<String, String> enrolKey = Map.of("X-Request-ID", "enrol-" + learner);
    assertEquals(200, send("POST", "/v1/course/enroll", learner, enrolment(courseId, batchId), enrolKey).status());
    Reply retry = send("POST", "/v1/course/enroll", learner, enrolment(courseId, batchId), enrolKey);
    assertEquals(200, retry.status(), retry.toString());
    assertEquals("SUCCESS", retry.result().path("response").asText());
    Reply anotherRequest = send("POST", "/v1/course/enroll", learner, enrolment(courseId, batchId), Map.of("X-Request-ID", "enrol-2"));
    NodeApiContract.assertError(anotherRequest, 400, "USER_ALREADY_ENROLLED_COURSE");

    Map<String, String> unenrolKey = key("unenrol-" + learner);
    assertEquals(200, send("POST", "/v1/course/unenroll", learner, enrolment(courseId, batchId), unenrolKey).status());
    Reply unenrolAgain = send("POST", "/v1/course/unenroll", learner, enrolment(courseId, batchId), unenrolKey);
    assertEquals(200, unenrolAgain.status(), unenrolAgain.toString());
    assertEquals(List.of("Enrolled", "Unenrolled"), JournalProbe.enrollmentEventTypes(node.node(), batchId, learner));
  }

  /**
   * Finding: with the journal unavailable, enrolments and creates answered 503 stayed in the
   * entities' stash and were applied once the journal came back (76 of 76 enrolments). Now each
   * carries its deadline: when the entity gets to it after that, nothing is recorded.
   */
  @Test
  void writesTheEntityCameToAfterTheirDeadlineAreNotApplied() throws Exception {
    String courseId = NodeApiContract.registerCourse(api, true);
    String batchId = NodeApiContract.createBatch(api, ongoingBatch(courseId, "Outage"));
    String outageName = "Created in the outage " + UUID.randomUUID();
    List<String> learners = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      learners.add("outage-" + i + "-" + UUID.randomUUID());
    }
    String keyed = learners.get(0);
    Map<String, Reply> answers = new LinkedHashMap<>();
    try (Connection lock = connect()) {
      lock.setAutoCommit(false);
      try (Statement st = lock.createStatement()) {
        st.execute("LOCK TABLE event_journal IN ACCESS EXCLUSIVE MODE");
      }
      ExecutorService pool = Executors.newFixedThreadPool(learners.size() + 1);
      try {
        List<CompletableFuture<Void>> sent = new ArrayList<>();
        for (String learner : learners) {
          Map<String, String> headers = learner.equals(keyed) ? key("outage-enrol") : Map.of();
          sent.add(CompletableFuture.runAsync(() -> answers.put(learner,
              send("POST", "/v1/course/enroll", learner, enrolment(courseId, batchId), headers)), pool));
        }
        sent.add(CompletableFuture.runAsync(() -> answers.put("create",
            send("POST", "/v1/course/batch/create", CREATOR, ongoingBatch(courseId, outageName), Map.of())), pool));
        CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).get();
      } finally {
        pool.shutdown();
      }
      // The callers have given up; time goes on while the journal is still away.
      clock.advance(Duration.ofMinutes(1));
      lock.commit();
    }
    answers.forEach((who, r) -> {
      assertEquals(503, r.status(), who + ": " + r);
      assertEquals("SERVICE_UNAVAILABLE", r.err(), who + ": " + r);
    });

    awaitJournal(courseId, batchId);
    NodeApiContract.sleep(1000); // the stashed commands were handled when their entities recovered, before the probe
    for (String learner : learners) {
      assertEquals(List.of(), journalOf(batchId, learner), learner + " was enrolled by a request answered 503");
    }
    assertEquals(0, batchesNamed(outageName), "a create answered 503 made a batch");

    // Each retry is the first enrolment; the keyed one is recorded once.
    for (String learner : learners) {
      Map<String, String> headers = learner.equals(keyed) ? key("outage-enrol") : Map.of();
      Reply retry = send("POST", "/v1/course/enroll", learner, enrolment(courseId, batchId), headers);
      assertEquals(200, retry.status(), learner + ": " + retry);
    }
    assertEquals(List.of("Enrolled"), JournalProbe.enrollmentEventTypes(node.node(), batchId, keyed));
  }

  /**
   * Finding: a progress update over a good batch and one whose learner could not be written answered
   * 503 though the good part was recorded. Now each batch is recorded whole or not at all and the
   * answer says which: the good one SUCCESS, the other under SERVICE_UNAVAILABLE. Its write,
   * stalled mid-way, completes afterwards (no deadline can take back a write under way): sent again
   * with the same key, the report is recorded once (one view of each content, not two). A report
   * sent after it, answered 503, waited behind the stalled write and is not applied.
   */
  @Test
  void aProgressUpdateSaysWhichBatchesWereRecordedAndItsRetryRecordsThemOnce() throws Exception {
    String goodCourse = NodeApiContract.registerCourse(api, true);
    String badCourse = NodeApiContract.registerCourse(api, true);
    String good = NodeApiContract.createBatch(api, ongoingBatch(goodCourse, "Good"));
    String bad = NodeApiContract.createBatch(api, ongoingBatch(badCourse, "Stalled"));
    String learner = "progress-" + UUID.randomUUID();
    assertEquals(200, send("POST", "/v1/course/enroll", learner, enrolment(goodCourse, good), Map.of()).status());
    assertEquals(200, send("POST", "/v1/course/enroll", learner, enrolment(badCourse, bad), Map.of()).status());
    Map<String, Object> report = Map.of("contents", List.of(
        Map.of("contentId", goodCourse + "_c1", "courseId", goodCourse, "batchId", good, "status", 2),
        Map.of("contentId", badCourse + "_c1", "courseId", badCourse, "batchId", bad, "status", 2)));
    Map<String, String> reportKey = key("report-" + learner);

    Reply partly;
    try (Connection stall = connect()) {
      stall.setAutoCommit(false);
      try (PreparedStatement ps = stall.prepareStatement("INSERT INTO event_journal (persistence_id, sequence_number, writer,"
          + " event_ser_id, event_ser_manifest, event_payload) VALUES (?, 2, 'test', 1, '', '\\x00'::bytea)")) {
        ps.setString(1, JournalProbe.enrollmentId(bad, learner));
        ps.executeUpdate();
      }
      partly = send("PATCH", "/v1/content/state/update", learner, report, reportKey);
      Reply onlyTheStalledOne = send("PATCH", "/v1/content/state/update", learner, Map.of("contents", List.of(
          Map.of("contentId", badCourse + "_c1", "courseId", badCourse, "batchId", bad, "status", 1))), Map.of());
      NodeApiContract.assertError(onlyTheStalledOne, 503, "SERVICE_UNAVAILABLE");
      // It waits behind the stalled write; its caller has given up by the time that completes.
      clock.advance(Duration.ofMinutes(1));
      stall.rollback();
    }
    assertEquals(200, partly.status(), partly.toString());
    assertEquals("SUCCESS", partly.result().path(goodCourse + "_c1").asText(), partly.toString());
    assertTrue(partly.result().path(badCourse + "_c1").isMissingNode(), partly.toString());
    assertEquals(List.of(bad), List.of(partly.result().path("SERVICE_UNAVAILABLE").path(0).asText()), partly.toString());

    Reply retry = send("PATCH", "/v1/content/state/update", learner, report, reportKey);
    assertEquals(200, retry.status(), retry.toString());
    assertEquals("SUCCESS", retry.result().path(goodCourse + "_c1").asText(), retry.toString());
    assertEquals("SUCCESS", retry.result().path(badCourse + "_c1").asText(), retry.toString());
    assertTrue(retry.result().path("SERVICE_UNAVAILABLE").isMissingNode(), retry.toString());
    assertEquals(1, contentState(learner, goodCourse, good).path(0).path("viewCount").asInt(), "recorded once");
    JsonNode stalled = contentState(learner, badCourse, bad).path(0);
    assertEquals(2, stalled.path("status").asInt(), stalled.toString());
    assertEquals(1, stalled.path("viewCount").asInt(), "the stalled write, and neither the retry nor the report after it");
    assertEquals(List.of("Enrolled", "ContentProgressRecorded"), JournalProbe.enrollmentEventTypes(node.node(), bad, learner));
    assertEquals(List.of("Enrolled", "ContentProgressRecorded"), JournalProbe.enrollmentEventTypes(node.node(), good, learner));
  }
}
