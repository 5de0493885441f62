package org.coursebatch.persistence.journal;

import static org.junit.jupiter.api.Assertions.*;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import slick.util.AsyncExecutor;

/**
 * The executor of the journal's database actions against the way Slick 3.4's executor loses an
 * action: Slick counts an action that needs a connection when a thread takes it, from the action's
 * priority at that moment, and throws when its count is full. An action queued as one that holds
 * a connection and taken as one that needs a new one (Slick reads the priority again) kills its
 * thread and is never run, so its future never completes.
 */
class JournalExecutorTest {

  /** A Slick action as the executor sees it: a priority that may change, and its connection flags. */
  static class Action implements AsyncExecutor.PrioritizedRunnable {
    volatile AsyncExecutor.Priority priority;
    volatile boolean connectionReleased;
    volatile boolean inUseCounterSet;
    final CountDownLatch started = new CountDownLatch(1);
    final CountDownLatch proceed = new CountDownLatch(1);
    final CountDownLatch done = new CountDownLatch(1);
    final boolean releasesConnection;

    Action(AsyncExecutor.Priority priority, boolean releasesConnection) {
      this.priority = priority;
      this.releasesConnection = releasesConnection;
    }

    /** An action that takes a connection and keeps it when it ends, as a transaction between its steps. */
    static Action holdingItsConnection() {
      return new Action(AsyncExecutor.Fresh$.MODULE$, false);
    }

    @Override
    public void run() {
      started.countDown();
      try {
        if (!proceed.await(10, TimeUnit.SECONDS)) {
          throw new IllegalStateException("never told to proceed");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      connectionReleased = releasesConnection;
      done.countDown();
    }

    @Override
    public AsyncExecutor.Priority priority() {
      return priority;
    }

    @Override
    public boolean connectionReleased() {
      return connectionReleased;
    }

    @Override
    public void connectionReleased_$eq(boolean value) {
      connectionReleased = value;
    }

    @Override
    public boolean inUseCounterSet() {
      return inUseCounterSet;
    }

    @Override
    public void inUseCounterSet_$eq(boolean value) {
      inUseCounterSet = value;
    }
  }

  /** Catches the first exception that kills a thread, while open. */
  static final class DeadThreads implements AutoCloseable {
    final AtomicReference<Throwable> first = new AtomicReference<>();
    private final Thread.UncaughtExceptionHandler previous = Thread.getDefaultUncaughtExceptionHandler();

    DeadThreads() {
      Thread.setDefaultUncaughtExceptionHandler((t, e) -> first.compareAndSet(null, e));
    }

    @Override
    public void close() {
      Thread.setDefaultUncaughtExceptionHandler(previous);
    }
  }

  /**
   * Two connections, both held by actions between their steps; then a step queued while its action
   * held a connection, which has none by the time a thread takes it (Slick reads an action's
   * priority again when a thread takes it).
   */
  private static Action raceOn(AsyncExecutor executor, List<Action> holders) throws InterruptedException {
    var context = executor.executionContext();
    for (int i = 0; i < 2; i++) {
      Action holder = Action.holdingItsConnection();
      holders.add(holder);
      context.execute(holder);
      assertTrue(holder.started.await(5, TimeUnit.SECONDS));
    }
    Action step = new Action(AsyncExecutor.WithConnection$.MODULE$, true);
    step.proceed.countDown();
    context.execute(step);
    step.priority = AsyncExecutor.Continuation$.MODULE$;
    holders.get(0).proceed.countDown(); // ends, keeping its connection: a thread is free, no connection
    assertTrue(holders.get(0).done.await(5, TimeUnit.SECONDS));
    return step;
  }

  /** The executor's health once {@code expected} holds, or after 5 s. */
  private static JournalExecutor.Health settled(JournalExecutor executor,
      java.util.function.Predicate<JournalExecutor.Health> expected) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    JournalExecutor.Health health = executor.health();
    while (!expected.test(health) && System.nanoTime() < deadline) {
      Thread.sleep(10);
      health = executor.health();
    }
    return health;
  }

  /**
   * A fresh executor given three actions at once that each keep their connection (streams waiting
   * for demand, say) and two connections: the first two make its two threads; the third is queued.
   */
  private static List<Action> rampUp(AsyncExecutor executor) {
    List<Action> holders = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      Action holder = Action.holdingItsConnection();
      holder.proceed.countDown();
      holders.add(holder);
      executor.executionContext().execute(holder);
    }
    return holders;
  }

  /**
   * What stalled a read-model rebuild: while Slick 3.4's executor starts its threads, an action it
   * hands straight to a new thread is counted only once that thread runs, and a queued action taken
   * meanwhile by a thread that is already free is counted first; with every connection then held,
   * the new thread's count is one too many and it dies. Fresh executors are tried until it shows.
   */
  @Test
  void slick34ExecutorStartingUpCountsOneActionTooManyAndLosesIt() throws Exception {
    try (DeadThreads died = new DeadThreads()) {
      for (int attempt = 0; attempt < 2_000 && died.first.get() == null; attempt++) {
        AsyncExecutor slick = AsyncExecutor.apply("slick-3.4", 2, 2, 100, 2);
        rampUp(slick);
        Thread.sleep(2);
        slick.close();
      }
      // If a newer Slick no longer loses the action, this test fails: JournalExecutor may then go (ADR 5).
      assertNotNull(died.first.get(), "no thread died in 2,000 fresh executors");
      assertTrue(died.first.get().getMessage().contains("count cannot be increased"), died.first.get().toString());
    }
  }

