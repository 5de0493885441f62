package org.coursebatch.bench;

import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.Behaviors;
import akka.persistence.jdbc.query.javadsl.JdbcReadJournal;
import akka.persistence.query.PersistenceQuery;
import akka.persistence.typed.PersistenceId;
import akka.serialization.Serialization;
import akka.serialization.SerializationExtension;
import akka.stream.javadsl.Sink;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.coursebatch.core.JournalEvent;
import org.coursebatch.core.batch.BatchEvent;
import org.coursebatch.core.batch.BatchEvent.BatchCreated;
import org.coursebatch.core.batch.BatchState;
import org.coursebatch.core.batch.BatchStatus;
import org.coursebatch.core.batch.CourseBatchEntity;
import org.coursebatch.core.batch.EnrollmentType;
import org.coursebatch.core.enrollment.ContentState;
import org.coursebatch.core.enrollment.Enrollment;
import org.coursebatch.core.enrollment.EnrollmentEntity;
import org.coursebatch.core.enrollment.EnrollmentEvent;
import org.coursebatch.core.enrollment.EnrollmentEvent.AssessmentAttempted;
import org.coursebatch.core.enrollment.EnrollmentEvent.ContentProgressRecorded;
import org.coursebatch.core.enrollment.EnrollmentEvent.Enrolled;
import org.coursebatch.core.enrollment.EnrollmentEvent.EnrollmentCompleted;
import org.coursebatch.core.enrollment.QuestionResponse;
import org.coursebatch.core.journal.ChainedEvent;
import org.coursebatch.core.journal.EventChain;
import org.coursebatch.persistence.db.Database;
import org.coursebatch.persistence.db.DatabaseSettings;
import org.coursebatch.persistence.journal.JournalVerifier;
import org.coursebatch.persistence.journal.PersistenceConfig;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The hash-chained journal at a million events: writes N chained events (batches, each with
 * learners who enrol, report progress six times, attempt two quizzes and complete; the events as
 * the entities make them, chained and serialized by the same code) into a scratch PostgreSQL
 * database with batched inserts, then measures events per second of (a) replaying every entity
 * through the read journal (each event deserialized, unwrapped and folded into the entity's state,
 * as recovery does), (b) the same from one plain JDBC scan (deserialization and folding without the
 * read journal's per-entity queries), and (c) {@code audit verify} of the whole journal.
 */
@Command(name = "journal-verify-load", mixinStandardHelpOptions = true,
    description = "Writes N hash-chained events, then measures replay and verification: events/s.")
public final class JournalVerifyLoad implements Callable<Integer> {

  /** Events of one learner: Enrolled, six progress reports, two attempts, completion. */
  private static final int EVENTS_PER_LEARNER = 10;

  @Option(names = "--events", description = "About how many events to write (default ${DEFAULT-VALUE}).")
  long events = 1_000_000;

  @Option(names = "--learners-per-batch", description = "Learners of each batch (default ${DEFAULT-VALUE}).")
  int learnersPerBatch = 50;

  @Mixin
  ScratchPostgresOptions database = new ScratchPostgresOptions();

  @Option(names = "--replay-parallelism", description = "Entities replayed at once through the read journal (default ${DEFAULT-VALUE}).")
  int parallelism = 4;

  public static void main(String[] args) {
    org.coursebatch.node.Main.keepCallbacksOnPooledThreads(); // the driver's HttpClient.sendAsync too
    System.exit(new CommandLine(new JournalVerifyLoad()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    String url = database.url;
    String jdbcUrl = url.contains("reWriteBatchedInserts") ? url : url + (url.contains("?") ? "&" : "?") + "reWriteBatchedInserts=true";
    var settings = database.settings(jdbcUrl, 8);
    Config config = ConfigFactory.parseMap(Map.of("akka.actor.provider", "local", "akka.loglevel", "WARNING"))
        .withFallback(PersistenceConfig.forDatabase(settings))
        .withFallback(ConfigFactory.load());
    ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "journal-verify-load", config);
    try (Database db = Database.open(settings)) {
      db.migrate();
      System.out.printf("journal of ~%,d events on %s, max heap %d MiB, %d cores%n", events, url,
          Runtime.getRuntime().maxMemory() >> 20, Runtime.getRuntime().availableProcessors());
      long t0 = System.nanoTime();
      long[] written = write(system, db);
      report("write (generate, chain, serialize, insert)", written[0], t0, -1);
      try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement()) {
        st.execute("ANALYZE");
        try (ResultSet rs = st.executeQuery("SELECT pg_size_pretty(pg_total_relation_size('event_journal')),"
            + " avg(octet_length(event_payload))::int FROM event_journal")) {
          rs.next();
          System.out.printf("event_journal: %s, %d bytes a payload on average, %,d entities%n", rs.getString(1), rs.getInt(2),
              written[1]);
        }
      }

      System.gc();
      try (HeapSampler heap = HeapSampler.start()) {
        heap.reset();
        long r0 = System.nanoTime();
        long replayed = replayThroughReadJournal(system);
        report("replay through the read journal (" + parallelism + " entities at once)", replayed, r0, heap.peakMiB());
      }
      System.gc();
      try (HeapSampler heap = HeapSampler.start()) {
        heap.reset();
        long s0 = System.nanoTime();
        long scanned = replayFromScan(system, db);
        report("deserialize and fold from one JDBC scan", scanned, s0, heap.peakMiB());
      }
      System.gc();
      try (HeapSampler heap = HeapSampler.start()) {
        heap.reset();
        long v0 = System.nanoTime();
        var summary = new JournalVerifier(db.dataSource(), DatabaseSettings.Vendor.POSTGRES).verify(JournalVerifier.Scope.all(),
            f -> System.out.println("finding: " + f));
        report("verify (audit verify, whole journal)", summary.events(), v0, heap.peakMiB());
        System.out.printf("verify: %,d entities, %,d events, intact: %s%n", summary.entities(), summary.events(), summary.intact());
        if (!summary.intact()) {
          return 1;
        }
      }
      return 0;
    } finally {
      system.terminate();
      system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }

  private static void report(String what, long count, long startNanos, long peakHeapMiB) {
    double seconds = (System.nanoTime() - startNanos) / 1e9;
    System.out.printf("| %s | %,d | %.1f | %,.0f | %s |%n", what, count, seconds, count / seconds,
        peakHeapMiB < 0 ? "" : Long.toString(peakHeapMiB));
  }

  // ---------------------------------------------------------------- writing

  /** Writes the journal; answers the events and the entities written. */
  private long[] write(ActorSystem<Void> system, Database db) throws Exception {
    Serialization serialization = SerializationExtension.get(system);
    long batches = Math.max(1, events / (1 + (long) learnersPerBatch * EVENTS_PER_LEARNER));
    Instant at = Instant.parse("2030-03-10T10:00:00Z");
    long count = 0;
    long entities = 0;
    try (Connection c = db.dataSource().getConnection();
         PreparedStatement ps = c.prepareStatement("INSERT INTO event_journal (persistence_id, sequence_number, deleted, writer,"
             + " write_timestamp, adapter_manifest, event_ser_id, event_ser_manifest, event_payload)"
             + " VALUES (?, ?, FALSE, 'journal-verify-load', ?, '', ?, ?, ?)")) {
      c.setAutoCommit(false);
      int pending = 0;
      for (long b = 0; b < batches; b++) {
        String batchId = String.format("0140%016d", b);
        List<List<? extends JournalEvent>> perEntity = new ArrayList<>();
        List<String> pids = new ArrayList<>();
        pids.add(PersistenceId.of(CourseBatchEntity.ENTITY_KEY.name(), batchId).id());
        perEntity.add(List.of(batchCreated(batchId, at)));
        for (int l = 0; l < learnersPerBatch; l++) {
          String userId = "learner-" + b + "-" + l;
          pids.add(PersistenceId.of(EnrollmentEntity.ENTITY_KEY.name(), EnrollmentEntity.entityId(batchId, userId)).id());
          perEntity.add(learner(batchId, userId, at.plusSeconds(l)));
        }
        for (int e = 0; e < pids.size(); e++) {
          entities++;
          EventChain<JournalEvent, Object> chain = EventChain.of(system, PersistenceId.ofUniqueId(pids.get(e)));
          chain.recoveryCompleted();
          long seq = 0;
          for (JournalEvent event : perEntity.get(e)) {
            ChainedEvent chained = (ChainedEvent) chain.eventAdapter().toJournal(event);
            var serializer = serialization.findSerializerFor(chained);
            ps.setString(1, pids.get(e));
            ps.setLong(2, ++seq);
            ps.setLong(3, System.currentTimeMillis());
            ps.setInt(4, serializer.identifier());
            ps.setString(5, akka.serialization.Serializers.manifestFor(serializer, chained));
            ps.setBytes(6, serializer.toBinary(chained));
            ps.addBatch();
            count++;
            if (++pending == 1000) {
              ps.executeBatch();
              c.commit();
              pending = 0;
            }
          }
        }
      }
      ps.executeBatch();
      c.commit();
    }
    return new long[] {count, entities};
  }

  private static BatchCreated batchCreated(String batchId, Instant at) {
    return new BatchCreated(batchId, "do_bench_course", "Bench batch " + batchId, "A batch of the journal benchmark",
        "Terms apply", EnrollmentType.OPEN, LocalDate.of(2030, 3, 12), LocalDate.of(2030, 6, 30), null, "Asia/Kolkata",
        List.of("org-1"), List.of("mentor-1"), BatchStatus.UPCOMING, "creator-1", at);
  }

  /** Ten events of one learner, with the sizes real ones have (content states with details, quiz responses). */
  private static List<EnrollmentEvent> learner(String batchId, String userId, Instant at) {
    List<EnrollmentEvent> list = new ArrayList<>();
    String course = "do_bench_course";
    list.add(new Enrolled(batchId, userId, course, true, userId, at));
    for (int p = 1; p <= 6; p++) {
      ObjectNode details = JsonNodeFactory.instance.objectNode().put("current", p * 10).put("max", 60);
      details.putArray("visited").add(p).add(p + 1);
      var state = new ContentState("do_bench_content_" + p, p == 6 ? 2 : 1, Math.min(100, p * 20), p, p == 6 ? 1 : 0,
          at.plusSeconds(60L * p), p == 6 ? at.plusSeconds(60L * p) : null, details);
      list.add(new ContentProgressRecorded(batchId, userId, course, List.of(state), p == 6 ? 6 : p - 1, p == 6 ? 100 : (p - 1) * 16,
          userId, at.plusSeconds(60L * p)));
    }
    for (int a = 1; a <= 2; a++) {
      var options = JsonNodeFactory.instance.arrayNode();
      options.addObject().put("value", 0).put("label", "Four");
      options.addObject().put("value", 1).put("label", "Five");
      JsonNode response = JsonNodeFactory.instance.arrayNode().add(0);
      var responses = List.of(
          new QuestionResponse("do_q_" + a + "_1", "mcq", "2 + 2?", 1.0, 1.0, options, response, 12.5),
          new QuestionResponse("do_q_" + a + "_2", "sa", "Explain why", 0.5, 2.0, null, null, 30.0));
      list.add(new AssessmentAttempted(batchId, userId, course, "do_bench_quiz_" + a, "attempt-" + a,
          at.plusSeconds(600L + a), 1.5, 3.0, responses, userId, at.plusSeconds(600L + a)));
    }
    list.add(new EnrollmentCompleted(batchId, userId, course, userId, at.plusSeconds(700)));
    return list;
  }

  // ---------------------------------------------------------------- replaying

  /** Every entity's events through the read journal, folded into its state as recovery does. */
  private long replayThroughReadJournal(ActorSystem<Void> system) throws Exception {
    JdbcReadJournal journal = PersistenceQuery.get(system).getReadJournalFor(JdbcReadJournal.class, JdbcReadJournal.Identifier());
    AtomicLong count = new AtomicLong();
    journal.currentPersistenceIds()
        .mapAsyncUnordered(parallelism, pid -> journal.currentEventsByPersistenceId(pid, 0, Long.MAX_VALUE)
            .runFold((Object) null, (state, envelope) -> {
              count.incrementAndGet();
              return fold(pid, state, ChainedEvent.unwrap(envelope.event()));
            }, system))
        .runWith(Sink.ignore(), system)
        .toCompletableFuture().get(2, TimeUnit.HOURS);
    return count.get();
  }

  /** The same folding, from one scan of the table: what deserialization itself costs. */
  private static long replayFromScan(ActorSystem<Void> system, Database db) throws Exception {
    Serialization serialization = SerializationExtension.get(system);
    long count = 0;
    try (Connection c = db.dataSource().getConnection()) {
      c.setAutoCommit(false);
      try (PreparedStatement ps = c.prepareStatement("SELECT persistence_id, event_ser_id, event_ser_manifest, event_payload"
          + " FROM event_journal ORDER BY persistence_id, sequence_number")) {
        ps.setFetchSize(1000);
        try (ResultSet rs = ps.executeQuery()) {
          String pid = null;
          Object state = null;
          while (rs.next()) {
            String id = rs.getString(1);
            if (!id.equals(pid)) {
              pid = id;
              state = null;
            }
            Object stored = serialization.deserialize(rs.getBytes(4), rs.getInt(2), rs.getString(3)).get();
            state = fold(pid, state, ChainedEvent.unwrap(stored));
            count++;
          }
        }
      }
      c.rollback();
    }
    return count;
  }

  /** The entity's own event handler: a batch's state or a learner's enrolment. */
  private static Object fold(String persistenceId, Object state, JournalEvent event) {
    if (event instanceof BatchEvent batchEvent) {
      return (state == null ? BatchState.empty() : (BatchState) state).apply(batchEvent);
    }
    EnrollmentEvent e = (EnrollmentEvent) event;
    return (state == null ? Enrollment.empty(e.batchId(), e.userId()) : (Enrollment) state).apply(e);
  }
}
