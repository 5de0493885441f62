package org.coursebatch.http.enrollment;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.coursebatch.core.error.ErrorCode;
import org.coursebatch.core.error.Rejection;
import org.coursebatch.core.json.FieldLimits;
import org.coursebatch.core.json.JsonFields;

/**
 * Reads enrolment, participant, enrolment-list and certificate-issue requests into domain values,
 * with Sunbird's controller-level checks (presence, types, formats): the first bad field refuses
 * the whole request. Content states are {@link ContentStateRequests}'; rules that need the batch
 * or the enrolment are the domain's.
 */
final class EnrollmentRequests {

  /** At most this many users in one participants or certificate-issue request. */
  static final int MAX_USER_IDS = 1000;

  private EnrollmentRequests() {}

  /** Enrol or unenrol {@code userId} in a batch of a course. */
  record EnrolRequest(String courseId, String batchId, String userId) {}

  /** Self enrol/unenrol: a {@code userId} in the body is ignored, the learner is the effective user. */
  static EnrolRequest self(JsonFields r, String effectiveUserId) {
    String courseId = courseId(r);
    return new EnrolRequest(courseId, r.requiredString("batchId"), effectiveUserId);
  }

  /** Admin enrol/unenrol: the learner is the body's {@code userId}. */
  static EnrolRequest onBehalf(JsonFields r) {
    String courseId = courseId(r);
    String batchId = r.requiredString("batchId");
    return new EnrolRequest(courseId, batchId, r.requiredString("userId", FieldLimits.ID));
  }

  /** Participants to add to or remove from a batch. */
  record Participants(String batchId, List<String> userIds) {}

  /** Sunbird's old participant validator: its own codes for a missing batch id and user ids. */
  static Participants participants(JsonFields r) {
    String batchId = r.string("batchId").filter(s -> !s.isBlank())
        .orElseThrow(() -> ErrorCode.COURSE_BATCH_ID_MISSING.reject().asException());
    return new Participants(batchId, userIds(r, ErrorCode.USERID_MISSING::reject));
  }

  /** The participant list of a batch: its active participants, or those who left. */
  record ParticipantList(String batchId, boolean active) {}

  static ParticipantList participantList(JsonFields r) {
    JsonFields batch = r.object("batch").orElseThrow(() -> ErrorCode.INVALID_REQUESTED_DATA.reject().asException());
    String batchId = batch.string("batchId").filter(s -> !s.isBlank())
        .orElseThrow(() -> ErrorCode.MANDATORY_PARAMETER_MISSING.reject("batchId").asException());
    JsonNode active = batch.node().get("active");
    if (active == null || active.isNull()) {
      return new ParticipantList(batchId, true);
    }
    if (!active.isBoolean()) {
      throw ErrorCode.DATA_TYPE_ERROR.reject("batch.active", "Boolean").asException();
    }
    return new ParticipantList(batchId, active.booleanValue());
  }

  /**
   * The query of a user's enrolment list: extra course document fields, and the batch fields to
   * attach (none: no {@code batch}). Names that do not exist are left out of the answer, as
   * Sunbird's portal asks for some that are not batch fields.
   */
  record ListQuery(List<String> courseFields, List<String> batchFields) {}

  static ListQuery listQuery(Optional<String> fields, Optional<String> batchDetails) {
    return new ListQuery(commaList(fields), commaList(batchDetails));
  }

  private static List<String> commaList(Optional<String> value) {
    return value.stream().flatMap(v -> java.util.Arrays.stream(v.split(",")))
        .map(String::trim).filter(s -> !s.isEmpty()).distinct().toList();
  }

  /** Certificates to issue (or issue again) to users of a batch. */
  record CertificateIssue(String courseId, String batchId, List<String> userIds, boolean reissue) {}

  static CertificateIssue certificateIssue(JsonFields r, Optional<String> reIssue) {
    String courseId = optionalCourseId(r).orElseThrow(() -> ErrorCode.MANDATORY_PARAMETER_MISSING.reject("courseId").asException());
    String batchId = r.requiredString("batchId");
    List<String> userIds = userIds(r, () -> ErrorCode.MANDATORY_PARAMETER_MISSING.reject("userIds"));
    return new CertificateIssue(courseId, batchId, userIds, reIssue(reIssue));
  }

  private static boolean reIssue(Optional<String> value) {
    if (value.isEmpty()) {
      return false;
    }
    String v = value.get().trim();
    if (v.equalsIgnoreCase("true") || v.equalsIgnoreCase("false")) {
      return Boolean.parseBoolean(v);
    }
    throw ErrorCode.INVALID_PARAMETER_VALUE.reject(value.get(), "reIssue (true or false)").asException();
  }

  /** {@code userIds}: a non-empty list of non-blank strings, at most {@link #MAX_USER_IDS}. */
  private static List<String> userIds(JsonFields r, Supplier<Rejection> missing) {
    JsonNode v = r.node().get("userIds");
    if (v == null || v.isNull() || (v.isArray() && v.isEmpty())) {
      throw missing.get().asException();
    }
    if (!v.isArray()) {
      throw ErrorCode.DATA_TYPE_ERROR.reject("userIds", "a list of non-blank strings").asException();
    }
    if (v.size() > MAX_USER_IDS) {
      throw ErrorCode.INVALID_PARAMETER_VALUE.reject(v.size() + " user ids", "userIds (at most " + MAX_USER_IDS + " in one request)")
          .asException();
    }
    List<String> out = new ArrayList<>();
    for (int i = 0; i < v.size(); i++) {
      JsonNode item = v.get(i);
      if (!item.isTextual() || item.textValue().isBlank()) {
        throw ErrorCode.DATA_TYPE_ERROR.reject("userIds", "a list of non-blank strings").asException();
      }
      out.add(FieldLimits.requireWithin(item.textValue().trim(), "userIds[" + i + "]", FieldLimits.ID));
    }
    return out;
  }

  private static String courseId(JsonFields r) {
    return optionalCourseId(r).orElseThrow(() -> ErrorCode.MANDATORY_PARAMETER_MISSING.reject("courseId/collectionId").asException());
  }

  /** {@code courseId}, or its alias {@code collectionId} when it is absent or blank. */
  static Optional<String> optionalCourseId(JsonFields r) {
    return r.string("courseId").filter(s -> !s.isBlank()).or(() -> r.string("collectionId").filter(s -> !s.isBlank()));
  }
}
