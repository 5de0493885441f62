package org.coursebatch.persistence.journal;

import static org.junit.jupiter.api.Assertions.*;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import akka.cluster.sharding.typed.javadsl.EntityRef;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.coursebatch.core.batch.BatchStatus;
import org.coursebatch.core.batch.EnrollmentType;
import org.coursebatch.core.enrollment.BatchTerms;
import org.coursebatch.core.enrollment.EnrollmentCommand;
import org.coursebatch.core.enrollment.EnrollmentEntity;
import org.coursebatch.core.enrollment.EnrollmentReply;
import org.coursebatch.core.metrics.NodeMeters;
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
import org.slf4j.LoggerFactory;

/**
 * Recoveries share their look-ups (ADR 25): entities recover on a new node exactly what they
 * wrote, from a snapshot and the events after it, from events alone, or from nothing, and go on
 * numbering their events where they stopped; and a crowd of entities starting at once is looked up
 * in fewer queries than entities, each entity once.
 */
@OnBothDatabases
class GroupedRecoveryTest {

  static final BatchTerms TERMS =
      new BatchTerms("RECOVER", "do_c1", EnrollmentType.OPEN, BatchStatus.IN_PROGRESS, null, false, Map.of());
  static final Duration ASK = Duration.ofSeconds(30);
  /** Enrolments and unenrolments of the learner with a snapshot: past the entity's snapshot every 100 events. */
  static final int LONG_ROUNDS = 60;
  static final int CROWD = 300;

  @Nested
  @TestInstance(TestInstance.Lifecycle.PER_CLASS)
  class OnANewNode {

    DatabaseSettings settings;
    Database db;
    final List<ActorTestKit> nodes = new ArrayList<>();
    final Map<ActorTestKit, SimpleMeterRegistry> meters = new HashMap<>();

    @BeforeAll
    void open(TestDatabase database) {
      settings = database.fresh();
      db = Database.open(settings);
      db.migrate();
    }

    @AfterAll
    void close() {
      nodes.forEach(ActorTestKit::shutdownTestKit);
      db.close();
    }

    ActorTestKit node(String name) throws Exception {
      ActorTestKit node = ReadModels.singleNodeCluster(name, settings);
      nodes.add(node);
      meters.put(node, new SimpleMeterRegistry());
      NodeMeters.publishTo(node.system(), meters.get(node));
      EnrollmentEntity.init(node.system(), new MutableClock(Instant.parse("2030-01-10T12:00:00Z")));
      return node;
    }

    @Test
    void entitiesRecoverWhatTheyWroteAndNumberOnFromThere() throws Exception {
      ActorTestKit first = node("grouped-recovery-first");
      write(first, "with-snapshot", LONG_ROUNDS);
      // Enrolled at the end, where the snapshot (event 100) has them out: recovered from the snapshot
      // alone, they would be out.
      assertAccepted(entity(first, "with-snapshot")
          .ask(to -> new EnrollmentCommand.Enrol(TERMS, false, "with-snapshot", to), ASK));
      write(first, "events-only", 3);
      Map<String, EnrollmentReply> before = read(first, "with-snapshot", "events-only", "never-written");
      assertInstanceOf(EnrollmentReply.Accepted.class, before.get("with-snapshot"));
      assertEquals(1, snapshots("with-snapshot"), "the long-lived entity has a snapshot to recover from");
      first.shutdownTestKit();

      ActorTestKit second = node("grouped-recovery-second");
      assertEquals(before, read(second, "with-snapshot", "events-only", "never-written"));
      // The next event of each continues its numbers: a wrong highest number would repeat one, refused by the key.
      assertAccepted(entity(second, "with-snapshot")
          .ask(to -> new EnrollmentCommand.Unenrol(TERMS, "with-snapshot", to), ASK));
      write(second, "events-only", 1);
      assertEquals(2L * LONG_ROUNDS + 2, highestSequenceNr("with-snapshot"));
      assertEquals(2L * 3 + 2, highestSequenceNr("events-only"));

      DistributionSummary snapshotIds = idsPerQuery(second, "snapshot");
      assertEquals(3.0, snapshotIds.totalAmount(), "each entity's snapshot looked up once");
      assertTrue(snapshotIds.count() >= 1 && snapshotIds.count() <= 3);
    }

    @Test
    void aCrowdOfNewEntitiesIsLookedUpInFewerQueriesThanEntities() throws Exception {
      ActorTestKit node = node("grouped-recovery-crowd");
      String[] learners = new String[CROWD];
      for (int i = 0; i < CROWD; i++) {
        learners[i] = "crowd-" + i;
      }
      Map<String, EnrollmentReply> answers = read(node, learners);
      assertEquals(CROWD, answers.size());
      for (String store : List.of("journal", "snapshot")) {
        DistributionSummary ids = idsPerQuery(node, store);
        assertEquals(CROWD, ids.totalAmount(), store + ": each entity looked up once");
        // How many share depends on how fast the database answers (GroupedLookupsTest holds queries to
        // check the rule itself); with every entity asking at once, some do.
        assertTrue(ids.count() < CROWD, store + ": " + CROWD + " entities in " + ids.count() + " queries");
      }
    }

