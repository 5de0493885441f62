package org.coursebatch.bench;

import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import akka.cluster.sharding.typed.javadsl.EntityRef;
import akka.serialization.SerializationExtension;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import org.coursebatch.core.batch.BatchChanges;
import org.coursebatch.core.batch.BatchCommand;
import org.coursebatch.core.batch.BatchReply;
import org.coursebatch.core.batch.CourseBatchEntity;
import org.coursebatch.core.batch.SeatReply;
import org.coursebatch.core.enrollment.BatchTerms;
import org.coursebatch.core.enrollment.ContentUpdate;
import org.coursebatch.core.enrollment.CourseOutline;
import org.coursebatch.core.enrollment.EnrollmentCommand;
import org.coursebatch.core.enrollment.EnrollmentEntity;
import org.coursebatch.core.enrollment.EnrollmentReply;
import org.coursebatch.core.identity.Caller;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Recovery of one entity with a long history: writes N events through the entity itself (commands
 * sent to it through sharding, each persisted, snapshotted every 100 as in production), restarts
 * the node and times the first command to the entity, which waits for its recovery (the latest
 * snapshot, then the events after it). Kinds: {@code batch} (N batch updates: a state that stays
 * small), {@code seats} (N learners taking a seat of a batch with a capacity: a state that grows
 * with its learners) and {@code enrollment} (one learner's N progress reports). Prints the sizes of
 * the snapshots and the time to read the latest one, so a slow recovery can be told apart.
 */
@Command(name = "entity-recovery-load", mixinStandardHelpOptions = true,
    description = "Writes N events to one entity, restarts the node and times the entity's recovery.")
public final class EntityRecoveryLoad implements Callable<Integer> {

  enum Kind { batch, seats, enrollment }

  @Option(names = "--events", description = "Events written to each entity (default ${DEFAULT-VALUE}).")
  int events = 100_000;

  @Option(names = "--kinds", split = ",", description = "Entities to measure: batch, seats, enrollment (default ${DEFAULT-VALUE}).")
  List<Kind> kinds = List.of(Kind.batch, Kind.enrollment);

  @Option(names = "--concurrency", description = "Commands in flight to the entity while writing (default ${DEFAULT-VALUE}).")
  int concurrency = 32;

  @Option(names = "--restarts", description = "Node restarts, each timing every entity's recovery once (default ${DEFAULT-VALUE}).")
  int restarts = 3;

  @Option(names = "--contents", description = "Leaf contents of the course; progress reports go round them (default ${DEFAULT-VALUE}).")
  int contents = 10;

  @Option(names = "--existing", split = ",", description = "Entities written by an earlier run, as kind:entityId"
      + " (e.g. batch:0117…): nothing is written, only their recovery is timed.")
  List<String> existing = List.of();

  @Option(names = "--replay-without-snapshot", negatable = true,
      description = "Last, delete the entities' snapshots and time a recovery that replays every event (default ${DEFAULT-VALUE}).")
  boolean withoutSnapshot = true;

  @Mixin
  DatabaseOptions db = new DatabaseOptions();

  private static final Duration ASK = Duration.ofSeconds(30);

  /** An entity written by this run: its kind, sharding entity id and persistence id. */
  private record Target(Kind kind, String entityId, String persistenceId) {}

  public static void main(String[] args) {
    org.coursebatch.node.Main.keepCallbacksOnPooledThreads(); // the driver's HttpClient.sendAsync too
    System.exit(new CommandLine(new EntityRecoveryLoad()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    if (db.isH2()) {
      throw new IllegalArgumentException("--db-url is needed: the node restarts on the same PostgreSQL database");
    }
    List<Target> targets = new ArrayList<>();
    for (String e : existing) {
      Kind kind = Kind.valueOf(e.substring(0, e.indexOf(':')));
      String entityId = e.substring(e.indexOf(':') + 1);
      var key = kind == Kind.enrollment ? EnrollmentEntity.ENTITY_KEY : CourseBatchEntity.ENTITY_KEY;
      targets.add(new Target(kind, entityId, key.name() + "|" + entityId));
    }
    if (targets.isEmpty()) {
      targets.addAll(writeAll());
    }
    try (Connection c = DriverManager.getConnection(db.url, db.user, db.password)) {
      System.out.println();
      System.out.println("| entity | events | snapshots kept | latest snapshot at | latest snapshot bytes | events after it |");
      System.out.println("|---|---|---|---|---|---|");
      for (Target t : targets) {
        System.out.println(storageRow(c, t));
      }
    }
    System.out.println();
    System.out.println("| restart | entity | first command ms (recovery + command) | second command ms | read + deserialize latest snapshot ms | empty entity in the same shard ms |");
    System.out.println("|---|---|---|---|---|---|");
    for (int r = 1; r <= restarts; r++) {
      try (LoadNode node = LoadNode.start(db)) {
        for (Target t : targets) {
          System.out.println(recoveryRow(node, String.valueOf(r), t));
        }
      }
    }
    if (withoutSnapshot) {
      // What a recovery costs when there is no snapshot to start from (lost, or written before snapshots were taken).
      try (Connection c = DriverManager.getConnection(db.url, db.user, db.password);
          PreparedStatement s = c.prepareStatement("DELETE FROM snapshot WHERE persistence_id = ?")) {
        for (Target t : targets) {
          s.setString(1, t.persistenceId());
          s.executeUpdate();
        }
      }
      try (LoadNode node = LoadNode.start(db)) {
        for (Target t : targets) {
          System.out.println(recoveryRow(node, "no snapshot", t));
        }
      }
    }
    return 0;
  }

  private List<Target> writeAll() throws Exception {
    List<Target> targets = new ArrayList<>();
    try (LoadNode node = LoadNode.start(db)) {
      String courseId = node.registerCourse(contents);
      for (Kind kind : kinds) {
        long start = System.nanoTime();
        Target t = write(node, kind, courseId);
        targets.add(t);
        System.out.printf("%s: wrote %,d events to %s in %.1f s%n", kind, events, t.persistenceId(),
            (System.nanoTime() - start) / 1e9);
      }
    }
    return targets;
  }

  private Target write(LoadNode node, Kind kind, String courseId) throws Exception {
    var sharding = ClusterSharding.get(node.node().system());
    Caller creator = Caller.of("creator", "CONTENT_CREATOR");
    String batchId = node.createBatch(courseId, kind == Kind.seats ? events : null);
    EntityRef<BatchCommand> batch = sharding.entityRefFor(CourseBatchEntity.ENTITY_KEY, batchId);
    String batchPid = CourseBatchEntity.ENTITY_KEY.name() + "|" + batchId;
    switch (kind) {
      case batch -> {
        // Each update renames the batch, so each one is an event.
        pipeline(events, i -> batch.<BatchReply>ask(r -> new BatchCommand.UpdateBatch(
            BatchChanges.none(courseId).withName("Load batch " + i), creator, r), ASK)
            .thenApply(reply -> expect(reply instanceof BatchReply.Accepted, reply)));
        return new Target(kind, batchId, batchPid);
      }
      case seats -> {
        pipeline(events, i -> batch.<SeatReply>ask(r -> new BatchCommand.ClaimSeat("seat-" + i, "seat-" + i, r), ASK)
            .thenApply(reply -> expect(reply instanceof SeatReply.Granted, reply)));
        return new Target(kind, batchId, batchPid);
      }
      case enrollment -> {
        String learner = "learner-recovery";
        LoadNode.expectOk(node.send("POST", "/v1/course/enroll", node.token(learner),
            Map.of("courseId", courseId, "batchId", batchId)));
        var view = batch.<BatchReply>ask(BatchCommand.GetBatch::new, ASK).toCompletableFuture().get();
        BatchTerms terms = BatchTerms.of(((BatchReply.Accepted) view).view());
        var leaves = new LinkedHashSet<String>();
        for (int c = 0; c < contents; c++) {
          leaves.add(courseId + "_c" + c);
        }
        CourseOutline outline = new CourseOutline(courseId, leaves, contents);
        String entityId = EnrollmentEntity.entityId(batchId, learner);
        EntityRef<EnrollmentCommand> enrollment = sharding.entityRefFor(EnrollmentEntity.ENTITY_KEY, entityId);
        // One content in progress per report, round the course: every report is an event, none completes it.
        pipeline(events - 1, i -> enrollment.<EnrollmentReply>ask(r -> new EnrollmentCommand.RecordProgress(terms, outline,
            List.of(new ContentUpdate(courseId + "_c" + (i % contents), 1, i % 100, Instant.now(), null, null)),
            List.of(), null, learner, r), ASK)
            .thenApply(reply -> expect(reply instanceof EnrollmentReply.Accepted, reply)));
        return new Target(kind, entityId, EnrollmentEntity.ENTITY_KEY.name() + "|" + entityId);
      }
    }
    throw new IllegalArgumentException(kind.toString());
  }

  /** Sends {@code count} commands, at most {@link #concurrency} in flight, reporting progress every 30 s. */
  private void pipeline(int count, IntFunction<CompletionStage<?>> send) throws Exception {
    AtomicInteger done = new AtomicInteger();
    Thread progress = new Thread(() -> {
      try {
        while (true) {
          Thread.sleep(30_000);
          System.out.printf("  … %,d of %,d%n", done.get(), count);
        }
      } catch (InterruptedException e) {
        // written
      }
    }, "write-progress");
    progress.setDaemon(true);
    progress.start();
    try {
      Pipelined.run(count, concurrency, done, send);
    } finally {
      progress.interrupt();
    }
  }

  private static Object expect(boolean ok, Object reply) {
    if (!ok) {
      throw new IllegalStateException("Unexpected reply: " + reply);
    }
    return reply;
  }

  private String storageRow(Connection c, Target t) throws Exception {
    long highest = single(c, "SELECT max(sequence_number) FROM event_journal WHERE persistence_id = ?", t.persistenceId());
    long kept = single(c, "SELECT count(*) FROM snapshot WHERE persistence_id = ?", t.persistenceId());
    long latest = single(c, "SELECT max(sequence_number) FROM snapshot WHERE persistence_id = ?", t.persistenceId());
    long bytes;
    try (PreparedStatement s = c.prepareStatement(
        "SELECT octet_length(snapshot_payload) FROM snapshot WHERE persistence_id = ? AND sequence_number = ?")) {
      s.setString(1, t.persistenceId());
      s.setLong(2, latest);
      try (ResultSet r = s.executeQuery()) {
        bytes = r.next() ? r.getLong(1) : 0;
      }
    }
    return String.format("| %s | %,d | %d | %,d | %,d | %d |", t.kind(), highest, kept, latest, bytes, highest - latest);
  }

  private static long single(Connection c, String sql, String persistenceId) throws Exception {
    try (PreparedStatement s = c.prepareStatement(sql)) {
      s.setString(1, persistenceId);
      try (ResultSet r = s.executeQuery()) {
        r.next();
        return r.getLong(1);
      }
    }
  }

  /**
   * Times, on a node just started: a read of an empty entity in the target's shard (so the shard is
   * allocated and the journal's pool warm before), then the target's first read (its recovery) and
   * its second (the command alone), then reading and deserializing the latest snapshot by itself.
   */
  private String recoveryRow(LoadNode node, String restart, Target t) throws Exception {
    var sharding = ClusterSharding.get(node.node().system());
    int shards = node.node().system().settings().config().getInt("akka.cluster.sharding.number-of-shards");
    String neighbour = sameShard(t.entityId(), shards, t.kind() == Kind.enrollment);
    long emptyMs;
    long firstMs;
    long secondMs;
    if (t.kind() == Kind.enrollment) {
      emptyMs = timed(() -> sharding.entityRefFor(EnrollmentEntity.ENTITY_KEY, neighbour)
          .<EnrollmentReply>ask(EnrollmentCommand.GetEnrollment::new, ASK));
      var target = sharding.entityRefFor(EnrollmentEntity.ENTITY_KEY, t.entityId());
      firstMs = timed(() -> target.<EnrollmentReply>ask(EnrollmentCommand.GetEnrollment::new, ASK));
      secondMs = timed(() -> target.<EnrollmentReply>ask(EnrollmentCommand.GetEnrollment::new, ASK));
    } else {
      emptyMs = timed(() -> sharding.entityRefFor(CourseBatchEntity.ENTITY_KEY, neighbour)
          .<BatchReply>ask(BatchCommand.GetBatch::new, ASK));
      var target = sharding.entityRefFor(CourseBatchEntity.ENTITY_KEY, t.entityId());
      firstMs = timed(() -> target.<BatchReply>ask(BatchCommand.GetBatch::new, ASK));
      secondMs = timed(() -> target.<BatchReply>ask(BatchCommand.GetBatch::new, ASK));
    }
    long snapshotMs = readSnapshotMs(node, t);
    return String.format("| %s | %s | %d | %d | %d | %d |", restart, t.kind(), firstMs, secondMs, snapshotMs, emptyMs);
  }

  /**
   * An entity id of no entity that lands in the same shard as {@code entityId}: sharding's default
   * extractor places an id in shard {@code |hashCode mod number-of-shards|}.
   */
  private static String sameShard(String entityId, int shards, boolean enrollment) {
    int shard = Math.abs(entityId.hashCode() % shards);
    for (int i = 0; ; i++) {
      String candidate = enrollment ? "empty-batch:learner-" + i : "empty-batch-" + i;
      if (Math.abs(candidate.hashCode() % shards) == shard) {
        return candidate;
      }
    }
  }

  private interface Ask {
    CompletionStage<?> send();
  }

  private static long timed(Ask ask) throws Exception {
    long start = System.nanoTime();
    ask.send().toCompletableFuture().get();
    return (System.nanoTime() - start) / 1_000_000;
  }

  /** The snapshot store's part of a recovery, measured alone: one query for the latest snapshot and its deserialization. */
  private long readSnapshotMs(LoadNode node, Target t) throws Exception {
    var serialization = SerializationExtension.get(node.node().system());
    try (Connection c = DriverManager.getConnection(db.url, db.user, db.password);
        PreparedStatement s = c.prepareStatement("SELECT snapshot_ser_id, snapshot_ser_manifest, snapshot_payload FROM snapshot"
            + " WHERE persistence_id = ? ORDER BY sequence_number DESC LIMIT 1")) {
      s.setString(1, t.persistenceId());
      long start = System.nanoTime();
      try (ResultSet r = s.executeQuery()) {
        if (!r.next()) {
          return -1;
        }
        serialization.deserialize(r.getBytes(3), r.getInt(1), r.getString(2)).get();
      }
      return (System.nanoTime() - start) / 1_000_000;
    }
  }
}
