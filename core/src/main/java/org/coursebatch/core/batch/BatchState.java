package org.coursebatch.core.batch;

import org.coursebatch.core.CborSerializable;

/**
 * The state of one batch entity: nothing yet, or a {@link Batch}. {@link #apply} is the only way
 * state changes; the entity and the read-side projection both use it, so they cannot disagree.
 */
public sealed interface BatchState extends CborSerializable permits BatchState.NoBatch, Batch {

  BatchState apply(BatchEvent event);

  static BatchState empty() {
    return NoBatch.INSTANCE;
  }

  /** Before {@code BatchCreated}. */
  record NoBatch() implements BatchState {
    static final NoBatch INSTANCE = new NoBatch();

    @Override
    public BatchState apply(BatchEvent event) {
      if (event instanceof BatchEvent.BatchCreated created) {
        return Batch.created(created);
      }
      throw new IllegalStateException("Unexpected event before BatchCreated: " + event);
    }
  }
}
