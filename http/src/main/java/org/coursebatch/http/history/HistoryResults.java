package org.coursebatch.http.history;

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

  public CompletionStage<HistoryResult> batch(String batchId, HistoryQuery query) {
    if (query.at().isPresent()) {
      return history.batchAt(batchId, query.at().get()).thenApply(view -> HistoryResult.BatchAt.of(view, query.at().get()));
    }
    return history.batchHistory(batchId, query.fromSequenceNr(), query.limit())
        .thenApply(page -> HistoryResult.History.of(page, batchId, null));
  }

  public CompletionStage<HistoryResult> enrollment(EnrollmentId id, HistoryQuery query) {
    if (query.at().isPresent()) {
      return history.enrollmentAt(id, query.at().get()).thenApply(found -> HistoryResult.EnrollmentAt.of(found, query.at().get()));
    }
    return history.enrollmentHistory(id, query.fromSequenceNr(), query.limit())
        .thenApply(page -> HistoryResult.History.of(page, id.batchId(), id));
  }
}
