package org.coursebatch.core.journal;

import java.util.Objects;

/**
 * A snapshot of an entity's state with the hash of the last event it covers, so an entity that
 * recovers from the snapshot alone still continues its chain. {@code head} is null when the chain
 * was not known (events before the chain existed). Stored by {@link ChainedSnapshotSerializer}.
 */
public record ChainedSnapshot(String head, Object state) {
  public ChainedSnapshot {
    Objects.requireNonNull(state, "state");
  }
}
