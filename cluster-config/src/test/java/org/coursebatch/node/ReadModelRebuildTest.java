package org.coursebatch.node;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.coursebatch.core.batch.CourseBatchEntity;
import org.coursebatch.node.ApiClient.Reply;
import org.coursebatch.node.audit.ProgressLines;
import org.coursebatch.persistence.db.Database;
import org.coursebatch.persistence.db.DatabaseSettings;
import org.coursebatch.persistence.projection.JournalReadModels;
import org.coursebatch.persistence.projection.ProjectionFailures;
import org.coursebatch.persistence.projection.ReadModel;
import org.coursebatch.persistence.projection.ReadModelLock;
import org.coursebatch.persistence.projection.ReadModelRebuild;
import org.coursebatch.persistence.testing.JournalRows;
import org.coursebatch.persistence.testing.OnBothDatabases;
import org.coursebatch.persistence.testing.TableSnapshot;
import org.coursebatch.persistence.testing.TestDatabase;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * Rebuilding the read models from the journal alone gives back the tables as the running node
 * wrote them, row for row: a realistic history over HTTP (batches created and updated, a start
 * passed, a waitlist, invitations, enrolments, unenrolments, re-enrolments, progress, assessment
 * attempts, certificates, a bulk deletion and an enrolment after it), the node stopped, every
 * derived table snapshotted, {@code audit rebuild --yes} run in this JVM, and the tables compared.
 * The primary data and the journal are untouched, and a node started afterwards answers lists and
 * searches as before. On PostgreSQL a rebuild refuses to start while a node runs, and a node while
 * a rebuild runs.
 */
@OnBothDatabases
class ReadModelRebuildTest {

  @Nested
  class Contract extends NodeApiContract {

    Contract(TestDatabase database) {
      super(database);
    }

    /** Tables that are primary data: a rebuild must leave them exactly as they were. */
    static final List<String> PRIMARY = List.of("event_journal", "event_tag", "snapshot", "catalog_course",
        "catalog_certificate_template", "user_profile", "user_consent", "learner_group", "learner_group_member",
        "exhaust_job", "service_secret");

    @Test
    void rebuildingFromTheJournalGivesTheSameRowsAndLeavesPrimaryDataAlone() throws Exception {
      Scenario s = runScenario();
      DatabaseSettings settings = NodeSettings.from(node.config()).database();
      try (Database db = Database.open(settings.withMaxPoolSize(2))) {
        pollUntil("the read models caught up with the journal", Duration.ofSeconds(30), () -> caughtUp(db), ok -> ok);
        Map<String, JsonNode> answers = answers(s);

        if (settings.vendor() == DatabaseSettings.Vendor.POSTGRES) {
          IllegalStateException refused = assertThrows(IllegalStateException.class, () -> ReadModelLock.exclusive(db, Duration.ZERO));
          assertTrue(refused.getMessage().contains("stop every node"), refused.getMessage());
        }
        node.node().close();

        Map<String, TableSnapshot> derived = snapshot(db, JournalReadModels.tables());
        Map<String, TableSnapshot> primary = snapshot(db, PRIMARY);
        TableSnapshot offsets = offsets(db);
        assertScenarioCoversEveryDerivedTable(derived);

        // Without --yes: says what it would do, changes nothing.
        String plan = audit("rebuild");
        assertTrue(plan.contains("Run again with --yes"), plan);
        assertTrue(plan.contains("enrollment_certificate"), plan);
        assertEquals(List.of(), TableSnapshot.differences(derived, snapshot(db, JournalReadModels.tables())));

        long events = ReadModelRebuild.eventsInJournal(db);
        long started = System.nanoTime();
        String report = audit("rebuild", "--yes");
        System.out.printf("rebuild of %d events took %d ms%n", eventCount(db), (System.nanoTime() - started) / 1_000_000);
        assertTrue(report.contains("Rebuilt from"), report);
        ProgressLines.assertAllDone(report, "audit rebuild", events, "events");

        Map<String, TableSnapshot> rebuilt = snapshot(db, JournalReadModels.tables());
        assertEquals(List.of(), TableSnapshot.differences(derived, rebuilt), "the rebuilt read models differ");
        assertEquals(List.of(), TableSnapshot.differences(primary, snapshot(db, PRIMARY)), "primary data changed");
        assertEquals(List.of(), TableSnapshot.differences(Map.of("offsets", offsets), Map.of("offsets", offsets(db))),
            "the projections' offsets differ");
        comparisonCatchesAChange(db, rebuilt);

        if (settings.vendor() == DatabaseSettings.Vendor.POSTGRES) {
          try (ReadModelLock rebuilding = ReadModelLock.exclusive(db, Duration.ZERO)) {
            IllegalStateException refused = assertThrows(IllegalStateException.class, node::startNode);
            assertTrue(refused.getMessage().contains("read-model rebuild is running"), refused.getMessage());
          }
        }
        node.startNode();
        api = node.client();
        assertEquals(answers, answers(s), "a node started after the rebuild answers differently");
      }
    }

