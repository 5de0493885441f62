package org.coursebatch.core.observe;

import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;
import org.slf4j.MDC;

/**
 * A W3C trace context {@code traceparent}: {@code 00-<trace id, 32 hex>-<parent id, 16 hex>-<flags, 2 hex>}.
 *
 * <p>An incoming one is client input: only version 00 in exactly that form, lower-case hex, with
 * ids that are not all zeros, is taken ({@link #parse}); anything else is ignored as if absent.
 * Calls the node makes to other services carry the request's trace id with a new parent id
 * ({@link #forOutboundCall}), read from the logging context that moves with the request's work.
 */
public record TraceParent(String traceId, String parentId, String flags) {

  /** The header's name. */
  public static final String HEADER = "traceparent";
  /** The flags of a trace the node starts: not sampled (the node records no spans itself). */
  public static final String NOT_SAMPLED = "00";

  private static final Pattern FORMAT = Pattern.compile("00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}");
  private static final String ZERO_TRACE_ID = "0".repeat(32);
  private static final String ZERO_PARENT_ID = "0".repeat(16);

  /** The traceparent a header value names; empty when it is absent or not one. */
  public static Optional<TraceParent> parse(String value) {
    if (value == null || value.length() != 55 || !FORMAT.matcher(value).matches()) {
      return Optional.empty();
    }
    String traceId = value.substring(3, 35);
    String parentId = value.substring(36, 52);
    if (traceId.equals(ZERO_TRACE_ID) || parentId.equals(ZERO_PARENT_ID)) {
      return Optional.empty();
    }
    return Optional.of(new TraceParent(traceId, parentId, value.substring(53)));
  }

  /** A new random trace id (never all zeros). */
  public static String newTraceId() {
    return randomHex(2);
  }

  /** The header value. */
  public String header() {
    return "00-" + traceId + "-" + parentId + "-" + flags;
  }

  /**
   * The traceparent of a call to another service made now: the current request's trace (from the
   * logging context) with its span as parent when the node records spans, else a new parent id;
   * empty outside a request.
   */
  public static Optional<TraceParent> forOutboundCall() {
    String traceId = MDC.get(LogContext.TRACE_ID);
    if (traceId == null) {
      return Optional.empty();
    }
    String flags = MDC.get(LogContext.TRACE_FLAGS);
    String spanId = MDC.get(LogContext.SPAN_ID);
    return Optional.of(new TraceParent(traceId, spanId == null ? randomHex(1) : spanId, flags == null ? NOT_SAMPLED : flags));
  }

  /** This trace with a new parent id: for another attempt at a call. */
  public TraceParent withNewParentId() {
    return new TraceParent(traceId, randomHex(1), flags);
  }

  /** {@code longs} random 64-bit values as lower-case hex, 16 digits each, not all zeros. */
  private static String randomHex(int longs) {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    StringBuilder hex = new StringBuilder(16 * longs);
    boolean zero = true;
    for (int i = 0; i < longs; i++) {
      long v = random.nextLong();
      if (i == longs - 1 && zero && v == 0) {
        v = 1;
      }
      zero &= v == 0;
      String digits = Long.toHexString(v);
      hex.append("0".repeat(16 - digits.length())).append(digits);
    }
    return hex.toString();
  }
}
