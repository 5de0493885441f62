package org.coursebatch.core;

import akka.serialization.jackson.JacksonMigration;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * The one place where stored events are upgraded when an event's JSON shape changes.
 *
 * <p>To evolve an event: bump {@link #currentVersion()}, and add a step to {@link #transform}
 * that rewrites the JSON tree of events written with the older version (switch on the
 * {@code type} field). Events written before the change keep deserializing; the golden samples in
 * the tests prove it. Version 1 is the first schema, so there is nothing to transform yet.
 */
public final class JournalEventMigration extends JacksonMigration {

  @Override
  public int currentVersion() {
    return 1;
  }

  @Override
  public JsonNode transform(int fromVersion, JsonNode json) {
    return json;
  }
}
