package org.coursebatch.core.batch;

import java.security.SecureRandom;
import java.time.Clock;
import org.coursebatch.core.request.RequestKey;

/**
 * Batch ids: numeric like Sunbird's. A batch created without an idempotency key gets a fresh,
 * time-ordered one ("01" + epoch millis + 5 random digits); one created with a key gets one
 * derived from the request ("02" + 24 digits of its digest), so a retry of the request names the
 * same batch entity, which recognises it. The prefixes keep the two kinds apart.
 */
public final class BatchIds {

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final int DERIVED_DIGITS = 24;

  private BatchIds() {}

  public static String fresh(Clock clock) {
    return "01" + clock.millis() + String.format("%05d", RANDOM.nextInt(100_000));
  }

  public static String forRequest(RequestKey key) {
    return "02" + key.decimalDigits(DERIVED_DIGITS);
  }
}
