package org.coursebatch.persistence.enrollment;

import static org.coursebatch.persistence.testing.Eventually.await;
import static org.junit.jupiter.api.Assertions.*;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.persistence.query.Offset;
import akka.projection.eventsourced.EventEnvelope;
import akka.stream.javadsl.Sink;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.coursebatch.core.batch.BatchEvent.BatchCreated;
import org.coursebatch.core.batch.BatchStatus;
import org.coursebatch.core.batch.EnrollmentType;
import org.coursebatch.core.enrollment.ContentState;
import org.coursebatch.core.enrollment.EnrollmentEvent;
import org.coursebatch.core.enrollment.EnrollmentEvent.*;
import org.coursebatch.core.enrollment.EnrollmentId;
import org.coursebatch.core.enrollment.EnrollmentRecord;
import org.coursebatch.core.enrollment.EnrollmentSelection;
import org.coursebatch.core.enrollment.IssuedCertificate;
import org.coursebatch.core.enrollment.Participation;
import org.coursebatch.core.enrollment.QuestionResponse;
import org.coursebatch.persistence.batch.BatchReadModelHandler;
import org.coursebatch.persistence.db.Database;
import org.coursebatch.persistence.db.DatabaseSettings;
import org.coursebatch.persistence.db.JsonDocuments;
import org.coursebatch.persistence.testing.OnBothDatabases;
import org.coursebatch.persistence.testing.ReadModels;
import org.coursebatch.persistence.testing.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The enrolment read-model handler fed with events directly, then queried through JdbcEnrollmentQueries. */
@OnBothDatabases
class EnrollmentReadModelTest {

  static final Instant T0 = Instant.parse("2030-01-10T10:00:00Z");
  static final String COURSE = "do_c1";

  /** Set by Contract.open, from the actor system of the run under way. */
  static ObjectMapper mapper;

  static Instant t(int seconds) {
    return T0.plusSeconds(seconds);
  }

  static JsonNode json(String text) throws Exception {
    return mapper.readTree(text);
  }

  static Enrolled enrolled(String batch, String user, int at) {
    return new Enrolled(batch, user, COURSE, false, user, t(at));
  }

  static EnrollmentId id(String batch, String user, int incarnation) {
    return new EnrollmentId(batch, user, incarnation);
  }

  static EnrollmentSelection selection(String batchId, String userId, String administeredBy, String organisation,
      Instant ineffectiveAt) {
    return new EnrollmentSelection(batchId, userId, administeredBy, organisation, ineffectiveAt);
  }

  /** A batch of the batch read model (for the selections by administrator and by end); {@code end}: its last day, UTC. */
  static BatchCreated batch(String batchId, String createdBy, String end, List<String> mentors, List<String> orgs) {
    return new BatchCreated(batchId, COURSE, "Batch " + batchId, null, null, EnrollmentType.OPEN,
        LocalDate.parse("2030-01-01"), end == null ? null : LocalDate.parse(end), null, "UTC", orgs, mentors,
        BatchStatus.IN_PROGRESS, createdBy, T0);
  }

  static ContentState content(String id, int status, int progress, int views, Instant accessed, Instant completed,
      JsonNode details) {
    return new ContentState(id, status, progress, views, status == ContentState.COMPLETED ? 1 : 0, accessed, completed,
        details);
  }

  @Nested
  @TestInstance(TestInstance.Lifecycle.PER_CLASS)
  class Contract {
    DatabaseSettings settings;
    Database db;
    ActorTestKit testKit;
    JdbcEnrollmentQueries queries;
    EnrollmentReadModelHandler handler;
    long offset;

    @BeforeAll
    void open(TestDatabase database, ActorTestKit testKit) {
      this.testKit = testKit;
      mapper = JsonDocuments.mapper(testKit.system());
      settings = database.fresh();
      db = Database.open(settings);
      db.migrate();
      queries = new JdbcEnrollmentQueries(testKit.system(), db);
      handler = new EnrollmentReadModelHandler(mapper, settings.vendor());
    }

    @AfterAll
    void close() {
      db.close();
    }

    @BeforeEach
    void clear() throws Exception {
      try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement()) {
        for (String table : List.of("enrollment", "content_state", "assessment_attempt", "enrollment_certificate",
            "course_batch_mentor", "course_batch_org", "course_batch")) {
          st.executeUpdate("DELETE FROM " + table);
        }
      }
    }

    /** Runs each event through the handler in its own committed transaction, as the projection does. */
    void feed(EnrollmentEvent... events) throws Exception {
      feed(List.of(events));
    }

    void feed(List<EnrollmentEvent> events) throws Exception {
      for (EnrollmentEvent e : events) {
        offset++;
        ReadModels.process(db, handler, EventEnvelope.create(Offset.sequence(offset),
            "Enrollment|" + e.batchId() + ":" + e.userId(), offset, e, e.at().toEpochMilli()));
      }
    }

