package org.coursebatch.node.audit;

import java.io.PrintWriter;
import java.util.concurrent.CompletionStage;
import org.coursebatch.core.error.RejectedException;
import org.coursebatch.core.error.Rejections;

/** How the journal-reading commands end: 0 when done, 1 with the reason on stderr when refused or failed. */
final class AuditFailures {

  private AuditFailures() {}

  @FunctionalInterface
  interface Work {
    int run() throws Exception;
  }

  static int reported(String command, PrintWriter err, Work work) {
    try {
      return work.run();
    } catch (Exception e) {
      Throwable cause = Rejections.unwrap(e);
      String why = cause instanceof RejectedException r ? r.rejection().message()
          : cause.getMessage() == null ? cause.toString() : cause.getMessage();
      err.println(command + ": " + why);
      err.flush();
      return 1;
    }
  }

  /** The stage's value, or its failure as it is (a rejection stays a rejection). */
  static <T> T await(CompletionStage<T> stage) {
    try {
      return stage.toCompletableFuture().join();
    } catch (RuntimeException e) {
      throw Rejections.propagate(e);
    }
  }
}
