package org.coursebatch.http.batch;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.coursebatch.core.batch.BatchChanges;
import org.coursebatch.core.batch.BatchSearch;
import org.coursebatch.core.batch.BatchSearch.Sort;
import org.coursebatch.core.batch.BatchSearch.SortField;
import org.coursebatch.core.batch.BatchStatus;
import org.coursebatch.core.batch.Change;
import org.coursebatch.core.batch.EnrollmentType;
import org.coursebatch.core.batch.NewBatch;
import org.coursebatch.core.certificate.CertificateCriteria;
import org.coursebatch.core.certificate.CertificateDocuments;
import org.coursebatch.core.certificate.CertificateTemplate;
import org.coursebatch.core.error.ErrorCode;
import org.coursebatch.core.json.FieldLimits;
import org.coursebatch.core.json.JsonFields;

/**
 * Reads batch requests into domain values, with Sunbird's controller-level checks in Sunbird's
 * order: presence, types and formats. Rules that need the stored batch or the clock are the
 * entity's ({@link org.coursebatch.core.batch.BatchRules}).
 */
final class BatchRequests {

  private BatchRequests() {}

  static NewBatch newBatch(JsonFields r) {
    String courseId = courseId(r);
    String name = r.requiredString("name", FieldLimits.NAME);
    EnrollmentType type = enrollmentType(r).orElseThrow(() -> ErrorCode.MANDATORY_PARAMETER_MISSING.reject("enrollmentType").asException());
    LocalDate start = r.date("startDate").orElseThrow(() -> ErrorCode.MANDATORY_PARAMETER_MISSING.reject("startDate").asException());
    LocalDate end = r.date("endDate").orElse(null);
    LocalDate enrollmentEnd = r.date("enrollmentEndDate").orElse(null);
    List<String> createdFor = r.stringList("createdFor", FieldLimits.ID).orElse(List.of());
    List<String> mentors = r.stringList("mentors", FieldLimits.ID).orElse(List.of());
    Integer maxParticipants = maxParticipants(r).orElse(null);
    refuseParticipants(r);
    return new NewBatch(courseId, name.trim(), r.string("description", FieldLimits.TEXT).orElse(null),
        r.string("tandc", FieldLimits.TEXT).orElse(null), type, start, end, enrollmentEnd, createdFor, mentors, maxParticipants);
  }

  /** The update request: {@code id} (or {@code batchId}) names the batch; absent fields are kept, null clears optional ones. */
  record Update(String batchId, BatchChanges changes) {}

  /**
   * lms-service's CourseBatchRequestValidator.validateUpdateCourseBatchRequest, in its order: course,
   * status, name, enrolment type, id, then the dates; the dates against each other and today are
   * {@link org.coursebatch.core.batch.BatchRules#checkUpdateDates}, before the batch is looked up.
   */
  static Update update(JsonFields r) {
    String courseId = courseId(r);
    requireProgressStatus(r.node().get("status"));
    Change<String> name = Change.keep();
    if (r.mentions("name")) {
      JsonNode given = r.node().get("name");
      if (given.isNull() || (given.isTextual() && given.textValue().isBlank())) {
        // Sunbird's message quotes the value as it is: "Invalid value  for parameter name."
        throw ErrorCode.INVALID_PARAMETER_VALUE.reject(given.isNull() ? "null" : given.textValue(), "name").asException();
      }
      name = Change.to(r.string("name", FieldLimits.NAME).orElseThrow().trim());
    }
    Change<EnrollmentType> type = Change.keep();
    if (r.mentions("enrollmentType")) {
      type = Change.to(enrollmentType(r).orElseThrow(() -> ErrorCode.MANDATORY_PARAMETER_MISSING.reject("enrollmentType").asException()));
    }
    String batchId = r.string("id").or(() -> r.string("batchId")).filter(s -> !s.isBlank())
        .orElseThrow(() -> ErrorCode.MANDATORY_PARAMETER_MISSING.reject("id").asException());
    Change<LocalDate> start = r.mentions("startDate")
        ? Change.to(r.date("startDate").orElseThrow(() -> ErrorCode.DATE_FORMAT_ERROR.reject().asException()))
        : Change.keep();
    Change<LocalDate> end = dateChange(r, "endDate");
    Change<LocalDate> enrollmentEnd = dateChange(r, "enrollmentEndDate");
    Change<List<String>> createdFor = r.mentions("createdFor")
        ? Change.to(r.stringList("createdFor", FieldLimits.ID).orElse(List.of())) : Change.keep();
    Change<List<String>> mentors = r.mentions("mentors") ? Change.to(r.stringList("mentors", FieldLimits.ID).orElse(List.of())) : Change.keep();
    // null asks to remove the limit, which the batch refuses (a capacity cannot be removed).
    Change<Integer> maxParticipants = r.mentions("maxParticipants") ? Change.to(maxParticipants(r).orElse(null)) : Change.keep();
    refuseParticipants(r);
    Change<String> description = r.mentions("description")
        ? Change.to(r.string("description", FieldLimits.TEXT).orElse(null)) : Change.keep();
    Change<String> tandc = r.mentions("tandc") ? Change.to(r.string("tandc", FieldLimits.TEXT).orElse(null)) : Change.keep();
    return new Update(batchId, new BatchChanges(courseId, name, description, tandc, type, start, end, enrollmentEnd, createdFor,
        mentors, maxParticipants));
  }

