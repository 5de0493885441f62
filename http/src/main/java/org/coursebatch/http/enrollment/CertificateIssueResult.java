package org.coursebatch.http.enrollment;

import java.util.Map;
import org.coursebatch.core.enrollment.EnrollmentService.ItemOutcome;
import org.coursebatch.http.enrollment.UserOutcomesResult.UserOutcome;

/**
 * lms-service's answer to a certificate issue ({@code result}: what was submitted), then each
 * user's outcome with the certificates issued, as issuing happens here at once rather than in a
 * later job.
 */
public record CertificateIssueResult(Submitted result, String response, Map<String, UserOutcome> users) {

  public record Submitted(String status, String batchId, String courseId, String collectionId) {}

  public static CertificateIssueResult of(String courseId, String batchId, Map<String, ItemOutcome> outcomes) {
    var submitted = new Submitted("Certificates issue action for Course Batch Id " + batchId + " submitted Successfully!",
        batchId, courseId, courseId);
    return new CertificateIssueResult(submitted, EnrolResult.SUCCESS.response(), UserOutcome.byUser(outcomes, true));
  }
}
