package org.coursebatch.node.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The lines {@link Progress} prints, on a clock the test moves. */
class ProgressTest {

  private static final long SECOND = 1_000_000_000L;

  private final AtomicLong now = new AtomicLong(42 * SECOND);
  private final StringWriter printed = new StringWriter();

  private Progress progress(long total) {
    return new Progress("audit verify", "events", total, new PrintWriter(printed), now::get);
  }

  private List<String> lines() {
    return printed.toString().lines().toList();
  }

  /** {@code n} steps spread evenly over {@code nanos}. */
  private void steps(Progress p, long n, long nanos) {
    long start = now.get();
    for (long i = 1; i <= n; i++) {
      now.set(start + nanos * i / n);
      p.step();
    }
  }

  @Test
  void aKnownTotalGivesThePercentageTheRateAndTheTimeLeft() {
    Progress p = progress(1_000_000);
    steps(p, 412_000, 12_300_000_000L);
    assertEquals("audit verify: 412,000 of 1,000,000 events (41.2 %) in 12.3 s (33,496/s), about 18 s left",
        p.line(now.get(), false));
  }

  @Test
  void aLineAtMostEverySecondAndOneAtTheEnd() {
    Progress p = progress(300);
    steps(p, 100, SECOND / 2);
    assertEquals(List.of(), lines(), "nothing before the first second");
    steps(p, 100, SECOND / 2);
    steps(p, 100, SECOND);
    now.addAndGet(SECOND / 2);
    p.done();
    assertEquals(List.of(
        "audit verify: 200 of 300 events (66.6 %) in 1.0 s (200/s), about 1 s left",
        "audit verify: 300 of 300 events (100.0 %) in 2.0 s (150/s), about 0 s left",
        "audit verify: 300 of 300 events (100.0 %) in 2.5 s (120/s) (done)"), lines());
  }

  @Test
  void thePercentageIsRoundedDownSoAHundredMeansAll() {
    Progress p = progress(10_000);
    steps(p, 9_999, SECOND);
    assertEquals("audit verify: 9,999 of 10,000 events (99.9 %) in 1.0 s (9,999/s), about 0 s left",
        p.line(now.get(), false));
  }

  @Test
  void longRunsTellMinutesAndHours() {
    Progress p = progress(100_000);
    steps(p, 1_000, 10 * SECOND);
    assertEquals("audit verify: 1,000 of 100,000 events (1.0 %) in 10.0 s (100/s), about 16 min 30 s left",
        p.line(now.get(), false));
    Progress slow = progress(1_000_000);
    steps(slow, 10, 10 * SECOND);
    assertEquals("audit verify: 10 of 1,000,000 events (0.0 %) in 10.0 s (1/s), about 277 h 46 min left",
        slow.line(now.get(), false));
  }

  @Test
  void rowsWrittenDuringTheRunTakeTheCountPastTheTotalWithoutNegativeTimeLeft() {
    Progress p = progress(100);
    steps(p, 150, 3 * SECOND);
    assertEquals("audit verify: 150 of 100 events (100.0 %) in 3.0 s (50/s), about 0 s left", p.line(now.get(), false));
  }

  @Test
  void aZeroTotalIsAllDone() {
    Progress empty = progress(0);
    now.addAndGet(SECOND / 10);
    empty.done();
    assertEquals(List.of("audit verify: 0 of 0 events (100.0 %) in 0.1 s (0/s) (done)"), lines());
    Progress grown = progress(0);
    steps(grown, 5, SECOND);
    assertEquals("audit verify: 5 of 0 events (100.0 %) in 1.0 s (5/s), about 0 s left", grown.line(now.get(), false));
  }

  @Test
  void anUnknownTotalGivesTheCountTheTimeAndTheRate() {
    Progress p = progress(Progress.UNKNOWN);
    steps(p, 2_500, 2 * SECOND);
    p.done();
    assertEquals(List.of(
        "audit verify: 1,250 events in 1.0 s (1,250/s)",
        "audit verify: 2,500 events in 2.0 s (1,250/s)",
        "audit verify: 2,500 events in 2.0 s (1,250/s) (done)"), lines());
  }

  @Test
  void durations() {
    assertEquals("0 s", Progress.duration(0));
    assertEquals("59 s", Progress.duration(59));
    assertEquals("1 min 0 s", Progress.duration(60));
    assertEquals("59 min 59 s", Progress.duration(3599));
    assertEquals("1 h 0 min", Progress.duration(3600));
  }
}
