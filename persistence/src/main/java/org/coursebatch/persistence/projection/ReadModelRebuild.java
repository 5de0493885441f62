package org.coursebatch.persistence.projection;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Props;
import akka.persistence.query.Sequence;
import akka.projection.HandlerRecoveryStrategy;
import akka.projection.ProjectionBehavior;
import akka.projection.ProjectionId;
import akka.projection.StatusObserver;
import akka.projection.eventsourced.EventEnvelope;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.coursebatch.persistence.db.Database;
import org.coursebatch.persistence.journal.JournalExecutor;
import org.coursebatch.persistence.journal.JournalExecutors;

/**
 * Rebuilds the read models from the journal alone: empties every table derived from the journal
 * ({@link JournalReadModels}) and the projections' offsets in one transaction, then runs the
 * projections themselves (the nodes' projection of each tag, with the same handlers, in this
 * actor system, which need not be a cluster) from the start of the journal until each has stored
 * the offset of the last event of its tag that was in the journal when the run began, and stops
 * them. Each group of events is committed with its offset, as on a node, so a node started after
 * an interrupted run goes on from where the run stopped.
 *
 * <p>No node may run projections on the database meanwhile: {@link ReadModelLock} refuses to
 * start while one does (PostgreSQL), and an embedded H2 file admits one process anyway.
 */
public final class ReadModelRebuild {

  /** Progress of a run: events written to the read models (with their offsets), of all there are to write. */
  @FunctionalInterface
  public interface Listener {
    void progress(long eventsDone, long eventsTotal, Duration elapsed);
  }

  public record Result(long events, Duration took) {}

  /** How long a run waits for nodes that are stopping to let go of {@link ReadModelLock}. */
  static final Duration WAIT_FOR_NODES = Duration.ofSeconds(10);
  /** A run that writes no event for this long gives up (a projection that keeps failing, say). */
  static final Duration STALL_TIMEOUT = Duration.ofSeconds(30);
  /**
   * A run that writes no event for this long while the journal's database executor has work waiting
   * and finishes nothing for as long ends at once, naming the executor (slow handlers alone still
   * write events, and a busy executor still finishes actions).
   */
  static final Duration EXECUTOR_STALL = Duration.ofSeconds(10);

  private final ActorSystem<?> system;
  private final Database db;
  private final List<ReadModel<?>> models;

  private final Duration stallTimeout;

  public ReadModelRebuild(ActorSystem<?> system, Database db) {
    this(system, db, JournalReadModels.ALL, STALL_TIMEOUT);
  }

  /** A rebuild of {@code models} that gives up after {@code stallTimeout} without an event written. */
  ReadModelRebuild(ActorSystem<?> system, Database db, List<ReadModel<?>> models, Duration stallTimeout) {
    this.system = system;
    this.db = db;
    this.models = List.copyOf(models);
    this.stallTimeout = stallTimeout;
  }

