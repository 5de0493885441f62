package org.coursebatch.core.request;

import akka.actor.typed.ActorRef;
import akka.cluster.sharding.typed.javadsl.EntityRef;
import akka.pattern.AskTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeoutException;
import org.coursebatch.core.error.Rejections;

/**
 * Asks entities commands that carry a deadline ({@link Deadlines}). The ask waits the ask timeout,
 * or less when the client must have its answer sooner ({@link ClientRequest#answerBy}); the command
 * carries the instant the wait ends, less the margin. With no time left for that, nothing is sent.
 */
public final class DeadlineAsks {

  /** Builds the command to send from its deadline and the reply address. */
  @FunctionalInterface
  public interface Command<C, R> {
    C create(Instant deadline, ActorRef<R> replyTo);
  }

  private final Clock clock;
  private final Duration askTimeout;
  private final Duration margin;

  public DeadlineAsks(Clock clock, Duration askTimeout) {
    this.clock = clock;
    this.askTimeout = askTimeout;
    this.margin = Deadlines.margin(askTimeout);
  }

  public <C, R> CompletionStage<R> ask(EntityRef<C> entity, ClientRequest request, Command<C, R> command) {
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
    return entity.ask(replyTo -> command.create(deadline, replyTo), wait);
  }

  /** Whether a (wrapped) failure is an entity that did not answer in time, or a command that expired. */
  public static boolean timedOut(Throwable failure) {
    Throwable e = Rejections.unwrap(failure);
    return e instanceof AskTimeoutException || e instanceof TimeoutException;
  }
}
