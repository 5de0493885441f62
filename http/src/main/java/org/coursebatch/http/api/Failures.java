package org.coursebatch.http.api;

import akka.http.scaladsl.model.EntityStreamSizeException;
import akka.pattern.AskTimeoutException;
import akka.pattern.CircuitBreakerOpenException;
import com.fasterxml.jackson.core.JsonProcessingException;
import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.util.Set;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeoutException;
import org.coursebatch.core.error.ErrorCode;
import org.coursebatch.core.error.RejectedException;
import org.coursebatch.core.error.Rejection;
import org.coursebatch.core.error.Rejections;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Turns whatever a request failed with into the rejection the client is told about. */
public final class Failures {

  private static final Logger log = LoggerFactory.getLogger(Failures.class);

  /**
   * SQLStates after which the same request may well succeed later: the server shut down or
   * restarts (57P01 to 57P03), has no connection to spare (53300), cancelled the statement on a
   * timeout (57014), or chose it as a deadlock's or serialization conflict's victim (40P01, 40001).
   * Every connection exception (class 08) is one too.
   */
  private static final Set<String> TEMPORARY_STATES = Set.of("57P01", "57P02", "57P03", "53300", "57014", "40P01", "40001");

  /** How far down a chain of causes is looked (a chain can loop). */
  private static final int MAX_CAUSES = 20;

  private Failures() {}

  public static Rejection toRejection(Throwable error, long maxBodyBytes) {
    Throwable e = Rejections.unwrap(error);
    if (e instanceof RejectedException r) {
      return r.rejection();
    }
    if (e instanceof EntityStreamSizeException) {
      return ErrorCode.REQUEST_TOO_LARGE.reject(maxBodyBytes);
    }
    if (e instanceof JsonProcessingException j) {
      return new Rejection(ErrorCode.INVALID_REQUESTED_DATA,
          "Request body is not valid JSON: " + j.getOriginalMessage() + " (line " + lineOf(j) + ").");
    }
    if (e instanceof AskTimeoutException || e instanceof TimeoutException) {
      log.warn("Request timed out: {}", e.getMessage());
      return ErrorCode.SERVICE_UNAVAILABLE.reject();
    }
    if (isUnavailable(e)) {
      // One line: an outage fails many requests alike, and their stack traces say nothing new.
      log.warn("Request failed, storage unavailable: {}", describe(e));
      return ErrorCode.SERVICE_UNAVAILABLE.reject();
    }
    log.error("Request failed", e);
    return ErrorCode.INTERNAL_ERROR.reject();
  }

  /**
   * Whether a failure means the database (or the journal in front of it) cannot serve for now, so
   * the request may succeed when retried: a connection that could not be had or broke, a server
   * shutting down or overloaded, a statement that timed out, work refused by a full queue, or an
   * open circuit breaker, anywhere in the chain of causes.
   */
  static boolean isUnavailable(Throwable failure) {
    Throwable t = failure;
    for (int depth = 0; t != null && depth < MAX_CAUSES; depth++, t = t.getCause()) {
      if (t instanceof SQLTransientException || t instanceof SQLRecoverableException
          || t instanceof RejectedExecutionException || t instanceof CircuitBreakerOpenException
          || t instanceof TimeoutException) {
        return true;
      }
      if (t instanceof SQLException sql && temporaryState(sql.getSQLState())) {
        return true;
      }
    }
    return false;
  }

  private static boolean temporaryState(String state) {
    return state != null && (state.startsWith("08") || TEMPORARY_STATES.contains(state));
  }

  /** The failure and, when it differs, its root cause, on one line. */
  private static String describe(Throwable e) {
    Throwable root = e;
    for (int depth = 0; root.getCause() != null && depth < MAX_CAUSES; depth++) {
      root = root.getCause();
    }
    return root == e ? e.toString() : e + " (cause: " + root + ")";
  }

  private static int lineOf(JsonProcessingException j) {
    return j.getLocation() == null ? 1 : j.getLocation().getLineNr();
  }
}
