package org.coursebatch.http.enrollment.bulk;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import org.coursebatch.http.api.Envelope;
import org.coursebatch.core.enrollment.Enrollment;
import org.coursebatch.core.enrollment.bulk.EnrollmentBatchAdmin.FoundEnrollment;
import org.coursebatch.http.enrollment.ListedCertificate;

/** {@code {"enrollment": {...}}}: an enrolment read by its primary id or an alias. */
public record EnrollmentReadResult(Document enrollment) {

  public static EnrollmentReadResult of(FoundEnrollment found) {
    return new EnrollmentReadResult(Document.of(found));
  }

  /** The enrolment with its primary id; absent values are left out, timestamps as enrolment lists show them. */
  public record Document(
      String enrollmentId,
      String batchId,
      String userId,
      @JsonInclude(JsonInclude.Include.NON_NULL) String courseId,
      String participation,
      boolean active,
      boolean invited,
      int status,
      int progress,
      int completionPercentage,
      @JsonInclude(JsonInclude.Include.NON_NULL) String enrolledDate,
      @JsonInclude(JsonInclude.Include.NON_NULL) String addedBy,
      @JsonInclude(JsonInclude.Include.NON_NULL) String completedOn,
      @JsonInclude(JsonInclude.Include.NON_NULL) String lastReadContentId,
      @JsonInclude(JsonInclude.Include.NON_NULL) Integer lastReadContentStatus,
      @JsonInclude(JsonInclude.Include.NON_NULL) String lastContentAccessTime,
      List<ListedCertificate> certificates) {

    public static Document of(FoundEnrollment found) {
      Enrollment e = found.enrollment();
      return new Document(found.id().toString(), found.id().batchId(), found.id().userId(), e.courseId(), e.participation().name(),
          e.active(), e.invited(), e.progressStatus(), e.completedLeaves(), e.completionPercentage(),
          Envelope.timestamp(e.enrolledDate()), e.addedBy(), Envelope.timestamp(e.completedOn()), e.lastReadContentId(),
          e.lastReadContentStatus(), Envelope.timestamp(e.lastContentAccessTime()), ListedCertificate.of(e.certificates()));
    }
  }
}
