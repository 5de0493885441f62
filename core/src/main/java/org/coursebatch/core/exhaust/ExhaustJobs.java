package org.coursebatch.core.exhaust;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * The job table: requests, their claims by workers and their finished files. Every node of a
 * cluster works from the same table; a claim is atomic, and each update of a claimed job is
 * fenced by the claim's attempt number, so a worker that lost its lease changes nothing.
 */
public interface ExhaustJobs {

  /**
   * Stores a new request (SUBMITTED), or returns the pending one (SUBMITTED or PROCESSING) of the
   * same requester for the same tag, dataset, batch, format and key: pressing "request" twice
   * starts one job.
   */
  CompletionStage<JobRequest> submit(NewJobRequest request, Instant now);

  CompletionStage<Optional<JobRequest>> find(String requestId);

  /** The requests of a tag, most recent first, at most {@code limit}. */
  CompletionStage<List<JobRequest>> listByTag(String tag, int limit);

  /**
   * Takes up the oldest runnable job: a SUBMITTED one whose retry delay has passed, or a
   * PROCESSING one whose worker has given no sign of life for {@code lease} (its node died). The
   * job becomes PROCESSING with one more attempt. A dead worker's job that had its last attempt
   * becomes FAILED instead.
   */
  CompletionStage<Optional<ClaimedJob>> claimNext(Instant now, Duration lease, int maxAttempts);

  /** Records the worker's progress and sign of life; false when the claim is no longer this worker's. */
  CompletionStage<Boolean> heartbeat(ClaimedJob claim, int progress, Instant now);

  /**
   * Stores {@code file} as the job's file and marks it SUCCESS (forgetting the key), all in one
   * transaction; false (and nothing stored) when the claim is no longer this worker's.
   */
  CompletionStage<Boolean> complete(ClaimedJob claim, Path file, String fileName, Instant now, Instant expiresAt);

  /**
   * Records a failed attempt: back to SUBMITTED (runnable again after {@code retryDelay}) while
   * attempts are below {@code maxAttempts}, else FAILED (forgetting the key). Empty when the claim
   * is no longer this worker's.
   */
  CompletionStage<Optional<JobStatus>> fail(ClaimedJob claim, String message, Instant now, int maxAttempts,
      Duration retryDelay);

  /** Deletes the files of jobs that expired at or before {@code now}; returns how many pieces went. */
  CompletionStage<Integer> purgeExpired(Instant now);
}
