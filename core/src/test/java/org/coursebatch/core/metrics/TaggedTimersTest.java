package org.coursebatch.core.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class TaggedTimersTest {

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final TaggedTimers timers = new TaggedTimers(Timer.builder("t").withRegistry(registry), "method", "status");

  @Test
  void theSameValuesGiveTheRegistrysOneTimer() {
    Timer first = timers.with("GET", "200");
    assertSame(first, timers.with("GET", "200"));
    assertSame(first, registry.get("t").tags("method", "GET", "status", "200").timer());
    assertNotSame(first, timers.with("GET", "404"));
  }

  @Test
  void recordsLandInTheSeriesOfTheirTags() {
    timers.with("GET", "200").record(3, TimeUnit.MILLISECONDS);
    timers.with("GET", "200").record(5, TimeUnit.MILLISECONDS);
    timers.with("POST", "200").record(7, TimeUnit.MILLISECONDS);
    assertEquals(2, registry.get("t").tags("method", "GET", "status", "200").timer().count());
    assertEquals(1, registry.get("t").tags("method", "POST", "status", "200").timer().count());
    assertEquals(2, registry.find("t").timers().size());
  }

  @Test
  void aValueForEachKeyIsNeeded() {
    assertThrows(IllegalArgumentException.class, () -> timers.with("GET"));
  }
}
