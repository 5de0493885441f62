package org.coursebatch.persistence.projection;

import akka.actor.ClassicActorSystemProvider;
import akka.actor.Extension;
import akka.actor.typed.ActorSystem;
import akka.projection.HandlerRecoveryStrategy;
import akka.projection.ProjectionId;
import akka.projection.StatusObserver;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.LongSupplier;
import org.coursebatch.core.SystemExtension;
import org.coursebatch.core.metrics.NodeMeters;
import org.coursebatch.persistence.db.Database;
import org.coursebatch.persistence.journal.JournalExecutor;
import org.coursebatch.persistence.journal.JournalExecutors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.concurrent.ExecutionContext;

/**
 * Notices work that does not move on this node: a projection instance that has events of its tag
 * past its stored offset and has stored nothing for {@code stallAfter} since they were first seen,
 * and an executor of the journal's database actions that has work waiting and finished nothing for
 * as long. Checked every few seconds on a thread of its own; a stall is logged when it is first
 * seen and when it ends, and the readiness probe answers with the current ones. The lag is measured
 * in a check only when readiness or a scrape of its gauges asks for it.
 */
public final class ProgressWatch implements Extension {

  private static final Logger log = LoggerFactory.getLogger(ProgressWatch.class);

  public static final SystemExtension<ProgressWatch> ID =
      new SystemExtension<>(system -> new ProgressWatch(System::nanoTime, Clock.systemUTC()));

  /** What an instance running here last did: when it last stored progress, and its last error since. */
  private record Activity(long lastProgressNanos, String lastError) {}

  private final LongSupplier nanoTime;
  /** The wall clock the journal's write timestamps are compared with. */
  private final Clock wall;
  private final Map<ProjectionId, Activity> running = new ConcurrentHashMap<>();
  /** When each instance was first seen with events pending and no progress since (check thread only). */
  private final Map<ProjectionId, Long> pendingSince = new ConcurrentHashMap<>();
  private volatile Map<String, String> stalls = Map.of();
  /** What the last check found, those of projections that do not gate readiness included. */
  private volatile Map<String, String> noticed = Map.of();
  /** Projections whose stalls and lag are logged and measured but do not fail readiness. */
  private final Set<String> ungated = ConcurrentHashMap.newKeySet();
  /** Events the read models left out ({@link ProjectionFailures}), per read model, as last counted. */
  private volatile Map<String, Long> leftOut = Map.of();
  /** Each running instance's lag as last measured, read by the lag gauges. */
  private final Map<ProjectionId, Lag> lags = new ConcurrentHashMap<>();
  /** Whether the lag gauges were read (scraped) since the lag was last measured. */
  private volatile boolean lagRead;
  /** Where lag, failures and left-out events are reported, once {@link #start} has named it. */
  private volatile MeterRegistry registry;

  ProgressWatch(LongSupplier nanoTime, Clock wall) {
    this.nanoTime = nanoTime;
    this.wall = wall;
  }

  public static ProgressWatch get(ClassicActorSystemProvider system) {
    return ID.get(system.classicSystem());
  }

  /** Hears the projection instances of this node; {@link TaggedProjections} attaches it to each. */
  public <E> StatusObserver<E> observer() {
    return new StatusObserver<>() {
      /** Also after each restart that follows a failure: the time of the last progress stays. */
      @Override
      public void started(ProjectionId id) {
        running.putIfAbsent(id, new Activity(nanoTime.getAsLong(), null));
      }

      @Override
      public void afterProcess(ProjectionId id, E envelope) {
        running.put(id, new Activity(nanoTime.getAsLong(), null));
      }

      @Override
      public void offsetProgress(ProjectionId id, E envelope) {
        running.put(id, new Activity(nanoTime.getAsLong(), null));
      }

      @Override
      public void error(ProjectionId id, E envelope, Throwable cause, HandlerRecoveryStrategy recovery) {
        countFailure(id);
        running.computeIfPresent(id, (k, a) -> new Activity(a.lastProgressNanos(), String.valueOf(cause)));
      }

      @Override
      public void failed(ProjectionId id, Throwable cause) {
        countFailure(id);
        running.computeIfPresent(id, (k, a) -> new Activity(a.lastProgressNanos(), String.valueOf(cause)));
      }

      @Override
      public void stopped(ProjectionId id) {
        running.remove(id);
        pendingSince.remove(id);
        lags.remove(id); // its gauges read no lag from now, measured or not
      }

      @Override
      public void beforeProcess(ProjectionId id, E envelope) {}
    };
  }

  /** One more failure of an instance's handler or stream. */
  private void countFailure(ProjectionId id) {
    MeterRegistry meters = registry;
    if (meters != null) {
      failures(meters, id).increment();
    }
  }

  private static Counter failures(MeterRegistry meters, ProjectionId id) {
    return Counter.builder("coursebatch.projection.failures")
        .description("Failures of a projection instance's handler or stream").tags("projection", id.name(), "key", id.key())
        .register(meters);
  }

