package org.coursebatch.persistence.testing;

import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/** Waiting in tests: for a stage's result, and for an eventually consistent read side to catch up. */
public final class Eventually {

  private Eventually() {}

  public interface Check {
    void run() throws Exception;
  }

  public static <T> T await(CompletionStage<T> stage) throws Exception {
    return stage.toCompletableFuture().get(15, TimeUnit.SECONDS);
  }

  /** Retries {@code check} until it passes, for up to 15 seconds. */
  public static void eventually(Check check) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    while (true) {
      try {
        check.run();
        return;
      } catch (AssertionError | Exception e) {
        if (System.nanoTime() > deadline) {
          throw e;
        }
        Thread.sleep(100);
      }
    }
  }
}
