package org.coursebatch.node.cluster;

import akka.actor.ActorSystem;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * Readiness check ({@code akka.management.health-checks.readiness-checks.journal}): a new entity
 * could start now, as a learner's first enrolment starts one. It recovers a probe through the
 * journal and snapshot plugins, so it fails whatever keeps entities from recovering: the database,
 * the journal's own pool or executor, a plugin's circuit breaker that is open, recovery permits all
 * taken. It answers just before the probe's own timeout, so the answer names the cause.
 */
public final class JournalReadinessCheck implements Supplier<CompletionStage<Boolean>> {

  private static final Duration MARGIN = Duration.ofMillis(250);

  private final NodeReadiness readiness;
  private final Duration timeout;

  public JournalReadinessCheck(ActorSystem system) {
    this.readiness = NodeReadiness.get(system);
    Duration checkTimeout = system.settings().config().getDuration("akka.management.health-checks.check-timeout");
    this.timeout = checkTimeout.compareTo(MARGIN.multipliedBy(2)) > 0 ? checkTimeout.minus(MARGIN) : checkTimeout;
  }

  @Override
  public CompletionStage<Boolean> get() {
    return readiness.journalRecovers(timeout);
  }
}
