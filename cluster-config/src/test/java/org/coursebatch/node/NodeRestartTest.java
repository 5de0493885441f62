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
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.coursebatch.core.testing.MutableClock;
import org.coursebatch.node.ApiClient.Reply;
import org.coursebatch.persistence.db.Database;
import org.coursebatch.persistence.db.DatabaseSettings;
import org.coursebatch.persistence.journal.JournalVerifier;
import org.coursebatch.persistence.testing.OnBothDatabases;
import org.coursebatch.persistence.testing.TestDatabase;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Acknowledged writes survive a node stop (also SIGKILL), and a status transition whose instant
 * passed while no node was running has been recorded once a node is back. So do the idempotency
 * keys of the writes: a retry after the restart answers as the first attempt did.
 */
@OnBothDatabases
class NodeRestartTest {

  @Nested
  class Contract {

    /** Each test starts its nodes on a database of its own. */
    private final TestDatabase run;

    Contract(TestDatabase run) {
      this.run = run;
    }

    DatabaseSettings database(Path dataDir) {
      return TestNode.databaseFor(run);
    }

    @Test
    void batchesSurviveARestartAndMissedTransitionsHappen() throws Exception {
      Path dir = Files.createTempDirectory("batch-restart");
      MutableClock clock = MutableClock.startingNow();
      LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
      try (TestNode node = TestNode.start(dir, database(dir), clock)) {
        ApiClient api = node.client();
        String curator = TestNode.token("curator", "CONTENT_CREATOR");
        String creator = TestNode.token("creator");
        Map<String, Object> course = Map.of("name", "Restart course", "trackable", Map.of("enabled", "Yes"),
            "children", List.of(Map.of("identifier", "do_r_c1", "name", "Leaf")));
        assertEquals(200, api.call("PUT", "/v1/catalog/course/do_restart", curator, course).status());

        Map<String, Object> create = new HashMap<>(Map.of("courseId", "do_restart", "name", "Upcoming", "enrollmentType", "open",
            "startDate", today.plusDays(1).toString(), "endDate", today.plusDays(10).toString()));
        String upcoming = api.call("POST", "/v1/course/batch/create", creator, create).result().path("batchId").asText();
        create.put("name", "Updated later");
        String updated = api.call("POST", "/v1/course/batch/create", creator, create).result().path("batchId").asText();
        Reply u = api.call("PATCH", "/v1/course/batch/update", creator,
            Map.of("id", updated, "courseId", "do_restart", "name", "Renamed", "mentors", List.of("m1")));
        assertEquals(200, u.status(), u.toString());
        JsonNode before = read(api, updated);

        node.node().close();
        clock.advance(Duration.ofDays(2)); // the start instant passes while the node is down
        node.startNode();

        ApiClient after = node.client();
        JournalProbe.awaitEvent(node.node(), upcoming, "BatchStarted");
        JsonNode again = read(after, updated);
        assertEquals("Renamed", again.path("name").asText());
        assertEquals(before.path("mentors"), again.path("mentors"));
        assertEquals(before.path("createdDate"), again.path("createdDate"));
        assertEquals(before.path("updatedDate"), again.path("updatedDate"));
        assertEquals(1, read(after, upcoming).path("status").asInt());
        assertTrue(JournalProbe.eventTypes(node.node(), updated).contains("BatchStarted"));
      }
    }

    @Test
    void retriesAfterARestartAnswerAsTheFirstAttempts() throws Exception {
      Path dir = Files.createTempDirectory("batch-restart-keys");
      MutableClock clock = MutableClock.startingNow();
      LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
      try (TestNode node = TestNode.start(dir, database(dir), clock)) {
        ApiClient api = node.client();
        Map<String, Object> course = Map.of("name", "Keys course", "trackable", Map.of("enabled", "Yes"),
            "children", List.of(Map.of("identifier", "do_k_c1", "name", "Leaf")));
        assertEquals(200, api.call("PUT", "/v1/catalog/course/do_keys", TestNode.token("curator", "CONTENT_CREATOR"), course).status());
        Map<String, Object> create = Map.of("courseId", "do_keys", "name", "Keyed", "enrollmentType", "open",
            "startDate", today.toString(), "endDate", today.plusDays(10).toString());
        Map<String, String> createKey = Map.of("Idempotency-Key", "create-keyed");
        Reply created = keyed(api, "POST", "/v1/course/batch/create", "creator", create, createKey);
        assertEquals(200, created.status(), created.toString());
        String batchId = created.result().path("batchId").asText();
        Map<String, Object> enrol = Map.of("courseId", "do_keys", "batchId", batchId);
        Map<String, String> enrolKey = Map.of("X-Request-ID", "enrol-keyed");
        assertEquals(200, keyed(api, "POST", "/v1/course/enroll", "learner", enrol, enrolKey).status());

        node.restart();

        ApiClient after = node.client();
        Reply createdAgain = keyed(after, "POST", "/v1/course/batch/create", "creator", create, createKey);
        assertEquals(batchId, createdAgain.result().path("batchId").asText(), createdAgain.toString());
        Reply enrolledAgain = keyed(after, "POST", "/v1/course/enroll", "learner", enrol, enrolKey);
        assertEquals(200, enrolledAgain.status(), enrolledAgain.toString());
        assertEquals("USER_ALREADY_ENROLLED_COURSE", keyed(after, "POST", "/v1/course/enroll", "learner", enrol, Map.of()).err());
        assertEquals(List.of("Enrolled"), JournalProbe.enrollmentEventTypes(node.node(), batchId, "learner"));
      }
    }

