package org.coursebatch.persistence.enrollment;

import static org.coursebatch.persistence.testing.Eventually.await;
import static org.coursebatch.persistence.testing.Eventually.eventually;
import static org.junit.jupiter.api.Assertions.*;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.typed.ActorRef;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import akka.stream.javadsl.Sink;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.coursebatch.core.batch.BatchStatus;
import org.coursebatch.core.batch.EnrollmentType;
import org.coursebatch.core.certificate.CertificateCriteria;
import org.coursebatch.core.certificate.CertificateTemplate;
import org.coursebatch.core.enrollment.AssessmentAttempt;
import org.coursebatch.core.enrollment.BatchTerms;
import org.coursebatch.core.enrollment.ContentUpdate;
import org.coursebatch.core.enrollment.CourseOutline;
import org.coursebatch.core.enrollment.Enrollment;
import org.coursebatch.core.enrollment.EnrollmentCommand;
import org.coursebatch.core.enrollment.EnrollmentEntity;
import org.coursebatch.core.enrollment.EnrollmentRecord;
import org.coursebatch.core.enrollment.EnrollmentReply;
import org.coursebatch.core.enrollment.EnrollmentSelection;
import org.coursebatch.core.enrollment.QuestionResponse;
import org.coursebatch.core.testing.MutableClock;
import org.coursebatch.persistence.db.Database;
import org.coursebatch.persistence.db.DatabaseSettings;
import org.coursebatch.persistence.testing.OnBothDatabases;
import org.coursebatch.persistence.testing.ReadModels;
import org.coursebatch.persistence.testing.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * End to end on a single-node cluster: real enrolment entities write to the JDBC journal, the
 * real projection fills the read model, and the queries read it.
 */
@OnBothDatabases
class EnrollmentProjectionTest {

  static final Instant START = Instant.parse("2030-01-10T12:00:00Z");
  static final ObjectMapper JSON = new ObjectMapper();

  @Nested
  @TestInstance(TestInstance.Lifecycle.PER_CLASS)
  class Contract {
    DatabaseSettings settings;
    Database db;
    ActorTestKit testKit;
    MutableClock clock = new MutableClock(START);

    @BeforeAll
    void start(TestDatabase database) throws Exception {
      settings = database.fresh();
      db = Database.open(settings);
      db.migrate();
      testKit = ReadModels.singleNodeCluster("enrollment-projection", settings);
      EnrollmentEntity.init(testKit.system(), clock);
      EnrollmentProjection.init(testKit.system(), db);
    }

    @AfterAll
    void stop() {
      if (testKit != null) {
        testKit.shutdownTestKit();
      }
      db.close();
    }

    Enrollment ask(String batchId, String userId, Function<ActorRef<EnrollmentReply>, EnrollmentCommand> command)
        throws Exception {
      var entity = ClusterSharding.get(testKit.system())
          .entityRefFor(EnrollmentEntity.ENTITY_KEY, EnrollmentEntity.entityId(batchId, userId));
      EnrollmentReply reply = await(entity.ask(command::apply, Duration.ofSeconds(10)));
      return assertInstanceOf(EnrollmentReply.Accepted.class, reply, reply.toString()).enrollment();
    }

