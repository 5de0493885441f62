package org.coursebatch.http.enrollment.bulk;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.coursebatch.core.enrollment.bulk.UpdateResponse;
import org.coursebatch.http.api.StreamedResult;

/** An update form's outcome, named by the form and the enrolment's primary id: where the learner stands, or the error. */
public record UpdateItem(
    @JsonInclude(JsonInclude.Include.NON_NULL) String formId,
    @JsonInclude(JsonInclude.Include.NON_NULL) String enrollmentId,
    boolean successful,
    @JsonInclude(JsonInclude.Include.NON_NULL) String participation,
    @JsonInclude(JsonInclude.Include.NON_NULL) Integer waitlistPosition,
    @JsonInclude(JsonInclude.Include.NON_NULL) ItemError error) implements StreamedResult.Counted {

  public static UpdateItem of(UpdateResponse r) {
    if (!r.succeeded()) {
      return new UpdateItem(r.formId(), r.enrollmentId(), false, null, null, ItemError.of(r.error()));
    }
    return new UpdateItem(r.formId(), r.enrollmentId(), true, r.participation() == null ? null : r.participation().name(),
        r.waitlistPosition(), null);
  }
}
