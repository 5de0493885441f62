package org.coursebatch.core.exhaust;

import java.nio.file.Path;
import java.util.concurrent.CompletionStage;
import java.util.function.IntConsumer;
import org.coursebatch.core.batch.Batch;
import org.coursebatch.core.catalog.Course;

/** Writes a job's report into a temporary file, streaming from the read side. */
public interface ExhaustGenerator {

  /**
   * Starts writing the report of {@code claim} for the batch and its course; {@code progress}
   * hears the percentage of rows written as it grows.
   */
  Generation start(ClaimedJob claim, Batch batch, Course course, IntConsumer progress);

  /** A report being written. */
  interface Generation {
    /** The finished file (the caller deletes it), or the failure. */
    CompletionStage<Report> report();

    /** Stops writing; {@link #report} then fails. */
    void cancel();
  }

  /** A finished report: the temporary file, the name it is downloaded under and its rows. */
  record Report(Path file, String fileName, long rows) {}
}
