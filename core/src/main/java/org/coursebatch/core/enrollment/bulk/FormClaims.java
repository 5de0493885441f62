package org.coursebatch.core.enrollment.bulk;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * What a form's token vouches for. Short property names keep a 10,000-form request small.
 *
 * @param incarnation the enrolment's incarnation (update forms), 0 on create forms
 * @param expiresAt epoch seconds
 */
record FormClaims(
    @JsonProperty("i") String id,
    @JsonProperty("k") EnrollmentForm.Kind kind,
    @JsonProperty("b") String batchId,
    @JsonProperty("u") String userId,
    @JsonProperty("n") int incarnation,
    @JsonProperty("r") List<String> recordTypes,
    @JsonProperty("x") long expiresAt) {

  FormClaims {
    recordTypes = recordTypes == null ? List.of() : List.copyOf(recordTypes);
  }
}
