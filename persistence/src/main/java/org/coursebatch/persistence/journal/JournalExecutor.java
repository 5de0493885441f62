package org.coursebatch.persistence.journal;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.concurrent.ExecutionContext;
import scala.concurrent.ExecutionContextExecutor;
import slick.util.AsyncExecutor;

/**
 * Runs the database actions of the journal, the snapshot store and the read journal (Slick's
 * {@link AsyncExecutor} for akka-persistence-jdbc's shared database), in place of Slick 3.4's own.
 *
 * <p>Like Slick's, it lets at most {@code maxConnections} actions hold a connection at once (an
 * action of a transaction or of a stream keeps its connection between its steps, without a
 * thread), so no thread ever waits in the pool for a connection that only a queued step could
 * give back. Unlike Slick 3.4's, it counts an action when the action starts on its thread, under
 * one lock, from the action's priority at that moment: an action that would exceed the limit
 * waits in line and is started as soon as a connection is given back. Slick 3.4 counts in the
 * queue and again before a thread runs an action, and throws when its count is full; the thread
 * dies and the action is lost with its future, which stalls a journal write or a projection for
 * good (ADR 5). The accounting follows Slick's flags: an action is counted once
 * ({@code inUseCounterSet}), and a connection is given back when the action that closed it says so
 * ({@code connectionReleased}).
 */
public final class JournalExecutor implements AsyncExecutor {

  private static final Logger log = LoggerFactory.getLogger(JournalExecutor.class);

  /** What the executor is doing, for readiness, logs and the rebuild's diagnosis. */
  public record Health(String name, int threads, int busy, int queued, int waitingForConnection, int connectionsHeld,
      int maxConnections, Duration sinceLastFinished, long finished) {

    /** Work is waiting, yet no action finished for {@code after}: the executor does not move. */
    public boolean stalled(Duration after) {
      return (queued > 0 || waitingForConnection > 0) && sinceLastFinished.compareTo(after) > 0;
    }

    public String describe() {
      return name + ": " + busy + " of " + threads + " threads busy, " + queued + " actions queued, "
          + waitingForConnection + " waiting for a connection, " + connectionsHeld + " of " + maxConnections
          + " connections held, " + finished + " actions finished, the last " + sinceLastFinished.toMillis()
          + " ms ago";
    }
  }

  private final String name;
  private final int maxConnections;
  private final int queueSize;
  private final ThreadPoolExecutor pool;
  private final ExecutionContextExecutor context;

  private final Object lock = new Object();
  /** Actions that hold a connection, counted when they start (guarded by {@code lock}). */
  private int connectionsHeld;
  /** Actions that found every connection held, in the order they came (guarded by {@code lock}). */
  private final ArrayDeque<PrioritizedRunnable> waiting = new ArrayDeque<>();

  /** New actions accepted but not started: bounded like Slick's queue, so overload fails fast. */
  private final AtomicInteger freshQueued = new AtomicInteger();
  private final AtomicLong finished = new AtomicLong();
  private volatile long lastFinishedNanos = System.nanoTime();
  /** The actions' run time, once {@link #meterTo} has named where to report it. */
  private volatile Timer actions;

