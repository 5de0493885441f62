package org.coursebatch.http.enrollment;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.coursebatch.http.api.Envelope;
import org.coursebatch.core.catalog.Course;
import org.coursebatch.core.enrollment.EnrollmentRecord;
import org.coursebatch.core.enrollment.Participation;

/**
 * One entry of a user's enrolment list: the enrolment, its course ({@code content}) and, when
 * asked for, {@code batch}.
 */
public record UserEnrollment(
    String userId,
    String batchId,
    String courseId,
    String collectionId,
    String contentId,
    boolean active,
    String enrolledDate,
    String addedBy,
    Long dateTime,
    int progress,
    int status,
    int completionPercentage,
    String completedOn,
    String lastReadContentId,
    Integer lastReadContentStatus,
    String lastContentAccessTime,
    List<ListedCertificate> issuedCertificates,
    List<ListedCertificate> certificates,
    String courseName,
    JsonNode description,
    int leafNodesCount,
    JsonNode courseLogoUrl,
    CourseContent content,
    @JsonInclude(JsonInclude.Include.NON_NULL) Boolean waitlisted,
    @JsonInclude(JsonInclude.Include.NON_NULL) JsonNode waitlistPosition,
    @JsonInclude(JsonInclude.Include.NON_NULL) BatchDetails batch) {

  /** {@code r} of {@code course}, with {@code courseFields} in its {@code content} and {@code batch} when not null. */
  public static UserEnrollment of(EnrollmentRecord r, Course course, List<String> courseFields, BatchDetails batch) {
    JsonNode document = course.document();
    boolean waitlisted = r.participation() == Participation.WAITLISTED;
    List<ListedCertificate> certificates = ListedCertificate.of(r.certificates());
    return new UserEnrollment(r.userId(), r.batchId(), r.courseId(), r.courseId(), r.courseId(), r.active(),
        Envelope.timestamp(r.enrolledDate()), r.addedBy(), r.updatedAt() == null ? null : r.updatedAt().toEpochMilli(),
        r.progress(), r.status(), r.completionPercentage(), Envelope.timestamp(r.completedOn()), r.lastReadContentId(),
        r.lastReadContentStatus(), Envelope.timestamp(r.lastContentAccessTime()), certificates, certificates,
        course.name(), document == null ? null : document.get("description"), course.leafNodesCount(),
        document == null ? null : document.get("appIcon"), CourseContent.of(course, courseFields),
        waitlisted ? Boolean.TRUE : null, waitlisted ? EnrolResult.position(r.waitlistPosition()) : null, batch);
  }
}
