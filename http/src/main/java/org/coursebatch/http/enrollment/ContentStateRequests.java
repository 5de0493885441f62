package org.coursebatch.http.enrollment;

import static org.coursebatch.http.api.JsonElements.element;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.coursebatch.core.enrollment.AssessmentAttempt;
import org.coursebatch.core.enrollment.ContentUpdate;
import org.coursebatch.core.enrollment.EnrollmentService.ProgressItem;
import org.coursebatch.core.enrollment.QuestionResponse;
import org.coursebatch.core.error.ErrorCode;
import org.coursebatch.core.error.RejectedException;
import org.coursebatch.core.error.Rejection;
import org.coursebatch.core.json.FieldLimits;
import org.coursebatch.core.json.JsonFields;
import org.coursebatch.http.api.ControlCharacters;

/**
 * Reads content-state updates and reads into domain values, with Sunbird's controller-level
 * checks. The first bad field refuses the whole request, but for the items of an update past
 * lms-service's own checks, which are left out one by one ({@link #stateUpdate}).
 */
final class ContentStateRequests {
  /** Sunbird's content-state timestamps, e.g. {@code 2020-11-23 06:59:52:152+0530}; 2021-02-30 is refused. */
  static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss:SSSZ")
      .withResolverStyle(ResolverStyle.STRICT);

  /** The telemetry event that carries one question's response. */
  static final String ASSESS_EVENT = "ASSESS";

  private ContentStateRequests() {}

  /**
   * A content-state update: the items to record and those left out (with why), or, when both
   * lists are empty, the enrolment whose existence the client wants confirmed ({@code sync}).
   */
  record StateUpdate(List<ProgressItem> items, List<InvalidItem> invalid, EnrollmentRequests.EnrolRequest sync) {}

  /** An item of a content-state update that is not recorded, named by its place in the request ({@code contents[2]}). */
  record InvalidItem(String item, Rejection why) {}

  /**
   * Sunbird's order: its validator's checks of every item first (a missing id, status, attempt
   * date or events, or a malformed {@code lastUpdatedTime}/{@code lastCompletedTime}, refuses the
   * whole request), then each item on its own: one this service cannot record (a status or
   * progress out of range, another user's item, a control character, an id beyond its column)
   * is left out and listed, and the others are recorded, as lms-service records what it can and
   * drops the rest.
   */
  static StateUpdate stateUpdate(JsonFields r, String userId) {
    Optional<String> named = r.string("userId").filter(s -> !s.isBlank());
    if (named.isPresent() && !named.get().equals(userId)) {
      throw ErrorCode.USER_ID_MISMATCH.reject(userId, "userId " + named.get()).asException();
    }
    List<JsonFields> contents = items(r, "contents");
    List<JsonFields> assessments = items(r, "assessments");
    if (contents.isEmpty() && assessments.isEmpty()) {
      Optional<String> courseId = EnrollmentRequests.optionalCourseId(r);
      Optional<String> batchId = r.string("batchId").filter(s -> !s.isBlank());
      if (courseId.isPresent() && batchId.isPresent()) {
        return new StateUpdate(List.of(), List.of(), new EnrollmentRequests.EnrolRequest(courseId.get(), batchId.get(), userId));
      }
      throw ErrorCode.MANDATORY_PARAMETER_MISSING.reject("contents/assessments").asException();
    }
    contents.forEach(ContentStateRequests::requireContentFields);
    assessments.forEach(ContentStateRequests::requireAssessmentFields);
    List<ProgressItem> items = new ArrayList<>();
    List<InvalidItem> invalid = new ArrayList<>();
    for (int i = 0; i < contents.size(); i++) {
      String name = "contents[" + i + "]";
      JsonFields c = contents.get(i);
      recordable(name, () -> content(c, name, userId), items, invalid);
    }
    for (int i = 0; i < assessments.size(); i++) {
      String name = "assessments[" + i + "]";
      JsonFields a = assessments.get(i);
      recordable(name, () -> assessment(a, name, userId), items, invalid);
    }
    return new StateUpdate(items, invalid, null);
  }

  private static List<JsonFields> items(JsonFields r, String list) {
    List<JsonNode> nodes = r.array(list).orElse(List.of());
    List<JsonFields> items = new ArrayList<>();
    for (int i = 0; i < nodes.size(); i++) {
      items.add(element(nodes.get(i), list + "[" + i + "]"));
    }
    return items;
  }

  private static void recordable(String name, Supplier<ProgressItem> read, List<ProgressItem> items, List<InvalidItem> invalid) {
    try {
      items.add(read.get());
    } catch (RejectedException e) {
      invalid.add(new InvalidItem(name, e.rejection()));
    }
  }

  /** Sunbird's checks of a content, in its order: the two dates' format, then batch, course, content and status. */
  private static void requireContentFields(JsonFields c) {
    requireTimestampFormat(c, "lastUpdatedTime");
    requireTimestampFormat(c, "lastCompletedTime");
    require(c, "batchId", ErrorCode.COURSE_BATCH_ID_MISSING);
    if (blank(c, "courseId") && blank(c, "collectionId")) {
      throw ErrorCode.COURSE_ID_REQUIRED_ERROR.reject().asException();
    }
    require(c, "contentId", ErrorCode.CONTENT_ID_REQUIRED_ERROR);
    if (!c.has("status")) {
      throw ErrorCode.CONTENT_STATUS_MISSING_ERROR.reject().asException();
    }
  }