  /** The capacity: a positive whole number (a number or a numeric string). */
  private static Optional<Integer> maxParticipants(JsonFields r) {
    Optional<Integer> max = r.integer("maxParticipants");
    if (max.isPresent() && max.get() < 1) {
      throw ErrorCode.INVALID_PARAMETER_VALUE.reject(max.get(), "maxParticipants (a whole number of at least 1)").asException();
    }
    return max;
  }

  private static Change<LocalDate> dateChange(JsonFields r, String field) {
    return r.mentions(field) ? Change.to(r.date(field).orElse(null)) : Change.keep();
  }

  /** The batch's course, kept in the read model's course id column (both names are checked, even the unused one). */
  private static String courseId(JsonFields r) {
    Optional<String> collectionId = r.string("collectionId", FieldLimits.ID).filter(s -> !s.isBlank());
    return r.string("courseId", FieldLimits.ID).filter(s -> !s.isBlank()).or(() -> collectionId)
        .orElseThrow(() -> ErrorCode.MANDATORY_PARAMETER_MISSING.reject("courseId/collectionId").asException());
  }

  /**
   * Sunbird reads a status as {@code Integer.parseInt("" + value)}: 0, 1 or 2, as a number or a
   * string; anything else ({@code "abc"}, {@code 1.5}, {@code true}) is INVALID_PROGRESS_STATUS.
   */
  private static void requireProgressStatus(JsonNode status) {
    if (status == null || status.isNull()) {
      return;
    }
    Integer value = null;
    if (status.isIntegralNumber() && status.canConvertToInt()) {
      value = status.intValue();
    } else if (status.isTextual()) {
      try {
        value = Integer.parseInt(status.textValue());
      } catch (NumberFormatException notANumber) {
        // refused below
      }
    }
    if (value == null || value < 0 || value > 2) {
      throw ErrorCode.INVALID_PROGRESS_STATUS.reject().asException();
    }
  }

