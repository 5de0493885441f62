package org.coursebatch.http.enrollment;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.NullNode;
import org.coursebatch.core.enrollment.EnrollmentService.EnrolOutcome;
import org.coursebatch.core.enrollment.Participation;

/**
 * {@code response: SUCCESS}, the answer to an enrolment change; an enrolment into a full batch
 * adds {@code waitlisted} and the position it waits at.
 *
 * @param waitlistPosition a JSON value so that a waitlisted learner whose position is not known
 *     gets {@code null} while an active one gets no field at all
 */
public record EnrolResult(
    String response,
    @JsonInclude(JsonInclude.Include.NON_NULL) Boolean waitlisted,
    @JsonInclude(JsonInclude.Include.NON_NULL) JsonNode waitlistPosition) {

  /** Done, nothing to add. */
  public static final EnrolResult SUCCESS = new EnrolResult("SUCCESS", null, null);

  public static EnrolResult of(EnrolOutcome outcome) {
    if (outcome.participation() != Participation.WAITLISTED) {
      return SUCCESS;
    }
    return new EnrolResult(SUCCESS.response, true, position(outcome.waitlistPosition()));
  }

  /** A waitlisted learner's position as written: null when it is not known. */
  static JsonNode position(Integer position) {
    return position == null ? NullNode.getInstance() : IntNode.valueOf(position);
  }
}
