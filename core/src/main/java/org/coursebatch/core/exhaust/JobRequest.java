package org.coursebatch.core.exhaust;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.Optional;
import org.coursebatch.core.access.ReportScope;
import org.coursebatch.core.json.AbsentJson;

/**
 * A report request and how far it got (Sunbird's {@code job_request} row). It never carries the
 * encryption key: {@code encrypted} only says whether the file is (or will be) protected by one.
 *
 * @param attempts how many times a worker took the job up (the current attempt while PROCESSING)
 * @param progress percent of the rows written by the current attempt; 100 once SUCCESS
 * @param startedAt when the current (or last) attempt started
 * @param executionTimeMs how long the successful attempt took
 * @param heartbeatAt the last sign of life of the worker of a PROCESSING job
 * @param fileSize bytes of the finished file
 * @param expiresAt after this instant the file is gone (null until SUCCESS)
 * @param scope the personal data the report may hold, fixed at submission; empty for a job stored
 *     before scopes were recorded
 */
public record JobRequest(
    String requestId,
    String tag,
    Dataset dataset,
    String batchId,
    String courseId,
    String requestedBy,
    String requestedChannel,
    String outputFormat,
    JsonNode datasetConfig,
    boolean encrypted,
    JobStatus status,
    int attempts,
    int progress,
    String errMessage,
    Instant submittedAt,
    Instant startedAt,
    Instant completedAt,
    Long executionTimeMs,
    Instant heartbeatAt,
    Instant lastUpdated,
    String fileName,
    Long fileSize,
    Instant expiresAt,
    Optional<ReportScope> scope) {

  public JobRequest {
    datasetConfig = AbsentJson.orNull(datasetConfig);
    scope = scope == null ? Optional.empty() : scope;
  }

  /** Whether the file can be downloaded at {@code now}. */
  public boolean downloadable(Instant now) {
    return status == JobStatus.SUCCESS && (expiresAt == null || now.isBefore(expiresAt));
  }
}
