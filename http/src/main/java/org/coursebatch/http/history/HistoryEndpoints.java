package org.coursebatch.http.history;

import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.coursebatch.core.batch.BatchService;
import org.coursebatch.core.batch.BatchView;
import org.coursebatch.core.enrollment.EnrollmentId;
import org.coursebatch.core.enrollment.bulk.EnrollmentBatchAdmin;
import org.coursebatch.core.error.ErrorCode;
import org.coursebatch.core.error.Rejection;
import org.coursebatch.core.access.AccessPolicy;
import org.coursebatch.core.access.Operation;
import org.coursebatch.core.access.Requester;
import org.coursebatch.core.identity.Caller;
import org.coursebatch.core.history.HistoryQuery;
import org.coursebatch.http.api.ApiRequest;
import org.coursebatch.http.api.Endpoint;

/**
 * The journal as an audit trail over HTTP: a batch's or an enrolment's history, page by page, or
 * its state at an instant ({@code at}). Only the auditor roles and the batch's creator and mentors
 * may read a batch's journal and those of its enrolments.
 */
public record HistoryEndpoints(HistoryResults results, BatchService batches, EnrollmentBatchAdmin enrollments,
    AccessPolicy access, Clock clock) {

  /**
   * @param enrollments resolves enrolment aliases
   * @param access who may read a batch's journal
   */
  public HistoryEndpoints {}

  public List<Endpoint> endpoints() {
    return List.of(
        Endpoint.get("/v1/course/batch/{batchId}/history", "api.course.batch.history", this::batchHistory),
        Endpoint.get("/api/course/v1/batch/{batchId}/history", "api.course.batch.history", this::batchHistory),
        Endpoint.get("/v1/enrollments/{enrollmentId}/history", "api.enrollments.history", this::enrollmentHistory));
  }

  private CompletionStage<HistoryResult> batchHistory(ApiRequest req) {
    HistoryQuery query = query(req);
    String batchId = req.pathParam("batchId");
    return readableBatch(batchId, req.requireCaller(), ErrorCode.BATCH_NOT_FOUND.reject(batchId))
        .thenCompose(view -> results.batch(batchId, query));
  }

  private CompletionStage<HistoryResult> enrollmentHistory(ApiRequest req) {
    HistoryQuery query = query(req);
    String idOrAlias = req.pathParam("enrollmentId");
    Caller caller = req.requireCaller();
    Rejection unknown = ErrorCode.ENROLLMENT_NOT_FOUND.reject(idOrAlias);
    return enrollments.resolve(idOrAlias).thenCompose(named -> {
      EnrollmentId id = named.orElseThrow(unknown::asException);
      return readableBatch(id.batchId(), caller, unknown).thenCompose(view -> results.enrollment(id, query));
    });
  }

  private HistoryQuery query(ApiRequest req) {
    return HistoryQuery.parse(req.query("at"), req.query("fromSequenceNr"), req.query("limit"), clock.instant());
  }

  /** The batch, when it exists (else {@code unknown}) and the caller may read its journal (else FORBIDDEN). */
  private CompletionStage<BatchView> readableBatch(String batchId, Caller caller, Rejection unknown) {
    return batches.find(batchId).thenApply(found -> {
      BatchView view = found.orElseThrow(unknown::asException);
      access.require(Operation.BATCH_HISTORY, Requester.of(caller, Optional.empty()), AccessPolicy.Target.batch(view.batch()));
      return view;
    });
  }
}
