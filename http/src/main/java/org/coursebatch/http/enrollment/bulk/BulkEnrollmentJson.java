package org.coursebatch.http.enrollment.bulk;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.coursebatch.core.enrollment.bulk.EnrollmentBatchAdmin.FoundEnrollment;
import org.coursebatch.http.api.Envelope;

/** The enrolment read as a tree, for answers that add their own fields to it. */
public final class BulkEnrollmentJson {

  private BulkEnrollmentJson() {}

  /** {@link EnrollmentReadResult} as a JSON object. */
  public static ObjectNode enrollment(FoundEnrollment found) {
    return Envelope.JSON.valueToTree(EnrollmentReadResult.of(found));
  }
}
