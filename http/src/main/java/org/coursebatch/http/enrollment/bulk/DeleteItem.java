package org.coursebatch.http.enrollment.bulk;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.coursebatch.core.enrollment.bulk.DeleteResponse;
import org.coursebatch.http.api.StreamedResult;

/**
 * A deletion's outcome: {@code enrollmentId} as the request named it (a primary id or an alias),
 * {@code primaryId} the enrolment it resolved to (when it did), or the error.
 */
public record DeleteItem(
    @JsonInclude(JsonInclude.Include.NON_NULL) String enrollmentId,
    @JsonInclude(JsonInclude.Include.NON_NULL) String primaryId,
    boolean successful,
    @JsonInclude(JsonInclude.Include.NON_NULL) ItemError error) implements StreamedResult.Counted {

  public static DeleteItem of(DeleteResponse r) {
    return new DeleteItem(r.requestedId(), r.enrollmentId(), r.succeeded(), r.succeeded() ? null : ItemError.of(r.error()));
  }
}
