package org.coursebatch.node.audit;

import java.io.PrintStream;

/** Progress of a long run on stderr (stdout may carry the output): a line at most every second, and one at the end. */
final class Progress {

  private final String what;
  private final PrintStream out;
  private final long started = System.nanoTime();
  private long lastPrinted = started;
  private long count;

  Progress(String what, PrintStream out) {
    this.what = what;
    this.out = out;
  }

  void step() {
    count++;
    long now = System.nanoTime();
    if (now - lastPrinted >= 1_000_000_000L) {
      lastPrinted = now;
      print(now, "");
    }
  }

  long count() {
    return count;
  }

  void done() {
    print(System.nanoTime(), " (done)");
  }

  private void print(long now, String suffix) {
    double seconds = Math.max((now - started) / 1e9, 1e-9);
    out.printf("%s: %,d in %.1f s (%,.0f/s)%s%n", what, count, seconds, count / seconds, suffix);
  }
}
