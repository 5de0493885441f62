package org.coursebatch.http.api;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Ids for requests that came without one ({@code msgid}, {@code resmsgid}, the access log's request
 * id): random (version 4) UUIDs, as Sunbird's, drawn from {@link ThreadLocalRandom}. They must be
 * unique, not secret, and {@link UUID#randomUUID()} takes the shared {@code SecureRandom}'s lock on
 * every request (1.7 % of a node's CPU under batch reads).
 */
public final class RequestIds {

  private RequestIds() {}

  public static String next() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    long high = random.nextLong() & ~0xF000L | 0x4000L; // version 4
    long low = random.nextLong() & ~(0xC000L << 48) | (0x8000L << 48); // IETF variant
    return new UUID(high, low).toString();
  }
}
