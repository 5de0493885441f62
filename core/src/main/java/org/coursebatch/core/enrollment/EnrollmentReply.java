package org.coursebatch.core.enrollment;

import java.util.List;
import org.coursebatch.core.CborSerializable;
import org.coursebatch.core.error.Rejection;

/** An enrolment's answer. */
public sealed interface EnrollmentReply extends CborSerializable {

  /**
   * Done: the enrolment as it now is, the waitlist position when the learner is waiting, and the
   * certificates this command issued.
   */
  record Accepted(Enrollment enrollment, Integer waitlistPosition, List<IssuedCertificate> issued) implements EnrollmentReply {
    public Accepted {
      issued = issued == null ? List.of() : List.copyOf(issued);
    }
  }

  record Rejected(Rejection rejection) implements EnrollmentReply {}

  /** The command's deadline had passed when the enrolment came to it: nothing was done. */
  record Expired(java.time.Instant deadline) implements EnrollmentReply {}
}
