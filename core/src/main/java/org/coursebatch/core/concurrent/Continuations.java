package org.coursebatch.core.concurrent;

import akka.actor.typed.ActorSystem;
import akka.stream.javadsl.Sink;
import akka.stream.javadsl.Source;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import org.coursebatch.core.observe.LogContext;

/**
 * Moves a stage's continuations onto an executor of the service's choosing.
 *
 * <p>Stages that Akka converts from Scala futures (asks, {@code runWith(Sink...)}, outbound HTTP
 * calls) run even {@code thenApply} asynchronously on the JDK's default executor, so the Scala
 * future's thread is never held by a callback. On a machine with two CPUs the common pool has a
 * parallelism of one, and the JDK then starts a new thread for every such callback: several per
 * request. A stage passed through {@link #on} completes on the given executor (the actor system's
 * dispatcher) with one hop, and its callbacks run there as plain {@code CompletableFuture}
 * callbacks do.
 *
 * <p>The logging context (a request's id, route, caller and trace: {@link LogContext}) of the thread
 * that passes a stage through {@link #on} is set on the thread that delivers its outcome, for as long
 * as the callbacks that delivery runs take, and the thread's own context is put back after: lines
 * logged after an ask still name the request, and none leaks into the thread's next work.
 */
public final class Continuations {

  private Continuations() {}

  /** {@code stage}'s outcome, delivered on {@code executor}. */
  public static <T> CompletionStage<T> on(Executor executor, CompletionStage<T> stage) {
    CompletableFuture<T> settled = new CompletableFuture<>();
    Map<String, String> context = LogContext.capture();
    stage.whenCompleteAsync((value, failure) -> {
      Map<String, String> outer = LogContext.enter(context);
      try {
        if (failure == null) {
          settled.complete(value);
        } else {
          settled.completeExceptionally(failure);
        }
      } finally {
        LogContext.leave(context, outer);
      }
    }, executor);
    return settled;
  }

  /**
   * {@code stage}'s outcome, delivered on the thread that completes it: for callbacks that only
   * send a message, such as an actor's {@code pipeToSelf}.
   */
  public static <T> CompletionStage<T> inline(CompletionStage<T> stage) {
    return on(Runnable::run, stage);
  }

  /** Runs {@code source} to a list, delivered on the system's dispatcher. */
  public static <T> CompletionStage<List<T>> toList(Source<T, ?> source, ActorSystem<?> system) {
    return on(system.executionContext(), source.runWith(Sink.seq(), system));
  }
}
