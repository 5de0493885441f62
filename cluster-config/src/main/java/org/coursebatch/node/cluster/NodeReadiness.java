package org.coursebatch.node.cluster;

import akka.actor.AbstractExtensionId;
import akka.actor.ActorSystem;
import akka.actor.CoordinatedShutdown;
import akka.actor.ExtendedActorSystem;
import akka.actor.Extension;
import akka.actor.ExtensionIdProvider;
import akka.pattern.Patterns;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
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
    CoordinatedShutdown.get(system).addTask(CoordinatedShutdown.PhaseBeforeServiceUnbind(), "readiness-off", () -> {
      serving = false;
      return Patterns.after(unbindDelay, system.classicSystem().scheduler(), system.executionContext(),
          () -> CompletableFuture.completedFuture(akka.Done.getInstance()));
    });
  }

  boolean isServing() {
    return serving;
  }

  /** Whether the database answers: a pooled connection that passes a validity check. */
  CompletionStage<Boolean> databaseReachable(ActorSystem system, Duration timeout) {
    Database db = database;
    if (db == null) {
      return CompletableFuture.completedFuture(false);
    }
    int seconds = (int) Math.max(1, timeout.toSeconds());
    return db.runAsync(Database.jdbcExecutor(akka.actor.typed.javadsl.Adapter.toTyped(system)), c -> c.isValid(seconds))
        .exceptionally(unreachable -> false);
  }
}
