package org.coursebatch.core.history;

import java.time.DateTimeException;
import java.time.Instant;
import java.util.Optional;
import org.coursebatch.core.error.ErrorCode;
import org.coursebatch.core.json.FieldLimits;

/**
 * What an auditor asks of an entity's journal: its state at an instant ({@code at}), or else a
 * page of its history from a sequence number. The HTTP routes and the command line read their
 * parameters through {@link #parse}, so both accept and refuse the same values with the same words.
 */
public record HistoryQuery(Optional<Instant> at, long fromSequenceNr, int limit) {

  public static final int DEFAULT_LIMIT = 100;
  public static final int MAX_LIMIT = 1000;

  /**
   * The query of these parameters (each absent or as given), or a rejection (400): {@code at} an
   * ISO-8601 instant not later than {@code now} nor earlier than 1970 ({@link FieldLimits}), {@code fromSequenceNr} a whole number of at least
   * 1 (default 1), {@code limit} one from 1 to {@value #MAX_LIMIT} (default {@value #DEFAULT_LIMIT}).
   */
  public static HistoryQuery parse(Optional<String> at, Optional<String> fromSequenceNr, Optional<String> limit, Instant now) {
    long from = number("fromSequenceNr", fromSequenceNr, 1, Long.MAX_VALUE, 1);
    int size = (int) number("limit", limit, 1, MAX_LIMIT, DEFAULT_LIMIT);
    return new HistoryQuery(at.map(text -> instant(text, now)), from, size);
  }

  private static Instant instant(String text, Instant now) {
    Instant at;
    try {
      // A '+' of an offset that was not percent-encoded reads as a space in a query.
      at = Instant.parse(text.trim().replace(' ', '+'));
    } catch (DateTimeException e) {
      throw ErrorCode.INVALID_INSTANT.reject("at", text).asException();
    }
    if (at.isAfter(now)) {
      throw ErrorCode.INSTANT_IN_FUTURE.reject("at", at, now).asException();
    }
    return FieldLimits.requireInRange(at, "at");
  }

  private static long number(String name, Optional<String> text, long min, long max, long absent) {
    if (text.isEmpty()) {
      return absent;
    }
    try {
      long value = Long.parseLong(text.get().trim());
      if (value >= min && value <= max) {
        return value;
      }
    } catch (NumberFormatException e) {
      // refused below
    }
    String range = max == Long.MAX_VALUE ? "of at least " + min : "from " + min + " to " + max;
    throw ErrorCode.NUMBER_OUT_OF_RANGE.reject(name, range, text.get()).asException();
  }
}
