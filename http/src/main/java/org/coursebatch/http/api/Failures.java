package org.coursebatch.http.api;

import akka.http.scaladsl.model.EntityStreamSizeException;
import akka.pattern.AskTimeoutException;
import com.fasterxml.jackson.core.JsonProcessingException;
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
    log.error("Request failed", e);
    return ErrorCode.INTERNAL_ERROR.reject();
  }

  private static int lineOf(JsonProcessingException j) {
    return j.getLocation() == null ? 1 : j.getLocation().getLineNr();
  }
}
