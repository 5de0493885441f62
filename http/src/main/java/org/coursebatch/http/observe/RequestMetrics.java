package org.coursebatch.http.observe;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.coursebatch.core.metrics.TaggedTimers;

/**
 * Times every HTTP request ({@code http.server.requests}) by method, route template and status,
 * with a latency histogram of fixed buckets. The route is the endpoint's template (ids as
 * {@code {batchId}}) or {@value RequestObserver#UNMATCHED}, and the method one the server knows, so the series stay
 * few whatever paths clients send.
 */
public final class RequestMetrics {

  public static final String NAME = "http.server.requests";

  /** Bucket bounds: from a read served from memory to the ask timeout. */
  private static final Duration[] BUCKETS = {
      Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100),
      Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5),
      Duration.ofSeconds(10)};

  private final TaggedTimers timers;

  public RequestMetrics(MeterRegistry registry) {
    this.timers = new TaggedTimers(Timer.builder(NAME).description("HTTP requests, from routing to the response")
        .serviceLevelObjectives(BUCKETS).withRegistry(registry), "method", "route", "status");
  }

  public void record(String method, String route, int status, long nanos) {
    timers.with(method, route, Integer.toString(status))
        .record(nanos, TimeUnit.NANOSECONDS);
  }
}