  /** The rows of each table derived from the journal, in the order of {@link JournalReadModels#tables()}. */
  public static Map<String, Long> rowCounts(Database db) throws SQLException {
    Map<String, Long> counts = new LinkedHashMap<>();
    try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement()) {
      for (String table : JournalReadModels.tables()) {
        // Table names are constants of the read models, never input.
        try (ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM " + table)) {
          rs.next();
          counts.put(table, rs.getLong(1));
        }
      }
    }
    return counts;
  }

  /** The journal events a rebuild would write now: those carrying a tag of a read model. */
  public static long eventsInJournal(Database db) throws SQLException {
    return targets(db, JournalReadModels.ALL).values().stream().mapToLong(Target::events).sum();
  }

  /** Runs the rebuild; {@code listener} hears of every event written (one call at a time). */
  public Result run(Listener listener) throws Exception {
    try (ReadModelLock lock = ReadModelLock.exclusive(db, WAIT_FOR_NODES)) {
      Map<ProjectionId, Target> targets = targets(db, models);
      clear();
      Result result = replay(targets, listener);
      long total = targets.values().stream().mapToLong(Target::events).sum();
      List<ProjectionFailures.Failure> leftOut = leftOut();
      if (!leftOut.isEmpty()) {
        throw new IncompleteRebuild(leftOut, total);
      }
      if (result.events() != total) {
        throw new IllegalStateException("The rebuild went through " + result.events() + " of the journal's " + total
            + " events of the read models' tags");
      }
      return result;
    }
  }

  /**
   * A rebuild that went through every event but could not write some, which it left out and
   * recorded ({@link ProjectionFailures}): the message names them.
   */
  public static final class IncompleteRebuild extends Exception {
    private final List<ProjectionFailures.Failure> leftOut;

    IncompleteRebuild(List<ProjectionFailures.Failure> leftOut, long total) {
      super(describe(leftOut, total));
      this.leftOut = List.copyOf(leftOut);
    }

    public List<ProjectionFailures.Failure> leftOut() {
      return leftOut;
    }

    private static String describe(List<ProjectionFailures.Failure> leftOut, long total) {
      long failed = leftOut.stream().filter(f -> !f.held()).count();
      StringBuilder text = new StringBuilder("The rebuild could not write " + leftOut.size() + " of " + total
          + " events (" + failed + " failed, " + (leftOut.size() - failed) + " held behind them); they are left out"
          + " and recorded, nodes retry them when they start, `audit failures` lists them:");
      leftOut.stream().filter(f -> !f.held()).limit(20).forEach(f -> text.append("\n  ").append(f.describe()));
      if (failed > 20) {
        text.append("\n  … and ").append(failed - 20).append(" more");
      }
      return text.toString();
    }
  }

  private List<ProjectionFailures.Failure> leftOut() throws SQLException {
    List<String> names = models.stream().map(ReadModel::name).toList();
    return ProjectionFailures.list(db).stream().filter(f -> names.contains(f.projection())).toList();
  }

  /** How far each projection instance (read model and tag) has to go: its tag's events and the last one's ordering. */
  record Target(long events, long lastOrdering) {}

  private static Map<ProjectionId, Target> targets(Database db, List<ReadModel<?>> models) throws SQLException {
    Map<String, Target> byTag = new HashMap<>();
    // The events eventsByTag gives (deleted ones are left out), counted as of now: no node writes meanwhile.
    try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement();
         ResultSet rs = st.executeQuery("SELECT t.tag, COUNT(*), MAX(t.event_id) FROM "
             + TaggedProjections.TAGGED_EVENTS + " GROUP BY t.tag")) {
      while (rs.next()) {
        byTag.put(rs.getString(1), new Target(rs.getLong(2), rs.getLong(3)));
      }
    }
    Map<ProjectionId, Target> targets = new LinkedHashMap<>();
    for (ReadModel<?> model : models) {
      for (String tag : model.tags()) {
        Target t = byTag.get(tag);
        if (t != null) {
          targets.put(ProjectionId.of(model.name(), tag), t);
        }
      }
    }
    return targets;
  }

  /** Empties the derived tables and forgets the projections' offsets (and pauses), all or nothing. */
  private void clear() throws SQLException {
    try (Connection c = db.dataSource().getConnection()) {
      c.setAutoCommit(false);
      try (Statement st = c.createStatement();
           PreparedStatement offsets = c.prepareStatement("DELETE FROM akka_projection_offset_store WHERE projection_name = ?");
           PreparedStatement management = c.prepareStatement("DELETE FROM akka_projection_management WHERE projection_name = ?")) {
        for (ReadModel<?> model : models) {
          for (String table : model.tables()) {
            st.executeUpdate("DELETE FROM " + table);
          }
          offsets.setString(1, model.name());
          offsets.executeUpdate();
          management.setString(1, model.name());
          management.executeUpdate();
          ProjectionFailures.clear(c, model.name());
        }
        c.commit();
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      }
    }
  }

  private Result replay(Map<ProjectionId, Target> targets, Listener listener) throws Exception {
    long total = targets.values().stream().mapToLong(Target::events).sum();
    Run run = new Run(total, listener);
    List<Instance> instances = new ArrayList<>();
    for (ReadModel<?> model : models) {
      for (String tag : model.tags()) {
        Target target = targets.get(ProjectionId.of(model.name(), tag));
        if (target != null) {
          instances.add(start(model, tag, target, run));
        }
      }
    }
    CompletableFuture<Void> allStopped =
        CompletableFuture.allOf(instances.stream().map(i -> i.stopped).toArray(CompletableFuture[]::new));
    try {
      while (true) {
        try {
          allStopped.get(1, TimeUnit.SECONDS);
          break;
        } catch (TimeoutException stillRunning) {
          if (run.failure.isDone()) {
            run.failure.get(); // throws the projection's failure
          }
          var executorStall = run.idleFor().compareTo(EXECUTOR_STALL) > 0
              ? JournalExecutors.get(system).stalled(EXECUTOR_STALL) : Optional.<JournalExecutor.Health>empty();
          if (executorStall.isPresent()) {
            throw new IllegalStateException("The rebuild stopped: the journal's database actions do not move ("
                + executorStall.get().describe() + "); " + run.done() + " of " + total + " events were written");
          }
          if (run.idleFor().compareTo(stallTimeout) > 0) {
            throw new IllegalStateException("The rebuild wrote no event for " + stallTimeout.toSeconds() + " s; "
                + run.done() + " of " + total + " events were written; behind: " + behind(instances) + "; "
                + JournalExecutors.get(system).health().stream().map(JournalExecutor.Health::describe).toList());
          }
        }
      }
    } catch (Exception e) {
      instances.forEach(Instance::stop);
      try {
        allStopped.get(30, TimeUnit.SECONDS);
      } catch (Exception notStopped) {
        e.addSuppressed(notStopped);
      }
      throw e;
    }
    return new Result(run.done(), run.elapsed());
  }

  /** The instances that have not reached their tag's last event, with the offset each stored. */
  private static String behind(List<Instance> instances) {
    return instances.stream().filter(i -> !i.stopped.isDone())
        .map(i -> i.id + " at offset " + i.reachedOrdering + " of " + i.lastOrdering).toList().toString();
  }

  private <E> Instance start(ReadModel<E> model, String tag, Target target, Run run) {
    Instance instance = new Instance(model.name() + "/" + tag, target.lastOrdering(), run);
    var projection = TaggedProjections.projection(system, db, model.name(), tag, model.handler(system, db))
        .withStatusObserver(new Observer<>(instance));
    instance.ref.complete(system.systemActorOf(ProjectionBehavior.create(projection),
        "read-model-rebuild-" + model.name() + "-" + tag + "-" + UUID.randomUUID(), Props.empty()));
    return instance;
  }

  /** The whole run: events written so far, and a projection's failure. */
  private static final class Run {
    private final long total;
    private final Listener listener;
    private final long started = System.nanoTime();
    private long done;
    private long lastProgress = started;
    final CompletableFuture<Void> failure = new CompletableFuture<>();

    Run(long total, Listener listener) {
      this.total = total;
      this.listener = listener;
    }

    synchronized void written() {
      done++;
      lastProgress = System.nanoTime();
      listener.progress(done, total, elapsed());
    }

    synchronized long done() {
      return done;
    }

    Duration elapsed() {
      return Duration.ofNanos(System.nanoTime() - started);
    }

    synchronized Duration idleFor() {
      return Duration.ofNanos(System.nanoTime() - lastProgress);
    }
  }

  /** One running projection (read model and tag): stopped once its offset reached its tag's last event. */
  private static final class Instance {
    private final String id;
    private final long lastOrdering;
    private final Run run;
    private volatile long reachedOrdering;
    final CompletableFuture<ActorRef<ProjectionBehavior.Command>> ref = new CompletableFuture<>();
    final CompletableFuture<Void> stopped = new CompletableFuture<>();
    private boolean stopSent;

    Instance(String id, long lastOrdering, Run run) {
      this.id = id;
      this.lastOrdering = lastOrdering;
      this.run = run;
    }

    void reached(long ordering) {
      reachedOrdering = Math.max(reachedOrdering, ordering);
      if (ordering >= lastOrdering) {
        stop();
      }
    }

    synchronized void stop() {
      if (!stopSent) {
        stopSent = true;
        ref.thenAccept(r -> r.tell(ProjectionBehavior.stopMessage()));
      }
    }
  }

  /** Hears from a projection: events written with their offsets, its failure and its stop. */
  private static final class Observer<E> extends StatusObserver<EventEnvelope<E>> {
    private final Instance instance;

    Observer(Instance instance) {
      this.instance = instance;
    }

    private static long ordering(EventEnvelope<?> envelope) {
      return ((Sequence) envelope.offset()).value();
    }

    /** Called once the envelope's group and its offset are committed. */
    @Override
    public void afterProcess(ProjectionId id, EventEnvelope<E> envelope) {
      instance.run.written();
      instance.reached(ordering(envelope));
    }

    @Override
    public void offsetProgress(ProjectionId id, EventEnvelope<E> envelope) {
      instance.reached(ordering(envelope));
    }

    @Override
    public void failed(ProjectionId id, Throwable cause) {
      instance.run.failure.completeExceptionally(
          new IllegalStateException("The projection " + id.id() + " failed while rebuilding: " + cause, cause));
    }

    @Override
    public void stopped(ProjectionId id) {
      instance.stopped.complete(null);
    }

    @Override
    public void started(ProjectionId id) {}

    @Override
    public void beforeProcess(ProjectionId id, EventEnvelope<E> envelope) {}

    @Override
    public void error(ProjectionId id, EventEnvelope<E> envelope, Throwable cause, HandlerRecoveryStrategy recovery) {}
  }
}
