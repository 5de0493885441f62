package org.coursebatch.node.cluster;

import akka.actor.ActorSystem;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * Readiness check ({@code akka.management.health-checks.readiness-checks.database}): the database
 * answers. A node that cannot reach it would only answer 503s, so it is taken out of the load
 * balancer until the database is back (liveness stays green: restarting would not help).
 */
public final class DatabaseReadinessCheck implements Supplier<CompletionStage<Boolean>> {

  private final NodeReadiness readiness;
  private final Duration timeout;

  public DatabaseReadinessCheck(ActorSystem system) {
    this.readiness = NodeReadiness.get(system);
    this.timeout = system.settings().config().getDuration("akka.management.health-checks.check-timeout");
  }

  @Override
  public CompletionStage<Boolean> get() {
    return readiness.databaseReachable(timeout);
  }
}
