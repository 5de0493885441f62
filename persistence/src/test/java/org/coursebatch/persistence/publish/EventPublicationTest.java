package org.coursebatch.persistence.publish;

import static org.coursebatch.persistence.testing.Eventually.eventually;
import static org.junit.jupiter.api.Assertions.*;

import akka.Done;
import akka.actor.testkit.typed.javadsl.ActorTestKit;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Instant;
import java.time.LocalDate;
import org.coursebatch.core.JournalEvent;
import org.coursebatch.core.batch.BatchEvent;
import org.coursebatch.core.batch.BatchStatus;
import org.coursebatch.core.batch.CourseBatchEntity;
import org.coursebatch.core.batch.EnrollmentType;
import org.coursebatch.persistence.db.JsonDocuments;
import org.coursebatch.core.metrics.NodeMeters;
import org.coursebatch.core.publish.EventSink;
import org.coursebatch.core.publish.OutboundEvent;
import org.coursebatch.persistence.db.Database;
import org.coursebatch.persistence.db.DatabaseSettings;
import org.coursebatch.persistence.journal.PersistenceConfig;
import org.coursebatch.persistence.projection.ProgressWatch;
import org.coursebatch.persistence.projection.ReadModelRebuild;
import org.coursebatch.persistence.publish.EventPublication.Settings;
import org.coursebatch.persistence.publish.EventPublication.StartFrom;
import org.coursebatch.persistence.testing.JournalRows;
import org.coursebatch.persistence.testing.ReadModels;
import org.coursebatch.persistence.testing.TestDatabases;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The publication hands the journal's events to a sink in order, stores its offset only once the
 * sink acknowledged them, and after a failed delivery delivers the same events again; a new one
 * starts where configured; a rebuild of the read models leaves its offsets alone.
 */
class EventPublicationTest {

  @TempDir
  Path tmp;

  DatabaseSettings settings;
  Database db;
  ActorTestKit testKit;

  /**
   * A receiver in memory that is down for its first {@code failures} deliveries; a silent one never
   * answers (until {@link #answerAll} fails what it holds).
   */
  static final class Receiver implements EventSink {
    final AtomicInteger failures;
    final boolean silent;
    final AtomicInteger calls = new AtomicInteger();
    final List<OutboundEvent> received = new CopyOnWriteArrayList<>();
    final List<CompletableFuture<Done>> unanswered = new CopyOnWriteArrayList<>();

    Receiver(int failures) {
      this(failures, false);
    }

    Receiver(int failures, boolean silent) {
      this.failures = new AtomicInteger(failures);
      this.silent = silent;
    }

    void answerAll() {
      unanswered.forEach(answer -> answer.completeExceptionally(new IllegalStateException("the test is over")));
    }

    @Override
    public String name() {
      return "test";
    }

    @Override
    public CompletionStage<Done> deliver(List<OutboundEvent> events) {
      calls.incrementAndGet();
      if (silent) {
        CompletableFuture<Done> answer = new CompletableFuture<>();
        unanswered.add(answer);
        return answer;
      }
      if (failures.getAndDecrement() > 0) {
        return CompletableFuture.failedFuture(new IllegalStateException("the receiver is down"));
      }
      received.addAll(events);
      return CompletableFuture.completedFuture(Done.getInstance());
    }

    List<String> ids() {
      return received.stream().map(OutboundEvent::eventId).toList();
    }
  }

  static Settings settings(StartFrom from) {
    return new Settings(from, 10, Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(300), Duration.ofSeconds(5));
  }

  @BeforeEach
  void start() throws Exception {
    settings = TestDatabases.freshH2(tmp);
    db = Database.open(settings);
    db.migrate();
    testKit = ReadModels.singleNodeCluster("publication", settings);
    meters = new SimpleMeterRegistry();
    NodeMeters.publishTo(testKit.system(), meters);
  }

  SimpleMeterRegistry meters;

  @AfterEach
  void stop() {
    testKit.shutdownTestKit();
    db.close();
  }

  /** Writes the creation of batch {@code batchId} and then a reopening by each of {@code actors}, tagged as the entity tags them. */
  void createdBatch(String batchId, String... actors) throws Exception {
    var mapper = JsonDocuments.mapper(testKit.system()).writerFor(JournalEvent.class);
    List<String> events = new java.util.ArrayList<>();
    events.add(mapper.writeValueAsString(new BatchEvent.BatchCreated(batchId, "do_c", "n", null, null, EnrollmentType.OPEN,
        LocalDate.of(2030, 3, 1), null, null, "UTC", List.of(), List.of(), BatchStatus.IN_PROGRESS, "creator",
        Instant.parse("2030-03-01T00:00:00Z"))));
    java.util.Arrays.stream(actors).map(a -> JournalRows.reopened(batchId, a)).forEach(events::add);
    JournalRows.insert(db.dataSource(), "CourseBatch|" + batchId, 0, events);
    tag(batchId);
  }

  /** Writes {@code actors.size()} events of batch {@code batchId} (reopenings, told apart by actor), tagged as the entity tags them. */
  void journal(String batchId, String... actors) throws SQLException {
    JournalRows.insert(db.dataSource(), "CourseBatch|" + batchId, 0,
        java.util.Arrays.stream(actors).map(a -> JournalRows.reopened(batchId, a)).toList());
    tag(batchId);
  }

