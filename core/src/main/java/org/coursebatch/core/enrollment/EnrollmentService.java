package org.coursebatch.core.enrollment;

import akka.actor.typed.ActorSystem;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.coursebatch.core.access.AccessChecks;
import org.coursebatch.core.access.Operation;
import org.coursebatch.core.batch.BatchService;
import org.coursebatch.core.batch.BatchView;
import org.coursebatch.core.catalog.CourseCatalog;
import org.coursebatch.core.enrollment.EnrollmentCommand.*;
import org.coursebatch.core.error.RejectedException;
import org.coursebatch.core.error.Rejection;
import org.coursebatch.core.identity.Caller;
import org.coursebatch.core.request.ClientRequest;
import org.coursebatch.core.request.DeadlinePassedException;
import org.coursebatch.core.request.EntityAsks;
import org.coursebatch.core.request.RequestKey;
import org.coursebatch.core.user.UserDirectory;

/**
 * The enrolment use cases: read the batch (and the course, the learner's organisation) where the
 * rules need them, check who may act, then ask the learner's enrolment entity. Results complete
 * with the outcome, or fail with a {@link RejectedException} (nothing changed) or an ask timeout
 * (nothing changed either when it is a {@link DeadlinePassedException}). Writes carry the client
 * request's deadline and, where a repeat would not be harmless, its idempotency key.
 *
 * <p>Requests about several learners or batches answer item by item: an item that did not answer
 * in time is reported as unavailable next to those that were applied; only when none was applied
 * does the whole request fail (503), so a 503 always means nothing was applied.
 */
public final class EnrollmentService {

  private final EnrollmentBatches batches;
  private final EnrollmentAsks asks;
  private final LearnerItems learnerItems;
  private final ProgressRecording progress;
  private final AccessChecks access;

  /** @param access who may act on a batch's enrolments and on which learners */
  public EnrollmentService(ActorSystem<?> system, BatchService batches, CourseCatalog catalog, UserDirectory users,
      Duration askTimeout, Clock clock, AccessChecks access) {
    this.batches = new EnrollmentBatches(batches, users);
    this.asks = new EnrollmentAsks(system, clock, askTimeout);
    this.learnerItems = new LearnerItems(system);
    this.progress = new ProgressRecording(this.batches, catalog, asks);
    this.access = access;
  }

  /** Where a learner stands after enrolling: enrolled, or waiting at a position. */
  public record EnrolOutcome(Participation participation, Integer waitlistPosition) {}

  /** Per-learner outcome of a bulk request: success (with certificates issued, if any) or why not. */
  public record ItemOutcome(Rejection rejection, List<IssuedCertificate> issued) {
    static ItemOutcome ok(List<IssuedCertificate> issued) {
      return new ItemOutcome(null, issued);
    }

    static ItemOutcome failed(Rejection r) {
      return new ItemOutcome(r, List.of());
    }

    public boolean succeeded() {
      return rejection == null;
    }
  }

  /** A content or assessment item of a progress report, with the batch it is for. */
  public record ProgressItem(String batchId, String courseId, ContentUpdate content, AssessmentAttempt attempt) {}

  /**
   * Enrol {@code userId} in the batch: the learner themself, or ({@code byAdmin}) on their behalf a
   * caller with authority over them (a system admin, an org admin of their organisation, or the
   * batch's creator or a mentor for users of the creator's organisation the batch was created for;
   * docs/security.md). A retry of a keyed enrolment that was recorded answers as the first time
   * did, not USER_ALREADY_ENROLLED_COURSE.
   */
  public CompletionStage<EnrolOutcome> enrol(String courseId, String batchId, String userId, Caller caller, boolean byAdmin,
      ClientRequest request) {
    return batches.ofCourse(courseId, batchId).thenCompose(view -> onLearnersIf(byAdmin, view, caller, List.of(userId)).thenCompose(x -> {
      RequestKey key = request.key(caller.userId(), "enrol", courseId, batchId, userId, byAdmin);
      return write(batchId, userId, request, (deadline, r) -> new Enrol(BatchTerms.of(view), byAdmin, caller.userId(), null,
              deadline, key, r))
          .thenApply(a -> new EnrolOutcome(a.enrollment().participation(), WaitlistPositions.waitlistPosition(a, view, userId)))
          .exceptionally(e -> {
            throw WaitlistPositions.withWaitlistPosition(e, view, userId);
          });
    }));
  }