    @Test
    void anIdTheDatabaseRefusesFailsOnlyItsOwnRecovery() throws Exception {
      ActorTestKit node = node("grouped-recovery-refused");
      // PostgreSQL refuses a NUL in text: had it shared a statement, every entity in it would fail its
      // recovery (and answer only after a restart), which the entity logs.
      String refused = "refused\u0000learner";
      ListAppender<ILoggingEvent> entityLog = new ListAppender<>();
      entityLog.start();
      var logger = (ch.qos.logback.classic.Logger) LoggerFactory.getLogger(EnrollmentEntity.class);
      logger.addAppender(entityLog);
      try {
        Map<String, CompletableFuture<EnrollmentReply>> asked = new LinkedHashMap<>();
        for (int i = 0; i < 100; i++) {
          String learner = i == 50 ? refused : "beside-" + i;
          Duration ask = learner.equals(refused) ? Duration.ofSeconds(3) : ASK;
          asked.put(learner, entity(node, learner).<EnrollmentReply>ask(EnrollmentCommand.GetEnrollment::new, ask)
              .toCompletableFuture());
        }
        for (var e : asked.entrySet()) {
          if (!e.getKey().equals(refused)) {
            assertInstanceOf(EnrollmentReply.Accepted.class, e.getValue().get(60, TimeUnit.SECONDS), e.getKey());
          }
        }
      } finally {
        logger.detachAppender(entityLog);
        // The refused entity keeps failing its recovery and restarting, and the shard waits for it
        // before the node stops: not worth waiting for here; the node finishes stopping on its own.
        nodes.remove(node);
        ActorTestKit.shutdown(node.system(), Duration.ofSeconds(2), false);
      }
      List<String> others = entityLog.list.stream().map(ILoggingEvent::getFormattedMessage)
          .filter(line -> line.contains("beside-")).toList();
      assertEquals(List.of(), others, "entities beside the refused id failed");
    }

    /** {@code rounds} times, the learner enrols and leaves again: 2 × rounds events, all accepted. */
    void write(ActorTestKit node, String learner, int rounds) throws Exception {
      EntityRef<EnrollmentCommand> entity = entity(node, learner);
      for (int r = 0; r < rounds; r++) {
        assertAccepted(entity.<EnrollmentReply>ask(to -> new EnrollmentCommand.Enrol(TERMS, false, learner, to), ASK));
        assertAccepted(entity.<EnrollmentReply>ask(to -> new EnrollmentCommand.Unenrol(TERMS, learner, to), ASK));
      }
    }

    /** Each learner's enrolment, asked of all at once. */
    Map<String, EnrollmentReply> read(ActorTestKit node, String... learners) throws Exception {
      Map<String, CompletableFuture<EnrollmentReply>> asked = new LinkedHashMap<>();
      for (String learner : learners) {
        asked.put(learner, entity(node, learner).<EnrollmentReply>ask(EnrollmentCommand.GetEnrollment::new, ASK)
            .toCompletableFuture());
      }
      Map<String, EnrollmentReply> answers = new LinkedHashMap<>();
      for (var e : asked.entrySet()) {
        answers.put(e.getKey(), e.getValue().get(60, TimeUnit.SECONDS));
      }
      return answers;
    }

    EntityRef<EnrollmentCommand> entity(ActorTestKit node, String learner) {
      return ClusterSharding.get(node.system())
          .entityRefFor(EnrollmentEntity.ENTITY_KEY, EnrollmentEntity.entityId(TERMS.batchId(), learner));
    }

    DistributionSummary idsPerQuery(ActorTestKit node, String store) {
      return meters.get(node).get("coursebatch.journal.recovery.ids").tag("store", store).summary();
    }

    long highestSequenceNr(String learner) throws Exception {
      return single("SELECT MAX(\"sequence_number\") FROM \"event_journal\" WHERE \"persistence_id\" LIKE ?", learner);
    }

    long snapshots(String learner) throws Exception {
      return single("SELECT COUNT(*) FROM \"snapshot\" WHERE \"persistence_id\" LIKE ?", learner);
    }

    long single(String query, String learner) throws Exception {
      try (Connection c = db.dataSource().getConnection(); PreparedStatement st = c.prepareStatement(query)) {
        st.setString(1, "%" + EnrollmentEntity.entityId(TERMS.batchId(), learner));
        try (ResultSet rs = st.executeQuery()) {
          assertTrue(rs.next());
          return rs.getLong(1);
        }
      }
    }

    static void assertAccepted(java.util.concurrent.CompletionStage<EnrollmentReply> reply) throws Exception {
      EnrollmentReply answer = reply.toCompletableFuture().get(60, TimeUnit.SECONDS);
      assertInstanceOf(EnrollmentReply.Accepted.class, answer, answer.toString());
    }
  }
}
