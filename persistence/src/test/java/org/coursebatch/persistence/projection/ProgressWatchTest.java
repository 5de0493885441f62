package org.coursebatch.persistence.projection;

import static org.junit.jupiter.api.Assertions.*;

import akka.projection.ProjectionId;
import akka.projection.StatusObserver;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.coursebatch.persistence.db.Database;
import org.coursebatch.persistence.db.DatabaseSettings;
import org.coursebatch.persistence.journal.JournalExecutor;
import org.coursebatch.persistence.testing.JournalRows;
import org.coursebatch.persistence.testing.OnBothDatabases;
import org.coursebatch.persistence.testing.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The watch over this node's projections and journal executors, on a real journal: a projection
 * instance is stalled once its tag has had events past its stored offset for the whole stall time
 * without it storing anything; an instance that moves, or has nothing pending, is not.
 */
@OnBothDatabases
class ProgressWatchTest {

  static final Duration STALL_AFTER = Duration.ofSeconds(60);
  static final ProjectionId BATCHES = ProjectionId.of("batch-read-model", "batch-0");

  @Nested
  class Contract {
    DatabaseSettings settings;
    Database db;
    final AtomicLong nanos = new AtomicLong();
    ProgressWatch watch;
    StatusObserver<Object> observer;

    @BeforeEach
    void start(TestDatabase database) throws Exception {
      settings = database.fresh();
      db = Database.open(settings);
      db.migrate();
      JournalRows.insert(db.dataSource(), "CourseBatch|B1", 0,
          List.of(JournalRows.reopened("B1", "a"), JournalRows.reopened("B1", "b"), JournalRows.reopened("B1", "c")));
      execute("INSERT INTO event_tag (event_id, tag) SELECT ordering, 'batch-0' FROM event_journal");
      watch = new ProgressWatch(nanos::get, Clock.systemUTC());
      observer = watch.observer();
      observer.started(BATCHES);
    }

    @AfterEach
    void stop() {
      db.close();
    }

    void execute(String sql) throws SQLException {
      try (Connection c = db.dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
        ps.executeUpdate();
      }
    }

    void storeOffset(long ordering) throws SQLException {
      execute("DELETE FROM akka_projection_offset_store");
      execute("INSERT INTO akka_projection_offset_store (projection_name, projection_key, current_offset, manifest,"
          + " mergeable, last_updated) VALUES ('batch-read-model', 'batch-0', '" + ordering + "', 'SEQ', FALSE, 0)");
    }

    List<String> checkAfter(Duration elapsed) throws SQLException {
      nanos.addAndGet(elapsed.toNanos());
      watch.check(db, List.of(), STALL_AFTER);
      return watch.stalls();
    }

    @Test
    void eventsPendingForTheWholeStallTimeWithNothingStoredAreAStall() throws Exception {
      assertEquals(List.of(), checkAfter(Duration.ZERO));
      // Quiet since it started, and events pending: first seen now, so not yet a stall.
      assertEquals(List.of(), checkAfter(STALL_AFTER.plusSeconds(1)));
      List<String> stalls = checkAfter(STALL_AFTER.plusSeconds(1));
      assertEquals(1, stalls.size(), stalls.toString());
      assertTrue(stalls.get(0).startsWith("projection batch-read-model/batch-0 stalled: 3 events of its tag past its"
          + " offset 0, nothing stored for 122 s"), stalls.get(0));

      // It stores an offset: it moves again.
      storeOffset(2);
      observer.offsetProgress(BATCHES, null);
      assertEquals(List.of(), checkAfter(Duration.ofSeconds(1)));
      // Quiet again with one event pending: the stall time counts from when that was first seen.
      assertEquals(List.of(), checkAfter(STALL_AFTER));
      assertEquals(List.of(), checkAfter(Duration.ofSeconds(30)));
      stalls = checkAfter(Duration.ofSeconds(31));
      assertEquals(1, stalls.size(), stalls.toString());
      assertTrue(stalls.get(0).contains("1 events of its tag past its offset 2"), stalls.get(0));
    }

    @Test
    void aQuietProjectionWithNothingPendingIsNoStallNorIsAStoppedOne() throws Exception {
      storeOffset(3);
      assertEquals(List.of(), checkAfter(STALL_AFTER.plusSeconds(1)));
      assertEquals(List.of(), checkAfter(STALL_AFTER.plusSeconds(1)));
      // Deleted events are not given by eventsByTag, so they are not pending either.
      storeOffset(2);
      execute("UPDATE event_journal SET deleted = TRUE WHERE ordering = 3");
      assertEquals(List.of(), checkAfter(STALL_AFTER.plusSeconds(1)));
      execute("UPDATE event_journal SET deleted = FALSE WHERE ordering = 3");
      checkAfter(STALL_AFTER.plusSeconds(1));
      assertEquals(1, checkAfter(STALL_AFTER.plusSeconds(1)).size());
      observer.stopped(BATCHES);
      assertEquals(List.of(), checkAfter(STALL_AFTER.plusSeconds(1)));
    }

