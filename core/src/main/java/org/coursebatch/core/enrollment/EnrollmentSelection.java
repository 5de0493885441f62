package org.coursebatch.core.enrollment;

import java.time.Instant;

/**
 * Which existing enrolments (enrolled, waiting or left; never deleted or merely invited) a bulk
 * operation addresses. Every non-null field narrows the selection.
 *
 * @param batchId enrolments of this batch
 * @param userId enrolments of this learner
 * @param administeredBy enrolments of batches this user created or mentors, or that were created
 *     for {@code organisation}: the catalog of an administrator
 * @param organisation see {@code administeredBy}; ignored without it
 * @param ineffectiveAt enrolments no longer in effect at this instant: left (unenrolled) at or
 *     before it, or of a batch whose end (the instant after its last day) is at or before it
 */
public record EnrollmentSelection(String batchId, String userId, String administeredBy, String organisation,
    Instant ineffectiveAt) {

  public static EnrollmentSelection ofBatch(String batchId) {
    return new EnrollmentSelection(batchId, null, null, null, null);
  }
}
