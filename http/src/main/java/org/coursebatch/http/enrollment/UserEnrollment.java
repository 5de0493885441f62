package org.coursebatch.http.enrollment;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.coursebatch.core.batch.BatchView;
import org.coursebatch.core.catalog.Course;
import org.coursebatch.core.enrollment.EnrollmentRecord;
import org.coursebatch.core.enrollment.Participation;
import org.coursebatch.http.api.Envelope;
import org.coursebatch.http.batch.BatchJson;

/**
 * One entry of a user's enrolment list: the enrolment, its course ({@code content}) and, when
 * asked for, {@code batch}. {@code content} and {@code batch} stay maps: their fields are the
 * ones the request names ({@code fields}, {@code batchDetails}).
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
    Map<String, Object> content,
    @JsonInclude(JsonInclude.Include.NON_NULL) Boolean waitlisted,
    @JsonInclude(JsonInclude.Include.NON_NULL) JsonNode waitlistPosition,
    @JsonInclude(JsonInclude.Include.NON_NULL) Map<String, JsonNode> batch) {

  /** The course document fields every enrolment's {@code content} has (null when the course has none). */
  static final List<String> COURSE_FIELDS = List.of("identifier", "name", "description", "leafNodesCount", "appIcon");

  /** {@code r} of {@code course}, with {@code courseFields} in its {@code content} and {@code batch} when not null. */
  public static UserEnrollment of(EnrollmentRecord r, Course course, List<String> courseFields, Map<String, JsonNode> batch) {
    JsonNode document = course.document();
    boolean waitlisted = r.participation() == Participation.WAITLISTED;
    List<ListedCertificate> certificates = ListedCertificate.of(r.certificates());
    return new UserEnrollment(r.userId(), r.batchId(), r.courseId(), r.courseId(), r.courseId(), r.active(),
        EnrollmentJson.timestamp(r.enrolledDate()), r.addedBy(), r.updatedAt() == null ? null : r.updatedAt().toEpochMilli(),
        r.progress(), r.status(), r.completionPercentage(), EnrollmentJson.timestamp(r.completedOn()), r.lastReadContentId(),
        r.lastReadContentStatus(), EnrollmentJson.timestamp(r.lastContentAccessTime()), certificates, certificates,
        course.name(), document == null ? null : document.get("description"), course.leafNodesCount(),
        document == null ? null : document.get("appIcon"), content(course, courseFields),
        waitlisted ? Boolean.TRUE : null, waitlisted ? EnrolResult.position(r.waitlistPosition()) : null, batch);
  }

  /** The course metadata of an enrolment: the always-present fields, then the requested ones. */
  static Map<String, Object> content(Course course, List<String> courseFields) {
    Map<String, Object> o = new LinkedHashMap<>();
    JsonNode document = course.document() == null ? Envelope.JSON.createObjectNode() : course.document();
    for (String field : COURSE_FIELDS) {
      o.put(field, document.get(field));
    }
    // The catalog's own values win over whatever the stored document says.
    o.put("identifier", course.identifier());
    o.put("name", course.name());
    o.put("leafNodesCount", course.leafNodesCount());
    for (String field : courseFields) {
      if (!o.containsKey(field)) {
        o.put(field, document.get(field));
      }
    }
    return o;
  }

  /**
   * The batch's ids (lms-service's list always has them) and the requested fields of the batch, as
   * batch read names them; names it does not have are left out.
   */
  public static Map<String, JsonNode> batchDetails(BatchView view, List<String> fields) {
    JsonNode full = Envelope.JSON.valueToTree(BatchJson.view(view));
    Map<String, JsonNode> o = new LinkedHashMap<>();
    o.put("batchId", full.get("batchId"));
    o.put("identifier", full.get("identifier"));
    for (String field : fields) {
      if (full.has(field)) {
        o.put(field, full.get(field));
      }
    }
    return o;
  }
}
