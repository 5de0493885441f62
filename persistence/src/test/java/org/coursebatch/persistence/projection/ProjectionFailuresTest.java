package org.coursebatch.persistence.projection;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import com.typesafe.config.ConfigFactory;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.coursebatch.core.batch.BatchEvent;
import org.coursebatch.persistence.db.Database;
import org.coursebatch.persistence.db.DatabaseSettings.Vendor;
import org.coursebatch.persistence.db.DatabaseSettings;
import org.coursebatch.persistence.journal.PersistenceConfig;
import org.coursebatch.persistence.projection.ProjectionFailures.Failure;
import org.coursebatch.persistence.testing.JournalRows;
import org.coursebatch.persistence.testing.OnBothDatabases;
import org.coursebatch.persistence.testing.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * One event a read model cannot write does not stop its projection, on a real journal run by the
 * projection the nodes run: the event is left out and recorded, the later events of its entity are
 * held behind it, every other entity's events are written; the rebuild fails naming it; and once
 * the cause is gone, a retry writes the left-out events in order.
 */
@OnBothDatabases
class ProjectionFailuresTest {

  /** A read model writing each reopening's actor into {@code probe_row}, whose column holds 5 characters. */
  static final ReadModel<BatchEvent> PROBE = new ReadModel<>("probe-model", List.of("probe-0"), List.of("probe_row"),
      (mapper, vendor) -> new ReadModelHandler<>() {
        @Override
        protected void apply(Connection connection, BatchEvent event) throws Exception {
          var reopened = (BatchEvent.BatchReopened) event;
          if (reopened.actor().equals("boom")) {
            throw new IllegalArgumentException("the handler cannot map actor boom");
          }
          try (PreparedStatement ps = connection.prepareStatement("INSERT INTO probe_row (batch_id, actor) VALUES (?, ?)")) {
            ps.setString(1, reopened.batchId());
            ps.setString(2, reopened.actor());
            ps.executeUpdate();
          }
        }
      });

  @Nested
  class Contract {
    DatabaseSettings settings;
    Database db;
    ActorTestKit testKit;

    @BeforeEach
    void start(TestDatabase database) throws Exception {
      settings = database.fresh();
      db = Database.open(settings);
      db.migrate();
      execute("CREATE TABLE probe_row (batch_id VARCHAR(100) NOT NULL, actor VARCHAR(5) NOT NULL)");
      // B1's second event is too long for its column; B3's first fails in the handler itself.
      JournalRows.insert(db.dataSource(), "CourseBatch|B1", 0, List.of(JournalRows.reopened("B1", "a1"),
          JournalRows.reopened("B1", "much-too-long"), JournalRows.reopened("B1", "a3")));
      JournalRows.insert(db.dataSource(), "CourseBatch|B2", 0, List.of(JournalRows.reopened("B2", "b1"),
          JournalRows.reopened("B2", "b2")));
      JournalRows.insert(db.dataSource(), "CourseBatch|B3", 0, List.of(JournalRows.reopened("B3", "boom")));
      execute("INSERT INTO event_tag (event_id, tag) SELECT ordering, 'probe-0' FROM event_journal");
      testKit = ActorTestKit.create("projection-failures",
          PersistenceConfig.forDatabase(settings).withFallback(ConfigFactory.load()));
    }

    @AfterEach
    void stop() {
      testKit.shutdownTestKit();
      db.close();
    }

    void execute(String sql) throws SQLException {
      try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement()) {
        st.executeUpdate(sql);
      }
    }

