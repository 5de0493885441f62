package org.coursebatch.core.enrollment;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.coursebatch.core.batch.BatchService;
import org.coursebatch.core.batch.BatchView;
import org.coursebatch.core.error.ErrorCode;
import org.coursebatch.core.error.Rejection;
import org.coursebatch.core.user.UserDirectory;

/**
 * The batch an enrolment request names, looked up as the enrolment rules need it (it exists, it
 * belongs to the course, it may issue certificates), and the learner facts its templates ask for.
 */
final class EnrollmentBatches {

  private final BatchService batches;
  private final UserDirectory users;

  EnrollmentBatches(BatchService batches, UserDirectory users) {
    this.batches = batches;
    this.users = users;
  }

  /** The batch, when it exists; else INVALID_COURSE_BATCH_ID. */
  CompletionStage<BatchView> existing(String batchId) {
    return batches.find(batchId)
        .thenApply(found -> found.orElseThrow(() -> ErrorCode.INVALID_COURSE_BATCH_ID.reject().asException()));
  }

  /** The batch, when it exists and belongs to {@code courseId}; else Sunbird's INVALID_COURSE_BATCH_ID. */
  CompletionStage<BatchView> ofCourse(String courseId, String batchId) {
    return existing(batchId).thenApply(view -> {
      if (!view.batch().courseId().equals(courseId)) {
        throw ErrorCode.INVALID_COURSE_BATCH_ID.reject().asException();
      }
      return view;
    });
  }

  /** The batch, when certificates of {@code courseId} may be issued from it ({@link EnrollmentRules#certificateIssueRefusal}). */
  CompletionStage<BatchView> toIssueFrom(String courseId, String batchId) {
    return batches.find(batchId).thenApply(found -> {
      Rejection refused = EnrollmentRules.certificateIssueRefusal(found.map(BatchView::batch).orElse(null), courseId);
      if (refused != null) {
        throw refused.asException();
      }
      return found.get();
    });
  }

  /** The learner's root organisation, looked up only when one of the batch's templates asks for one. */
  CompletionStage<Optional<String>> rootOrgIfNeeded(BatchView view, String userId) {
    boolean needed = view.batch().certTemplates().values().stream()
        .anyMatch(t -> t.criteria() != null && t.criteria().userRootOrgId() != null);
    return needed ? users.rootOrgId(userId) : CompletableFuture.completedFuture(Optional.empty());
  }
}
