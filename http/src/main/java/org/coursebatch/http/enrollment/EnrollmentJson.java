package org.coursebatch.http.enrollment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.coursebatch.core.batch.BatchView;
import org.coursebatch.core.catalog.Course;
import org.coursebatch.core.enrollment.BestScore;
import org.coursebatch.core.enrollment.ContentState;
import org.coursebatch.core.enrollment.Enrollment;
import org.coursebatch.core.enrollment.EnrollmentRecord;
import org.coursebatch.core.enrollment.EnrollmentService.EnrolOutcome;
import org.coursebatch.core.enrollment.EnrollmentService.ItemOutcome;
import org.coursebatch.core.enrollment.IssuedCertificate;
import org.coursebatch.core.enrollment.Participation;
import org.coursebatch.core.enrollment.ProgressReport;
import org.coursebatch.http.api.Envelope;
import org.coursebatch.http.batch.BatchJson;

/** The results of the enrolment, progress and certificate-issue endpoints, in Sunbird's shapes (sunbird-api.md §2.5–§2.10). */
public final class EnrollmentJson {

  /** The course document fields every enrolment's {@code content} has (null when the course has none). */
  static final List<String> COURSE_FIELDS = List.of("identifier", "name", "description", "leafNodesCount", "appIcon");

  private EnrollmentJson() {}

  public static ObjectNode success() {
    ObjectNode result = Envelope.JSON.createObjectNode();
    result.put("response", "SUCCESS");
    return result;
  }

  /** Enrolled, or (a full batch) waiting at a position. */
  public static ObjectNode enrolled(EnrolOutcome outcome) {
    ObjectNode result = success();
    if (outcome.participation() == Participation.WAITLISTED) {
      result.put("waitlisted", true);
      result.put("waitlistPosition", outcome.waitlistPosition());
    }
    return result;
  }

  /**
   * Per-user outcomes of a bulk request: {@code SUCCESS} (with the certificates issued, when
   * {@code withIssued}) or {@code FAILED} with the error code and message that user got.
   */
  public static ObjectNode users(Map<String, ItemOutcome> outcomes, boolean withIssued) {
    ObjectNode result = success();
    ObjectNode users = result.putObject("users");
    outcomes.forEach((userId, outcome) -> {
      ObjectNode u = users.putObject(userId);
      if (outcome.succeeded()) {
        u.put("status", "SUCCESS");
        if (withIssued) {
          ArrayNode issued = u.putArray("issued");
          outcome.issued().forEach(c -> issued.addObject().put("certificateId", c.certificateId()).put("templateId", c.templateId()));
        }
      } else {
        u.put("status", "FAILED");
        u.put("err", outcome.rejection().code().code());
        u.put("errmsg", outcome.rejection().message());
      }
    });
    return result;
  }

  /**
   * lms-service's answer to a certificate issue ({@code result.result}: what was submitted), then
   * each user's outcome, as issuing happens here at once rather than in a later job.
   */
  public static ObjectNode certificatesIssued(String courseId, String batchId, Map<String, ItemOutcome> outcomes) {
    ObjectNode result = Envelope.JSON.createObjectNode();
    result.putObject("result")
        .put("status", "Certificates issue action for Course Batch Id " + batchId + " submitted Successfully!")
        .put("batchId", batchId)
        .put("courseId", courseId)
        .put("collectionId", courseId);
    result.setAll(users(outcomes, true));
    return result;
  }

  public static ObjectNode participants(List<String> userIds) {
    ObjectNode result = Envelope.JSON.createObjectNode();
    ObjectNode batch = result.putObject("batch");
    batch.put("count", userIds.size());
    ArrayNode participants = batch.putArray("participants");
    userIds.forEach(participants::add);
    return result;
  }

  /** The accepted items, and the batches whose items were not recorded, by reason (keys only when there are some). */
  static ObjectNode progress(ProgressReport report, List<ContentStateRequests.InvalidItem> invalid) {
    ObjectNode result = Envelope.JSON.createObjectNode();
    report.accepted().forEach(result::put);
    putNonEmpty(result, "BATCH_NOT_EXISTS", report.batchNotExists());
    putNonEmpty(result, "NOT_A_ON_GOING_BATCH", report.notOngoing());
    putNonEmpty(result, "NOT_ENROLLED", report.notEnrolled());
    putNonEmpty(result, "CONTENT_NOT_IN_COURSE", report.notInCourse());
    putNonEmpty(result, "SERVICE_UNAVAILABLE", report.unavailable());
    if (!invalid.isEmpty()) {
      // lms-service drops such items without a word; the client is told which and why.
      var items = result.putArray("INVALID_ITEMS");
      invalid.forEach(i -> items.addObject().put("item", i.item()).put("err", i.why().code().code()).put("errmsg", i.why().message()));
    }
    return result;
  }