    void feedAsOneGroup(List<EnrollmentEvent> events) throws Exception {
      List<EventEnvelope<EnrollmentEvent>> group = new java.util.ArrayList<>();
      for (EnrollmentEvent e : events) {
        offset++;
        group.add(EventEnvelope.create(Offset.sequence(offset), "Enrollment|" + e.batchId() + ":" + e.userId(), offset, e,
            e.at().toEpochMilli()));
      }
      ReadModels.processGroup(db, handler, group);
    }

    /** Every row of the read model's tables, as text, in key order. */
    Map<String, List<List<String>>> allRows() throws Exception {
      Map<String, String> tables = Map.of(
          "enrollment", "batch_id, user_id",
          "content_state", "batch_id, user_id, content_id",
          "assessment_attempt", "batch_id, user_id, content_id, attempt_id",
          "enrollment_certificate", "certificate_id");
      Map<String, List<List<String>>> all = new LinkedHashMap<>();
      try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement()) {
        for (var table : tables.entrySet()) {
          List<List<String>> rows = new ArrayList<>();
          try (ResultSet rs = st.executeQuery("SELECT * FROM " + table.getKey() + " ORDER BY " + table.getValue())) {
            ResultSetMetaData meta = rs.getMetaData();
            while (rs.next()) {
              List<String> row = new ArrayList<>();
              for (int i = 1; i <= meta.getColumnCount(); i++) {
                row.add(meta.getColumnLabel(i).toLowerCase() + "=" + rs.getString(i));
              }
              rows.add(row);
            }
          }
          all.put(table.getKey(), rows);
        }
      }
      return all;
    }

    EnrollmentRecord only(String userId) throws Exception {
      List<EnrollmentRecord> records = await(queries.enrollmentsOf(userId));
      assertEquals(1, records.size(), records.toString());
      return records.get(0);
    }

    List<EnrollmentId> ids(EnrollmentSelection selection) throws Exception {
      return ids(queries, selection);
    }

    List<EnrollmentId> ids(JdbcEnrollmentQueries from, EnrollmentSelection selection) throws Exception {
      return await(from.enrollmentIds(selection).runWith(Sink.seq(), testKit.system()));
    }

    /** The enrolment row's columns but the keys and updated_at, as text (invited as true/false). */
    List<String> row(String batchId, String userId) throws Exception {
      String sql = "SELECT participation, incarnation, course_id, invited, enrolled_date, added_by, waitlist_ticket,"
          + " progress, completion_percentage, status, completed_on, last_read_content_id, last_read_content_status,"
          + " last_content_access_time, left_on FROM enrollment WHERE batch_id = ? AND user_id = ?";
      try (Connection c = db.dataSource().getConnection(); var ps = c.prepareStatement(sql)) {
        ps.setString(1, batchId);
        ps.setString(2, userId);
        try (ResultSet rs = ps.executeQuery()) {
          assertTrue(rs.next(), batchId + ":" + userId);
          List<String> row = new ArrayList<>();
          for (int i = 1; i <= 15; i++) {
            row.add(i == 4 ? String.valueOf(rs.getBoolean(i)) : rs.getString(i));
          }
          return row;
        }
      }
    }

    long rowsOf(String table, String batchId, String userId) throws Exception {
      try (Connection c = db.dataSource().getConnection();
           var ps = c.prepareStatement("SELECT COUNT(*) FROM " + table + " WHERE batch_id = ? AND user_id = ?")) {
        ps.setString(1, batchId);
        ps.setString(2, userId);
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          return rs.getLong(1);
        }
      }
    }

    Map<Participation, Long> counts(long none, long active, long waitlisted, long inactive) {
      return Map.of(Participation.NONE, none, Participation.ACTIVE, active, Participation.WAITLISTED, waitlisted,
          Participation.INACTIVE, inactive);
    }

    @Test
    void aFirstEnrolmentWritesTheRowThatAdmittingARowWouldHave() throws Exception {
      // u1 has no row: one statement writes it; u2's row exists (invited, then removed): it is admitted.
      feed(enrolled("B1", "u1", 5));
      feed(new ParticipantInvited("B1", "u2", COURSE, "u2", t(5)), new ParticipantRemoved("B1", "u2", "u2", t(5)),
          new Enrolled("B1", "u2", COURSE, false, "u1", t(5)));
      List<List<String>> rows = allRows().get("enrollment");
      assertEquals(2, rows.size(), rows.toString());
      List<String> first = rows.get(0).stream().filter(c -> !c.startsWith("user_id=")).toList();
      List<String> admitted = rows.get(1).stream().filter(c -> !c.startsWith("user_id=")).toList();
      assertEquals(admitted, first);
      assertTrue(first.contains("incarnation=1") && first.contains("participation=ACTIVE"), first.toString());
    }

    @Test
    void enrolUnenrolAndEnrolAgain() throws Exception {
      feed(enrolled("B1", "u1", 0));
      EnrollmentRecord first = only("u1");
      assertEquals(new EnrollmentRecord("B1", "u1", COURSE, Participation.ACTIVE, false, t(0), "u1", 0, 0, 0, null, null,
          null, null, null, List.of(), t(0)), first);
      assertEquals(List.of("u1"), await(queries.participants("B1", true)));
      assertEquals(List.of(), await(queries.participants("B1", false)));

      feed(new Unenrolled("B1", "u1", "u1", t(10)));
      assertEquals(List.of(), await(queries.enrollmentsOf("u1")));
      assertEquals(List.of(), await(queries.participants("B1", true)));
      assertEquals(List.of("u1"), await(queries.participants("B1", false)));
      assertEquals(counts(0, 0, 0, 1), await(queries.countByParticipation("B1")));

      feed(new Enrolled("B1", "u1", COURSE, false, "admin-1", t(20)));
      EnrollmentRecord again = only("u1");
      assertEquals(Participation.ACTIVE, again.participation());
      assertEquals(t(20), again.enrolledDate());
      assertEquals("admin-1", again.addedBy());
      assertEquals(t(20), again.updatedAt());
      assertEquals(List.of(), await(queries.participants("B1", false)));
    }

    @Test
    void anInvitationComesBeforeTheEnrolment() throws Exception {
      feed(new ParticipantInvited("B1", "u1", COURSE, "creator-1", t(0)));
      // Invited only: a participant of the batch's list, not an enrolment of the learner's.
      assertEquals(List.of(), await(queries.enrollmentsOf("u1")));
      assertEquals(List.of(), await(queries.participants("B1", true)));
      assertEquals(counts(1, 0, 0, 0), await(queries.countByParticipation("B1")));

      feed(enrolled("B1", "u1", 5));
      EnrollmentRecord record = only("u1");
      assertTrue(record.invited());
      assertEquals(Participation.ACTIVE, record.participation());
      assertEquals(COURSE, record.courseId());

      feed(new ParticipantRemoved("B1", "u1", "creator-1", t(9)), new Unenrolled("B1", "u1", "creator-1", t(9)));
      assertEquals(List.of("u1"), await(queries.participants("B1", false)));
      feed(enrolled("B1", "u1", 12));
      assertFalse(only("u1").invited());
    }

    @Test
    void waitlistPositionsFollowTheTickets() throws Exception {
      feed(enrolled("B1", "u1", 0),
          new Waitlisted("B1", "u2", COURSE, 7, "u2", t(1)),
          new Waitlisted("B1", "u3", COURSE, 8, "u3", t(2)),
          new Waitlisted("B1", "u4", COURSE, 9, "admin-1", t(3)),
          // another batch's waitlist does not count
          new Waitlisted("B2", "u3", COURSE, 1, "u3", t(4)));
      assertEquals(1, only("u2").waitlistPosition());
      assertEquals(3, only("u4").waitlistPosition());
      assertEquals("admin-1", only("u4").addedBy());
      assertNull(only("u4").enrolledDate());
      assertNull(only("u1").waitlistPosition());
      assertEquals(2, position("u3", "B1"));
      assertEquals(1, position("u3", "B2"));
      assertEquals(counts(0, 1, 3, 0), await(queries.countByParticipation("B1")));

      feed(new Unenrolled("B1", "u1", "u1", t(10)), new PromotedFromWaitlist("B1", "u2", "system", t(11)));
      EnrollmentRecord promoted = only("u2");
      assertEquals(Participation.ACTIVE, promoted.participation());
      assertEquals(t(11), promoted.enrolledDate());
      assertNull(promoted.waitlistPosition());
      assertEquals(2, only("u4").waitlistPosition());
      assertEquals(1, position("u3", "B1"));

      // Leaving the waitlist moves the others up; the batch taking back the place changes nothing here.
      feed(new Unenrolled("B1", "u3", "u3", t(20)));
      var before = allRows();
      feed(new SeatReturned("B1", "u3", "system", t(21)), new SeatReturned("B1", "u1", "system", t(22)));
      assertEquals(before, allRows());
      assertEquals(1, only("u4").waitlistPosition());
      assertEquals(List.of("u2"), await(queries.participants("B1", true)));
      assertEquals(List.of("u1", "u3"), await(queries.participants("B1", false)));
      assertEquals(counts(0, 1, 1, 2), await(queries.countByParticipation("B1")));
    }

    Integer position(String userId, String batchId) throws Exception {
      return await(queries.enrollmentsOf(userId)).stream().filter(r -> r.batchId().equals(batchId)).findFirst()
          .orElseThrow().waitlistPosition();
    }

    @Test
    void contentProgressIsMergedAndTheLastContentIsTheLastRead() throws Exception {
      JsonNode details = json("{\"stageId\": \"s2\", \"max\": [1, 2]}");
      ContentState leaf1 = content("leaf1", 2, 100, 1, t(100), t(100), null);
      ContentState leaf2 = content("leaf2", 1, 40, 1, t(101), null, details);
      feed(enrolled("B1", "u1", 0), new ContentProgressRecorded("B1", "u1", COURSE, List.of(leaf1, leaf2), 1, 50, "u1",
          t(102)));
      EnrollmentRecord record = only("u1");
      assertEquals(1, record.status());
      assertEquals(1, record.progress());
      assertEquals(50, record.completionPercentage());
      assertEquals("leaf2", record.lastReadContentId());
      assertEquals(1, record.lastReadContentStatus());
      assertEquals(t(101), record.lastContentAccessTime());
      assertEquals(List.of(leaf1, leaf2), await(queries.contentStates("B1", "u1")));

      // leaf2 reported again, as merged by the entity; no access time sent: the event's instant counts.
      ContentState leaf2Done = new ContentState("leaf2", 2, 100, 2, 1, null, t(200), details);
      feed(new ContentProgressRecorded("B1", "u1", COURSE, List.of(leaf2Done), 2, 100, "u1", t(201)),
          new EnrollmentCompleted("B1", "u1", COURSE, "u1", t(201)));
      record = only("u1");
      assertEquals(2, record.status());
      assertEquals(t(201), record.completedOn());
      assertEquals(2, record.progress());
      assertEquals(100, record.completionPercentage());
      assertEquals("leaf2", record.lastReadContentId());
      assertEquals(2, record.lastReadContentStatus());
      assertEquals(t(201), record.lastContentAccessTime());
      assertEquals(List.of(leaf1, leaf2Done), await(queries.contentStates("B1", "u1")));

      // Reported after completion: still completed. No details read back from the journal: a NullNode, stored as none.
      ContentState leaf1Again = content("leaf1", 2, 100, 2, t(300), t(100), NullNode.getInstance());
      feed(new ContentProgressRecorded("B1", "u1", COURSE, List.of(leaf1Again), 2, 100, "u1", t(301)));
      assertEquals(2, only("u1").status());
      assertEquals("leaf1", only("u1").lastReadContentId());
      assertEquals(List.of(content("leaf1", 2, 100, 2, t(300), t(100), null), leaf2Done),
          await(queries.contentStates("B1", "u1")));
      assertEquals(List.of(), await(queries.contentStates("B1", "u2")));
    }

    @Test
    void attemptsKeepEveryResponse() throws Exception {
      QuestionResponse q1 = new QuestionResponse("q1", "mcq", "2 + 2?", 1, 1,
          json("[{\"value\": {\"body\": \"4\", \"value\": 0}, \"answer\": true}, {\"value\": {\"body\": \"5\"}}]"),
          json("[0]"), 3.5);
      QuestionResponse q2 = new QuestionResponse("q2", "ftb", "Capital of France", 0, 2, null,
          json("[\"Lyon\"]"), null);
      QuestionResponse q3 = new QuestionResponse("q3", "sa", "Why?", 0.5, 1, NullNode.getInstance(), json("\"because\""),
          12.0);
      feed(enrolled("B1", "u1", 0),
          new AssessmentAttempted("B1", "u1", COURSE, "assess1", "a1", t(50), 1, 3, List.of(q1, q2), "u1", t(60)),
          new AssessmentAttempted("B1", "u1", COURSE, "assess1", "a0", t(40), 0.5, 1, List.of(q3), "u1", t(61)),
          new AssessmentAttempted("B1", "u2", COURSE, "assess1", "a1", t(40), 0, 0, List.of(), "u2", t(62)));
      assertEquals(List.of(
              new RecordedAttempt("assess1", "a0", t(40), 0.5, 1, List.of(q3)),
              new RecordedAttempt("assess1", "a1", t(50), 1, 3, List.of(q1, q2))),
          await(queries.attempts("B1", "u1")));
      assertEquals(List.of(new RecordedAttempt("assess1", "a1", t(40), 0, 0, List.of())), await(queries.attempts("B1", "u2")));
      assertEquals(t(61), only("u1").updatedAt());

      // Seen again (a replay): one row still.
      feed(new AssessmentAttempted("B1", "u1", COURSE, "assess1", "a1", t(50), 1, 3, List.of(q1, q2), "u1", t(60)));
      assertEquals(2, await(queries.attempts("B1", "u1")).size());
    }

    @Test
    void enrolmentsListTheirOwnCertificatesMostRecentlyAccessedFirst() throws Exception {
      feed(enrolled("B1", "u1", 0), enrolled("B2", "u1", 10), enrolled("B3", "u1", 20), enrolled("B1", "u2", 5),
          new Waitlisted("B4", "u1", COURSE, 1, "u1", t(30)),
          new ContentProgressRecorded("B1", "u1", COURSE, List.of(content("leaf1", 1, 10, 1, t(40), null, null)), 0, 0,
              "u1", t(40)),
          new CertificateIssued("B1", "u1", COURSE, "tpl_1", "cert-1", false, "u1", t(50)),
          new CertificateIssued("B1", "u2", COURSE, "tpl_1", "cert-2", false, "u2", t(51)),
          new CertificateIssued("B2", "u1", COURSE, "tpl_9", "cert-3", false, "u1", t(52)),
          new CertificateIssued("B1", "u1", COURSE, "tpl_1", "cert-4", true, "admin-1", t(53)));
      List<EnrollmentRecord> records = await(queries.enrollmentsOf("u1"));
      // B1 was accessed; the others by enrolment, newest first (B4 waits, not enrolled yet).
      assertEquals(List.of("B1", "B3", "B2", "B4"), records.stream().map(EnrollmentRecord::batchId).toList());
      assertEquals(List.of(new IssuedCertificate("cert-1", "tpl_1", t(50), false),
          new IssuedCertificate("cert-4", "tpl_1", t(53), true)), records.get(0).certificates());
      assertEquals(List.of(), records.get(1).certificates());
      assertEquals(List.of(new IssuedCertificate("cert-3", "tpl_9", t(52), false)), records.get(2).certificates());
      assertEquals(1, records.get(3).waitlistPosition());
      assertEquals(List.of(new IssuedCertificate("cert-2", "tpl_1", t(51), false)), only("u2").certificates());
      assertEquals(List.of(), await(queries.enrollmentsOf("nobody")));
    }

    @Test
    void participantsInEnrolmentOrder() throws Exception {
      feed(enrolled("B1", "u3", 0), enrolled("B1", "u1", 10), enrolled("B1", "u2", 10), enrolled("B1", "u0", 20),
          enrolled("B2", "u9", 0), enrolled("B1", "u5", 1), enrolled("B1", "u4", 2),
          new Unenrolled("B1", "u5", "u5", t(30)), new Unenrolled("B1", "u4", "u4", t(31)));
      assertEquals(List.of("u3", "u1", "u2", "u0"), await(queries.participants("B1", true)));
      // Those who left, by when they had enrolled.
      assertEquals(List.of("u5", "u4"), await(queries.participants("B1", false)));
      assertEquals(List.of("u9"), await(queries.participants("B2", true)));
      assertEquals(List.of(), await(queries.participants("nope", true)));
      assertEquals(List.of(), await(queries.participants("B1' OR '1'='1", true)));
    }

    @Test
    void aDeletedEnrolmentLeavesEveryListAndEnrollingAgainStartsTheNextIncarnation() throws Exception {
      feed(new ParticipantInvited("B1", "u1", COURSE, "creator-1", t(0)), enrolled("B1", "u1", 1), enrolled("B1", "u2", 2),
          new ContentProgressRecorded("B1", "u1", COURSE, List.of(content("leaf1", 2, 100, 1, t(3), t(3), null)), 1, 100,
              "u1", t(3)),
          new AssessmentAttempted("B1", "u1", COURSE, "assess1", "a1", t(4), 1, 1, List.of(), "u1", t(4)),
          new EnrollmentCompleted("B1", "u1", COURSE, "u1", t(5)),
          new CertificateIssued("B1", "u1", COURSE, "tpl_1", "cert-1", false, "u1", t(5)),
          // the same learner in another batch keeps all of it
          enrolled("B2", "u1", 6),
          new ContentProgressRecorded("B2", "u1", COURSE, List.of(content("leaf1", 1, 10, 1, t(7), null, null)), 0, 0,
              "u1", t(7)),
          new AssessmentAttempted("B2", "u1", COURSE, "assess1", "a1", t(7), 0, 1, List.of(), "u1", t(7)),
          new CertificateIssued("B2", "u1", COURSE, "tpl_1", "cert-2", false, "u1", t(8)));
      // Invited first (a row without an enrolment), then enrolled: the first incarnation.
      assertEquals(List.of(id("B1", "u1", 1), id("B1", "u2", 1)), ids(EnrollmentSelection.ofBatch("B1")));

      feed(new EnrollmentDeleted("B1", "u1", 1, "admin-1", t(10)));
      assertEquals(List.of("B2"), await(queries.enrollmentsOf("u1")).stream().map(EnrollmentRecord::batchId).toList());
      assertEquals(List.of("u2"), await(queries.participants("B1", true)));
      assertEquals(List.of(), await(queries.participants("B1", false)));
      assertEquals(counts(0, 1, 0, 0), await(queries.countByParticipation("B1")));
      assertEquals(List.of(), await(queries.contentStates("B1", "u1")));
      assertEquals(List.of(), await(queries.attempts("B1", "u1")));
      assertEquals(0, rowsOf("enrollment_certificate", "B1", "u1"));
      assertEquals(List.of(id("B1", "u2", 1)), ids(EnrollmentSelection.ofBatch("B1")));
      assertEquals(List.of(id("B2", "u1", 1)), ids(selection(null, "u1", null, null, null)));
      assertEquals(List.of(), ids(selection("B1", "u1", null, null, null)));
      // What is left is a tombstone with the course and the number, nothing else.
      assertEquals(java.util.Arrays.asList("DELETED", "1", COURSE, "false", null, null, null, "0", "0", "0", null, null,
          null, null, null), row("B1", "u1"));
      // The other batch is untouched.
      assertEquals(1, await(queries.contentStates("B2", "u1")).size());
      assertEquals(1, await(queries.attempts("B2", "u1")).size());
      assertEquals(1, rowsOf("enrollment_certificate", "B2", "u1"));

      // Back on the waitlist: a new enrolment, with nothing of the deleted one.
      feed(new Waitlisted("B1", "u1", COURSE, 9, "u1", t(20)));
      EnrollmentRecord again = await(queries.enrollmentsOf("u1")).stream().filter(r -> r.batchId().equals("B1"))
          .findFirst().orElseThrow();
      assertEquals(new EnrollmentRecord("B1", "u1", COURSE, Participation.WAITLISTED, false, null, "u1", 0, 0, 0, null,
          null, null, null, 1, List.of(), t(20)), again);
      assertEquals(List.of(), await(queries.contentStates("B1", "u1")));
      assertEquals(List.of(id("B1", "u1", 2), id("B1", "u2", 1)), ids(EnrollmentSelection.ofBatch("B1")));
      assertEquals(counts(0, 1, 1, 0), await(queries.countByParticipation("B1")));

      // Promoted, leaving and coming back: still the same enrolment.
      feed(new PromotedFromWaitlist("B1", "u1", "system", t(21)), new Unenrolled("B1", "u1", "u1", t(22)),
          enrolled("B1", "u1", 23));
      assertEquals(List.of(id("B1", "u1", 2), id("B1", "u2", 1)), ids(EnrollmentSelection.ofBatch("B1")));

      // Deleted after leaving, enrolled again: the third.
      feed(new Unenrolled("B1", "u1", "u1", t(30)), new EnrollmentDeleted("B1", "u1", 2, "admin-1", t(31)));
      assertEquals(List.of("u2"), await(queries.participants("B1", true)));
      assertEquals(List.of(), await(queries.participants("B1", false)));
      assertEquals(counts(0, 1, 0, 0), await(queries.countByParticipation("B1")));
      // Invited again: a participant without an enrolment, counted as such.
      feed(new ParticipantInvited("B1", "u1", COURSE, "creator-1", t(31)));
      assertEquals(counts(1, 1, 0, 0), await(queries.countByParticipation("B1")));
      assertEquals(List.of(id("B1", "u2", 1)), ids(EnrollmentSelection.ofBatch("B1")));
      feed(enrolled("B1", "u1", 32));
      assertEquals(List.of(id("B1", "u1", 3), id("B1", "u2", 1)), ids(EnrollmentSelection.ofBatch("B1")));
      assertEquals(List.of("u2", "u1"), await(queries.participants("B1", true)));
    }

    @Test
    void enrollmentIdsPickWhatTheSelectionNames() throws Exception {
      var batches = new BatchReadModelHandler(mapper);
      for (BatchCreated b : List.of(
          batch("B1", "creator-1", null, List.of("mentor-1"), List.of("org-1")),
          batch("B2", "creator-2", "2030-01-09", List.of(), List.of("org-2")),
          batch("B3", "creator-2", "2030-01-10", List.of("mentor-2"), List.of()))) {
        offset++;
        ReadModels.process(db, batches, EventEnvelope.create(Offset.sequence(offset), "CourseBatch|" + b.batchId(), offset,
            b, T0.toEpochMilli()));
      }
      // B2 ends at x (the instant after its last day), B3 a day later, B1 never.
      Instant x = Instant.parse("2030-01-10T00:00:00Z");
      feed(enrolled("B1", "u1", 0), new Waitlisted("B1", "u2", COURSE, 1, "u2", t(0)), enrolled("B1", "u3", 0),
          enrolled("B1", "u4", 0), new ParticipantInvited("B1", "u5", COURSE, "creator-1", t(0)), enrolled("B1", "u6", 0),
          new Unenrolled("B1", "u3", "u3", x), new Unenrolled("B1", "u4", "u4", x.plusMillis(1)),
          new EnrollmentDeleted("B1", "u6", 1, "admin-1", t(1)),
          enrolled("B2", "u1", 0), enrolled("B3", "u1", 0), enrolled("B3", "u2", 0),
          new Unenrolled("B3", "u2", "u2", x.minusSeconds(60)),
          // a batch the batch read model does not know (yet)
          enrolled("B9", "u1", 0));
      List<EnrollmentId> b1 = List.of(id("B1", "u1", 1), id("B1", "u2", 1), id("B1", "u3", 1), id("B1", "u4", 1));

      // Neither the invited-only u5 nor the deleted u6.
      assertEquals(b1, ids(EnrollmentSelection.ofBatch("B1")));
      assertEquals(List.of(id("B1", "u1", 1), id("B2", "u1", 1), id("B3", "u1", 1), id("B9", "u1", 1)),
          ids(selection(null, "u1", null, null, null)));
      assertEquals(List.of(id("B3", "u2", 1)), ids(selection("B3", "u2", null, null, null)));
      assertEquals(8, ids(selection(null, null, null, null, null)).size());
      assertEquals(List.of(), ids(EnrollmentSelection.ofBatch("B1' OR '1'='1")));
      assertEquals(List.of(), ids(selection(null, "u5", null, null, null)));

      // Administered: created, mentored, or created for the administrator's organisation.
      assertEquals(b1, ids(selection(null, null, "creator-1", null, null)));
      assertEquals(b1, ids(selection(null, null, "mentor-1", null, null)));
      assertEquals(List.of(id("B2", "u1", 1), id("B3", "u1", 1), id("B3", "u2", 1)),
          ids(selection(null, null, "creator-2", null, null)));
      assertEquals(List.of(id("B3", "u1", 1), id("B3", "u2", 1)), ids(selection(null, null, "mentor-2", null, null)));
      assertEquals(List.of(id("B2", "u1", 1)), ids(selection(null, null, "org-admin", "org-2", null)));
      assertEquals(List.of(), ids(selection(null, null, "org-admin", null, null)));
      assertEquals(List.of(), ids(selection(null, null, "org-admin", "org-9", null)));
      List<EnrollmentId> b1AndB2 = new ArrayList<>(b1);
      b1AndB2.add(id("B2", "u1", 1));
      assertEquals(b1AndB2, ids(selection(null, null, "creator-1", "org-2", null)));
      assertEquals(List.of(id("B1", "u1", 1)), ids(selection(null, "u1", "mentor-1", null, null)));
      // An organisation without an administrator selects nothing by itself.
      assertEquals(List.of(id("B2", "u1", 1)), ids(selection("B2", null, null, "org-1", null)));

      // No longer in effect at x: left at or before x, or of a batch that ended at or before x.
      assertEquals(List.of(id("B1", "u3", 1), id("B2", "u1", 1), id("B3", "u2", 1)), ids(selection(null, null, null, null, x)));
      assertEquals(List.of(id("B3", "u2", 1)), ids(selection(null, null, null, null, x.minusMillis(1))));
      assertEquals(List.of(id("B1", "u3", 1), id("B1", "u4", 1), id("B2", "u1", 1), id("B3", "u2", 1)),
          ids(selection(null, null, null, null, x.plusMillis(1))));
      assertEquals(List.of(id("B2", "u1", 1), id("B3", "u2", 1)), ids(selection(null, null, "creator-2", null, x)));
      assertEquals(List.of(id("B2", "u1", 1)), ids(selection(null, "u1", null, null, x)));
      assertEquals(List.of(id("B1", "u3", 1)), ids(selection("B1", null, "creator-1", "org-1", x)));

      // Enrolled again: in effect again.
      feed(enrolled("B1", "u3", 40));
      assertEquals(List.of(id("B2", "u1", 1), id("B3", "u2", 1)), ids(selection(null, null, null, null, x)));
    }

    @Test
    void enrollmentIdsAreReadPageByPage() throws Exception {
      List<EnrollmentEvent> events = new ArrayList<>();
      List<EnrollmentId> expected = new ArrayList<>();
      for (String batch : List.of("B1", "B2", "B3")) {
        for (int i = 0; i < 420; i++) {
          String user = String.format("u%04d", i);
          events.add(enrolled(batch, user, i));
          if (batch.equals("B2") && i % 50 == 7) {
            events.add(new EnrollmentDeleted(batch, user, 1, "admin-1", t(i)));
            events.add(enrolled(batch, user, i));
            expected.add(id(batch, user, 2));
          } else if (i % 100 == 3) {
            events.add(new EnrollmentDeleted(batch, user, 1, "admin-1", t(i)));
          } else {
            expected.add(id(batch, user, 1));
          }
        }
      }
      feedAsOneGroup(events);
      assertTrue(expected.size() > 1_200, "more than two pages of 500: " + expected.size());

      EnrollmentSelection all = selection(null, null, null, null, null);
      assertEquals(expected, ids(all));
      // Pages that end exactly at the last row, pages of one, and a page size no row count divides.
      for (int pageSize : List.of(expected.size(), 1, 7)) {
        assertEquals(expected, ids(new JdbcEnrollmentQueries(testKit.system(), db, pageSize), all), "pages of " + pageSize);
      }
      // One learner across batches: each page continues after the last batch read.
      assertEquals(List.of(id("B1", "u0007", 1), id("B2", "u0007", 2), id("B3", "u0007", 1)),
          ids(new JdbcEnrollmentQueries(testKit.system(), db, 2), selection(null, "u0007", null, null, null)));
      // Each run of the source reads from the start.
      var source = new JdbcEnrollmentQueries(testKit.system(), db, 100).enrollmentIds(EnrollmentSelection.ofBatch("B3"));
      List<EnrollmentId> b3 = expected.stream().filter(id -> id.batchId().equals("B3")).toList();
      assertEquals(b3, await(source.runWith(Sink.seq(), testKit.system())));
      assertEquals(b3.subList(0, 150), await(source.take(150).runWith(Sink.seq(), testKit.system())));
    }

    @Test
    void replayingTheJournalGivesTheSameRows() throws Exception {
      List<EnrollmentEvent> history = List.of(
          new ParticipantInvited("B1", "u1", COURSE, "creator-1", t(0)),
          enrolled("B1", "u1", 1),
          new Waitlisted("B1", "u2", COURSE, 3, "u2", t(2)),
          new Waitlisted("B1", "u3", COURSE, 4, "u3", t(3)),
          new ContentProgressRecorded("B1", "u1", COURSE, List.of(
              content("leaf1", 2, 100, 1, t(4), t(4), json("{\"a\": 1}")), content("leaf2", 1, 20, 1, t(4), null, null)),
              1, 50, "u1", t(5)),
          new AssessmentAttempted("B1", "u1", COURSE, "assess1", "a1", t(6), 2, 2,
              List.of(new QuestionResponse("q1", "mcq", "Q", 2, 2, json("[1]"), json("[1]"), 1.0)), "u1", t(6)),
          new ContentProgressRecorded("B1", "u1", COURSE, List.of(content("leaf2", 2, 100, 2, t(7), t(7), null)),
              2, 100, "u1", t(7)),
          new EnrollmentCompleted("B1", "u1", COURSE, "u1", t(7)),
          new CertificateIssued("B1", "u1", COURSE, "tpl_1", "cert-1", false, "u1", t(7)),
          new Unenrolled("B1", "u2", "u2", t(8)),
          new SeatReturned("B1", "u2", "system", t(9)),
          new PromotedFromWaitlist("B1", "u3", "system", t(9)),
          new ParticipantRemoved("B1", "u1", "creator-1", t(10)),
          // deleted after leaving; deleted with progress and enrolled again
          new EnrollmentDeleted("B1", "u2", 1, "admin-1", t(11)),
          enrolled("B1", "u4", 12),
          new ContentProgressRecorded("B1", "u4", COURSE, List.of(content("leaf1", 1, 10, 1, t(13), null, null)),
              0, 0, "u4", t(13)),
          new EnrollmentDeleted("B1", "u4", 1, "admin-1", t(14)),
          enrolled("B1", "u4", 15),
          new ContentProgressRecorded("B1", "u4", COURSE, List.of(content("leaf2", 1, 20, 1, t(16), null, null)),
              0, 0, "u4", t(16)));
      feed(history);
      var once = allRows();
      assertEquals(4, once.get("enrollment").size());
      assertEquals(3, once.get("content_state").size());
      assertEquals(List.of(id("B1", "u1", 1), id("B1", "u3", 1), id("B1", "u4", 2)), ids(EnrollmentSelection.ofBatch("B1")));

      // Offsets reset with the rows left in place, and rebuilt into empty tables.
      feed(history);
      assertEquals(once, allRows());
      clear();
      feed(history);
      assertEquals(once, allRows());

      // The projection writes events in groups, one transaction each: same rows.
      clear();
      feedAsOneGroup(history);
      assertEquals(once, allRows());
    }
  }
}
