package org.coursebatch.bench;

import java.util.concurrent.CompletionStage;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntFunction;

/** Sends numbered asks to entities with at most a given number in flight, counting the answered ones. */
final class Pipelined {

  private Pipelined() {}

  /**
   * Sends asks {@code 0 … count-1} ({@code send} makes each), at most {@code concurrency} unanswered
   * at once, and waits for all; {@code done} counts the answers as they come. Stops sending at the
   * first failure and throws it.
   */
  static void run(int count, int concurrency, AtomicInteger done, IntFunction<CompletionStage<?>> send) throws InterruptedException {
    Semaphore inFlight = new Semaphore(concurrency);
    AtomicReference<Throwable> failure = new AtomicReference<>();
    for (int i = 0; i < count && failure.get() == null; i++) {
      inFlight.acquire();
      send.apply(i).whenComplete((ok, e) -> {
        if (e != null) {
          failure.compareAndSet(null, e);
        }
        done.incrementAndGet();
        inFlight.release();
      });
    }
    inFlight.acquire(concurrency);
    if (failure.get() != null) {
      throw new IllegalStateException("An ask failed", failure.get());
    }
  }
}
