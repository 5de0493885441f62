package org.coursebatch.core.request;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.cluster.sharding.typed.javadsl.EntityRef;
import akka.pattern.AskTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeoutException;
import org.coursebatch.core.concurrent.Continuations;
import org.coursebatch.core.error.Rejections;
import org.coursebatch.core.metrics.EntityCommandMeter;
import org.coursebatch.core.metrics.NodeMeters;

/**
 * The one way the services ask entities. Every answer continues on the actor system's dispatcher
 * ({@link Continuations}), never on a thread started for the callback.
 *
 * <p>Writes carry a deadline ({@link Deadlines}): the ask waits the ask timeout, or less when the
 * client must have its answer sooner ({@link ClientRequest#answerBy}); the command carries the
 * instant the wait ends, less the margin. With no time left for that, nothing is sent.
 */
public final class EntityAsks {

  /** Builds a write to send from its deadline and the reply address. */
  @FunctionalInterface
  public interface Command<C, R> {
    C create(Instant deadline, ActorRef<R> replyTo);
  }

  private final Executor dispatcher;
  private final Clock clock;
  private final Duration askTimeout;
  private final Duration margin;
  private final EntityCommandMeter meter;

  public EntityAsks(ActorSystem<?> system, Clock clock, Duration askTimeout) {
    this.dispatcher = system.executionContext();
    this.meter = new EntityCommandMeter(NodeMeters.registry(system), EntityAsks::timedOut);
    this.clock = clock;
    this.askTimeout = askTimeout;
    this.margin = Deadlines.margin(askTimeout);
  }

  /** Asks a read (or a write that needs no deadline), waiting the ask timeout. */
  @SuppressWarnings("unchecked")
  public <C, R> CompletionStage<R> read(EntityRef<C> entity, akka.japi.function.Function<ActorRef<R>, C> command) {
    Object[] sent = new Object[1];
    CompletionStage<R> answer = entity.ask(replyTo -> (C) (sent[0] = command.apply(replyTo)), askTimeout);
    return meter.timed(entity.getTypeKey().name(), sent[0], Continuations.on(dispatcher, answer));
  }

  /** Asks a write with its deadline. */
  @SuppressWarnings("unchecked")
  public <C, R> CompletionStage<R> write(EntityRef<C> entity, ClientRequest request, Command<C, R> command) {
    Instant now = clock.instant();
    Duration wait = askTimeout;
    if (request.answerBy() != null) {
      Duration left = Duration.between(now, request.answerBy());
      wait = left.compareTo(wait) < 0 ? left : wait;
    }
    if (wait.compareTo(margin) <= 0) {
      return CompletableFuture.failedFuture(new DeadlinePassedException("A command to " + entity.getEntityId(), now));
    }
    Instant deadline = now.plus(wait).minus(margin);
    Object[] sent = new Object[1];
    CompletionStage<R> answer = entity.ask(replyTo -> (C) (sent[0] = command.create(deadline, replyTo)), wait);
    return meter.timed(entity.getTypeKey().name(), sent[0], Continuations.on(dispatcher, answer));
  }

  /** Whether a (wrapped) failure is an entity that did not answer in time, or a command that expired. */
  public static boolean timedOut(Throwable failure) {
    Throwable e = Rejections.unwrap(failure);
    return e instanceof AskTimeoutException || e instanceof TimeoutException;
  }
}
