package org.coursebatch.http.enrollment.bulk;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.coursebatch.core.enrollment.bulk.AliasResponse;
import org.coursebatch.http.api.StreamedResult;

/** An alias's outcome: the alias, the enrolment it names, the one it named before (when it moved), or the error. */
public record AliasItem(
    @JsonInclude(JsonInclude.Include.NON_NULL) String aliasId,
    @JsonInclude(JsonInclude.Include.NON_NULL) String enrollmentId,
    @JsonInclude(JsonInclude.Include.NON_NULL) String previousEnrollmentId,
    boolean successful,
    @JsonInclude(JsonInclude.Include.NON_NULL) ItemError error) implements StreamedResult.Counted {

  public static AliasItem of(AliasResponse r) {
    return new AliasItem(r.aliasId(), r.enrollmentId(), r.previousEnrollmentId(), r.succeeded(),
        r.succeeded() ? null : ItemError.of(r.error()));
  }
}
