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

  private final MeterRegistry registry;
  private final String entityType;
  private final long started = System.nanoTime();

  public EntityRecoveryMeter(MeterRegistry registry, String entityType) {
    this.registry = registry;
    this.entityType = entityType;
  }

  public void completed() {
    Timer.builder(NAME).description("Entity recoveries, from start to the last event folded")
        .tag("entity", entityType).register(registry)
        .record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
  }

  public void failed() {
    Counter.builder(FAILURES).description("Entity recoveries that failed").tag("entity", entityType)
        .register(registry).increment();
  }
}
