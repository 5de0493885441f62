package org.coursebatch.http.history;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.concurrent.CompletionStage;
import org.coursebatch.core.enrollment.EnrollmentId;
import org.coursebatch.core.history.HistoryQuery;
import org.coursebatch.core.history.JournalHistory;

/**
 * The {@code result} a history query gives, whoever asks: the routes (once the caller may read)
 * and the {@code audit history} command print the same thing.
 */
public final class HistoryResults {

  private final JournalHistory history;

  public HistoryResults(JournalHistory history) {
    this.history = history;
  }

  public CompletionStage<JsonNode> batch(String batchId, HistoryQuery query) {
    if (query.at().isPresent()) {
      return history.batchAt(batchId, query.at().get()).thenApply(view -> HistoryJson.batchAt(view, query.at().get()));
    }
    return history.batchHistory(batchId, query.fromSequenceNr(), query.limit())
        .thenApply(page -> HistoryJson.page(page, batchId, null));
  }

  public CompletionStage<JsonNode> enrollment(EnrollmentId id, HistoryQuery query) {
    if (query.at().isPresent()) {
      return history.enrollmentAt(id, query.at().get()).thenApply(found -> HistoryJson.enrollmentAt(found, query.at().get()));
    }
    return history.enrollmentHistory(id, query.fromSequenceNr(), query.limit())
        .thenApply(page -> HistoryJson.page(page, id.batchId(), id));
  }
}