  /**
   * @param threads the threads that run actions; as many as connections, as Slick requires
   * @param maxConnections the connections of the pool the actions draw from
   * @param queueSize new actions that may wait for a thread before more are refused
   */
  public JournalExecutor(String name, int threads, int maxConnections, int queueSize) {
    if (threads < 1 || maxConnections < threads || queueSize < 1) {
      throw new IllegalArgumentException("JournalExecutor " + name + " needs 1 <= threads (" + threads
          + ") <= maxConnections (" + maxConnections + ") and queueSize >= 1 (" + queueSize + ")");
    }
    this.name = name;
    this.maxConnections = maxConnections;
    this.queueSize = queueSize;
    AtomicInteger threadNumber = new AtomicInteger();
    this.pool = new ThreadPoolExecutor(threads, threads, 1, TimeUnit.MINUTES, new LinkedBlockingQueue<>(), r -> {
      Thread t = new Thread(r, name + "-" + threadNumber.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    pool.prestartAllCoreThreads();
    this.context = new ExecutionContextExecutor() {
      @Override
      public void execute(Runnable runnable) {
        submit(runnable);
      }

      @Override
      public void reportFailure(Throwable cause) {
        log.warn("A database action of {} failed outside its future", name, cause);
      }
    };
  }

  @Override
  public ExecutionContext executionContext() {
    return context;
  }

  @Override
  public void close() {
    pool.shutdownNow();
    try {
      if (!pool.awaitTermination(30, TimeUnit.SECONDS)) {
        log.warn("{}: threads still running 30 s after close", name);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Reports this executor to {@code registry}, tagged {@code pool}: how long each database action
   * ran (a write's statements and commit, a recovery's or a poll's query), and the actions waiting
   * for a thread or a connection.
   */
  public void meterTo(MeterRegistry registry, String pool) {
    actions = Timer.builder("coursebatch.journal.db.actions")
        .description("Database actions of the journal's pools, from start to end (queueing excluded)")
        .tag("pool", pool).register(registry);
    Gauge.builder("coursebatch.journal.db.queued", this, e -> e.pool.getQueue().size())
        .description("Database actions waiting for a thread").tag("pool", pool).register(registry);
    Gauge.builder("coursebatch.journal.db.waiting", this, JournalExecutor::waitingForConnection)
        .description("Database actions waiting for a connection").tag("pool", pool).register(registry);
  }

  private int waitingForConnection() {
    synchronized (lock) {
      return waiting.size();
    }
  }

  public Health health() {
    int held;
    int waitingNow;
    synchronized (lock) {
      held = connectionsHeld;
      waitingNow = waiting.size();
    }
    return new Health(name, pool.getMaximumPoolSize(), pool.getActiveCount(), pool.getQueue().size(), waitingNow, held,
        maxConnections, Duration.ofNanos(System.nanoTime() - lastFinishedNanos), finished.get());
  }

  private void submit(Runnable runnable) {
    if (!(runnable instanceof PrioritizedRunnable action)) {
      // Future callbacks and the like: no connection of their own.
      pool.execute(() -> runCounted(runnable));
      return;
    }
    boolean fresh = action.priority() == AsyncExecutor.Fresh$.MODULE$;
    if (fresh && freshQueued.incrementAndGet() > queueSize) {
      freshQueued.decrementAndGet();
      throw new RejectedExecutionException(name + ": " + queueSize + " new database actions are already queued");
    }
    pool.execute(() -> {
      if (fresh) {
        freshQueued.decrementAndGet();
      }
      start(action);
    });
  }

  /** Runs {@code action} now if it needs no new connection or one is free; else it waits in line. */
  private void start(PrioritizedRunnable action) {
    if (!action.inUseCounterSet() && action.priority() != AsyncExecutor.WithConnection$.MODULE$) {
      synchronized (lock) {
        if (connectionsHeld >= maxConnections) {
          waiting.addLast(action);
          return;
        }
        connectionsHeld++;
        action.inUseCounterSet_$eq(true);
      }
    }
    long started = System.nanoTime();
    try {
      runCounted(action);
    } finally {
      Timer timer = actions;
      if (timer != null) {
        timer.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
      }
      if (action.connectionReleased()) {
        released();
      }
    }
  }

  /** A connection was given back: the first action in line takes it over, else it is free. */
  private void released() {
    PrioritizedRunnable next;
    synchronized (lock) {
      next = waiting.pollFirst();
      if (next != null) {
        next.inUseCounterSet_$eq(true); // the connection passes to it; the count stays
      } else if (connectionsHeld > 0) {
        connectionsHeld--;
      } else {
        log.warn("{}: a connection was given back that was not counted", name);
      }
    }
    if (next != null) {
      PrioritizedRunnable admitted = next;
      pool.execute(() -> start(admitted));
    }
  }

  private void runCounted(Runnable runnable) {
    try {
      runnable.run();
    } finally {
      finished.incrementAndGet();
      lastFinishedNanos = System.nanoTime();
    }
  }
}
