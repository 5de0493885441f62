package org.coursebatch.core.enrollment.bulk;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.coursebatch.core.error.ErrorCode;
import org.coursebatch.core.error.RejectedException;
import org.coursebatch.core.error.Rejection;
import org.coursebatch.core.error.Rejections;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How failures of bulk work are reported: a rule's rejection as it is, anything else as
 * OPERATION_FAILED, so a caller never sees an internal error and knows a retry is safe.
 */
final class BulkFailures {

  // Logged under the facade's name, as before the split, so log filters keep working.
  private static final Logger log = LoggerFactory.getLogger(EnrollmentBatchAdmin.class);

  private BulkFailures() {}

  /**
   * An item's error: a rule's rejection as single enrolment reports it, or OPERATION_FAILED when
   * an entity did not answer in time (the item may be retried with the same form; a command that
   * reached its entity after its deadline changed nothing).
   */
  static Rejection itemRejection(Throwable failure, String batchId, String userId) {
    Throwable cause = Rejections.unwrap(failure);
    if (cause instanceof RejectedException r) {
      return r.rejection();
    }
    log.warn("Bulk enrolment item for batch {} user {} failed: {}", batchId, userId, cause.toString());
    return ErrorCode.OPERATION_FAILED.reject("The item did not complete (" + cause.getClass().getSimpleName()
        + "); it changed nothing or completed in full: retry it.");
  }

  /** Runs a whole operation; what it throws, at once or later, fails the stage as a rejection. */
  static <T> CompletionStage<T> guarded(Supplier<CompletionStage<T>> operation) {
    CompletionStage<T> stage;
    try {
      stage = operation.get();
    } catch (RuntimeException e) {
      stage = CompletableFuture.failedFuture(e);
    }
    return stage.exceptionally(e -> {
      Throwable cause = Rejections.unwrap(e);
      if (cause instanceof RejectedException r) {
        throw r;
      }
      log.warn("Bulk enrolment operation failed", cause);
      throw ErrorCode.OPERATION_FAILED.reject("The operation could not be completed (" + cause.getClass().getSimpleName()
          + "): nothing was changed; please retry.").asException();
    });
  }
}