  /**
   * Checks every {@code stallAfter / 4} (1 to 10 s) from now until the system terminates; a
   * projection instance whose oldest event not yet stored was written more than {@code maxLag} ago
   * is lagging, and reported like a stall.
   */
  public void start(ActorSystem<?> system, Database db, Duration stallAfter, Duration maxLag) {
    measureInto(NodeMeters.registry(system));
    Duration interval = Duration.ofMillis(Math.max(1_000, Math.min(10_000, stallAfter.toMillis() / 4)));
    ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "progress-watch");
      t.setDaemon(true);
      return t;
    });
    system.scheduler().scheduleWithFixedDelay(interval, interval, () -> {
      try {
        check(db, JournalExecutors.get(system).health(), stallAfter, maxLag);
      } catch (SQLException | RuntimeException e) {
        log.warn("Could not check the progress of the projections: {}", e.toString());
      }
    }, ExecutionContext.fromExecutorService(thread));
    system.getWhenTerminated().thenRun(thread::shutdown);
  }

  /** Reports lag, failures and left-out events to {@code meters} from now on. */
  void measureInto(MeterRegistry meters) {
    Gauge.builder("coursebatch.projection.events.left.out", this, w -> w.leftOut.values().stream().mapToLong(Long::longValue).sum())
        .description("Events the read models could not write and left out (audit failures lists them)").register(meters);
    registry = meters;
  }

  /**
   * Has the stalls and lag of the projection {@code name} logged and measured like any other's,
   * but left out of {@link #stalls}: its falling behind must not take the node out of service (a
   * publication to a receiver that is down, whose events wait in the journal).
   */
  public void excludeFromReadiness(String name) {
    ungated.add(name);
  }

  /** The stalls found by the last check that fail readiness, each described for an operator. */
  public List<String> stalls() {
    return List.copyOf(stalls.values());
  }

  /** The events each read model left out, as the last check counted them (read models with none are not named). */
  public Map<String, Long> leftOut() {
    return leftOut;
  }

  /** One check: finds the current stalls, logs those that began and ended, and keeps them for readiness. */
  void check(Database db, List<JournalExecutor.Health> executors, Duration stallAfter) throws SQLException {
    check(db, executors, stallAfter, null);
  }

  /** One check, with lagging instances too when {@code maxLag} is given. */
  void check(Database db, List<JournalExecutor.Health> executors, Duration stallAfter, Duration maxLag) throws SQLException {
    Map<String, String> found = new LinkedHashMap<>();
    executors.stream().filter(h -> h.stalled(stallAfter))
        .forEach(h -> found.put("executor " + h.name(), "journal database executor stalled: " + h.describe()));
    // Measured once for all its uses: the stalls below, readiness and the lag gauges.
    Map<ProjectionId, Lag> measured = lagNeeded(maxLag) ? measureLag(db) : Map.of();
    long now = nanoTime.getAsLong();
    long after = stallAfter.toNanos();
    List<ProjectionId> quiet = new ArrayList<>();
    running.forEach((id, activity) -> {
      if (now - activity.lastProgressNanos() < after) {
        pendingSince.remove(id);
      } else {
        quiet.add(id);
      }
    });
    if (!quiet.isEmpty()) {
      try (Connection c = db.dataSource().getConnection()) {
        for (ProjectionId id : quiet) {
          Activity activity = running.get(id);
          if (activity == null) {
            continue; // stopped meanwhile
          }
          Lag lag = measured.get(id);
          long offset = lag != null ? lag.offset() : storedOffset(c, id);
          long pending = lag != null ? lag.events() : pending(c, id.key(), offset).events();
          if (pending == 0) {
            pendingSince.remove(id);
            continue;
          }
          long since = pendingSince.merge(id, now, (old, current) -> activity.lastProgressNanos() > old ? current : old);
          if (now - since >= after) {
            String name = id.name() + "/" + id.key();
            found.put("projection " + name, "projection " + name + " stalled: " + pending
                + " events of its tag past its offset " + offset + ", nothing stored for "
                + Duration.ofNanos(now - activity.lastProgressNanos()).toSeconds() + " s"
                + (activity.lastError() == null ? "" : "; last error: " + activity.lastError()));
          }
        }
      }
    }
    if (!measured.isEmpty()) {
      publishLag(measured);
      if (maxLag != null) {
        findLagging(measured, maxLag, found);
      }
    }
    Map<String, String> before = noticed;
    found.forEach((key, description) -> {
      if (!before.containsKey(key)) {
        log.warn("{}", description);
      }
    });
    before.keySet().stream().filter(key -> !found.containsKey(key))
        .forEach(key -> log.info("{} moves again", key));
    noticed = Collections.unmodifiableMap(found);
    Map<String, String> gating = new LinkedHashMap<>(found);
    gating.keySet().removeIf(key -> ungated.stream().anyMatch(name -> key.startsWith("projection " + name + "/")));
    stalls = Collections.unmodifiableMap(gating);
    countLeftOut(db);
  }

  /**
   * Whether this check measures the lag: for readiness ({@code maxLag}), and for the gauges when
   * they were read since the last measurement or an instance has none yet. Past an instance's
   * first measurement, gauges nobody scrapes (metrics off) cost no query, and gauges scraped less
   * often than the checks run cost one measurement a scrape.
   */
  private boolean lagNeeded(Duration maxLag) {
    if (running.isEmpty()) {
      return false;
    }
    return maxLag != null || registry != null && (lagRead || !lags.keySet().containsAll(running.keySet()));
  }

  /** How far each running instance is behind its tag: events past its stored offset, and the age of the oldest. */
  private Map<ProjectionId, Lag> measureLag(Database db) throws SQLException {
    lagRead = false;
    long now = wall.millis();
    Map<ProjectionId, Lag> measured = new LinkedHashMap<>();
    try (Connection c = db.dataSource().getConnection()) {
      for (ProjectionId id : List.copyOf(running.keySet())) {
        long offset = storedOffset(c, id);
        Pending pending = pending(c, id.key(), offset);
        measured.put(id, new Lag(offset, pending.events(), pending.oldestWrite() == null ? 0 : Math.max(0, now - pending.oldestWrite())));
      }
    }
    return measured;
  }

  /** Adds each instance whose oldest event not yet stored was written more than {@code maxLag} ago. */
  private static void findLagging(Map<ProjectionId, Lag> lags, Duration maxLag, Map<String, String> found) {
    lags.forEach((id, lag) -> {
      String key = "projection " + id.name() + "/" + id.key();
      if (!found.containsKey(key) && lag.events() > 0 && lag.oldestAgeMillis() > maxLag.toMillis()) {
        found.put(key, "projection " + id.name() + "/" + id.key() + " lags: the oldest event of its tag past its offset "
            + lag.offset() + " was written " + Duration.ofMillis(lag.oldestAgeMillis()).toSeconds() + " s ago (bound "
            + maxLag.toSeconds() + " s)");
      }
    });
  }

  /** An instance's distance behind its tag, as last measured. */
  record Lag(long offset, long events, long oldestAgeMillis) {
    static final Lag NONE = new Lag(0, 0, 0);
  }

  /** Publishes each instance's lag (events, seconds) as gauges, made the first time an instance is measured. */
  private void publishLag(Map<ProjectionId, Lag> measured) {
    MeterRegistry meters = registry;
    measured.forEach((id, lag) -> {
      if (lags.put(id, lag) == null && meters != null) {
        Tags tags = Tags.of("projection", id.name(), "key", id.key());
        Gauge.builder("coursebatch.projection.lag.events", this, w -> w.readLag(id).events())
            .description("Events of the instance's tag past its stored offset").tags(tags).register(meters);
        Gauge.builder("coursebatch.projection.lag.seconds", this, w -> w.readLag(id).oldestAgeMillis() / 1000.0)
            .description("Age of the oldest event of the instance's tag past its stored offset").tags(tags).register(meters);
        failures(meters, id);
      }
    });
    lags.keySet().retainAll(measured.keySet());
  }

  /** An instance's lag as last measured, for a gauge: its reading asks the next check to measure again. */
  private Lag readLag(ProjectionId id) {
    lagRead = true;
    return lags.getOrDefault(id, Lag.NONE);
  }

  /** Counts the events the read models left out, logging when the count changes (once, not at every check). */
  private void countLeftOut(Database db) throws SQLException {
    Map<String, Long> counts = ProjectionFailures.counts(db);
    if (!counts.equals(leftOut)) {
      if (counts.isEmpty()) {
        log.info("The read models left out no event any more");
      } else {
        log.warn("The read models left out events they could not write: {} (`audit failures` lists them)", counts);
      }
    }
    leftOut = Map.copyOf(counts);
  }

  /** The ordering of the last event the instance stored as done (0 before its first). */
  static long storedOffset(Connection c, ProjectionId id) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT current_offset FROM akka_projection_offset_store WHERE projection_name = ? AND projection_key = ?")) {
      ps.setString(1, id.name());
      ps.setString(2, id.key());
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Long.parseLong(rs.getString(1).trim()) : 0L;
      }
    }
  }

  /** The events of a tag past an offset: how many, and when the oldest was written (epoch millis; null when none). */
  record Pending(long events, Long oldestWrite) {}

  /** The events of {@code tag} that eventsByTag gives (deleted ones are left out) past {@code offset}. */
  static Pending pending(Connection c, String tag, long offset) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*), MIN(j.write_timestamp) FROM "
        + TaggedProjections.TAGGED_EVENTS + " WHERE t.tag = ? AND t.event_id > ?")) {
      ps.setString(1, tag);
      ps.setLong(2, offset);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        long events = rs.getLong(1);
        long oldest = rs.getLong(2);
        return new Pending(events, rs.wasNull() ? null : oldest);
      }
    }
  }
}
