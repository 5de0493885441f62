package org.coursebatch.node;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import com.typesafe.config.ConfigFactory;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.coursebatch.node.ApiClient.Reply;
import org.coursebatch.node.audit.ProgressLines;
import org.coursebatch.persistence.db.DatabaseSettings;
import org.coursebatch.persistence.testing.OnBothDatabases;
import org.coursebatch.persistence.testing.TestDatabase;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The journal as an audit trail, over HTTP and on the command line: a batch's and an enrolment's
 * history (every event in order, paged), their state at a past instant, who may read them, and
 * {@code audit history} / {@code audit export} printing the same.
 *
 * <p>Each test records the same story with the clock moved a minute between steps: the batch is
 * created ("First name"), renamed with a later end date, renamed again; a learner enrols,
 * unenrols, has the enrolment deleted and enrols again (incarnation 2). The node's clock runs a
 * day behind the real one, so every instant of the story is in the past for the command line too.
 * The batch is created for the organisation of its creator and the learner, so the creator has
 * authority to delete the learner's enrolment.
 */
@OnBothDatabases
class JournalHistoryApiTest {

  @Nested
  class Contract extends NodeApiContract {

    Contract(TestDatabase database) {
      super(database);
    }

    static final String AUDITOR = "auditor-1";
    static final String ORG_ADMIN = "history-org-admin";
    static final List<String> BATCH_EVENTS = List.of("BatchCreated", "BatchUpdated", "EndDateExtended", "BatchUpdated");
    static final List<String> LEARNER_EVENTS = List.of("Enrolled", "Unenrolled", "EnrollmentDeleted", "Enrolled");

    String courseId;
    String batchId;
    String learner;
    Instant created;
    Instant renamed;
    Instant renamedAgain;
    Instant enrolled;
    Instant left;
    Instant deleted;
    Instant enrolledAgain;
    String firstEndDate;
    String laterEndDate;

    @BeforeAll
    void runTheNodesClockADayBehind() {
      clock.set(Instant.now().minus(Duration.ofDays(1)));
    }

    @BeforeAll
    void placeTheCreator() {
      Directory.place(api, Directory.ORG, CREATOR);
    }

    @BeforeEach
    void story() {
      courseId = registerCourse(true);
      Map<String, Object> request = Directory.forOrg(ongoingBatch(courseId));
      request.put("name", "First name");
      firstEndDate = (String) request.get("endDate");
      laterEndDate = today().plusDays(40).toString();
      created = step();
      batchId = createBatch(request);
      renamed = step();
      updateBatch(Map.of("name", "Second name", "endDate", laterEndDate));
      renamedAgain = step();
      updateBatch(Map.of("name", "Third name"));

      learner = "learner-" + UUID.randomUUID().toString().substring(0, 8);
      Directory.place(api, Directory.ORG, learner);
      Map<String, Object> enrolment = Map.of("courseId", courseId, "batchId", batchId);
      enrolled = step();
      assertOk(call("POST", "/v1/course/enroll", learner, enrolment));
      left = step();
      assertOk(call("POST", "/v1/course/unenroll", learner, enrolment));
      deleted = step();
      Reply delete = call("POST", "/v1/enrollments/batch/delete", CREATOR, Map.of("enrollmentIds", List.of(enrollmentId(1))));
      assertTrue(delete.result().path("responses").path(0).path("successful").asBoolean(), delete.toString());
      enrolledAgain = step();
      assertOk(call("POST", "/v1/course/enroll", learner, enrolment));
      step();
    }

    /** Moves the clock on a minute and returns the instant the next step is recorded at. */
    Instant step() {
      clock.advance(Duration.ofMinutes(1));
      return clock.instant();
    }

    void updateBatch(Map<String, Object> changes) {
      Map<String, Object> request = new HashMap<>(changes);
      request.put("id", batchId);
      request.put("courseId", courseId);
      assertOk(call("PATCH", "/v1/course/batch/update", CREATOR, request));
    }

    static void assertOk(Reply r) {
      assertEquals(200, r.status(), r.toString());
    }

    String enrollmentId(int incarnation) {
      return batchId + ":" + learner + ":" + incarnation;
    }

