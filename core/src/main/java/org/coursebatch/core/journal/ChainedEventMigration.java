package org.coursebatch.core.journal;

import akka.serialization.jackson.JacksonMigration;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.coursebatch.core.JournalEventMigration;

/**
 * Evolves chained journal entries with {@link JournalEventMigration}'s steps: the event inside is
 * the same JSON as a bare event, so one migration serves both. The chain's two fields are taken
 * out before the steps run and put back after, so a step sees exactly the event. The stored bytes
 * are never rewritten: the hash stays over what was written, and {@code audit verify} checks it.
 */
public final class ChainedEventMigration extends JacksonMigration {

  // static: JacksonMigration's constructor already asks for the current version
  private static final JournalEventMigration EVENTS = new JournalEventMigration();

  @Override
  public int currentVersion() {
    return EVENTS.currentVersion();
  }

  @Override
  public int supportedForwardVersion() {
    return EVENTS.supportedForwardVersion();
  }

  @Override
  public JsonNode transform(int fromVersion, JsonNode json) {
    if (!(json instanceof ObjectNode entry)) {
      return EVENTS.transform(fromVersion, json);
    }
    JsonNode prevHash = entry.remove(JournalHash.PREV_HASH);
    JsonNode hash = entry.remove(JournalHash.HASH);
    JsonNode migrated = EVENTS.transform(fromVersion, entry);
    if (migrated instanceof ObjectNode event) {
      if (prevHash != null) {
        event.set(JournalHash.PREV_HASH, prevHash);
      }
      if (hash != null) {
        event.set(JournalHash.HASH, hash);
      }
    }
    return migrated;
  }
}