    private static Reply keyed(ApiClient api, String method, String path, String user, Object request, Map<String, String> key) {
      Map<String, String> headers = new HashMap<>(key);
      headers.put("Authorization", "Bearer " + TestNode.token(user));
      return api.send(method, path, ApiClient.envelope(request), headers);
    }

    /**
     * A node in its own JVM takes concurrent enrolments and progress reports and is killed with
     * SIGKILL while requests are in flight; a new node on the same database has every enrolment and
     * every progress report that was acknowledged with 200 before the kill, and remembers their
     * idempotency keys: an acknowledged enrolment sent again with its key answers 200.
     */
    @Test
    void acknowledgedEnrolmentsAndProgressSurviveAKilledNode() throws Exception {
      Path dir = Files.createTempDirectory("batch-crash");
      DatabaseSettings database = database(dir);
      LocalDate today = LocalDate.now(ZoneOffset.UTC);
      String courseId = "do_crash";
      String batchId;
      Set<String> enrolled = ConcurrentHashMap.newKeySet();
      Set<String> progressed = ConcurrentHashMap.newKeySet();
      try (ChildNode child = ChildNode.start(dir, database)) {
        ApiClient api = child.client();
        Map<String, Object> course = Map.of("name", "Crash course", "trackable", Map.of("enabled", "Yes"),
            "children", List.of(Map.of("identifier", "do_crash_c1", "name", "One"), Map.of("identifier", "do_crash_c2", "name", "Two")));
        assertEquals(200, api.call("PUT", "/v1/catalog/course/" + courseId, TestNode.token("curator", "CONTENT_CREATOR"), course).status());
        // A node of its own JVM runs the production settings: creating a batch needs a course-creator role.
        Reply created = api.call("POST", "/v1/course/batch/create", TestNode.token("creator", "CONTENT_CREATOR"), Map.of("courseId", courseId,
            "name", "Crash batch", "enrollmentType", "open", "startDate", today.toString(), "endDate", today.plusDays(10).toString()));
        assertEquals(200, created.status(), created.toString());
        batchId = created.result().path("batchId").asText();

        ExecutorService learners = Executors.newFixedThreadPool(16);
        for (int i = 0; i < 400; i++) {
          String user = "learner-" + i;
          learners.submit(() -> {
            try {
              Reply enrol = keyed(api, "POST", "/v1/course/enroll", user, Map.of("courseId", courseId, "batchId", batchId),
                  Map.of("X-Request-ID", "enrol-" + user));
              if (enrol.status() == 200) {
                enrolled.add(user);
                Reply p = api.call("PATCH", "/v1/content/state/update", TestNode.token(user), Map.of("contents", List.of(
                    Map.of("contentId", "do_crash_c1", "courseId", courseId, "batchId", batchId, "status", 2))));
                if (p.status() == 200 && "SUCCESS".equals(p.result().path("do_crash_c1").asText())) {
                  progressed.add(user);
                }
              }
            } catch (IllegalStateException connectionLost) {
              // the node was killed under this request: not acknowledged, so nothing is owed
            }
          });
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (progressed.size() < 100 && System.nanoTime() < deadline) {
          Thread.sleep(10);
        }
        child.kill();
        learners.shutdown();
        assertTrue(learners.awaitTermination(60, TimeUnit.SECONDS));
      }
      assertTrue(progressed.size() >= 100, "the kill came after some acknowledged progress: " + progressed.size());
      assertTrue(enrolled.size() < 400, "the kill came while learners were still enrolling");

      try (TestNode node = TestNode.start(dir, database, MutableClock.startingNow())) {
        ApiClient api = node.client();
        for (String user : progressed) {
          Reply state = api.call("POST", "/v1/content/state/read", TestNode.token(user),
              Map.of("courseId", courseId, "batchId", batchId));
          assertEquals(200, state.status(), state.toString());
          assertEquals(2, state.result().path("contentList").path(0).path("status").asInt(), user + ": " + state);
        }
        JsonNode participants = null;
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
          Reply r = api.call("POST", "/v1/batch/participants/list", TestNode.token("creator"), Map.of("batch", Map.of("batchId", batchId)));
          assertEquals(200, r.status(), r.toString());
          participants = r.result().path("batch").path("participants");
          Set<String> listed = new java.util.HashSet<>();
          participants.forEach(p -> listed.add(p.asText()));
          if (listed.containsAll(enrolled)) {
            for (String user : enrolled) {
              Reply again = keyed(api, "POST", "/v1/course/enroll", user, Map.of("courseId", courseId, "batchId", batchId),
                  Map.of("X-Request-ID", "enrol-" + user));
              assertEquals(200, again.status(), user + ": " + again);
            }
            assertChainIntact(node.node().database());
            return;
          }
          Thread.sleep(100);
        }
        fail("acknowledged enrolments missing after the crash; listed " + participants + ", acknowledged " + enrolled);
      }
    }

    /** Every entity's hash chain reads back whole: the events the killed node stored, and those written after. */
    private static void assertChainIntact(Database db) throws java.sql.SQLException {
      JournalVerifier.Summary summary = new JournalVerifier(db.dataSource(), db.settings().vendor())
          .verify(JournalVerifier.Scope.all(), finding -> fail("the journal after the kill: " + finding));
      assertTrue(summary.intact(), summary.toString());
      assertTrue(summary.events() > 0 && summary.unchainedEvents() == 0, summary.toString());
    }

    private static JsonNode read(ApiClient api, String batchId) {
      Reply r = api.call("GET", "/v1/course/batch/read/" + batchId, TestNode.token("reader"), null);
      assertEquals(200, r.status(), r.toString());
      return r.result().path("response");
    }
  }
}