  public CompletionStage<Enrollment> unenrol(String courseId, String batchId, String userId, Caller caller, boolean byAdmin,
      ClientRequest request) {
    return batches.ofCourse(courseId, batchId).thenCompose(view -> onLearnersIf(byAdmin, view, caller, List.of(userId)).thenCompose(x -> {
      RequestKey key = request.key(caller.userId(), "unenrol", courseId, batchId, userId);
      return write(batchId, userId, request, (deadline, r) -> new Unenrol(BatchTerms.of(view), caller.userId(), null,
              deadline, key, r))
          .thenApply(EnrollmentReply.Accepted::enrollment);
    }));
  }

  /**
   * Adds users to the participants of a batch (invite-only batches admit only them). Idempotent
   * by nature: an invited user stays invited.
   */
  public CompletionStage<Map<String, ItemOutcome>> addParticipants(String batchId, List<String> userIds, Caller caller,
      ClientRequest request) {
    return batches.existing(batchId).thenCompose(view -> access.requireOnLearners(caller, view.batch(), userIds).thenCompose(x ->
        learnerItems.forEach(userIds,
            userId -> write(batchId, userId, request, (deadline, r) -> new Invite(BatchTerms.of(view), caller.userId(), deadline, null, r)))));
  }

  /**
   * Removes users from the participants; those enrolled and not yet done are unenrolled.
   * Idempotent by nature: a removed user has nothing left to remove.
   */
  public CompletionStage<Map<String, ItemOutcome>> removeParticipants(String batchId, List<String> userIds, Caller caller,
      ClientRequest request) {
    return batches.existing(batchId).thenCompose(view -> access.requireOnLearners(caller, view.batch(), userIds).thenCompose(x ->
        learnerItems.forEach(userIds, userId -> write(batchId, userId, request,
            (deadline, r) -> new RemoveParticipant(BatchTerms.of(view), caller.userId(), deadline, null, r)))));
  }

  /** Records a learner's reported progress, batch by batch ({@link ProgressRecording}). */
  public CompletionStage<ProgressReport> recordProgress(String userId, List<ProgressItem> items, Caller caller,
      ClientRequest request) {
    return progress.record(userId, items, caller, request);
  }

  /** The learner's enrolment in a batch as the entity has it (never-enrolled: an empty one). */
  public CompletionStage<Enrollment> enrollment(String batchId, String userId) {
    return asks.read(batchId, userId, GetEnrollment::new).thenApply(EnrollmentReply.Accepted::enrollment);
  }

  /**
   * Evaluates the batch's certificate templates for each user now (e.g. for a template added
   * after they completed); {@code reissue} issues again the certificates they already hold.
   */
  public CompletionStage<Map<String, ItemOutcome>> issueCertificates(String courseId, String batchId, List<String> userIds,
      boolean reissue, Caller caller, ClientRequest request) {
    return batches.toIssueFrom(courseId, batchId).thenCompose(view -> access.requireOnBatch(Operation.BATCH_ADMINISTER, caller, view.batch())
        .thenCompose(who -> learnerItems.forEach(userIds, userId -> batches.rootOrgIfNeeded(view, userId).thenCompose(org -> {
          RequestKey key = request.key(caller.userId(), "certificates.issue", courseId, batchId, userId, reissue);
          return write(batchId, userId, request, (deadline, r) -> new IssueCertificates(BatchTerms.of(view), org.orElse(null),
              reissue, caller.userId(), deadline, key, r));
        }))));
  }

  /**
   * The batch, when it exists (else INVALID_COURSE_BATCH_ID) and the caller administers its
   * enrolments (else UNAUTHORIZED_USER).
   */
  public CompletionStage<BatchView> administeredBatch(String batchId, Caller caller) {
    return batches.existing(batchId).thenCompose(view -> access.requireOnBatch(Operation.BATCH_ADMINISTER, caller, view.batch())
        .thenApply(who -> view));
  }

  /** Enrolling someone by an administrator needs authority over each learner; enrolling oneself needs none. */
  private CompletionStage<Void> onLearnersIf(boolean byAdmin, BatchView view, Caller caller, List<String> userIds) {
    return byAdmin ? access.requireOnLearners(caller, view.batch(), userIds) : CompletableFuture.completedFuture(null);
  }

  public AccessChecks access() {
    return access;
  }

  /**
   * Asks the learner's enrolment entity a write, with its deadline ({@link EntityAsks}); a
   * rejection fails the stage with its {@link RejectedException}, an expiry with a
   * {@link DeadlinePassedException}.
   */
  public CompletionStage<EnrollmentReply.Accepted> write(String batchId, String userId, ClientRequest request,
      EntityAsks.Command<EnrollmentCommand, EnrollmentReply> command) {
    return asks.write(batchId, userId, request, command);
  }
}
