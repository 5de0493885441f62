package org.coursebatch.core.enrollment.bulk;

import org.coursebatch.core.enrollment.Participation;
import org.coursebatch.core.error.Rejection;

/** The outcome of one update form: the enrolment and where the learner now stands, or the error. */
public record UpdateResponse(String formId, String enrollmentId, Participation participation, Integer waitlistPosition,
    Rejection error) implements ItemResponse {

  static UpdateResponse failed(String formId, String enrollmentId, Rejection error) {
    return new UpdateResponse(formId, enrollmentId, null, null, error);
  }
}
