package org.coursebatch.core.exhaust;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;
import java.util.Optional;
import org.coursebatch.core.access.ReportScope;

/**
 * A checked request for a report of one batch, as the service stores it. {@code encryptionKey}
 * (the password of the file) is kept only until the job finishes. {@code scope} is the personal
 * data the report may hold, fixed now from the requester's roles and organisation.
 */
public record NewJobRequest(
    String tag,
    Dataset dataset,
    String batchId,
    String courseId,
    String requestedBy,
    String requestedChannel,
    String outputFormat,
    JsonNode datasetConfig,
    Optional<String> encryptionKey,
    ReportScope scope) {

  public NewJobRequest {
    encryptionKey = encryptionKey == null ? Optional.empty() : encryptionKey;
    Objects.requireNonNull(scope, "scope");
  }
}
