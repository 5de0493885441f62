package org.coursebatch.core.exhaust;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;

/**
 * A checked request for a report of one batch, as the service stores it. {@code encryptionKey}
 * (the password of the file) is kept only until the job finishes.
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
    Optional<String> encryptionKey) {

  public NewJobRequest {
    encryptionKey = encryptionKey == null ? Optional.empty() : encryptionKey;
  }
}