  /** Absent or blank: none (the caller says whether that is allowed); else open or invite-only, any case. */
  private static Optional<EnrollmentType> enrollmentType(JsonFields r) {
    Optional<String> raw = r.string("enrollmentType").filter(s -> !s.isBlank());
    if (raw.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(EnrollmentType.parse(raw.get())
        .orElseThrow(() -> ErrorCode.INVALID_PARAMETER_VALUE.reject(raw.get(), "enrollmentType").asException()));
  }

  private static void refuseParticipants(JsonFields r) {
    if (r.mentions("participants")) {
      throw ErrorCode.INVALID_REQUEST_PARAMETER.reject("participants").asException();
    }
  }

  /** lms-service's search answers 30 batches unless asked for another number. */
  static final int DEFAULT_LIMIT = 30;

  /**
   * The batch fields the answer is to hold ({@code fields}; none: every field), as lms-service's
   * search returns only those asked for. Not a list of texts: DATA_TYPE_ERROR, as its validator.
   */
  static List<String> fields(JsonFields r) {
    JsonNode v = r.node().get("fields");
    if (v == null || v.isNull()) {
      return List.of();
    }
    List<String> out = new ArrayList<>();
    if (v.isArray()) {
      v.forEach(f -> out.add(f.isTextual() ? f.textValue() : null));
    }
    if (!v.isArray() || out.contains(null)) {
      throw ErrorCode.DATA_TYPE_ERROR.reject("fields", "List").asException();
    }
    return out;
  }

  /** Filters that can be given; each takes a value or a list of values. */
  private static final Map<String, String> FILTER_ALIASES = Map.ofEntries(
      Map.entry("batchId", "batchId"), Map.entry("identifier", "batchId"), Map.entry("id", "batchId"),
      Map.entry("courseId", "courseId"), Map.entry("collectionId", "courseId"),
      Map.entry("status", "status"), Map.entry("enrollmentType", "enrollmentType"),
      Map.entry("createdBy", "createdBy"), Map.entry("mentors", "mentors"), Map.entry("createdFor", "createdFor"));

  static BatchSearch search(JsonFields r, int maxLimit) {
    Map<String, List<String>> filters = new HashMap<>();
    Optional<JsonFields> given = r.object("filters");
    if (given.isPresent()) {
      Iterator<Map.Entry<String, JsonNode>> fields = given.get().node().properties().iterator();
      while (fields.hasNext()) {
        var f = fields.next();
        String key = FILTER_ALIASES.get(f.getKey());
        if (key == null) {
          throw ErrorCode.INVALID_PARAMETER_VALUE.reject(f.getKey(),
              "filters (supported: batchId, courseId, status, enrollmentType, createdBy, mentors, createdFor)").asException();
        }
        filters.computeIfAbsent(key, k -> new ArrayList<>()).addAll(values(f.getKey(), f.getValue()));
      }
    }
    int limit = r.integer("limit").orElse(DEFAULT_LIMIT);
    if (limit < 0 || limit > maxLimit) {
      throw ErrorCode.INVALID_PARAMETER_VALUE.reject(limit, "limit (0 to " + maxLimit + ")").asException();
    }
    int offset = r.integer("offset").orElse(0);
    if (offset < 0) {
      throw ErrorCode.INVALID_PARAMETER_VALUE.reject(offset, "offset").asException();
    }
    List<BatchStatus> statuses = new ArrayList<>();
    for (String s : filters.getOrDefault("status", List.of())) {
      statuses.add(status(s));
    }
    List<EnrollmentType> types = new ArrayList<>();
    for (String t : filters.getOrDefault("enrollmentType", List.of())) {
      types.add(EnrollmentType.parse(t).orElseThrow(() -> ErrorCode.INVALID_PARAMETER_VALUE.reject(t, "enrollmentType").asException()));
    }
    return new BatchSearch(filters.getOrDefault("batchId", List.of()), filters.getOrDefault("courseId", List.of()), statuses, types,
        filters.getOrDefault("createdBy", List.of()), filters.getOrDefault("mentors", List.of()),
        filters.getOrDefault("createdFor", List.of()), limit, offset, sort(r));
  }

  private static List<String> values(String key, JsonNode v) {
    List<String> out = new ArrayList<>();
    if (v.isArray()) {
      v.forEach(item -> out.add(scalar(key, item)));
    } else {
      out.add(scalar(key, v));
    }
    return out;
  }

  private static String scalar(String key, JsonNode v) {
    if (v.isTextual() || v.isNumber()) {
      return v.asText();
    }
    throw ErrorCode.DATA_TYPE_ERROR.reject("filters." + key, "a string, a number or a list of them").asException();
  }

  private static BatchStatus status(String s) {
    try {
      return BatchStatus.ofCode(Integer.parseInt(s.trim()));
    } catch (IllegalArgumentException e) {
      throw ErrorCode.INVALID_PARAMETER_VALUE.reject(s, "filters.status (0, 1 or 2)").asException();
    }
  }

  private static List<Sort> sort(JsonFields r) {
    List<Sort> out = new ArrayList<>();
    Optional<JsonFields> sortBy = r.object("sort_by");
    if (sortBy.isEmpty()) {
      return out;
    }
    Iterator<Map.Entry<String, JsonNode>> fields = sortBy.get().node().properties().iterator();
    while (fields.hasNext()) {
      var f = fields.next();
      SortField field = null;
      for (SortField candidate : SortField.values()) {
        if (candidate.wireName().equals(f.getKey())) {
          field = candidate;
        }
      }
      if (field == null) {
        throw ErrorCode.INVALID_PARAMETER_VALUE.reject(f.getKey(),
            "sort_by (supported: createdDate, updatedDate, startDate, endDate, enrollmentEndDate, name)").asException();
      }
      String dir = f.getValue().asText("asc");
      if (!dir.equalsIgnoreCase("asc") && !dir.equalsIgnoreCase("desc")) {
        throw ErrorCode.INVALID_PARAMETER_VALUE.reject(dir, "sort_by." + f.getKey() + " (asc or desc)").asException();
      }
      out.add(new Sort(field, dir.equalsIgnoreCase("desc")));
    }
    return out;
  }

  /** Template add/remove: {@code request.batch} with courseId, batchId and template. */
  record TemplateRequest(String courseId, String batchId, JsonFields template) {}

  static TemplateRequest templateRequest(JsonFields r) {
    if (r.has("batch") && !r.node().get("batch").isObject()) {
      throw ErrorCode.DATA_TYPE_ERROR.reject("batch", "Map").asException();
    }
    JsonFields batch = r.object("batch").orElseThrow(() -> ErrorCode.MANDATORY_PARAMETER_MISSING.reject("batch").asException());
    String courseId = batch.string("courseId").filter(s -> !s.isBlank())
        .orElseThrow(() -> ErrorCode.MANDATORY_PARAMETER_MISSING.reject("courseId").asException());
    String batchId = batch.string("batchId").filter(s -> !s.isBlank())
        .orElseThrow(() -> ErrorCode.MANDATORY_PARAMETER_MISSING.reject("batchId").asException());
    if (!batch.has("template")) {
      throw ErrorCode.MANDATORY_PARAMETER_MISSING.reject("template").asException();
    }
    if (!batch.node().get("template").isObject()) {
      throw ErrorCode.DATA_TYPE_ERROR.reject("template", "Map").asException();
    }
    JsonFields template = batch.object("template").orElseThrow();
    template.string("identifier", FieldLimits.ID).filter(s -> !s.isBlank())
        .orElseThrow(() -> ErrorCode.MANDATORY_PARAMETER_MISSING.reject("identifier").asException());
    return new TemplateRequest(courseId, batchId, template);
  }

  /**
   * A template to attach, with the criteria rules of Sunbird's certificate validator; what it
   * stores in the batch is held to {@link FieldLimits}.
   */
  static CertificateTemplate template(JsonFields t) {
    String identifier = t.requiredString("identifier", FieldLimits.ID);
    if (!t.has("criteria")) {
      throw ErrorCode.MANDATORY_PARAMETER_MISSING.reject("criteria").asException();
    }
    if (!t.node().get("criteria").isObject()) {
      throw ErrorCode.DATA_TYPE_ERROR.reject("criteria", "Map").asException();
    }
    JsonFields criteria = t.object("criteria").orElseThrow();
    CertificateCriteria parsed = criteria(criteria);
    JsonNode issuer = CertificateDocuments.issuer(t).orElse(null);
    var signatories = CertificateDocuments.signatories(t).orElse(List.of());
    JsonNode notify = t.object("notifyTemplate").map(JsonFields::node).orElse(null);
    JsonNode additional = t.object("additionalProps").map(JsonFields::node).orElse(null);
    FieldLimits.requireWithin(notify == null ? null : notify.toString(), t.path("notifyTemplate"), FieldLimits.JSON_OBJECT);
    FieldLimits.requireWithin(additional == null ? null : additional.toString(), t.path("additionalProps"), FieldLimits.JSON_OBJECT);
    return new CertificateTemplate(identifier, null, null, parsed, issuer, signatories, notify, additional);
  }

  private static CertificateCriteria criteria(JsonFields c) {
    boolean hasEnrollment = c.has("enrollment");
    boolean hasAssessment = c.has("assessment");
    if (!hasEnrollment && !hasAssessment) {
      throw ErrorCode.MANDATORY_PARAMETER_MISSING.reject("Enrollment or Status").asException();
    }
    Integer status = null;
    if (hasEnrollment) {
      JsonFields e = map(c, "enrollment");
      if (!e.has("status")) {
        throw ErrorCode.MANDATORY_PARAMETER_MISSING.reject("status").asException();
      }
      if (e.node().size() > 1) {
        throw ErrorCode.INVALID_PROPERTY_ERROR.reject("Enrollment").asException();
      }
      status = e.integer("status").orElseThrow();
    }
    Map<String, Double> score = null;
    if (hasAssessment) {
      JsonFields a = map(c, "assessment");
      if (!a.has("score")) {
        throw ErrorCode.MANDATORY_PARAMETER_MISSING.reject("score").asException();
      }
      if (a.node().size() > 1) {
        throw ErrorCode.INVALID_PROPERTY_ERROR.reject("Assessment").asException();
      }
      JsonFields s = map(a, "score");
      score = new HashMap<>();
      Iterator<String> ops = s.node().fieldNames();
      while (ops.hasNext()) {
        String op = ops.next();
        if (!CertificateCriteria.SCORE_OPERATORS.contains(op)) {
          throw ErrorCode.INVALID_PROPERTY_ERROR.reject("Score").asException();
        }
        score.put(op, s.number(op).orElseThrow(() -> ErrorCode.DATA_TYPE_ERROR.reject("score." + op, "Number").asException()));
      }
      if (score.isEmpty()) {
        throw ErrorCode.INVALID_PROPERTY_ERROR.reject("Score").asException();
      }
    }
    String rootOrgId = null;
    if (c.has("user")) {
      JsonFields u = map(c, "user");
      rootOrgId = u.string("rootOrgId", FieldLimits.ID).filter(x -> !x.isBlank())
          .orElseThrow(() -> ErrorCode.MANDATORY_PARAMETER_MISSING.reject("rootOrgId").asException());
    }
    return new CertificateCriteria(status, score, rootOrgId);
  }

  /** A part of a template that must be an object, named as lms-service's validator names it ("Data type of enrollment should be Map."). */
  private static JsonFields map(JsonFields parent, String field) {
    if (!parent.node().get(field).isObject()) {
      throw ErrorCode.DATA_TYPE_ERROR.reject(field, "Map").asException();
    }
    return parent.object(field).orElseThrow();
  }
}
