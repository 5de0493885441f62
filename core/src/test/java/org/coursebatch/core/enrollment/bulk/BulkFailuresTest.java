package org.coursebatch.core.enrollment.bulk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.coursebatch.core.error.ErrorCode;
import org.coursebatch.core.error.RejectedException;
import org.coursebatch.core.error.Rejection;
import org.junit.jupiter.api.Test;

class BulkFailuresTest {

  private static final Rejection DENIED = ErrorCode.PERMISSION_DENIED.reject("not yours");

  @Test
  void anItemsRuleRejectionIsReportedAsItIs() {
    assertSame(DENIED, BulkFailures.itemRejection(DENIED.asException(), "b1", "u1"));
    // As it comes out of a stage: wrapped.
    assertSame(DENIED, BulkFailures.itemRejection(new CompletionException(DENIED.asException()), "b1", "u1"));
  }

  @Test
  void anyOtherItemFailureIsOperationFailedNamingOnlyItsKind() {
    Rejection r = BulkFailures.itemRejection(new CompletionException(new TimeoutException("ask of entity x@10.0.0.1")), "b1", "u1");
    assertEquals(ErrorCode.OPERATION_FAILED, r.code());
    assertTrue(r.message().contains("TimeoutException"), r.message());
    assertTrue(!r.message().contains("10.0.0.1"), "no internals: " + r.message());
  }

  @Test
  void anOperationsResultPassesThrough() throws Exception {
    assertEquals("done", BulkFailures.guarded(() -> CompletableFuture.completedFuture("done")).toCompletableFuture().get());
  }

  @Test
  void aRejectionThrownAtOnceOrLaterFailsTheOperationWithIt() {
    assertSame(DENIED, failure(BulkFailures.guarded(() -> {
      throw DENIED.asException();
    })).rejection());
    assertSame(DENIED, failure(BulkFailures.guarded(() -> CompletableFuture.failedFuture(DENIED.asException()))).rejection());
  }

  @Test
  void anythingElseThrownAtOnceOrLaterIsOperationFailed() {
    var atOnce = failure(BulkFailures.<String>guarded(() -> {
      throw new IllegalStateException("bug");
    }));
    assertEquals(ErrorCode.OPERATION_FAILED, atOnce.rejection().code());
    assertTrue(atOnce.getMessage().contains("IllegalStateException") && atOnce.getMessage().contains("nothing was changed"),
        atOnce.getMessage());
    var later = failure(BulkFailures.<String>guarded(() -> CompletableFuture.failedFuture(new TimeoutException())));
    assertEquals(ErrorCode.OPERATION_FAILED, later.rejection().code());
  }

  private static RejectedException failure(CompletionStage<?> stage) {
    var e = assertThrows(ExecutionException.class, () -> stage.toCompletableFuture().get());
    return assertInstanceOf(RejectedException.class, e.getCause());
  }
}
