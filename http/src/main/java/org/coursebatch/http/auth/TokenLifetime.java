package org.coursebatch.http.auth;

import java.time.Duration;
import java.time.Instant;

/**
 * When a verified token may be used. It must carry {@code exp}: a token without one would be good
 * for ever, and one that leaked could not be outlived. Its lifetime is bounded too: {@code exp}
 * at most {@code maxTtl} after {@code iat} (after now when it has no {@code iat}), so that a
 * token minted to last for years is refused as if it had none. {@code nbf} and {@code iat} in the
 * future, beyond the clock difference tolerated with the issuer, are refused as well.
 */
record TokenLifetime(Duration clockSkew, Duration maxTtl) {

  /** What the times of a token decide. */
  sealed interface Decision {}

  record Usable() implements Decision {}

  /** Why the token is refused: for the log; the caller is told only that it is not authorized. */
  record Refused(String reason) implements Decision {}

  TokenLifetime {
    if (maxTtl.isNegative() || maxTtl.isZero()) {
      throw new IllegalArgumentException("The longest token lifetime must be positive, not " + maxTtl);
    }
  }

  /** The decision for a token's {@code iat}, {@code nbf} and {@code exp} (each null when absent) at {@code now}. */
  Decision judge(Instant issuedAt, Instant notBefore, Instant expiresAt, Instant now) {
    if (expiresAt == null) {
      return new Refused("it has no exp");
    }
    if (expiresAt.plus(clockSkew).isBefore(now)) {
      return new Refused("it expired at " + expiresAt);
    }
    if (notBefore != null && notBefore.minus(clockSkew).isAfter(now)) {
      return new Refused("it is not valid before " + notBefore);
    }
    if (issuedAt != null && issuedAt.minus(clockSkew).isAfter(now)) {
      return new Refused("it was issued in the future, at " + issuedAt);
    }
    // Without iat the lifetime counts from now, give or take the issuer's clock.
    Instant longest = issuedAt != null ? issuedAt.plus(maxTtl) : now.plus(maxTtl).plus(clockSkew);
    if (expiresAt.isAfter(longest)) {
      return new Refused("it expires at " + expiresAt + ", more than " + maxTtl + " after "
          + (issuedAt != null ? "its iat " + issuedAt : "now"));
    }
    return new Usable();
  }
}