    Reply batchHistory(String user, String query, String... roles) {
      return api.call("GET", "/v1/course/batch/" + batchId + "/history" + query, token(user, roles), null);
    }

    Reply enrollmentHistory(String id, String user, String query, String... roles) {
      return api.call("GET", "/v1/enrollments/" + id + "/history" + query, token(user, roles), null);
    }

    JsonNode history(Reply r) {
      assertEquals(200, r.status(), r.toString());
      assertEquals("success", r.body().path("params").path("status").asText(), r.toString());
      return r.result().path("history");
    }

    static String at(Instant instant) {
      return "?at=" + URLEncoder.encode(instant.toString(), StandardCharsets.UTF_8);
    }

    static List<String> field(JsonNode events, String name) {
      List<String> out = new ArrayList<>();
      events.forEach(e -> out.add(e.path(name).asText()));
      return out;
    }

    /** The {@code hash} of each stored entry of the journal, read from {@code event_journal} itself, in order. */
    List<String> storedHashes(String persistenceId) {
      List<String> hashes = new ArrayList<>();
      try (Connection c = node.node().database().dataSource().getConnection();
           PreparedStatement st = c.prepareStatement(
               "SELECT event_payload FROM event_journal WHERE persistence_id = ? ORDER BY sequence_number")) {
        st.setString(1, persistenceId);
        try (ResultSet rs = st.executeQuery()) {
          while (rs.next()) {
            String hash = ApiClient.JSON.readTree(rs.getBytes(1)).path("hash").asText("");
            assertFalse(hash.isEmpty(), "a chained entry of " + persistenceId);
            hashes.add(hash);
          }
        }
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
      return hashes;
    }

    // ---- history ----

    @Test
    void batchHistoryListsEveryEventInOrderWithItsNumberTypeInstantActorAndChange() {
      JsonNode history = history(batchHistory(CREATOR, ""));
      JsonNode events = history.path("events");
      assertEquals(BATCH_EVENTS, field(events, "type"));
      assertEquals(BATCH_EVENTS, JournalProbe.eventTypes(node.node(), batchId), "the journal itself");
      assertEquals(List.of("1", "2", "3", "4"), field(events, "sequenceNr"));
      assertEquals(List.of(created, renamed, renamed, renamedAgain).stream().map(Instant::toString).toList(), field(events, "at"));
      assertEquals(List.of(CREATOR, CREATOR, CREATOR, CREATOR), field(events, "actor"));
      assertEquals("CourseBatch|" + batchId, history.path("persistenceId").asText());
      assertEquals(batchId, history.path("batchId").asText());
      assertEquals(4, history.path("count").asInt());
      assertTrue(history.path("next").isNull(), history.toString());
      events.forEach(e -> assertEquals("CourseBatch|" + batchId, e.path("persistenceId").asText()));

      JsonNode creation = events.get(0).path("change");
      assertEquals("First name", creation.path("name").asText());
      assertEquals(courseId, creation.path("courseId").asText());
      assertEquals(firstEndDate, creation.path("endDate").asText());
      assertEquals("[\"" + MENTOR + "\"]", creation.path("mentors").toString());
      assertEquals("Second name", events.get(1).path("change").path("name").asText());
      assertEquals(firstEndDate, events.get(2).path("change").path("previousEndDate").asText());
      assertEquals(laterEndDate, events.get(2).path("change").path("endDate").asText());
      assertEquals("Third name", events.get(3).path("change").path("name").asText());
      for (JsonNode e : events) {
        for (String lifted : List.of("type", "actor", "at", "hash", "prevHash")) {
          assertFalse(e.path("change").has(lifted), lifted + " is the item's or the chain's, not the change's: " + e);
        }
      }
      assertEquals(storedHashes("CourseBatch|" + batchId), field(events, "hash"), "each entry's hash as the journal stores it");

      Reply gateway = api.call("GET", "/api/course/v1/batch/" + batchId + "/history", token(CREATOR), null);
      assertEquals(history, history(gateway), "the gateway path answers the same");
      assertEquals("api.course.batch.history", gateway.body().path("id").asText());
    }

    @Test
    void pagesJoinUpToTheWholeHistory() {
      JsonNode whole = history(batchHistory(AUDITOR, "", "AUDITOR")).path("events");
      JsonNode first = history(batchHistory(AUDITOR, "?limit=3", "AUDITOR"));
      assertEquals(3, first.path("events").size());
      assertEquals(4, first.path("next").asLong(), first.toString());
      JsonNode second = history(batchHistory(AUDITOR, "?limit=3&fromSequenceNr=" + first.path("next").asLong(), "AUDITOR"));
      assertEquals(1, second.path("events").size());
      assertTrue(second.path("next").isNull(), second.toString());
      List<JsonNode> joined = new ArrayList<>();
      first.path("events").forEach(joined::add);
      second.path("events").forEach(joined::add);
      List<JsonNode> all = new ArrayList<>();
      whole.forEach(all::add);
      assertEquals(all, joined);

      JsonNode exact = history(batchHistory(AUDITOR, "?limit=4", "AUDITOR"));
      assertEquals(4, exact.path("events").size());
      assertTrue(exact.path("next").isNull(), "a page that ends with the last entry has no next: " + exact);
      JsonNode past = history(batchHistory(AUDITOR, "?fromSequenceNr=99", "AUDITOR"));
      assertEquals(0, past.path("events").size());
      assertTrue(past.path("next").isNull(), past.toString());
    }

    @Test
    void enrolmentHistoryIsTheLearnersJournalWithEachIncarnationMarked() {
      JsonNode history = history(enrollmentHistory(enrollmentId(1), MENTOR, ""));
      JsonNode events = history.path("events");
      assertEquals(LEARNER_EVENTS, field(events, "type"));
      assertEquals(JournalProbe.enrollmentEventTypes(node.node(), batchId, learner), LEARNER_EVENTS);
      assertEquals(List.of("1", "1", "1", "2"), field(events, "incarnation"));
      assertEquals(List.of(learner, learner, CREATOR, learner), field(events, "actor"));
      assertEquals(List.of(enrolled, left, deleted, enrolledAgain).stream().map(Instant::toString).toList(), field(events, "at"));
      assertEquals(1, events.get(2).path("change").path("incarnation").asInt(), "the deletion names the enrolment it deleted");
      assertEquals(storedHashes("Enrollment|" + batchId + ":" + learner), field(events, "hash"));
      assertEquals(enrollmentId(1), history.path("enrollmentId").asText());
      assertEquals("Enrollment|" + batchId + ":" + learner, history.path("persistenceId").asText());

      JsonNode second = history(enrollmentHistory(enrollmentId(2), AUDITOR, "", "AUDITOR"));
      assertEquals(events, second.path("events"), "every incarnation's id reads the learner's whole journal");
      JsonNode page = history(enrollmentHistory(enrollmentId(2), AUDITOR, "?fromSequenceNr=2&limit=2", "AUDITOR"));
      assertEquals(List.of("2", "3"), field(page.path("events"), "sequenceNr"));
      assertEquals(List.of("1", "1"), field(page.path("events"), "incarnation"), "a later page still knows its incarnation");
      assertEquals(4, page.path("next").asLong());

      String alias = "sis-" + UUID.randomUUID().toString().substring(0, 8);
      assertOk(call("POST", "/v1/enrollments/batch/aliases", CREATOR,
          Map.of("aliases", List.of(Map.of("enrollmentId", enrollmentId(2), "aliasId", alias)))));
      assertEquals(events, history(enrollmentHistory(alias, CREATOR, "")).path("events"), "an alias reads the same");
    }

    // ---- the state at an instant ----

    @Test
    void aBatchAtAnInstantIsAsItWasThen() {
      JsonNode atCreation = stateAt(created);
      assertEquals("First name", atCreation.path("name").asText());
      assertEquals(firstEndDate, atCreation.path("endDate").asText());
      assertTrue(atCreation.path("updatedBy").isNull(), atCreation.toString());

      JsonNode between = stateAt(renamed.plusSeconds(30));
      assertEquals("Second name", between.path("name").asText());
      assertEquals(laterEndDate, between.path("endDate").asText());
      assertEquals(CREATOR, between.path("updatedBy").asText());
      assertEquals(stateAt(renamed), between, "an event recorded at the very instant counts");
      assertEquals("First name", stateAt(renamed.minusNanos(1)).path("name").asText());

      Instant now = clock.instant();
      JsonNode read = read(batchId);
      Reply atNow = batchHistory(CREATOR, at(now));
      assertEquals(read, atNow.result().path("response"), "at now is the current read");
      assertEquals(now.toString(), atNow.result().path("at").asText());
      assertEquals("Third name", read.path("name").asText());
      assertEquals(read, api.call("GET", "/api/course/v1/batch/" + batchId + "/history" + at(now), token(MENTOR), null)
          .result().path("response"));

      assertError(batchHistory(CREATOR, at(created.minusNanos(1))), 404, "BATCH_NOT_FOUND");
    }

    JsonNode stateAt(Instant instant) {
      Reply r = batchHistory(AUDITOR, at(instant), "AUDITOR");
      assertEquals(200, r.status(), r.toString());
      assertEquals(instant.toString(), r.result().path("at").asText());
      return r.result().path("response");
    }

    @Test
    void anEnrolmentAtAnInstantIsAsItWasThenAndOnlyWhileItExisted() {
      JsonNode active = enrollmentAt(enrollmentId(1), enrolled);
      assertEquals("ACTIVE", active.path("participation").asText());
      assertEquals(enrollmentId(1), active.path("enrollmentId").asText());
      assertEquals("INACTIVE", enrollmentAt(enrollmentId(1), left.plusSeconds(1)).path("participation").asText());

      assertError(enrollmentHistory(enrollmentId(1), CREATOR, at(enrolled.minusNanos(1))), 404, "NOT_FOUND");
      assertError(enrollmentHistory(enrollmentId(1), CREATOR, at(deleted)), 404, "NOT_FOUND");
      assertError(enrollmentHistory(enrollmentId(2), CREATOR, at(deleted)), 404, "NOT_FOUND");
      assertError(enrollmentHistory(enrollmentId(2), CREATOR, at(enrolled)), 404, "NOT_FOUND"); // incarnation 1 was in effect
      assertError(enrollmentHistory(enrollmentId(1), CREATOR, at(enrolledAgain)), 404, "NOT_FOUND"); // and now 2 is

      Instant now = clock.instant();
      Reply current = call("GET", "/v1/enrollments/" + enrollmentId(2), CREATOR, null);
      assertOk(current);
      JsonNode atNow = enrollmentAt(enrollmentId(2), now);
      assertEquals(current.result().path("enrollment"), atNow, "at now is the current read");
      assertEquals("ACTIVE", atNow.path("participation").asText());
    }

    JsonNode enrollmentAt(String id, Instant instant) {
      Reply r = enrollmentHistory(id, MENTOR, at(instant));
      assertEquals(200, r.status(), r.toString());
      return r.result().path("enrollment");
    }

    // ---- who may read, and what is refused ----

    @Test
    void onlyAuditorsAndTheBatchsCreatorAndMentorsReadTheJournal() {
      for (Reply ok : List.of(batchHistory(CREATOR, ""), batchHistory(MENTOR, ""), batchHistory(AUDITOR, "", "AUDITOR"),
          batchHistory(AUDITOR, at(renamed), "auditor"), enrollmentHistory(enrollmentId(1), CREATOR, ""),
          enrollmentHistory(enrollmentId(2), AUDITOR, at(enrolledAgain), "AUDITOR"))) {
        assertOk(ok);
      }
      for (Reply denied : List.of(batchHistory(STRANGER, ""), batchHistory(learner, ""), batchHistory(STRANGER, at(renamed)),
          batchHistory(ORG_ADMIN, "", "ORG_ADMIN", "SYSTEM_ADMINISTRATION"),
          enrollmentHistory(enrollmentId(2), learner, ""), enrollmentHistory(enrollmentId(2), STRANGER, at(enrolledAgain)),
          enrollmentHistory(batchId + ":nobody:1", STRANGER, ""))) {
        assertError(denied, 403, "FORBIDDEN");
      }
    }

    @Test
    void unknownBatchesAndEnrolmentsAreNotFound() {
      assertError(api.call("GET", "/v1/course/batch/0199999999999999/history", token(AUDITOR, "AUDITOR"), null),
          404, "BATCH_NOT_FOUND");
      assertError(api.call("GET", "/v1/course/batch/0199999999999999/history" + at(created), token(AUDITOR, "AUDITOR"), null),
          404, "BATCH_NOT_FOUND");
      for (String unknown : List.of(enrollmentId(3), batchId + ":nobody:1", "0199999999999999:" + learner + ":1", "no-such-alias")) {
        assertError(enrollmentHistory(unknown, AUDITOR, "", "AUDITOR"), 404, "NOT_FOUND");
      }
      assertError(enrollmentHistory(batchId + ":nobody:1", AUDITOR, at(created), "AUDITOR"), 404, "NOT_FOUND");
    }

    @Test
    void badParametersAreRefusedAndChangeNothing() {
      int batchEvents = JournalProbe.eventTypes(node.node(), batchId).size();
      Map<String, String> refused = Map.of(
          "?at=yesterday", "DATE_FORMAT_ERRROR",
          "?at=2024-13-01T00:00:00Z", "DATE_FORMAT_ERRROR",
          at(clock.instant().plusSeconds(60)), "INVALID_PARAMETER_VALUE",
          "?limit=0", "INVALID_PARAMETER_VALUE",
          "?limit=1001", "INVALID_PARAMETER_VALUE",
          "?limit=ten", "INVALID_PARAMETER_VALUE",
          "?fromSequenceNr=0", "INVALID_PARAMETER_VALUE",
          "?fromSequenceNr=-3", "INVALID_PARAMETER_VALUE");
      refused.forEach((query, err) -> {
        Reply r = batchHistory(CREATOR, query);
        assertError(r, 400, err);
        assertTrue(r.errmsg().contains(query.startsWith("?at") ? "at" : query.substring(1, query.indexOf('='))), r.toString());
        assertError(enrollmentHistory(enrollmentId(2), CREATOR, query), 400, err);
      });
      assertTrue(batchHistory(CREATOR, "?at=nonsense").errmsg().contains("ISO-8601"));
      assertEquals(batchEvents, JournalProbe.eventTypes(node.node(), batchId).size(), "nothing was recorded");
      assertEquals(LEARNER_EVENTS, JournalProbe.enrollmentEventTypes(node.node(), batchId, learner));
    }

    // ---- the command line ----

    record Run(int exit, String out, String err) {}

    /** {@code course-batch-service audit ...} in this JVM, on this node's database (as BATCH_DB_URL etc. would set it). */
    Run audit(String... args) {
      DatabaseSettings db = node.node().settings().database();
      Map<String, String> settings = Map.of("course-batch.db.url", db.url(), "course-batch.db.user", db.user(),
          "course-batch.db.password", db.password());
      settings.forEach(System::setProperty);
      ConfigFactory.invalidateCaches();
      try {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = new CommandLine(new Main()).setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true))
            .execute(Stream.concat(Stream.of("audit"), Stream.of(args)).toArray(String[]::new));
        return new Run(exit, out.toString(), err.toString());
      } finally {
        settings.keySet().forEach(System::clearProperty);
        ConfigFactory.invalidateCaches();
      }
    }