    @Test
    void eventsOfRealEntitiesReachTheReadModel() throws Exception {
      var queries = new JdbcEnrollmentQueries(testKit.system(), db);
      var template = new CertificateTemplate("tpl_1", "Merit", null, new CertificateCriteria(2, null, null), null,
          List.of(), null, null);
      var batch = new BatchTerms("B1", "do_c1", EnrollmentType.OPEN, BatchStatus.IN_PROGRESS, null, false,
          Map.of("tpl_1", template));
      var outline = new CourseOutline("do_c1", Set.of("do_video", "do_quiz"), 2);

      ask("B1", "u1", r -> new EnrollmentCommand.Enrol(batch, false, "u1", r));
      ask("B1", "u2", r -> new EnrollmentCommand.Enrol(batch, true, "mentor-1", r));
      ask("B1", "u2", r -> new EnrollmentCommand.Unenrol(batch, "u2", r));
      var response = new QuestionResponse("q1", "mcq", "2 + 2?", 1, 1, JSON.readTree("[{\"value\": 0, \"label\": \"4\"}]"),
          JSON.readTree("[0]"), 4.0);
      var contents = List.of(
          new ContentUpdate("do_video", 2, 100, START.plusSeconds(30), null, JSON.readTree("{\"t\": 12}")),
          new ContentUpdate("do_quiz", 2, null, START.plusSeconds(50), START.plusSeconds(55), null));
      var attempts = List.of(new AssessmentAttempt("do_quiz", "att-1", START.plusSeconds(40), List.of(response)));
      clock.set(START.plusSeconds(60));
      Enrollment u1 = ask("B1", "u1",
          r -> new EnrollmentCommand.RecordProgress(batch, outline, contents, attempts, "org-1", "u1", r));
      assertTrue(u1.completed());
      assertEquals(1, u1.certificates().size());

      eventually(() -> {
        List<EnrollmentRecord> records = await(queries.enrollmentsOf("u1"));
        // The read model holds exactly what the entity has.
        assertEquals(List.of(new EnrollmentRecord("B1", "u1", "do_c1", u1.participation(), u1.invited(),
            u1.enrolledDate(), u1.addedBy(), u1.completedLeaves(), u1.completionPercentage(), u1.progressStatus(),
            u1.completedOn(), u1.lastReadContentId(), u1.lastReadContentStatus(), u1.lastContentAccessTime(), null,
            u1.certificates(), START.plusSeconds(60))), records);
      });
      assertEquals(List.of(u1.contents().get("do_quiz"), u1.contents().get("do_video")),
          await(queries.contentStates("B1", "u1")));
      assertEquals(List.of(new RecordedAttempt("do_quiz", "att-1", START.plusSeconds(40), 1, 1, List.of(response))),
          await(queries.attempts("B1", "u1")));
      eventually(() -> {
        assertEquals(List.of("u1"), await(queries.participants("B1", true)));
        assertEquals(List.of("u2"), await(queries.participants("B1", false)));
      });

      // Offsets are kept per tag under the projection's name.
      try (Connection c = db.dataSource().getConnection();
           PreparedStatement ps = c.prepareStatement(
               "SELECT projection_key FROM akka_projection_offset_store WHERE projection_name = ?")) {
        ps.setString(1, EnrollmentProjection.NAME);
        try (ResultSet rs = ps.executeQuery()) {
          List<String> keys = new java.util.ArrayList<>();
          while (rs.next()) {
            keys.add(rs.getString(1));
          }
          // (other tests' batches may have offsets of their own tags)
          assertTrue(keys.contains(EnrollmentEntity.tagFor("B1")), "offsets stored: " + keys);
        }
      }
    }

    @Test
    void theReadModelNamesEnrolmentsAsTheEntityDoes() throws Exception {
      var queries = new JdbcEnrollmentQueries(testKit.system(), db);
      // learners of their own: the other test lists all of u1's enrolments
      var batch = new BatchTerms("B2", "do_c1", EnrollmentType.OPEN, BatchStatus.IN_PROGRESS, null, false, Map.of());
      Enrollment u1 = ask("B2", "learner-1", r -> new EnrollmentCommand.Enrol(batch, false, "learner-1", r));
      Enrollment u2 = ask("B2", "learner-2", r -> new EnrollmentCommand.Enrol(batch, false, "learner-2", r));
      ask("B2", "learner-2", r -> new EnrollmentCommand.DeleteEnrollment(u2.incarnation(), "admin-1", r));
      Enrollment u2Again = ask("B2", "learner-2", r -> new EnrollmentCommand.Enrol(batch, true, "admin-1", r));
      assertEquals(u2.incarnation() + 1, u2Again.incarnation());
      eventually(() -> assertEquals(List.of(u1.id().orElseThrow(), u2Again.id().orElseThrow()),
          await(queries.enrollmentIds(EnrollmentSelection.ofBatch("B2")).runWith(Sink.seq(), testKit.system()))));
    }
  }
}
