package org.coursebatch.node.audit;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Locale;
import java.util.regex.Pattern;

/** What the audit commands' tests expect of the progress on stderr. */
public final class ProgressLines {

  private ProgressLines() {}

  /**
   * {@code output} ends its progress with the line of a run through all of the {@code total}
   * counted before it, e.g. {@code audit verify: 7 of 7 events (100.0 %) in 0.2 s (35/s) (done)}.
   */
  public static void assertAllDone(String output, String command, long total, String unit) {
    String done = output.lines().filter(l -> l.startsWith(command + ": ") && l.endsWith(" (done)")).reduce((a, b) -> b)
        .orElseThrow(() -> new AssertionError("no progress line of " + command + " in: " + output));
    String count = String.format(Locale.ROOT, "%,d", total);
    assertTrue(done.matches(Pattern.quote(command + ": " + count + " of " + count + " " + unit + " (100.0 %) in ")
        + "\\d+\\.\\d s \\([0-9,]+/s\\) \\(done\\)"), done);
  }
}