    JsonNode printed(Run run) throws Exception {
      assertEquals(0, run.exit(), run.toString());
      return ApiClient.JSON.readTree(run.out());
    }

    @Test
    void auditHistoryPrintsWhatTheRoutesAnswer() throws Exception {
      assertEquals(batchHistory(CREATOR, "").result(), printed(audit("history", "--batch", batchId)));
      assertEquals(batchHistory(CREATOR, "?fromSequenceNr=2&limit=2").result(),
          printed(audit("history", "--batch", batchId, "--from", "2", "--limit", "2")));
      assertEquals(batchHistory(CREATOR, at(renamed)).result(), printed(audit("history", "--batch", batchId, "--at", renamed.toString())));
      assertEquals(enrollmentHistory(enrollmentId(1), CREATOR, "").result(),
          printed(audit("history", "--enrollment", enrollmentId(1))));
      assertEquals(enrollmentHistory(enrollmentId(2), CREATOR, at(enrolledAgain)).result(),
          printed(audit("history", "--enrollment", enrollmentId(2), "--at", enrolledAgain.toString())));

      Run unknown = audit("history", "--batch", "0199999999999999");
      assertEquals(1, unknown.exit(), unknown.toString());
      assertTrue(unknown.err().contains("Batch 0199999999999999 does not exist."), unknown.toString());
      Run before = audit("history", "--batch", batchId, "--at", created.minusSeconds(1).toString());
      assertEquals(1, before.exit(), before.toString());
      assertTrue(before.err().contains("did not exist at"), before.toString());
      Run badAt = audit("history", "--batch", batchId, "--at", "yesterday");
      assertEquals(1, badAt.exit(), badAt.toString());
      assertTrue(badAt.err().contains("ISO-8601"), badAt.toString());
      assertEquals(2, audit("history", "--batch", batchId, "--enrollment", enrollmentId(1)).exit(), "one of the two");
    }