  /**
   * The learner's content states in {@code courseId} (none when the enrolment is of another
   * course or never started), filtered to {@code contentIds} unless empty; {@code withScore} adds
   * the best attempt of each content that has one.
   */
  public static ObjectNode contentList(Enrollment e, String courseId, List<String> contentIds, boolean withScore) {
    ObjectNode result = Envelope.JSON.createObjectNode();
    ArrayNode list = result.putArray("contentList");
    if (!courseId.equals(e.courseId())) {
      return result;
    }
    for (ContentState c : e.contents().values()) {
      if (!contentIds.isEmpty() && !contentIds.contains(c.contentId())) {
        continue;
      }
      ObjectNode o = list.addObject();
      o.put("contentId", c.contentId());
      o.put("courseId", e.courseId());
      o.put("collectionId", e.courseId());
      o.put("batchId", e.batchId());
      o.put("status", c.status());
      o.put("progress", c.progress());
      o.put("viewCount", c.viewCount());
      o.put("completedCount", c.completedCount());
      o.put("lastAccessTime", timestamp(c.lastAccessTime()));
      o.put("lastCompletedTime", timestamp(c.lastCompletedTime()));
      o.set("progressdetails", c.progressDetails());
      BestScore best = e.bestScores().get(c.contentId());
      if (withScore && best != null) {
        o.putArray("score").addObject()
            .put("attemptId", best.attemptId())
            .put("totalScore", best.score())
            .put("totalMaxScore", best.maxScore())
            .put("attempts", best.attempts());
      }
    }
    return result;
  }

  /**
   * One entry of a user's enrolment list: the enrolment, its course ({@code content} has
   * {@link #COURSE_FIELDS} and {@code courseFields}) and, when asked for, {@code batch}.
   */
  public static ObjectNode enrollment(EnrollmentRecord r, Course course, List<String> courseFields, ObjectNode batch) {
    ObjectNode o = Envelope.JSON.createObjectNode();
    o.put("userId", r.userId());
    o.put("batchId", r.batchId());
    o.put("courseId", r.courseId());
    o.put("collectionId", r.courseId());
    o.put("contentId", r.courseId());
    o.put("active", r.active());
    o.put("enrolledDate", timestamp(r.enrolledDate()));
    o.put("addedBy", r.addedBy());
    if (r.updatedAt() == null) {
      o.putNull("dateTime");
    } else {
      o.put("dateTime", r.updatedAt().toEpochMilli());
    }
    o.put("progress", r.progress());
    o.put("status", r.status());
    o.put("completionPercentage", r.completionPercentage());
    o.put("completedOn", timestamp(r.completedOn()));
    o.put("lastReadContentId", r.lastReadContentId());
    o.put("lastReadContentStatus", r.lastReadContentStatus());
    o.put("lastContentAccessTime", timestamp(r.lastContentAccessTime()));
    ArrayNode certificates = certificates(r.certificates());
    o.set("issuedCertificates", certificates);
    o.set("certificates", certificates.deepCopy());
    JsonNode document = course.document();
    o.put("courseName", course.name());
    o.set("description", document == null ? null : document.get("description"));
    o.put("leafNodesCount", course.leafNodesCount());
    o.set("courseLogoUrl", document == null ? null : document.get("appIcon"));
    o.set("content", content(course, courseFields));
    if (r.participation() == Participation.WAITLISTED) {
      o.put("waitlisted", true);
      o.put("waitlistPosition", r.waitlistPosition());
    }
    if (batch != null) {
      o.set("batch", batch);
    }
    return o;
  }

  /** The course metadata of an enrolment: the always-present fields, then the requested ones. */
  static ObjectNode content(Course course, List<String> courseFields) {
    ObjectNode o = Envelope.JSON.createObjectNode();
    JsonNode document = course.document() == null ? Envelope.JSON.createObjectNode() : course.document();
    for (String field : COURSE_FIELDS) {
      o.set(field, document.get(field));
    }
    // The catalog's own values win over whatever the stored document says.
    o.put("identifier", course.identifier());
    o.put("name", course.name());
    o.put("leafNodesCount", course.leafNodesCount());
    for (String field : courseFields) {
      if (!o.has(field)) {
        o.set(field, document.get(field));
      }
    }
    return o;
  }

  /**
   * The batch's ids (lms-service's list always has them) and the requested fields of the batch, as
   * batch read names them; names it does not have are left out.
   */
  public static ObjectNode batchDetails(BatchView view, List<String> fields) {
    ObjectNode full = BatchJson.view(view);
    ObjectNode o = Envelope.JSON.createObjectNode();
    o.set("batchId", full.get("batchId"));
    o.set("identifier", full.get("identifier"));
    for (String field : fields) {
      if (full.has(field)) {
        o.set(field, full.get(field));
      }
    }
    return o;
  }

  /** Issued certificates as enrolment lists show them. */
  public static ArrayNode certificates(List<IssuedCertificate> certificates) {
    ArrayNode out = Envelope.JSON.createArrayNode();
    for (IssuedCertificate c : certificates) {
      out.addObject()
          .put("identifier", c.certificateId())
          .put("templateId", c.templateId())
          .put("lastIssuedOn", timestamp(c.issuedAt()))
          .put("reissue", c.reissue());
    }
    return out;
  }

  private static void putNonEmpty(ObjectNode o, String field, List<String> values) {
    if (!values.isEmpty()) {
      ArrayNode a = o.putArray(field);
      values.forEach(a::add);
    }
  }

  /** An instant in the envelope's {@code ts} format (null stays null), as enrolment lists show them. */
  public static String timestamp(Instant i) {
    return i == null ? null : Envelope.TS.format(i);
  }
}
