package org.coursebatch.core.concurrent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;
import scala.concurrent.Promise;
import scala.jdk.javaapi.FutureConverters;

/** Callbacks of a stage converted from a Scala future run where {@link Continuations} puts them. */
class ContinuationsTest {

  private final ExecutorService pool = Executors.newSingleThreadExecutor(r -> new Thread(r, "chosen-pool"));

  @AfterEach
  void stop() {
    pool.shutdownNow();
    MDC.clear();
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

  @Test
  void theCallersLoggingContextIsSetWhereTheContinuationRunsAndClearedAfter() throws Exception {
    Promise<String> promise = Promise.apply();
    MDC.put("request_id", "req-1");
    MDC.put("route", "/v1/course/enroll");
    CompletionStage<Map<String, String>> seen = Continuations.on(pool, FutureConverters.asJava(promise.future()))
        .thenApply(v -> MDC.getCopyOfContextMap());
    MDC.clear(); // the request's thread goes on to other work
    promise.success("x");
    assertEquals(Map.of("request_id", "req-1", "route", "/v1/course/enroll"), seen.toCompletableFuture().get(5, TimeUnit.SECONDS));
    assertNull(pool.submit(MDC::getCopyOfContextMap).get(5, TimeUnit.SECONDS), "nothing left on the pool's thread");
  }

  @Test
  void aContinuationWithoutContextLeavesTheThreadsOwnAlone() throws Exception {
    pool.submit(() -> MDC.put("request_id", "of-the-pool")).get(5, TimeUnit.SECONDS);
    CompletableFuture<String> answer = new CompletableFuture<>();
    CompletionStage<String> seen = Continuations.on(pool, answer).thenApply(v -> String.valueOf(MDC.get("request_id")));
    answer.complete("x");
    assertEquals("of-the-pool", seen.toCompletableFuture().get(5, TimeUnit.SECONDS));
  }

  @Test
  void inlineOnAThreadWithAContextOfItsOwnPutsThatBack() throws Exception {
    Promise<String> promise = Promise.apply();
    MDC.put("request_id", "req-2");
    CompletionStage<String> seen = Continuations.inline(FutureConverters.asJava(promise.future()))
        .thenApply(v -> MDC.get("request_id"));
    MDC.clear();
    String after = pool.submit(() -> {
      MDC.put("request_id", "other");
      promise.success("x");
      return MDC.get("request_id");
    }).get(5, TimeUnit.SECONDS);
    assertEquals("req-2", seen.toCompletableFuture().get(5, TimeUnit.SECONDS));
    assertEquals("other", after, "the completing thread's own context is back");
  }
}
