package org.coursebatch.node.audit;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * Progress of a long run on stderr (stdout may carry the output): a line at most every second, and
 * one at the end. With the total counted before the run, a line says how far of it the run is and
 * about how long the rest takes at the rate so far:
 * {@code audit verify: 412,000 of 1,000,000 events (41.2 %) in 12.3 s (33,496/s), about 18 s left};
 * without one ({@link #UNKNOWN}), the count, time and rate alone. Rows written during the run may
 * take the count past the total: the line then says 100.0 % and no time left, never less.
 */
final class Progress {

  /** The total when it is not known before the run. */
  static final long UNKNOWN = -1;

  private static final long EVERY_NANOS = 1_000_000_000L;

  private final String command;
  private final String unit;
  private final long total;
  private final PrintWriter out;
  private final LongSupplier nanoTime;
  private final long started;
  private long lastPrinted;
  private long count;

  /** Progress of {@code command} through {@code total} (or {@link #UNKNOWN}) {@code unit}, on {@code out}. */
  Progress(String command, String unit, long total, PrintWriter out) {
    this(command, unit, total, out, System::nanoTime);
  }

  /** As above, timed by {@code nanoTime} (a reading of {@link System#nanoTime()}). */
  Progress(String command, String unit, long total, PrintWriter out, LongSupplier nanoTime) {
    this.command = command;
    this.unit = unit;
    this.total = total;
    this.out = out;
    this.nanoTime = nanoTime;
    this.started = nanoTime.getAsLong();
    this.lastPrinted = started;
  }

  void step() {
    count++;
    long now = nanoTime.getAsLong();
    if (now - lastPrinted >= EVERY_NANOS) {
      lastPrinted = now;
      print(line(now, false));
    }
  }

  long count() {
    return count;
  }

  void done() {
    print(line(nanoTime.getAsLong(), true));
  }

  private void print(String line) {
    out.println(line);
    out.flush();
  }

  /** The line for the count so far at {@code now}; the final one says "(done)" instead of the time left. */
  String line(long now, boolean done) {
    double seconds = Math.max((now - started) / 1e9, 1e-9);
    double rate = count / seconds;
    StringBuilder line = new StringBuilder(command).append(": ");
    if (total < 0) {
      line.append(String.format(Locale.ROOT, "%,d %s", count, unit));
    } else {
      long permille = count >= total ? 1000 : count * 1000 / total; // rounded down: 100.0 % only when all are there
      line.append(String.format(Locale.ROOT, "%,d of %,d %s (%d.%d %%)", count, total, unit, permille / 10, permille % 10));
    }
    line.append(String.format(Locale.ROOT, " in %.1f s (%,.0f/s)", seconds, rate));
    if (done) {
      line.append(" (done)");
    } else if (total >= 0 && count > 0) {
      line.append(", about ").append(duration(Math.round(Math.max(total - count, 0) / rate))).append(" left");
    }
    return line.toString();
  }

  /** Whole seconds as {@code 17 s}, {@code 4 min 5 s} or {@code 2 h 13 min}. */
  static String duration(long seconds) {
    if (seconds < 60) {
      return seconds + " s";
    }
    if (seconds < 3600) {
      return seconds / 60 + " min " + seconds % 60 + " s";
    }
    return seconds / 3600 + " h " + seconds % 3600 / 60 + " min";
  }
}
