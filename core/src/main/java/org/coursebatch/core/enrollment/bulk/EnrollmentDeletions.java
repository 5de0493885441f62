package org.coursebatch.core.enrollment.bulk;

import static org.coursebatch.core.enrollment.bulk.BulkFailures.guarded;
import static org.coursebatch.core.enrollment.bulk.BulkFailures.itemRejection;

import akka.NotUsed;
import akka.japi.pf.PFBuilder;
import akka.stream.Graph;
import akka.stream.SourceShape;
import akka.stream.javadsl.Source;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;
import org.coursebatch.core.enrollment.EnrollmentCommand;
import org.coursebatch.core.enrollment.EnrollmentId;
import org.coursebatch.core.enrollment.EnrollmentQueries;
import org.coursebatch.core.enrollment.EnrollmentSelection;
import org.coursebatch.core.enrollment.EnrollmentService;
import org.coursebatch.core.enrollment.bulk.EnrollmentResolver.Named;
import org.coursebatch.core.enrollment.bulk.ItemFanOut.Learners;
import org.coursebatch.core.error.ErrorCode;
import org.coursebatch.core.identity.Caller;
import org.coursebatch.core.request.ClientRequest;
import org.coursebatch.core.request.RequestKey;

/**
 * The deletions of one caller's request and which enrolments each selects: named ones, those of a
 * batch, and those of the caller's catalog (all, one learner's, or no longer in effect at a date).
 * Each enrolment is deleted under the same checks as a single deletion.
 */
final class EnrollmentDeletions {

  private final EnrollmentService enrollments;
  private final EnrollmentQueries queries;
  private final EnrollmentResolver resolver;
  private final ItemFanOut fanOut;
  private final InputLimits limits;
  private final AdminScope scope;
  private final Caller caller;
  private final ClientRequest items;

  EnrollmentDeletions(EnrollmentService enrollments, EnrollmentQueries queries, EnrollmentResolver resolver, ItemFanOut fanOut,
      InputLimits limits, AdminScope scope, Caller caller, ClientRequest items) {
    this.enrollments = enrollments;
    this.queries = queries;
    this.resolver = resolver;
    this.fanOut = fanOut;
    this.limits = limits;
    this.scope = scope;
    this.caller = caller;
    this.items = items;
  }

  CompletionStage<Source<DeleteResponse, NotUsed>> all() {
    return deleteSelected(null, null, null);
  }

  /** The enrolments named by id or alias; each name not found fails its item alone. */
  CompletionStage<Source<DeleteResponse, NotUsed>> named(List<String> enrollmentIds) {
    return guarded(() -> {
      limits.requireIds(enrollmentIds, "enrollmentIds");
      return scope.administered(EnrollmentResolver.primaryBatches(enrollmentIds), false).thenApply(views ->
          fanOut.apply(Source.from(enrollmentIds).mapAsync(fanOut.parallelism(),
                  id -> resolver.resolve(id).handle((found, e) -> new Named(id, found, e))), Named::userId, this::deleteNamed));
    });
  }

  CompletionStage<Source<DeleteResponse, NotUsed>> ofBatch(String batchId) {
    return guarded(() -> {
      InputLimits.requireText(batchId, "batchId");
      return scope.administered(Set.of(batchId), true).thenApply(views ->
          deleteAll(queries.enrollmentIds(EnrollmentSelection.ofBatch(batchId))));
    });
  }

  CompletionStage<Source<DeleteResponse, NotUsed>> ofStudent(String userId) {
    return guarded(() -> {
      InputLimits.requireText(userId, "userId");
      return deleteSelected(userId, null, null);
    });
  }

  CompletionStage<Source<DeleteResponse, NotUsed>> ineffectiveAt(Instant date) {
    return guarded(() -> {
      if (date == null) {
        throw ErrorCode.NULL_ARGUMENT.reject("date").asException();
      }
      return deleteSelected(null, date, null);
    });
  }

  private CompletionStage<DeleteResponse> deleteNamed(Named named, Learners learners) {
    String requested = named.requested();
    if (named.failure() != null) {
      return CompletableFuture.completedFuture(new DeleteResponse(requested, null, itemRejection(named.failure(), null, null)));
    }
    if (named.found().isEmpty()) {
      return CompletableFuture.completedFuture(new DeleteResponse(requested, null, ErrorCode.ENROLLMENT_NOT_FOUND.reject(requested)));
    }
    return checkedDelete(requested, named.found().get(), learners);
  }

  /** Deletes an enrolment named by a request: one found through an alias is checked on its own. */
  private CompletionStage<DeleteResponse> checkedDelete(String requested, EnrollmentId id, Learners learners) {
    if (EnrollmentId.parse(requested).isPresent()) {
      return delete(requested, id, learners);
    }
    return scope.mayAdminister(id.batchId()).thenCompose(denied -> denied == null
        ? delete(requested, id, learners)
        : CompletableFuture.completedFuture(new DeleteResponse(requested, id.toString(), denied)));
  }

  private CompletionStage<DeleteResponse> delete(String requested, EnrollmentId id, Learners learners) {
    RequestKey key = items.key(caller.userId(), "bulk.delete", id.toString());
    return fanOut.onBatch(id.batchId(), view -> scope.onLearner(view, id.userId(), learners, false,
            () -> enrollments.write(id.batchId(), id.userId(), items,
                    (deadline, r) -> new EnrollmentCommand.DeleteEnrollment(id.incarnation(), caller.userId(), deadline, key, r))
                .thenApply(a -> new DeleteResponse(requested, id.toString(), null)),
            denied -> new DeleteResponse(requested, id.toString(), denied)))
        .exceptionally(e -> new DeleteResponse(requested, id.toString(), itemRejection(e, id.batchId(), id.userId())));
  }

  /** Deletes the enrolments of the caller's catalog that the other arguments (when not null) select. */
  private CompletionStage<Source<DeleteResponse, NotUsed>> deleteSelected(String userId, Instant ineffectiveAt, String batchId) {
    return guarded(() -> scope.requester()
        .thenApply(who -> deleteAll(queries.enrollmentIds(scope.catalogOf(who, batchId, userId, ineffectiveAt)))));
  }

  /**
   * Deletes the enrolments the read side lists. One it lists but that is already gone (deleted a
   * moment ago; the read side trails the journal) was not asked for by name and is left out. If
   * the listing breaks off, the deletions under way are still reported before the stream fails.
   */
  private Source<DeleteResponse, NotUsed> deleteAll(Source<EnrollmentId, NotUsed> ids) {
    AtomicReference<Throwable> listingFailed = new AtomicReference<>();
    Source<EnrollmentId, NotUsed> listed = ids
        .recoverWithRetries(1, new PFBuilder<Throwable, Graph<SourceShape<EnrollmentId>, NotUsed>>()
            .match(Throwable.class, e -> {
              listingFailed.set(e);
              return Source.empty();
            }).build());
    return fanOut.apply(listed, EnrollmentId::userId, (id, learners) -> delete(id.toString(), id, learners))
        .filter(r -> r.error() == null || r.error().code() != ErrorCode.ENROLLMENT_NOT_FOUND)
        .concatLazy(Source.lazySource(() -> listingFailed.get() == null
            ? Source.<DeleteResponse>empty()
            : Source.<DeleteResponse>failed(listingFailed.get())));
  }
}