    @Test
    void auditExportWritesTheBatchsAndItsEnrolmentsJournalsAsJsonLinesAndCsv() throws Exception {
      String other = "learner-" + UUID.randomUUID().toString().substring(0, 8);
      assertOk(call("POST", "/v1/course/enroll", other, Map.of("courseId", courseId, "batchId", batchId)));
      List<JsonNode> expected = new ArrayList<>();
      history(batchHistory(CREATOR, "")).path("events").forEach(expected::add);
      List<String> learners = Stream.of(learner, other).sorted().toList();
      for (String user : learners) {
        history(enrollmentHistory(batchId + ":" + user + ":" + (user.equals(learner) ? 2 : 1), CREATOR, "")).path("events")
            .forEach(expected::add);
      }

      Path dir = Files.createTempDirectory("audit-export");
      Path jsonl = dir.resolve("journal.jsonl");
      Run run = audit("export", "--batch", batchId, "--format", "jsonl", "--with-enrollments", "--out", jsonl.toString());
      assertEquals(0, run.exit(), run.toString());
      assertEquals("", run.out(), "the file has the export");
      ProgressLines.assertAllDone(run.err(), "audit export", expected.size(), "journal entries");
      List<JsonNode> lines = new ArrayList<>();
      for (String line : Files.readAllLines(jsonl)) {
        lines.add(ApiClient.JSON.readTree(line));
      }
      assertEquals(expected, lines);

      Run batchOnly = audit("export", "--batch", batchId, "--format", "jsonl");
      assertEquals(0, batchOnly.exit(), batchOnly.toString());
      assertEquals(BATCH_EVENTS.size(), batchOnly.out().lines().count(), batchOnly.out());
      ProgressLines.assertAllDone(batchOnly.err(), "audit export", BATCH_EVENTS.size(), "journal entries");
      assertEquals(expected.get(0), ApiClient.JSON.readTree(batchOnly.out().lines().findFirst().orElseThrow()));

      Path csv = dir.resolve("journal.csv");
      assertEquals(0, audit("export", "--batch", batchId, "--format", "csv", "--with-enrollments", "--out", csv.toString()).exit());
      List<Map<String, String>> rows = new ArrayList<>();
      try (MappingIterator<Map<String, String>> it = new CsvMapper().readerForMapOf(String.class)
          .with(CsvSchema.emptySchema().withHeader()).readValues(csv.toFile())) {
        it.forEachRemaining(rows::add);
      }
      assertEquals("persistenceId,sequenceNr,type,at,actor,hash,change", Files.readAllLines(csv).get(0));
      assertEquals(expected.size(), rows.size());
      for (int i = 0; i < rows.size(); i++) {
        JsonNode item = expected.get(i);
        Map<String, String> row = rows.get(i);
        assertEquals(item.path("persistenceId").asText(), row.get("persistenceId"));
        assertEquals(item.path("sequenceNr").asText(), row.get("sequenceNr"));
        assertEquals(item.path("type").asText(), row.get("type"));
        assertEquals(item.path("at").asText(), row.get("at"));
        assertEquals(item.path("actor").asText(), row.get("actor"));
        assertEquals(item.path("hash").asText(""), row.get("hash"));
        assertEquals(item.path("change"), ApiClient.JSON.readTree(row.get("change")));
      }

      Run unknown = audit("export", "--batch", "0199999999999999", "--format", "csv");
      assertEquals(1, unknown.exit(), unknown.toString());
      assertTrue(unknown.err().contains("does not exist"), unknown.toString());
      assertEquals("", unknown.out());
    }
  }
}
