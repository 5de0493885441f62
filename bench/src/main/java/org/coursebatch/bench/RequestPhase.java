package org.coursebatch.bench;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/** Many requests with a bounded number in flight, and what they took: each one's latency, the failures, the time of all. */
final class RequestPhase {
  final String name;
  final long[] latenciesNanos;
  /** When each request was answered ({@link System#nanoTime()}): the acknowledgement a later effect is timed from. */
  final long[] answeredAtNanos;
  final AtomicInteger failed = new AtomicInteger();
  long elapsedNanos;

  private RequestPhase(String name, int requests) {
    this.name = name;
    this.latenciesNanos = new long[requests];
    this.answeredAtNanos = new long[requests];
  }

  /** Sends {@code requests} requests with at most {@code concurrency} in flight; anything but 200 is a failure. */
  static RequestPhase run(HttpClient http, String name, int requests, int concurrency, IntFunction<HttpRequest> requestFor)
      throws InterruptedException {
    RequestPhase phase = new RequestPhase(name, requests);
    Semaphore inFlight = new Semaphore(concurrency);
    List<CompletableFuture<?>> all = new ArrayList<>(requests);
    long start = System.nanoTime();
    for (int i = 0; i < requests; i++) {
      HttpRequest request = requestFor.apply(i);
      inFlight.acquire();
      long sent = System.nanoTime();
      int index = i;
      all.add(http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).whenComplete((r, e) -> {
        long answered = System.nanoTime();
        phase.latenciesNanos[index] = answered - sent;
        phase.answeredAtNanos[index] = answered;
        if (e != null || r.statusCode() != 200) {
          if (phase.failed.incrementAndGet() <= 3) {
            System.err.println(name + " failed: " + (e != null ? e : r.statusCode() + " " + r.body()));
          }
        }
        inFlight.release();
      }));
    }
    CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).join();
    phase.elapsedNanos = System.nanoTime() - start;
    return phase;
  }

  double seconds() {
    return elapsedNanos / 1e9;
  }

  /** A Markdown table row: phase, requests, failed, seconds, requests/s, p50, p95, p99 and max ms. */
  String row() {
    long[] sorted = latenciesNanos.clone();
    Arrays.sort(sorted);
    return String.format("| %s | %d | %d | %.2f | %.0f | %.1f | %.1f | %.1f | %.1f |", name, sorted.length, failed.get(),
        seconds(), sorted.length / seconds(), ms(sorted, 0.50), ms(sorted, 0.95), ms(sorted, 0.99), sorted[sorted.length - 1] / 1e6);
  }

  private static double ms(long[] sorted, double q) {
    return sorted[(int) Math.min(sorted.length - 1, Math.floor(q * sorted.length))] / 1e6;
  }
}
