package org.coursebatch.core.schedule;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/** Where the wake-up scheduler learns which batches have status transitions due (the read side). */
public interface TransitionSchedule {

  /** Batches whose recorded status the clock has already passed at {@code now}, at most {@code limit}. */
  CompletionStage<List<String>> dueBatchIds(Instant now, int limit);

  /** The earliest status transition still ahead of {@code now}, if any. */
  CompletionStage<Optional<Instant>> nextTransitionAfter(Instant now);
}
