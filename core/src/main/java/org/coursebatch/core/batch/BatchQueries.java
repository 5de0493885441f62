package org.coursebatch.core.batch;

import java.time.Instant;
import java.util.concurrent.CompletionStage;

/** The read side of batches: searches over the {@code course_batch} projection. */
public interface BatchQueries {

  /** Batches matching {@code search}, with status and daysToGo as of {@code now}. */
  CompletionStage<BatchSearch.Page> search(BatchSearch search, Instant now);
}