  void tag(String batchId) throws SQLException {
    try (Connection c = db.dataSource().getConnection();
         PreparedStatement ps = c.prepareStatement("INSERT INTO event_tag (event_id, tag) SELECT ordering, ? FROM event_journal"
             + " WHERE persistence_id = ?")) {
      ps.setString(1, CourseBatchEntity.tagFor(batchId));
      ps.setString(2, "CourseBatch|" + batchId);
      ps.executeUpdate();
    }
  }

  /** The publication's stored offsets, by tag. */
  Map<String, Long> offsets() throws SQLException {
    Map<String, Long> offsets = new TreeMap<>();
    try (Connection c = db.dataSource().getConnection();
         PreparedStatement ps = c.prepareStatement(
             "SELECT projection_key, current_offset FROM akka_projection_offset_store WHERE projection_name = 'publish-test'");
         ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        offsets.put(rs.getString(1), Long.parseLong(rs.getString(2).trim()));
      }
    }
    return offsets;
  }

  long lastOrdering() throws SQLException {
    try (Connection c = db.dataSource().getConnection();
         ResultSet rs = c.createStatement().executeQuery("SELECT MAX(ordering) FROM event_journal")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  @Test
  void failedDeliveriesAreRetriedUntilAcknowledgedAndTheOffsetFollows() throws Exception {
    journal("B1", "a", "b", "c");
    Receiver receiver = new Receiver(2);
    EventPublication.init(testKit.system(), db, receiver, settings(StartFrom.BEGINNING));

    eventually(() -> assertEquals(List.of("CourseBatch|B1#1", "CourseBatch|B1#2", "CourseBatch|B1#3"), receiver.ids()));
    assertTrue(receiver.calls.get() >= 3, "two failed deliveries, then the same events again");
    assertEquals(List.of("a", "b", "c"), receiver.received.stream().map(OutboundEvent::actor).toList());
    assertEquals("batch.reopened", receiver.received.get(0).type());
    String tag = CourseBatchEntity.tagFor("B1");
    long last = lastOrdering();
    eventually(() -> assertEquals(Map.of(tag, last), offsets()));
    assertEquals(3.0, meters.get("coursebatch.publish.events").tag("sink", "test").counter().count());

    journal("B2", "d");
    eventually(() -> assertEquals("CourseBatch|B2#1", receiver.ids().get(receiver.ids().size() - 1)));
    assertEquals(4, receiver.ids().stream().distinct().count());
  }

  @Test
  void aReceiverThatNeverAnswersHoldsThePublicationButNotReadiness() throws Exception {
    journal("B1", "a");
    Receiver silent = new Receiver(0, true);
    EventPublication.init(testKit.system(), db, silent, new Settings(StartFrom.BEGINNING, 10, Duration.ofMillis(50),
        Duration.ofMillis(100), Duration.ofMillis(300), Duration.ofMinutes(5)));
    eventually(() -> assertEquals(1, silent.calls.get()));
    ProgressWatch watch = ProgressWatch.get(testKit.system());
    watch.start(testKit.system(), db, Duration.ofMillis(200), Duration.ofMillis(200));
    // The watch measured the publication's lag (its events were written long before the bound) ...
    eventually(() -> assertEquals(1.0, meters.get("coursebatch.projection.lag.events").tag("projection", "publish-test")
        .tag("key", CourseBatchEntity.tagFor("B1")).gauge().value()));
    Thread.sleep(1_500); // ... and a check after that one is done
    assertEquals(List.of(), watch.stalls(), "a publication's lag must not fail readiness");
    assertEquals(Map.of(), offsets());
    silent.answerAll();
  }

  @Test
  void aNewPublicationFromNowLeavesOutWhatWasThereAndKeepsItsStartOnRestart() throws Exception {
    journal("B1", "a", "b");
    Receiver receiver = new Receiver(0);
    EventPublication.init(testKit.system(), db, receiver, settings(StartFrom.NOW));
    assertEquals(lastOrdering(), offsets().get(CourseBatchEntity.tagFor("B1")));
    journal("B2", "c", "d");
    eventually(() -> assertEquals(List.of("CourseBatch|B2#1", "CourseBatch|B2#2"), receiver.ids()));
    Map<String, Long> stored = offsets();
    EventPublication.startAtTheEnd(db, "publish-test", EventPublication.tags());
    eventually(() -> assertEquals(lastOrdering(), offsets().get(CourseBatchEntity.tagFor("B2"))));
    assertEquals(stored.get(CourseBatchEntity.tagFor("B1")), offsets().get(CourseBatchEntity.tagFor("B1")));
  }

  @Test
  void aRebuildOfTheReadModelsLeavesThePublicationsOffsetsAlone() throws Exception {
    createdBatch("B1", "a");
    Receiver receiver = new Receiver(0);
    EventPublication.init(testKit.system(), db, receiver, settings(StartFrom.BEGINNING));
    eventually(() -> assertEquals(List.of("batch.created", "batch.reopened"), receiver.received.stream().map(OutboundEvent::type).toList()));
    eventually(() -> assertEquals(lastOrdering(), offsets().get(CourseBatchEntity.tagFor("B1"))));
    Map<String, Long> before = offsets();
    testKit.shutdownTestKit();

    testKit = ActorTestKit.create("rebuild", PersistenceConfig.forDatabase(settings).withFallback(ConfigFactory.load()));
    assertEquals(2, new ReadModelRebuild(testKit.system(), db).run((done, total, elapsed) -> {}).events());
    assertEquals(before, offsets());
    assertFalse(before.isEmpty());
  }
}
