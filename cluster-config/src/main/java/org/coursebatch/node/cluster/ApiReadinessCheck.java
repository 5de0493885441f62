package org.coursebatch.node.cluster;

import akka.actor.ActorSystem;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/** Readiness check ({@code akka.management.health-checks.readiness-checks.api}): the node serves its HTTP API. */
public final class ApiReadinessCheck implements Supplier<CompletionStage<Boolean>> {

  private final NodeReadiness readiness;

  public ApiReadinessCheck(ActorSystem system) {
    this.readiness = NodeReadiness.get(system);
  }

  @Override
  public CompletionStage<Boolean> get() {
    return readiness.apiServed();
  }
}