    /**
     * An event the read model cannot write (here a reopening of a batch that was never created,
     * written into the journal as an earlier version might have) is left out: the batches of its tag
     * still show in search; {@code audit failures} names it and so does a rebuild, which fails; a
     * node started again retries it and keeps it recorded once.
     */
    @Test
    void anEventTheReadModelCannotWriteIsLeftOutNamedAndTheRebuildFails() throws Exception {
      String course = registerCourse(true);
      String batchId = createBatch(ongoingBatch(course));
      String tag = CourseBatchEntity.tagFor(batchId);
      String ghost = "ghost-0";
      for (int i = 1; !CourseBatchEntity.tagFor(ghost).equals(tag); i++) {
        ghost = "ghost-" + i;
      }
      String pid = "CourseBatch|" + ghost;
      DatabaseSettings settings = NodeSettings.from(node.config()).database();
      try (Database db = Database.open(settings.withMaxPoolSize(2))) {
        JournalRows.insert(db.dataSource(), pid, 0, List.of(JournalRows.reopened(ghost, "x")));
        try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement()) {
          st.executeUpdate("INSERT INTO event_tag (event_id, tag) SELECT ordering, '" + tag
              + "' FROM event_journal WHERE persistence_id = '" + pid + "'");
        }
        ok(call("PATCH", "/v1/course/batch/update", CREATOR, Map.of("id", batchId, "courseId", course, "name", "After the ghost")));
        pollUntil("the batch renamed after the ghost's event, in search", Duration.ofSeconds(20),
            () -> call("POST", "/v1/course/batch/search", CREATOR, Map.of("filters", Map.of("batchId", batchId))),
            r -> r.result().path("response").path("content").path(0).path("name").asText().equals("After the ghost"));
        node.node().close();

        String failures = audit(1, "failures");
        assertTrue(failures.contains(pid + " #1 (BatchReopened"), failures);
        assertTrue(failures.contains("1 events left out: 1 failed, 0 held behind them"), failures);
        String rebuild = audit(1, "rebuild", "--yes");
        assertTrue(rebuild.contains("The rebuild could not write 1 of "), rebuild);
        assertTrue(rebuild.contains(pid + " #1"), rebuild);

        node.startNode();
        api = node.client();
        pollUntil("the batch in search after the rebuild", Duration.ofSeconds(20),
            () -> call("POST", "/v1/course/batch/search", CREATOR, Map.of("filters", Map.of("batchId", batchId))),
            r -> r.result().path("response").path("content").path(0).path("name").asText().equals("After the ghost"));
        assertEquals(1, ProjectionFailures.list(db).size(), ProjectionFailures.list(db).toString());

        // The other tests of this database rebuild it exactly: the ghost goes.
        try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement()) {
          st.executeUpdate("DELETE FROM event_tag WHERE event_id IN (SELECT ordering FROM event_journal WHERE persistence_id = '"
              + pid + "')");
          st.executeUpdate("DELETE FROM event_journal WHERE persistence_id = '" + pid + "'");
          st.executeUpdate("DELETE FROM projection_failure");
        }
      }
    }

    /** The comparison is not blind: a deleted row and a changed value in the rebuilt tables are reported. */
    private void comparisonCatchesAChange(Database db, Map<String, TableSnapshot> rebuilt) throws SQLException {
      try (Connection c = db.dataSource().getConnection()) {
        c.setAutoCommit(false);
        try (Statement st = c.createStatement()) {
          List<Object> key = rebuilt.get("content_state").rows().keySet().iterator().next();
          st.executeUpdate("DELETE FROM content_state WHERE batch_id = '" + key.get(0) + "' AND user_id = '" + key.get(1)
              + "' AND content_id = '" + key.get(2) + "'");
          st.executeUpdate("UPDATE course_batch SET updated_at = 1 WHERE batch_id = '"
              + rebuilt.get("course_batch").rows().keySet().iterator().next().get(0) + "'");
          List<String> differences = TableSnapshot.differences(rebuilt, TableSnapshot.of(c, JournalReadModels.tables()));
          assertEquals(2, differences.size(), differences.toString());
          assertTrue(differences.stream().anyMatch(d -> d.startsWith("content_state " + key + ": row gone")), differences.toString());
          assertTrue(differences.stream().anyMatch(d -> d.startsWith("course_batch ") && d.contains("updated_at was")), differences.toString());
        } finally {
          c.rollback();
        }
      }
    }

    record Scenario(List<String> courses, List<String> batches, List<String> learners) {}

    /** A history that writes every derived table, through the API of the running node. */
    private Scenario runScenario() {
      String course = registerCourse(true);
      String otherCourse = registerCourse(true);
      String early = "tmpl-early-" + course;
      String late = "tmpl-late-" + course;
      registerTemplate(early, true);
      registerTemplate(late, true);
      List<String> learners = new ArrayList<>();
      for (String name : List.of("ada", "ben", "cyd", "dee", "eve", "fay", "gus", "hal", "ivy")) {
        learners.add(name + "-" + course);
      }
      String ada = learners.get(0), ben = learners.get(1), cyd = learners.get(2), dee = learners.get(3);
      String eve = learners.get(4), fay = learners.get(5), gus = learners.get(6), hal = learners.get(7), ivy = learners.get(8);
      Directory.place(api, "org-1", ada);
      // The creator acts on learners of their organisation, org-3, which their batches are (or end up) created for.
      Directory.place(api, "org-3", CREATOR, ben, cyd, eve, fay, gus);
      ok(api.call("PUT", "/v1/group/group-" + course, Directory.systemAdminToken(), Map.of("name", "Circle",
          "members", List.of(Map.of("userId", ada, "role", "admin"), Map.of("userId", ben, "role", "member")))));

      // An ongoing open batch for two organisations, renamed and given a second mentor and another organisation.
      Map<String, Object> open = ongoingBatch(course);
      open.put("createdFor", List.of("org-1", "org-2"));
      String main = createBatch(open);
      ok(call("PATCH", "/v1/course/batch/update", CREATOR, Map.of("id", main, "courseId", course, "name", "Renamed",
          "mentors", List.of(MENTOR, "mentor-2"), "createdFor", List.of("org-3"))));
      addTemplate(course, main, early, Map.of("enrollment", Map.of("status", 2)));

      // An upcoming batch whose start passes; a batch with one seat (a waitlist); an invite-only batch of another course.
      String upcoming = createBatch(batchRequest(course));
      Map<String, Object> oneSeat = ongoingBatch(course);
      oneSeat.put("maxParticipants", 1);
      String seats = createBatch(oneSeat);
      Map<String, Object> inviteOnly = ongoingBatch(otherCourse);
      inviteOnly.put("enrollmentType", "invite-only");
      inviteOnly.put("createdFor", List.of("org-3"));
      String invited = createBatch(inviteOnly);

      // Enrol, unenrol, enrol again; one enrolled on their behalf; one who leaves for good.
      for (String user : List.of(ada, ben, cyd, dee, eve)) {
        ok(enrol(user, course, main));
      }
      ok(api.call("POST", "/v1/course/admin/enroll", token(CREATOR), Map.of("courseId", course, "batchId", main, "userId", fay)));
      ok(call("POST", "/v1/course/unenroll", ben, Map.of("courseId", course, "batchId", main)));
      ok(enrol(ben, course, main));
      ok(call("POST", "/v1/course/unenroll", cyd, Map.of("courseId", course, "batchId", main)));

      // Progress and attempts: ada completes the course (a certificate on the way), dee half of it.
      ok(call("PATCH", "/v1/content/state/update", ada, Map.of("contents", List.of(
          content(course, main, course + "_c1", 1, 40, Map.of("spentTime", 12))), "assessments", List.of(
          attempt(ada, course, main, "first", 1), attempt(ada, course, main, "second", 2)))));
      ok(call("PATCH", "/v1/content/state/update", ada, Map.of("contents", List.of(
          content(course, main, course + "_c1", 2, 100, null), content(course, main, course + "_a1", 2, 100, null)))));
      ok(call("PATCH", "/v1/content/state/update", dee, Map.of("contents", List.of(
          content(course, main, course + "_c1", 2, 100, Map.of("current", List.of(3, 4)))), "assessments", List.of(
          attempt(dee, course, main, "only", 0)))));
      // A template added later, issued on request.
      addTemplate(course, main, late, Map.of("enrollment", Map.of("status", 2)));
      ok(call("POST", "/v1/course/batch/cert/issue", CREATOR, Map.of("courseId", course, "batchId", main, "userIds", List.of(ada, dee))));

      // eve's enrolment is deleted in bulk (a tombstone, her progress gone), then she enrols again.
      ok(call("PATCH", "/v1/content/state/update", eve, Map.of("contents", List.of(content(course, main, course + "_c1", 1, 10, null)))));
      Reply deleted = call("POST", "/v1/enrollments/batch/delete", CREATOR, Map.of("enrollmentIds", List.of(main + ":" + eve + ":1")));
      ok(deleted);
      assertTrue(deleted.result().path("responses").path(0).path("successful").asBoolean(), deleted.toString());
      ok(enrol(eve, course, main));
      // gus is deleted and stays deleted.
      ok(enrol(gus, course, main));
      ok(call("POST", "/v1/enrollments/batch/delete", CREATOR, Map.of("enrollmentIds", List.of(main + ":" + gus + ":1"))));

      // One seat: ada takes it, hal waits, ada leaves, hal moves up; ivy waits.
      ok(enrol(ada, course, seats));
      ok(enrol(hal, course, seats));
      ok(call("POST", "/v1/course/unenroll", ada, Map.of("courseId", course, "batchId", seats)));
      ok(enrol(ivy, course, seats));

      // Invitations: two invited, one removed again, the other enrols.
      ok(call("POST", "/v1/course/batch/participants/add", CREATOR, Map.of("batchId", invited, "userIds", List.of(ben, cyd))));
      ok(call("POST", "/v1/course/batch/participants/remove", CREATOR, Map.of("batchId", invited, "userIds", List.of(cyd))));
      ok(enrol(ben, otherCourse, invited));

      // The upcoming batch's start passes; reading it records BatchStarted; then its end date moves.
      clock.advance(Duration.ofDays(2));
      assertEquals(1, read(upcoming).path("status").asInt());
      ok(call("PATCH", "/v1/course/batch/update", CREATOR, Map.of("id", upcoming, "courseId", course,
          "endDate", today().plusDays(60).toString())));
      return new Scenario(List.of(course, otherCourse), List.of(main, upcoming, seats, invited), learners);
    }

    Reply enrol(String user, String courseId, String batchId) {
      return call("POST", "/v1/course/enroll", user, Map.of("courseId", courseId, "batchId", batchId));
    }

    static Map<String, Object> content(String courseId, String batchId, String contentId, int status, int progress,
        Map<String, Object> details) {
      Map<String, Object> c = new HashMap<>(Map.of("courseId", courseId, "batchId", batchId, "contentId", contentId,
          "status", status, "progress", progress));
      if (details != null) {
        c.put("progressdetails", details);
      }
      return c;
    }

    private void addTemplate(String courseId, String batchId, String templateId, Map<String, Object> criteria) {
      ok(call("PATCH", "/v1/course/batch/cert/template/add", CREATOR, Map.of("batch", Map.of("courseId", courseId,
          "batchId", batchId, "template", Map.of("identifier", templateId, "criteria", criteria)))));
    }

    private static void ok(Reply r) {
      assertEquals(200, r.status(), r.toString());
    }

    /** What the read models answer: batch searches, each learner's enrolments, each batch's participants. */
    private Map<String, JsonNode> answers(Scenario s) {
      Map<String, JsonNode> out = new LinkedHashMap<>();
      for (String course : s.courses()) {
        Reply r = call("POST", "/v1/course/batch/search", STRANGER, Map.of("filters", Map.of("courseId", course)));
        ok(r);
        out.put("search " + course, r.result());
      }
      Reply byCreator = call("POST", "/v1/course/batch/search", STRANGER, Map.of("filters", Map.of("createdBy", CREATOR)));
      ok(byCreator);
      out.put("search by creator", byCreator.result());
      for (String learner : s.learners()) {
        Reply r = api.call("GET", "/v1/user/courses/list/" + learner, token(learner), null);
        ok(r);
        out.put("courses of " + learner, r.result());
      }
      for (String batch : s.batches()) {
        for (boolean active : List.of(true, false)) {
          Reply r = call("POST", "/v1/batch/participants/list", CREATOR, Map.of("batch", Map.of("batchId", batch, "active", active)));
          ok(r);
          out.put("participants of " + batch + (active ? "" : " (inactive)"), r.result());
        }
      }
      return out;
    }

    private static void assertScenarioCoversEveryDerivedTable(Map<String, TableSnapshot> derived) {
      derived.forEach((table, snapshot) -> assertTrue(snapshot.size() > 0, table + " is empty: the scenario misses it"));
      List<Object> participation = derived.get("enrollment").column("participation");
      for (String p : List.of("ACTIVE", "WAITLISTED", "INACTIVE", "DELETED", "NONE")) {
        assertTrue(participation.contains(p), "no " + p + " enrolment: " + participation);
      }
    }

    private static Map<String, TableSnapshot> snapshot(Database db, List<String> tables) throws SQLException {
      try (Connection c = db.dataSource().getConnection()) {
        return TableSnapshot.of(c, tables);
      }
    }

    /** The read models' stored offsets, without the instant they were stored at. */
    private static TableSnapshot offsets(Database db) throws SQLException {
      try (Connection c = db.dataSource().getConnection()) {
        return TableSnapshot.of(c, "akka_projection_offset_store", Set.of("last_updated"));
      }
    }

    private static long eventCount(Database db) throws SQLException {
      try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement();
           ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM event_journal")) {
        rs.next();
        return rs.getLong(1);
      }
    }

    /** Every read model's offset for every tag has reached the last event of that tag. */
    private static boolean caughtUp(Database db) {
      try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement()) {
        Map<String, Long> last = new HashMap<>();
        try (ResultSet rs = st.executeQuery("SELECT tag, MAX(event_id) FROM event_tag GROUP BY tag")) {
          while (rs.next()) {
            last.put(rs.getString(1), rs.getLong(2));
          }
        }
        Map<String, Long> stored = new HashMap<>();
        try (ResultSet rs = st.executeQuery("SELECT projection_name, projection_key, current_offset FROM akka_projection_offset_store")) {
          while (rs.next()) {
            stored.put(rs.getString(1) + "/" + rs.getString(2), Long.parseLong(rs.getString(3)));
          }
        }
        for (ReadModel<?> model : JournalReadModels.ALL) {
          for (String tag : model.tags()) {
            if (last.containsKey(tag) && stored.getOrDefault(model.name() + "/" + tag, -1L) < last.get(tag)) {
              return false;
            }
          }
        }
        return true;
      } catch (SQLException e) {
        throw new IllegalStateException(e);
      }
    }

    /**
     * Runs {@code course-batch-service audit ...} in this JVM on the node's database (its settings as
     * system properties, which AuditSession reads); returns what it printed on stdout.
     */
    private String audit(String... args) {
      return audit(0, args);
    }

    /** Runs {@code audit args} in this JVM on the node's database; answers stdout and stderr, asserting the exit status. */
    private String audit(int expectedExit, String... args) {
      Map<String, String> properties = new LinkedHashMap<>();
      var config = node.config();
      for (String key : List.of("course-batch.data-dir", "course-batch.db.url", "course-batch.db.user", "course-batch.db.password")) {
        properties.put(key, config.getString(key));
      }
      PrintStream stdout = System.out;
      PrintStream stderr = System.err;
      ByteArrayOutputStream captured = new ByteArrayOutputStream();
      properties.forEach(System::setProperty);
      com.typesafe.config.ConfigFactory.invalidateCaches();
      try {
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        List<String> command = new ArrayList<>(List.of("audit"));
        command.addAll(List.of(args));
        int exit = new CommandLine(new Main()).execute(command.toArray(String[]::new));
        String out = captured.toString(StandardCharsets.UTF_8);
        assertEquals(expectedExit, exit, out);
        return out;
      } finally {
        System.setOut(stdout);
        System.setErr(stderr);
        properties.keySet().forEach(System::clearProperty);
        com.typesafe.config.ConfigFactory.invalidateCaches();
        stdout.print(captured.toString(StandardCharsets.UTF_8));
      }
    }
  }
}
