package org.coursebatch.core.concurrent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import scala.concurrent.Promise;
import scala.jdk.javaapi.FutureConverters;

/** Callbacks of a stage converted from a Scala future run where {@link Continuations} puts them. */
class ContinuationsTest {

  private final ExecutorService pool = Executors.newSingleThreadExecutor(r -> new Thread(r, "chosen-pool"));

  @AfterEach
  void stop() {
    pool.shutdownNow();
  }

  @Test
  void callbacksOfAConvertedScalaFutureRunOnTheGivenExecutor() throws Exception {
    Promise<String> promise = Promise.apply();
    CompletionStage<String> converted = FutureConverters.asJava(promise.future());
    CompletionStage<String> where = Continuations.on(pool, converted).thenApply(v -> v + " on " + Thread.currentThread().getName());
    // Without the hop, the JDK runs this thenApply on its default executor.
    CompletionStage<String> unmoved = converted.thenApply(v -> Thread.currentThread().getName());
    promise.success("answer");
    assertEquals("answer on chosen-pool", where.toCompletableFuture().get(5, TimeUnit.SECONDS));
    assertNotEquals("chosen-pool", unmoved.toCompletableFuture().get(5, TimeUnit.SECONDS));
  }

  @Test
  void aFailureArrivesAsItWas() throws Exception {
    Promise<String> promise = Promise.apply();
    IllegalStateException failure = new IllegalStateException("no");
    CompletionStage<String> moved = Continuations.on(pool, FutureConverters.asJava(promise.future()));
    promise.failure(failure);
    try {
      moved.toCompletableFuture().get(5, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      assertSame(failure, e.getCause());
      return;
    }
    throw new AssertionError("the stage should have failed");
  }

  @Test
  void inlineRunsOnTheCompletingThread() throws Exception {
    Promise<String> promise = Promise.apply();
    CompletionStage<String> where = Continuations.inline(FutureConverters.asJava(promise.future()))
        .thenApply(v -> Thread.currentThread().getName());
    pool.submit(() -> promise.success("x")).get(5, TimeUnit.SECONDS);
    assertEquals("chosen-pool", where.toCompletableFuture().get(5, TimeUnit.SECONDS));
  }
}
