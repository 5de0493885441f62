package org.coursebatch.node.cluster;

import akka.actor.AbstractExtensionId;
import akka.actor.CoordinatedShutdown;
import akka.actor.ExtendedActorSystem;
import akka.actor.Extension;
import akka.actor.ExtensionIdProvider;
import akka.pattern.Patterns;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import org.coursebatch.persistence.db.Database;

/**
 * What the readiness probe needs to know besides cluster membership: whether the node serves its
 * API, and its database. A node reports ready only once it is fully started, and not ready again
 * as soon as it starts shutting down, so a load balancer stops sending it requests while it
 * still finishes the ones it has.
 */
public final class NodeReadiness implements Extension {

  public static final Id ID = new Id();

  public static final class Id extends AbstractExtensionId<NodeReadiness> implements ExtensionIdProvider {
    @Override
    public NodeReadiness createExtension(ExtendedActorSystem system) {
      return new NodeReadiness();
    }

    @Override
    public Id lookup() {
      return ID;
    }
  }

  private volatile Database database;
  private volatile boolean serving;
  private final AtomicBoolean checking = new AtomicBoolean();
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
    if (!checking.compareAndSet(false, true)) {
      return unreachable("the previous check has not finished");
    }
    int seconds = (int) Math.max(1, timeout.toSeconds());
    return db.runAsync(checker, c -> c.isValid(seconds))
        .handle((valid, error) -> {
          checking.set(false);
          if (error != null) {
            throw new IllegalStateException("database unreachable: " + error.getMessage(), error);
          }
          if (!valid) {
            throw new IllegalStateException("database unreachable: the connection did not pass its validity check");
          }
          return true;
        });
  }

  private static CompletionStage<Boolean> unreachable(String why) {
    return CompletableFuture.failedFuture(new IllegalStateException("database unreachable: " + why));
  }
}
