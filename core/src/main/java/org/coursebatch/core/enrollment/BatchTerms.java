package org.coursebatch.core.enrollment;

import java.time.Instant;
import java.util.Map;
import org.coursebatch.core.CborSerializable;
import org.coursebatch.core.batch.BatchStatus;
import org.coursebatch.core.batch.BatchView;
import org.coursebatch.core.batch.EnrollmentType;
import org.coursebatch.core.certificate.CertificateTemplate;

/**
 * What an enrolment needs to know of its batch to decide, read from the batch just before the
 * command: a snapshot, so that deciding for one learner does not go through the batch actor (only
 * seat claims for batches with a capacity do).
 *
 * @param enrollmentEndsAt the first instant enrolment is closed, or null when it never closes
 */
public record BatchTerms(
    String batchId,
    String courseId,
    EnrollmentType enrollmentType,
    BatchStatus status,
    Instant enrollmentEndsAt,
    boolean limitedSeats,
    Map<String, CertificateTemplate> certTemplates)
    implements CborSerializable {

  public BatchTerms {
    certTemplates = certTemplates == null ? Map.of() : Map.copyOf(certTemplates);
  }

  public static BatchTerms of(BatchView view) {
    var b = view.batch();
    return new BatchTerms(b.batchId(), b.courseId(), b.enrollmentType(), view.status(),
        b.enrollmentEndsAt().orElse(null), b.hasCapacity(), b.certTemplates());
  }

  public boolean inviteOnly() {
    return enrollmentType == EnrollmentType.INVITE_ONLY;
  }
}
