package org.coursebatch.http.history;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import org.coursebatch.core.batch.BatchView;
import org.coursebatch.core.enrollment.EnrollmentId;
import org.coursebatch.core.enrollment.bulk.EnrollmentBatchAdmin.FoundEnrollment;
import org.coursebatch.core.history.HistoryItem;
import org.coursebatch.core.history.HistoryPage;
import org.coursebatch.http.batch.BatchDocument;
import org.coursebatch.http.enrollment.bulk.EnrollmentReadResult;

/**
 * Journal history and states at an instant as the history routes answer them (and the
 * {@code audit} command prints them). Instants are ISO-8601, as {@code at=} takes them.
 */
public sealed interface HistoryResult {

  /** {@code {"history": {...}}}: a page of a batch's or an enrolment's journal. */
  record History(Page history) implements HistoryResult {
    public static History of(HistoryPage page, String batchId, EnrollmentId enrollmentId) {
      return new History(new Page(batchId, enrollmentId == null ? null : enrollmentId.toString(), page.persistenceId(),
          page.items().size(), page.items().stream().map(Entry::of).toList(), page.next()));
    }
  }

  /** {@code enrollmentId} for an enrolment's journal only; {@code next} is null on the last page. */
  record Page(
      String batchId,
      @JsonInclude(JsonInclude.Include.NON_NULL) String enrollmentId,
      String persistenceId,
      int count,
      List<Entry> events,
      Long next) {}

  /**
   * One journal entry: {@code hash} when the entry has one, {@code incarnation} for an enrolment's
   * entry, and the {@code change} as the journal holds it.
   */
  record Entry(
      String persistenceId,
      long sequenceNr,
      String type,
      String at,
      String actor,
      @JsonInclude(JsonInclude.Include.NON_NULL) String hash,
      @JsonInclude(JsonInclude.Include.NON_NULL) Integer incarnation,
      JsonNode change) {

    public static Entry of(HistoryItem item) {
      return new Entry(item.persistenceId(), item.sequenceNr(), item.type(), item.at().toString(), item.actor(), item.hash(),
          item.incarnation(), item.change());
    }
  }

  /** The batch as batch read shows it ({@code response}), as it was {@code at}. */
  record BatchAt(BatchDocument response, String at) implements HistoryResult {
    public static BatchAt of(BatchView view, Instant at) {
      return new BatchAt(BatchDocument.of(view), at.toString());
    }
  }

  /**
   * The enrolment as the enrolment read shows it ({@code enrollment}), as it was {@code at}. That
   * document is the enrolment routes' own, written as they write it.
   */
  record EnrollmentAt(EnrollmentReadResult.Document enrollment, String at) implements HistoryResult {
    public static EnrollmentAt of(FoundEnrollment found, Instant at) {
      return new EnrollmentAt(EnrollmentReadResult.Document.of(found), at.toString());
    }
  }
}
