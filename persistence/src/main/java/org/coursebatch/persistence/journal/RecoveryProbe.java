package org.coursebatch.persistence.journal;

import akka.actor.ClassicActorSystemProvider;
import akka.actor.ExtendedActorSystem;
import akka.actor.Props;
import akka.persistence.AbstractPersistentActor;
import akka.persistence.RecoveryCompleted;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;
import scala.Option;

/**
 * Whether a new entity could start right now: a persistent actor that recovers, as an entity's
 * first command makes it recover, through the same plugins (the snapshot store's load, the
 * journal's highest sequence number, each behind its circuit breaker), the same recovery permits
 * and the same journal database, and stops. It writes nothing; its persistence id is no entity's.
 *
 * <p>A classic persistent actor, because its recovery failure is an answer, not an error: it
 * reports it instead of logging it (a typed one always logs the failure it stops on).
 */
public final class RecoveryProbe extends AbstractPersistentActor {

  static final String PERSISTENCE_ID = "ReadinessProbe|recovery";
  private static final AtomicLong PROBES = new AtomicLong();

  private final CompletableFuture<Void> recovered;

  private RecoveryProbe(CompletableFuture<Void> recovered) {
    this.recovered = recovered;
  }

  /**
   * Starts a probe; the stage completes when it has recovered, or fails with why it could not
   * (for instance a breaker's {@code CircuitBreakerOpenException}, or the pool's timeout).
   */
  public static CompletionStage<Void> run(ClassicActorSystemProvider system) {
    CompletableFuture<Void> recovered = new CompletableFuture<>();
    // A system actor: a typed actor system takes no user actors from the outside.
    ((ExtendedActorSystem) system.classicSystem()).systemActorOf(
        Props.create(RecoveryProbe.class, () -> new RecoveryProbe(recovered)), "recovery-probe-" + PROBES.incrementAndGet());
    return recovered;
  }

  @Override
  public String persistenceId() {
    return PERSISTENCE_ID;
  }

  @Override
  public Receive createReceiveRecover() {
    return receiveBuilder().match(RecoveryCompleted.class, done -> {
      recovered.complete(null);
      getContext().stop(getSelf());
    }).build();
  }

  @Override
  public Receive createReceive() {
    return receiveBuilder().build();
  }

  /** Akka stops the actor after this. */
  @Override
  public void onRecoveryFailure(Throwable cause, Option<Object> event) {
    recovered.completeExceptionally(cause);
  }
}