  @Test
  void startingUpItRunsEveryActionOnceAConnectionIsFree() throws Exception {
    try (DeadThreads died = new DeadThreads()) {
      for (int attempt = 0; attempt < 300; attempt++) {
        JournalExecutor executor = new JournalExecutor("journal-test", 2, 2, 100);
        try {
          List<Action> holders = rampUp(executor);
          // Each holder's action ends later with a step that closes its connection.
          for (int i = 0; i < 3; i++) {
            Action close = new Action(AsyncExecutor.WithConnection$.MODULE$, true);
            close.proceed.countDown();
            executor.executionContext().execute(close);
          }
          for (Action holder : holders) {
            assertTrue(holder.done.await(5, TimeUnit.SECONDS), "attempt " + attempt + ": " + executor.health().describe());
          }
        } finally {
          executor.close();
        }
      }
      assertNull(died.first.get(), "a thread died");
    }
  }

  @Test
  void slick34ExecutorKillsTheThreadAndLosesTheAction() throws Exception {
    AsyncExecutor slick = AsyncExecutor.apply("slick-3.4", 2, 2, 100, 2);
    List<Action> holders = new ArrayList<>();
    try (DeadThreads died = new DeadThreads()) {
      Action step = raceOn(slick, holders);
      // If a newer Slick no longer loses the action, this test fails: JournalExecutor may then go (ADR 5).
      assertFalse(step.done.await(2, TimeUnit.SECONDS), "Slick 3.4 ran the action");
      assertNotNull(died.first.get(), "no thread died");
      assertTrue(died.first.get().getMessage().contains("count cannot be increased"), died.first.get().toString());
    } finally {
      holders.forEach(h -> h.proceed.countDown());
      slick.close();
    }
  }

  @Test
  void anActionWithoutAFreeConnectionWaitsAndRunsWhenOneIsGivenBack() throws Exception {
    JournalExecutor executor = new JournalExecutor("journal-test", 2, 2, 100);
    List<Action> holders = new ArrayList<>();
    try {
      Action step = raceOn(executor, holders);
      assertFalse(step.done.await(300, TimeUnit.MILLISECONDS), "ran without a connection");
      JournalExecutor.Health waiting = executor.health();
      assertEquals(1, waiting.waitingForConnection(), waiting.describe());
      assertEquals(2, waiting.connectionsHeld(), waiting.describe());

      // The first holder's action gives its connection back in a later step of its own.
      Action lastStep = new Action(AsyncExecutor.WithConnection$.MODULE$, true);
      lastStep.proceed.countDown();
      executor.executionContext().execute(lastStep);
      assertTrue(step.done.await(5, TimeUnit.SECONDS), "the waiting action never ran: " + executor.health().describe());
      assertTrue(step.inUseCounterSet, "counted as holding the connection it took over");

      holders.get(1).proceed.countDown(); // ends keeping its connection
      assertTrue(holders.get(1).done.await(5, TimeUnit.SECONDS));
      // The step released what it took over (just after it ran); the second holder still holds its connection.
      JournalExecutor.Health after = settled(executor, h -> h.connectionsHeld() == 1);
      assertEquals(1, after.connectionsHeld(), after.describe());
      assertEquals(0, after.waitingForConnection(), after.describe());
      assertEquals(2, after.threads(), after.describe());
    } finally {
      holders.forEach(h -> h.proceed.countDown());
      executor.close();
    }
  }

  @Test
  void manyActionsOverFewConnectionsAllRunAndGiveEveryConnectionBack() throws Exception {
    JournalExecutor executor = new JournalExecutor("journal-test", 3, 3, 10_000);
    int actions = 2_000;
    CountDownLatch allDone = new CountDownLatch(actions);
    AtomicInteger concurrent = new AtomicInteger();
    AtomicInteger most = new AtomicInteger();
    try {
      for (int i = 0; i < actions; i++) {
        executor.executionContext().execute(new Action(AsyncExecutor.Fresh$.MODULE$, true) {
          @Override
          public void run() {
            int now = concurrent.incrementAndGet();
            most.accumulateAndGet(now, Math::max);
            Thread.onSpinWait();
            concurrent.decrementAndGet();
            connectionReleased = true;
            allDone.countDown();
          }
        });
      }
      assertTrue(allDone.await(30, TimeUnit.SECONDS), executor.health().describe());
      assertTrue(most.get() <= 3, "more actions than connections at once: " + most.get());
      // The last release happens just after the action's own count-down.
      JournalExecutor.Health health = settled(executor, h -> h.connectionsHeld() == 0);
      assertEquals(0, health.connectionsHeld(), health.describe());
      assertFalse(health.stalled(Duration.ZERO), health.describe());
    } finally {
      executor.close();
    }
  }

  @Test
  void newActionsBeyondTheQueueAreRefusedAndStepsOfRunningOnesAreNot() throws Exception {
    JournalExecutor executor = new JournalExecutor("journal-test", 1, 1, 2);
    Action blocker = new Action(AsyncExecutor.WithConnection$.MODULE$, false);
    try {
      executor.executionContext().execute(blocker);
      assertTrue(blocker.started.await(5, TimeUnit.SECONDS));
      executor.executionContext().execute(new Action(AsyncExecutor.Fresh$.MODULE$, true));
      executor.executionContext().execute(new Action(AsyncExecutor.Fresh$.MODULE$, true));
      var refused = assertThrows(java.util.concurrent.RejectedExecutionException.class,
          () -> executor.executionContext().execute(new Action(AsyncExecutor.Fresh$.MODULE$, true)));
      assertTrue(refused.getMessage().contains("2 new database actions"), refused.getMessage());
      executor.executionContext().execute(new Action(AsyncExecutor.WithConnection$.MODULE$, false));
      assertTrue(executor.health().stalled(Duration.ZERO), executor.health().describe());
    } finally {
      blocker.proceed.countDown();
      executor.close();
    }
  }
}