  /** Sunbird's checks of an assessment, in its order: attempt date, course, content, batch, user, attempt id, events. */
  private static void requireAssessmentFields(JsonFields a) {
    if (!a.mentions("assessmentTs")) {
      throw ErrorCode.ATTEMPTED_DATE_REQUIRED.reject().asException();
    }
    if (blank(a, "courseId") && blank(a, "collectionId")) {
      throw ErrorCode.COURSE_ID_REQUIRED_ERROR.reject().asException();
    }
    require(a, "contentId", ErrorCode.CONTENT_ID_REQUIRED_ERROR);
    require(a, "batchId", ErrorCode.COURSE_BATCH_ID_MISSING);
    require(a, "userId", ErrorCode.USERID_MISSING);
    require(a, "attemptId", ErrorCode.ATTEMPT_ID_REQUIRED_ERROR);
    if (!a.mentions("events")) {
      throw ErrorCode.MANDATORY_PARAMETER_MISSING.reject("events").asException();
    }
  }

  private static void require(JsonFields item, String field, ErrorCode missing) {
    if (blank(item, field)) {
      throw missing.reject().asException();
    }
  }

  /** Absent, null or a blank text; a value of another type is there (and refused with the item). */
  private static boolean blank(JsonFields item, String field) {
    JsonNode v = item.node().get(field);
    return v == null || v.isNull() || (v.isTextual() && v.textValue().isBlank());
  }

  /** A date Sunbird's validator reads must be in its format when given; the range is the item's own check. */
  private static void requireTimestampFormat(JsonFields c, String field) {
    JsonNode v = c.node().get(field);
    if (v == null || v.isNull()) {
      return;
    }
    if (!v.isTextual()) {
      throw ErrorCode.DATE_FORMAT_ERROR.reject().asException();
    }
    try {
      TIMESTAMP.parse(v.textValue().trim());
    } catch (DateTimeParseException e) {
      throw ErrorCode.DATE_FORMAT_ERROR.reject().asException();
    }
  }

  /** One reported content state, past Sunbird's checks: what this service needs to record it. */
  private static ProgressItem content(JsonFields c, String name, String userId) {
    refuseControlCharacters(c, name);
    requireOwnItem(c, name, userId);
    Instant lastAccess = timestamp(c, "lastAccessTime");
    Instant lastCompleted = timestamp(c, "lastCompletedTime");
    String courseId = EnrollmentRequests.optionalCourseId(c).orElseThrow();
    String contentId = c.requiredString("contentId", FieldLimits.ID);
    String batchId = c.requiredString("batchId");
    int status = status(c);
    Integer progress = c.integer("progress").orElse(null);
    if (progress != null && (progress < 0 || progress > 100)) {
      throw ErrorCode.INVALID_PARAMETER_VALUE.reject(progress, name + ".progress (0 to 100)").asException();
    }
    JsonNode details = c.json("progressdetails", FieldLimits.JSON_OBJECT).orElse(null);
    return new ProgressItem(batchId, courseId, new ContentUpdate(contentId, status, progress, lastAccess, lastCompleted, details), null);
  }

  /** A control character anywhere in the item: the body-wide check leaves the items to this one. */
  private static void refuseControlCharacters(JsonFields item, String name) {
    ControlCharacters.refusal(item.node(), "request." + name).ifPresent(refused -> {
      throw refused.asException();
    });
  }

  /** An item naming a learner names the effective user (lms-service drops other users' items). */
  private static void requireOwnItem(JsonFields item, String name, String userId) {
    Optional<String> user = item.string("userId").filter(s -> !s.isBlank());
    if (user.isPresent() && !user.get().equals(userId)) {
      throw ErrorCode.USER_ID_MISMATCH.reject(userId, name + ".userId " + user.get()).asException();
    }
  }

  /** Any value that is not a whole number from 0 to 2 is Sunbird's INVALID_PROGRESS_STATUS. */
  private static int status(JsonFields c) {
    int status;
    try {
      status = c.integer("status").orElseThrow();
    } catch (RejectedException notAWholeNumber) {
      throw ErrorCode.INVALID_PROGRESS_STATUS.reject().asException();
    }
    if (status < 0 || status > 2) {
      throw ErrorCode.INVALID_PROGRESS_STATUS.reject().asException();
    }
    return status;
  }

