package org.coursebatch.core.exhaust;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What this node's exhaust worker does: attempts started, finished and failed
 * ({@code coursebatch.exhaust.jobs}), rows written by finished reports ({@code coursebatch.exhaust.rows},
 * whose rate is rows per second), and whether it is working on a job now.
 */
final class ExhaustMeters {

  private final Counter started;
  private final Counter finished;
  private final Counter failed;
  private final Counter rows;
  private final AtomicInteger running = new AtomicInteger();

  ExhaustMeters(MeterRegistry registry) {
    this.started = jobs(registry, "started");
    this.finished = jobs(registry, "finished");
    this.failed = jobs(registry, "failed");
    this.rows = Counter.builder("coursebatch.exhaust.rows").description("Rows written by finished exhaust reports")
        .register(registry);
    Gauge.builder("coursebatch.exhaust.running", running, AtomicInteger::get)
        .description("Exhaust jobs this node is generating now").register(registry);
  }

  private static Counter jobs(MeterRegistry registry, String outcome) {
    return Counter.builder("coursebatch.exhaust.jobs").description("Exhaust job attempts, by outcome")
        .tag("outcome", outcome).register(registry);
  }

  void started() {
    started.increment();
    running.set(1);
  }

  void finished(long reportRows) {
    finished.increment();
    rows.increment(reportRows);
    running.set(0);
  }

  void failed() {
    failed.increment();
    running.set(0);
  }
}