    List<String> rows() throws SQLException {
      List<String> rows = new ArrayList<>();
      try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement();
           ResultSet rs = st.executeQuery("SELECT batch_id, actor FROM probe_row ORDER BY batch_id, actor")) {
        while (rs.next()) {
          rows.add(rs.getString(1) + ":" + rs.getString(2));
        }
      }
      return rows;
    }

    ReadModelRebuild rebuild() {
      return new ReadModelRebuild(testKit.system(), db, List.of(PROBE), Duration.ofSeconds(20));
    }

    @Test
    void anEventThatCannotBeWrittenIsLeftOutWithTheLaterEventsOfItsEntityAndTheRestIsWritten() throws Exception {
      var incomplete = assertThrows(ReadModelRebuild.IncompleteRebuild.class, () -> rebuild().run((d, t, e) -> {}));

      assertEquals(List.of("B1:a1", "B2:b1", "B2:b2"), rows());
      List<Failure> leftOut = ProjectionFailures.list(db);
      assertEquals(List.of("CourseBatch|B1#2", "CourseBatch|B1#3", "CourseBatch|B3#1"),
          leftOut.stream().map(f -> f.persistenceId() + "#" + f.seqNr()).sorted().toList());
      Failure tooLong = leftOut.stream().filter(f -> f.seqNr() == 2).findFirst().orElseThrow();
      assertFalse(tooLong.held());
      assertEquals("BatchReopened", tooLong.eventType());
      assertEquals("probe-model", tooLong.projection());
      assertEquals("probe-0", tooLong.tag());
      assertTrue(tooLong.error().contains("SQLException") || tooLong.error().contains("Exception"), tooLong.error());
      assertFalse(tooLong.error().contains("\n"), tooLong.error());
      Failure held = leftOut.stream().filter(f -> f.seqNr() == 3).findFirst().orElseThrow();
      assertEquals(2L, held.heldBySeqNr());
      Failure boom = leftOut.stream().filter(f -> f.persistenceId().equals("CourseBatch|B3")).findFirst().orElseThrow();
      assertEquals("IllegalArgumentException: the handler cannot map actor boom", boom.error());

      String message = incomplete.getMessage();
      assertTrue(message.startsWith("The rebuild could not write 3 of 6 events (2 failed, 1 held behind them)"), message);
      assertTrue(message.contains("CourseBatch|B1 #2 (BatchReopened, journal ordering 2)"), message);
      assertTrue(message.contains("CourseBatch|B3 #1"), message);
      assertFalse(message.contains("CourseBatch|B1 #3"), message);
      assertEquals(java.util.Map.of("probe-model", 3L), ProjectionFailures.counts(db));

      // Once the column holds it, a retry writes B1's events in order; B3's still fails and stays.
      execute("ALTER TABLE probe_row ALTER COLUMN actor SET DATA TYPE VARCHAR(20)");
      var retried = LeftOutRetry.run(testKit.system(), db, List.of(PROBE));
      assertEquals(java.util.Map.of("probe-model/probe-0", "2 written, 1 still left out"), retried);
      assertEquals(List.of("B1:a1", "B1:a3", "B1:much-too-long", "B2:b1", "B2:b2"), rows());
      assertEquals(List.of("CourseBatch|B3#1"),
          ProjectionFailures.list(db).stream().map(f -> f.persistenceId() + "#" + f.seqNr()).toList());
    }

    @Test
    void aRebuildStartsAfreshAndIsExactOnceNothingFails() throws Exception {
      assertThrows(ReadModelRebuild.IncompleteRebuild.class, () -> rebuild().run((d, t, e) -> {}));
      execute("ALTER TABLE probe_row ALTER COLUMN actor SET DATA TYPE VARCHAR(20)");
      execute("UPDATE event_journal SET deleted = TRUE WHERE persistence_id = 'CourseBatch|B3'");
      ReadModelRebuild.Result result = rebuild().run((d, t, e) -> {});
      assertEquals(5, result.events());
      assertEquals(List.of("B1:a1", "B1:a3", "B1:much-too-long", "B2:b1", "B2:b2"), rows());
      assertEquals(List.of(), ProjectionFailures.list(db), "a rebuild forgets what was left out before");
    }

    /** PostgreSQL refuses a NUL byte in text: such an event is left out too. */
    @Test
    void aNulThePostgresColumnCannotHoldIsLeftOut(TestDatabase database) throws Exception {
      assumeTrue(database.vendor() == Vendor.POSTGRES, "PostgreSQL only: H2 stores a NUL in text");
      JournalRows.insert(db.dataSource(), "CourseBatch|B4", 0, List.of(JournalRows.reopened("B4", "x\\u0000")));
      execute("INSERT INTO event_tag (event_id, tag) SELECT ordering, 'probe-0' FROM event_journal"
          + " WHERE persistence_id = 'CourseBatch|B4'");
      assertThrows(ReadModelRebuild.IncompleteRebuild.class, () -> rebuild().run((d, t, e) -> {}));
      Failure nul = ProjectionFailures.list(db).stream().filter(f -> f.persistenceId().equals("CourseBatch|B4"))
          .findFirst().orElseThrow();
      assertFalse(nul.held());
      assertTrue(rows().containsAll(List.of("B2:b1", "B2:b2")));
    }
  }

  @Test
  void onlyFailuresOfTheEventItselfAreLeftOutTheDatabasesAreRetried() {
    assertTrue(ProjectionFailures.causedByEvent(new IllegalStateException("left batch without a batch")));
    assertTrue(ProjectionFailures.causedByEvent(new SQLException("value too long", "22001")));
    assertTrue(ProjectionFailures.causedByEvent(new SQLException("invalid byte sequence for encoding UTF8: 0x00", "22021")));
    assertTrue(ProjectionFailures.causedByEvent(new RuntimeException(new SQLException("null value in column", "23502"))));
    assertFalse(ProjectionFailures.causedByEvent(new SQLException("connection refused", "08001")));
    assertFalse(ProjectionFailures.causedByEvent(new SQLException("could not serialize access", "40001")));
    assertFalse(ProjectionFailures.causedByEvent(new SQLException("relation does not exist", "42P01")));
    assertFalse(ProjectionFailures.causedByEvent(new SQLException("no state")));
    assertFalse(ProjectionFailures.causedByEvent(new SQLTransientConnectionException("pool timed out", "22000")));
    assertFalse(ProjectionFailures.causedByEvent(new IllegalStateException(new SQLException("terminating connection", "57P01"))));
  }

  @Test
  void theErrorKeptIsOneLineWithoutNul() {
    String kept = ProjectionFailures.describe(new RuntimeException(
        new SQLException("Batch entry 0 INSERT INTO x VALUES ('a\u0000')\n  Detail: more", "22021")));
    assertEquals("SQLException: Batch entry 0 INSERT INTO x VALUES ('a?')", kept);
  }
}
