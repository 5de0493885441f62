package org.coursebatch.core.error;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * Reading failures that come out of futures: stages wrap them in {@link CompletionException}, and
 * the rejection inside (or the other failure) is what matters.
 */
public final class Rejections {

  private Rejections() {}

  /** The failure inside any future wrapping. */
  public static Throwable unwrap(Throwable e) {
    while ((e instanceof CompletionException || e instanceof ExecutionException) && e.getCause() != null) {
      e = e.getCause();
    }
    return e;
  }

  /** Whether a (wrapped) failure is a rejection with this code. */
  public static boolean hasCode(Throwable e, ErrorCode code) {
    return unwrap(e) instanceof RejectedException r && r.rejection().code() == code;
  }

  /** A (wrapped) failure as it is, to rethrow from another stage. */
  public static RuntimeException propagate(Throwable e) {
    Throwable cause = unwrap(e);
    return cause instanceof RuntimeException re ? re : new CompletionException(cause);
  }
}
