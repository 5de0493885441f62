package org.coursebatch.core.enrollment.bulk;

import org.coursebatch.core.enrollment.Participation;
import org.coursebatch.core.error.Rejection;

/**
 * The outcome of one create form: the new enrolment's id and where the learner stands (enrolled,
 * or waiting at {@code waitlistPosition} in a full batch), or the error. {@code formId} is the id
 * the form's token carries, or the id the client claimed when the token could not be read.
 *
 * @param progress the enrolment's progress when the form asked for {@link EnrollmentBatchAdmin#PROGRESS_RECORD}
 */
public record CreateResponse(String formId, String enrollmentId, Participation participation, Integer waitlistPosition,
    EnrollmentProgress progress, Rejection error) implements ItemResponse {

  static CreateResponse failed(String formId, Rejection error) {
    return new CreateResponse(formId, null, null, null, null, error);
  }
}