  /** A content-state timestamp, from 1970 to 9999 ({@link FieldLimits}). */
  private static Instant timestamp(JsonFields c, String field) {
    JsonNode v = c.node().get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isTextual()) {
      throw ErrorCode.DATE_FORMAT_ERROR.reject().asException();
    }
    Instant at;
    try {
      at = OffsetDateTime.parse(v.textValue().trim(), TIMESTAMP).toInstant();
    } catch (DateTimeParseException e) {
      throw ErrorCode.DATE_FORMAT_ERROR.reject().asException();
    }
    return FieldLimits.requireInRange(at, c.path(field));
  }

  /** One assessment attempt, past Sunbird's checks: what this service needs to score and record it. */
  private static ProgressItem assessment(JsonFields a, String name, String userId) {
    refuseControlCharacters(a, name);
    requireOwnItem(a, name, userId);
    Instant assessmentTs = assessmentTs(a, name);
    String courseId = EnrollmentRequests.optionalCourseId(a).orElseThrow();
    String contentId = a.requiredString("contentId", FieldLimits.ID);
    String batchId = a.requiredString("batchId");
    String attemptId = a.requiredString("attemptId", FieldLimits.ID);
    List<JsonNode> events = a.array("events").filter(e -> !e.isEmpty())
        .orElseThrow(() -> ErrorCode.MANDATORY_PARAMETER_MISSING.reject(name + ".events").asException());
    var attempt = new AssessmentAttempt(contentId, attemptId, assessmentTs, responses(events, name + ".events"));
    return new ProgressItem(batchId, courseId, null, attempt);
  }

  /** Epoch milliseconds, as a JSON number or a numeric string (players send both), from 1970 to 9999. */
  private static Instant assessmentTs(JsonFields a, String name) {
    JsonNode v = a.node().get("assessmentTs");
    if (v == null || v.isNull()) {
      throw ErrorCode.MANDATORY_PARAMETER_MISSING.reject(name + ".assessmentTs").asException();
    }
    Long millis = null;
    if (v.isIntegralNumber() && v.canConvertToLong()) {
      millis = v.longValue();
    } else if (v.isTextual()) {
      try {
        millis = Long.parseLong(v.textValue().trim());
      } catch (NumberFormatException ignored) {
        // the type error below
      }
    }
    if (millis == null || millis < 0) {
      throw ErrorCode.DATA_TYPE_ERROR.reject(name + ".assessmentTs", "epoch milliseconds (a whole number)").asException();
    }
    return FieldLimits.requireInRange(Instant.ofEpochMilli(millis), a.path("assessmentTs"));
  }

  /**
   * One response per question from the attempt's ASSESS telemetry events; other events are
   * ignored, and a question answered twice counts with its last answer.
   */
  private static List<QuestionResponse> responses(List<JsonNode> events, String name) {
    Map<String, QuestionResponse> byQuestion = new LinkedHashMap<>();
    for (int j = 0; j < events.size(); j++) {
      JsonFields e = element(events.get(j), name + "[" + j + "]");
      if (!ASSESS_EVENT.equals(e.string("eid").orElse(null))) {
        continue;
      }
      JsonFields edata = e.requiredObject("edata");
      JsonFields item = edata.requiredObject("item");
      String questionId = item.requiredString("id", FieldLimits.ID);
      var response = new QuestionResponse(questionId, item.string("type", FieldLimits.LABEL).orElse(null),
          item.string("title", FieldLimits.TEXT).orElse(null), edata.number("score").orElse(0.0), item.number("maxscore").orElse(0.0),
          item.json("params", FieldLimits.JSON_OBJECT).orElse(null), edata.json("resvalues", FieldLimits.JSON_OBJECT).orElse(null),
          edata.number("duration").orElse(null));
      byQuestion.remove(questionId);
      byQuestion.put(questionId, response);
    }
    return List.copyOf(byQuestion.values());
  }

  /** The content states of one enrolment to read back. */
  record StateRead(String courseId, String batchId, List<String> contentIds, boolean withScore) {}

  /**
   * lms-service's LearnerStateRequestValidator.validateGetContentState, in its order: {@code courseIds}
   * and {@code contentIds} are lists when given, then {@code courseId} ({@code collectionId}, else
   * the first of {@code courseIds}) and {@code batchId} are mandatory. {@code contentIds} filters
   * (empty: all); {@code fields} containing {@code score} adds the best attempts.
   */
  static StateRead stateRead(JsonFields r) {
    requireList(r, "courseIds");
    requireList(r, "contentIds");
    Optional<String> courseId = EnrollmentRequests.optionalCourseId(r)
        .or(() -> r.stringList("courseIds").orElse(List.of()).stream().findFirst());
    String course = courseId.orElseThrow(() -> ErrorCode.MANDATORY_PARAMETER_MISSING.reject("courseId").asException());
    String batchId = r.requiredString("batchId");
    List<String> contentIds = r.stringList("contentIds").orElse(List.of());
    List<String> fields = r.stringList("fields").orElse(List.of());
    return new StateRead(course, batchId, contentIds, fields.contains("score"));
  }

  /** Sunbird's validateListParam: a value that is not a list (an object, a string) is DATA_TYPE_ERROR. */
  private static void requireList(JsonFields r, String field) {
    JsonNode v = r.node().get(field);
    if (v != null && !v.isNull() && !v.isArray()) {
      throw ErrorCode.DATA_TYPE_ERROR.reject(field, "List").asException();
    }
  }
}