    @Test
    void anInstanceWhoseOldestEventNotYetStoredWasWrittenLongerAgoThanTheBoundLags() throws Exception {
      // The events were written at the epoch; the wall clock says 90 s later.
      ProgressWatch lagWatch = new ProgressWatch(nanos::get, Clock.fixed(Instant.ofEpochMilli(90_000), ZoneOffset.UTC));
      lagWatch.<Object>observer().started(BATCHES);
      storeOffset(1);
      lagWatch.check(db, List.of(), STALL_AFTER, Duration.ofSeconds(60));
      assertEquals(List.of("projection batch-read-model/batch-0 lags: the oldest event of its tag past its offset 1 was"
          + " written 90 s ago (bound 60 s)"), lagWatch.stalls());
      lagWatch.check(db, List.of(), STALL_AFTER, Duration.ofSeconds(120));
      assertEquals(List.of(), lagWatch.stalls());
      lagWatch.check(db, List.of(), STALL_AFTER, Duration.ofSeconds(60));
      assertEquals(1, lagWatch.stalls().size());
      storeOffset(3);
      lagWatch.check(db, List.of(), STALL_AFTER, Duration.ofSeconds(60));
      assertEquals(List.of(), lagWatch.stalls(), "caught up");
    }

    @Test
    void theLagGaugesAreMeasuredAgainOnlyOnceTheyWereReadSinceTheLastCheck() throws Exception {
      var meters = new SimpleMeterRegistry();
      watch.measureInto(meters);
      storeOffset(1);
      checkAfter(Duration.ofSeconds(1)); // a new instance: measured for its gauges
      Gauge events = meters.get("coursebatch.projection.lag.events")
          .tags("projection", BATCHES.name(), "key", BATCHES.key()).gauge();
      storeOffset(3);
      checkAfter(Duration.ofSeconds(1)); // nobody read the gauges since: no query for them
      assertEquals(2, events.value(), "as first measured");
      checkAfter(Duration.ofSeconds(1)); // read since the last check: measured again
      assertEquals(0, events.value(), "caught up");
      assertEquals(0, meters.get("coursebatch.projection.lag.seconds")
          .tags("projection", BATCHES.name(), "key", BATCHES.key()).gauge().value());
    }

    @Test
    void theLastErrorOfAStalledProjectionIsNamed() throws Exception {
      observer.error(BATCHES, null, new SQLException("relation \"course_batch\" does not exist"), null);
      checkAfter(STALL_AFTER.plusSeconds(1));
      // A projection that fails restarts (with backoff): that is no progress.
      observer.started(BATCHES);
      List<String> stalls = checkAfter(STALL_AFTER.plusSeconds(1));
      assertEquals(1, stalls.size(), stalls.toString());
      assertTrue(stalls.get(0).endsWith("last error: java.sql.SQLException: relation \"course_batch\" does not exist"),
          stalls.get(0));
    }

    @Test
    void aJournalExecutorWithWorkWaitingThatFinishesNothingIsAStall() throws Exception {
      var moving = new JournalExecutor.Health("journal-db-slick", 5, 5, 3, 0, 5, 5, Duration.ofMillis(20), 100);
      var stuck = new JournalExecutor.Health("journal-db-slick", 5, 5, 3, 2, 5, 5, Duration.ofSeconds(90), 100);
      var idle = new JournalExecutor.Health("journal-db-slick", 5, 0, 0, 0, 0, 5, Duration.ofSeconds(90), 100);
      storeOffset(3);
      watch.check(db, List.of(moving, idle), STALL_AFTER);
      assertEquals(List.of(), watch.stalls());
      watch.check(db, List.of(stuck), STALL_AFTER);
      assertEquals(List.of("journal database executor stalled: journal-db-slick: 5 of 5 threads busy, 3 actions"
          + " queued, 2 waiting for a connection, 5 of 5 connections held, 100 actions finished, the last 90000 ms ago"),
          watch.stalls());
      watch.check(db, List.of(moving), STALL_AFTER);
      assertEquals(List.of(), watch.stalls());
    }
  }
}
