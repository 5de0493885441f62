package org.coursebatch.node.cluster;

import akka.actor.CoordinatedShutdown;
import akka.actor.Extension;
import akka.pattern.Patterns;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.coursebatch.core.SystemExtension;
import org.coursebatch.core.error.Rejections;
import org.coursebatch.persistence.db.Database;
import org.coursebatch.persistence.journal.RecoveryProbe;

/**
 * What the readiness probe needs to know besides cluster membership: whether the node serves its
 * API, whether its database answers, and whether a new entity can recover through the journal. A
 * node reports ready only once it is fully started, and not ready again as soon as it starts
 * shutting down, so a load balancer stops sending it requests while it still finishes the ones it
 * has.
 *
 * <p>Probes may come at once (the kubelet, a load balancer, an operator): a check that is under
 * way answers every probe that comes meanwhile, so none is refused for another's sake and the
 * database sees one check at a time.
 */
public final class NodeReadiness implements Extension {

  public static final SystemExtension<NodeReadiness> ID = new SystemExtension<>(system -> new NodeReadiness());

  private volatile akka.actor.typed.ActorSystem<?> system;
  private volatile Database database;
  private volatile boolean serving;
  private final SharedCheck<Boolean> databaseCheck = new SharedCheck<>();
  private final SharedCheck<Void> recoveryProbe = new SharedCheck<>();
  private final ExecutorService checker = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "readiness-database-check");
    t.setDaemon(true);
    return t;
  });

  private NodeReadiness() {}

  public static NodeReadiness get(akka.actor.ClassicActorSystemProvider system) {
    return ID.get(system.classicSystem());
  }

  /**
   * The node serves requests from now on. When coordinated shutdown begins (SIGTERM, or the node
   * leaves the cluster) it reports not ready and waits {@code unbindDelay} before the HTTP port
   * closes, the time a load balancer takes to notice.
   */
  public void serving(akka.actor.typed.ActorSystem<?> system, Database database, Duration unbindDelay) {
    this.system = system;
    this.database = database;
    this.serving = true;
    system.getWhenTerminated().thenRun(checker::shutdown);
    CoordinatedShutdown.get(system).addTask(CoordinatedShutdown.PhaseBeforeServiceUnbind(), "readiness-off", () -> {
      serving = false;
      return Patterns.after(unbindDelay, system.classicSystem().scheduler(), system.executionContext(),
          () -> CompletableFuture.completedFuture(akka.Done.getInstance()));
    });
  }

  /** Passes while the node serves its API; fails, naming why, while it starts or shuts down. */
  CompletionStage<Boolean> apiServed() {
    return serving ? CompletableFuture.completedFuture(true)
        : CompletableFuture.failedFuture(new IllegalStateException("the node does not serve its API (starting or shutting down)"));
  }

  /**
   * Passes when a pooled connection passes a validity check; fails, naming the cause, otherwise
   * (the probe's answer shows the message). Runs on a thread of its own, one check at a time, so
   * probes against an unreachable database never hold the threads the read side works on.
   */
  CompletionStage<Boolean> databaseReachable(Duration timeout) {
    Database db = database;
    if (db == null) {
      return unreachable("the node has not started");
    }
    int seconds = (int) Math.max(1, timeout.toSeconds());
    return databaseCheck.join(() -> db.runAsync(checker, c -> c.isValid(seconds))
        .handle((valid, error) -> {
          if (error != null) {
            throw new IllegalStateException("database unreachable: " + Rejections.unwrap(error).getMessage(), error);
          }
          if (!valid) {
            throw new IllegalStateException("database unreachable: the connection did not pass its validity check");
          }
          return true;
        }).toCompletableFuture());
  }

  /**
   * Passes when a new entity could start now: a {@link RecoveryProbe} recovers through the journal
   * and the snapshot store, their circuit breakers, the recovery permits and the journal's own
   * pool, within {@code timeout}. Fails naming what stopped it (an open breaker, no connection, no
   * answer in time).
   */
  CompletionStage<Boolean> journalRecovers(Duration timeout) {
    akka.actor.typed.ActorSystem<?> s = system;
    if (s == null) {
      return CompletableFuture.failedFuture(new IllegalStateException("new entities cannot recover: the node has not started"));
    }
    // One probe at a time: a probe that hangs is waited for again by the next check, not joined by another.
    return recoveryProbe.join(() -> probe(s))
        .orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
        .handle((done, error) -> {
          if (error != null) {
            Throwable cause = Rejections.unwrap(error);
            String why = cause instanceof TimeoutException ? "no answer within " + timeout : String.valueOf(cause.getMessage());
            throw new IllegalStateException("new entities cannot recover through the journal: " + why, cause);
          }
          return true;
        });
  }

  private static CompletableFuture<Void> probe(akka.actor.typed.ActorSystem<?> system) {
    try {
      return RecoveryProbe.run(system).toCompletableFuture();
    } catch (RuntimeException e) { // the system terminates
      return CompletableFuture.failedFuture(e);
    }
  }

  /**
   * A check that every probe arriving while it runs shares, instead of starting another; each gets
   * a copy of its outcome, to time out on its own.
   */
  private static final class SharedCheck<T> {
    private CompletableFuture<T> running;

    synchronized CompletableFuture<T> join(Supplier<CompletableFuture<T>> start) {
      if (running == null || running.isDone()) {
        running = start.get();
      }
      return running.copy();
    }
  }

  private static CompletionStage<Boolean> unreachable(String why) {
    return CompletableFuture.failedFuture(new IllegalStateException("database unreachable: " + why));
  }
}
