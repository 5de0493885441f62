package org.coursebatch.core.request;

import java.time.Duration;
import java.time.Instant;

/**
 * Deadlines of commands. A command an entity is asked carries the instant its asker stops waiting
 * for the answer, less a margin; the entity handles it only while its own clock is before that
 * instant and otherwise answers that it expired, having changed nothing. So a command that waited
 * (in a shard's buffer, in the entity's stash while it recovered, behind a slow journal) until its
 * caller had given up and answered 503 is never applied afterwards.
 *
 * <p>The margin is {@link #MAX_MARGIN}, or a fifth of the ask timeout when that is shorter. The
 * entity may run on another node than the asker; the margin covers the difference between their
 * clocks (NTP keeps the nodes of a cluster within milliseconds of each other) and the time a
 * command's events take to be written once the entity decided. A write that started in time but
 * was still under way when the caller gave up (a journal stalled mid-write) can still complete:
 * that case is what idempotency keys ({@link RequestKey}) are for.
 */
public final class Deadlines {

  public static final Duration MAX_MARGIN = Duration.ofSeconds(1);

  private Deadlines() {}

  /** The margin for asks that wait at most {@code askTimeout}. */
  public static Duration margin(Duration askTimeout) {
    Duration fifth = askTimeout.dividedBy(5);
    return fifth.compareTo(MAX_MARGIN) < 0 ? fifth : MAX_MARGIN;
  }

  /** Whether a command with this deadline (null: none) may no longer be applied at {@code now}. */
  public static boolean passed(Instant deadline, Instant now) {
    return deadline != null && !now.isBefore(deadline);
  }
}
