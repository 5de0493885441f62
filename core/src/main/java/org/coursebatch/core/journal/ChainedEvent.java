package org.coursebatch.core.journal;

import java.util.Optional;
import org.coursebatch.core.JournalEvent;

/**
 * A journal event as stored with tamper evidence: the event, the hash of the entity's previous
 * event, and its own hash over both. Events written before the chain existed are stored as the
 * bare {@link JournalEvent}; readers of the journal take either through {@link #unwrap}.
 */
public record ChainedEvent(JournalEvent event, String prevHash, String hash) {

  /** The event a journal entry holds, whether chained or written before the chain existed. */
  public static JournalEvent unwrap(Object stored) {
    if (stored instanceof ChainedEvent chained) {
      return chained.event();
    }
    if (stored instanceof JournalEvent event) {
      return event;
    }
    throw new IllegalArgumentException("Not a journal event: " + (stored == null ? "null" : stored.getClass().getName()));
  }

  /** The entry's hash, empty for an event written before the chain existed. */
  public static Optional<String> hashOf(Object stored) {
    return stored instanceof ChainedEvent chained ? Optional.of(chained.hash()) : Optional.empty();
  }
}
