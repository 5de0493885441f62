package org.coursebatch.node.cluster;

import akka.actor.ActorSystem;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.coursebatch.persistence.projection.ProgressWatch;

/**
 * Readiness check ({@code akka.management.health-checks.readiness-checks.progress}): nothing on this
 * node is stalled or lags, as {@link ProgressWatch} last found: a projection with events pending
 * that stores nothing, a projection whose oldest pending event is older than the lag bound, or a
 * journal database executor with work waiting that finishes nothing. The
 * probe's answer names each stall; the watch has logged it when it began.
 */
public final class ProgressReadinessCheck implements Supplier<CompletionStage<Boolean>> {

  private final ProgressWatch watch;

  public ProgressReadinessCheck(ActorSystem system) {
    this.watch = ProgressWatch.get(system);
  }

  @Override
  public CompletionStage<Boolean> get() {
    List<String> stalls = watch.stalls();
    return stalls.isEmpty() ? CompletableFuture.completedFuture(true)
        : CompletableFuture.failedFuture(new IllegalStateException(String.join("; ", stalls)));
  }
}
