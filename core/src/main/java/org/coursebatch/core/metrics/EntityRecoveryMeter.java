package org.coursebatch.core.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.TimeUnit;

/**
 * Times an entity's start: from the behaviour's creation to its recovery's end (snapshot and events
 * read and folded), and counts recoveries that failed. One per entity incarnation.
 */
public final class EntityRecoveryMeter {

  public static final String NAME = "coursebatch.entity.recoveries";
  public static final String FAILURES = "coursebatch.entity.recovery.failures";

  private final Timer recoveries;
  private final Counter failures;
  private final long started = System.nanoTime();

  /** Made as the entity starts: both meters exist from the first entity of a type on. */
  public EntityRecoveryMeter(MeterRegistry registry, String entityType) {
    this.recoveries = Timer.builder(NAME).description("Entity recoveries, from start to the last event folded")
        .tag("entity", entityType).register(registry);
    this.failures = Counter.builder(FAILURES).description("Entity recoveries that failed").tag("entity", entityType)
        .register(registry);
  }

  public void completed() {
    recoveries.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
  }

  public void failed() {
    failures.increment();
  }
}
