package org.coursebatch.http.exhaust;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import org.coursebatch.core.exhaust.JobRequest;
import org.coursebatch.http.api.Envelope;

/**
 * A report request as the API shows it (never its key); instants are epoch milliseconds.
 * {@code downloadUrls} names the download route, with the prefix the request came in on, while
 * the file can be downloaded.
 */
public record JobDocument(
    String requestId,
    String tag,
    String dataset,
    String requestedBy,
    String requestedChannel,
    String status,
    JsonNode datasetConfig,
    @JsonProperty("output_format") String outputFormat,
    boolean encrypted,
    List<String> downloadUrls,
    Long expiresAt,
    JobStats jobStats,
    int attempts,
    int progress,
    Long lastUpdated,
    String errMessage,
    Long fileSize) {

  public static JobDocument of(JobRequest j, String prefix, Instant now) {
    return new JobDocument(j.requestId(), j.tag(), j.dataset().id(), j.requestedBy(), j.requestedChannel(), j.status().name(),
        j.datasetConfig() == null ? Envelope.JSON.createObjectNode() : j.datasetConfig(), j.outputFormat(), j.encrypted(),
        j.downloadable(now) ? List.of(prefix + "/download/" + j.requestId()) : List.of(),
        millis(j.expiresAt()), new JobStats(millis(j.submittedAt()), millis(j.completedAt()), j.executionTimeMs()),
        j.attempts(), j.progress(), millis(j.lastUpdated()), j.errMessage(), j.fileSize());
  }

  public record JobStats(Long dtJobSubmitted, Long dtJobCompleted, Long executionTime) {}

  /** A list by tag: {@code {count, jobs}}. */
  public record JobList(int count, List<JobDocument> jobs) {}

  private static Long millis(Instant at) {
    return at == null ? null : at.toEpochMilli();
  }
}
