package org.coursebatch.core.request;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The keyed requests an entity recorded events for lately, so that a retry of one (the same
 * caller, key and digest) is answered with its first outcome instead of being applied again.
 * Part of the entity's state, rebuilt from the {@link RequestKey}s its events carry, so it
 * survives restarts and crashes like any acknowledged write.
 *
 * <p>Bounded, as it lives in every entity's memory and snapshots: the {@value #MAX} most recent
 * requests, each for {@link #TTL} after it was recorded. A caller's key names its latest request:
 * the same key with another digest (a client that reuses one id for all its requests) replaces the
 * earlier entry, so only a repeat of the latest request with that key counts as a retry. Pruning
 * goes by the instants of the events, never the clock, so replay rebuilds the same entries.
 */
public record RememberedRequests(List<Remembered> entries) {

  public static final int MAX = 10;
  public static final Duration TTL = Duration.ofHours(24);

  private static final RememberedRequests NONE = new RememberedRequests(List.of());

  /** A request's key as {@code actor} sent it, and the instant its events were recorded. */
  public record Remembered(String actor, String key, String digest, Instant at) {}

  public RememberedRequests {
    entries = entries == null ? List.of() : List.copyOf(entries);
  }

  public static RememberedRequests none() {
    return NONE;
  }

  /** With {@code key}, sent by {@code actor}, recorded at {@code at}: the newest entry. */
  public RememberedRequests remember(String actor, RequestKey key, Instant at) {
    List<Remembered> kept = new ArrayList<>(entries.size() + 1);
    for (Remembered r : entries) {
      boolean sameSlot = r.actor().equals(actor) && r.key().equals(key.key());
      if (!sameSlot && r.at().plus(TTL).isAfter(at)) {
        kept.add(r);
      }
    }
    kept.add(new Remembered(actor, key.key(), key.digest(), at));
    return new RememberedRequests(kept.subList(Math.max(0, kept.size() - MAX), kept.size()));
  }

  /**
   * When the events of the request {@code key} names were recorded, if it is remembered: sent by
   * {@code actor} with the same key and digest, and recorded less than {@link #TTL} before {@code now}.
   */
  public Optional<Instant> recorded(String actor, RequestKey key, Instant now) {
    if (key == null) {
      return Optional.empty();
    }
    for (Remembered r : entries) {
      if (r.actor().equals(actor) && r.key().equals(key.key())) {
        return r.digest().equals(key.digest()) && r.at().plus(TTL).isAfter(now) ? Optional.of(r.at()) : Optional.empty();
      }
    }
    return Optional.empty();
  }
}
