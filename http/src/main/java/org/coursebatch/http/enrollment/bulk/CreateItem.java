package org.coursebatch.http.enrollment.bulk;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.coursebatch.core.enrollment.bulk.CreateResponse;
import org.coursebatch.http.api.StreamedResult;

/**
 * A create form's outcome, named by the form and the enrolment's primary id: where the learner
 * stands (and the progress carried over, if any), or the error. Absent values are left out.
 */
public record CreateItem(
    @JsonInclude(JsonInclude.Include.NON_NULL) String formId,
    @JsonInclude(JsonInclude.Include.NON_NULL) String enrollmentId,
    boolean successful,
    @JsonInclude(JsonInclude.Include.NON_NULL) String participation,
    @JsonInclude(JsonInclude.Include.NON_NULL) Integer waitlistPosition,
    @JsonInclude(JsonInclude.Include.NON_NULL) Progress progress,
    @JsonInclude(JsonInclude.Include.NON_NULL) ItemError error) implements StreamedResult.Counted {

  /** The progress part of the enrolment. */
  public record Progress(int status, int progress, int completionPercentage) {}

  public static CreateItem of(CreateResponse r) {
    if (!r.succeeded()) {
      return new CreateItem(r.formId(), r.enrollmentId(), false, null, null, null, ItemError.of(r.error()));
    }
    var p = r.progress();
    return new CreateItem(r.formId(), r.enrollmentId(), true, r.participation() == null ? null : r.participation().name(),
        r.waitlistPosition(), p == null ? null : new Progress(p.status(), p.progress(), p.completionPercentage()), null);
  }
}
