package org.coursebatch.http.enrollment.bulk;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Locale;
import org.coursebatch.core.enrollment.Enrollment;
import org.coursebatch.core.enrollment.Participation;
import org.coursebatch.core.enrollment.bulk.AliasResponse;
import org.coursebatch.core.enrollment.bulk.CreateResponse;
import org.coursebatch.core.enrollment.bulk.DeleteResponse;
import org.coursebatch.core.enrollment.bulk.EnrollmentBatchAdmin.FoundEnrollment;
import org.coursebatch.core.enrollment.bulk.EnrollmentForm;
import org.coursebatch.core.enrollment.bulk.EnrollmentProgress;
import org.coursebatch.core.enrollment.bulk.FormField;
import org.coursebatch.core.enrollment.bulk.ItemResponse;
import org.coursebatch.core.enrollment.bulk.UpdateResponse;
import org.coursebatch.core.error.Rejection;
import org.coursebatch.http.api.Envelope;
import org.coursebatch.http.enrollment.EnrollmentJson;

/**
 * Forms, per-item responses and the enrolment read of bulk enrolment administration. Absent
 * values are left out rather than written as null. Each item has {@code successful}, and
 * {@code error} when false. Items name enrolments the way their request did: a form's outcome by
 * the primary id ({@code batchId:userId:incarnation}), a deletion by the id as requested (with
 * the primary id it resolved to in {@code primaryId}), an alias by the alias.
 */
public final class BulkEnrollmentJson {

  private BulkEnrollmentJson() {}

  public static ObjectNode forms(List<EnrollmentForm> forms) {
    ObjectNode result = Envelope.JSON.createObjectNode();
    ArrayNode list = result.putArray("forms");
    forms.forEach(f -> list.add(form(f)));
    return result;
  }

  /** A form, to be sent back as it is (plus {@code active} on an update form). */
  public static ObjectNode form(EnrollmentForm f) {
    ObjectNode o = Envelope.JSON.createObjectNode();
    put(o, "id", f.id());
    put(o, "kind", f.kind() == null ? null : f.kind().name().toLowerCase(Locale.ROOT));
    put(o, "batchId", f.batchId());
    put(o, "userId", f.userId());
    put(o, "enrollmentId", f.enrollmentId());
    ArrayNode types = o.putArray("recordTypes");
    f.recordTypes().forEach(types::add);
    put(o, "expiresAt", f.expiresAt() == null ? null : f.expiresAt().toString());
    ArrayNode metadata = o.putArray("metadata");
    f.metadata().forEach(m -> metadata.add(field(m)));
    put(o, "token", f.token());
    if (f.active() != null) {
      o.put("active", f.active());
    }
    return o;
  }

  private static ObjectNode field(FormField m) {
    ObjectNode o = Envelope.JSON.createObjectNode();
    put(o, "name", m.name());
    put(o, "type", m.type());
    o.put("readOnly", m.readOnly());
    o.put("required", m.required());
    if (m.value() != null) {
      o.set("value", Envelope.JSON.valueToTree(m.value()));
    }
    put(o, "description", m.description());
    return o;
  }

  /** {@code formId, enrollmentId, successful, participation, waitlistPosition?, progress?} or the error. */
  public static ObjectNode created(CreateResponse r) {
    ObjectNode o = item(r, r.participation(), r.waitlistPosition(), "formId", r.formId(), "enrollmentId", r.enrollmentId());
    EnrollmentProgress p = r.progress();
    if (p != null && r.succeeded()) {
      o.putObject("progress").put("status", p.status()).put("progress", p.progress()).put("completionPercentage", p.completionPercentage());
    }
    return o;
  }

  /** {@code formId, enrollmentId, successful, participation, waitlistPosition?} or the error. */
  public static ObjectNode updated(UpdateResponse r) {
    return item(r, r.participation(), r.waitlistPosition(), "formId", r.formId(), "enrollmentId", r.enrollmentId());
  }

  /**
   * {@code enrollmentId} as the request named it (a primary id or an alias), {@code primaryId}
   * the enrolment it resolved to (when it did), {@code successful}.
   */
  public static ObjectNode deleted(DeleteResponse r) {
    return item(r, null, null, "enrollmentId", r.requestedId(), "primaryId", r.enrollmentId());
  }

  /** {@code aliasId, enrollmentId, previousEnrollmentId?} (when the alias moved), {@code successful}. */
  public static ObjectNode aliased(AliasResponse r) {
    return item(r, null, null, "aliasId", r.aliasId(), "enrollmentId", r.enrollmentId(), "previousEnrollmentId", r.previousEnrollmentId());
  }

  /**
   * An item: its ids (name, value, name, value...; null values left out), then
   * {@code successful} and where the learner stands, or the error.
   */
  private static ObjectNode item(ItemResponse r, Participation participation, Integer waitlistPosition, String... ids) {
    ObjectNode o = Envelope.JSON.createObjectNode();
    for (int i = 0; i < ids.length; i += 2) {
      put(o, ids[i], ids[i + 1]);
    }
    o.put("successful", r.succeeded());
    if (r.succeeded()) {
      put(o, "participation", participation == null ? null : participation.name());
      if (waitlistPosition != null) {
        o.put("waitlistPosition", waitlistPosition);
      }
    } else {
      o.set("error", error(r.error()));
    }
    return o;
  }

  /** An item's error: the code and message the envelope would have, and its response code. */
  public static ObjectNode error(Rejection rejection) {
    return Envelope.JSON.createObjectNode()
        .put("err", rejection.code().code())
        .put("errmsg", rejection.message())
        .put("responseCode", rejection.code().responseCode().name());
  }

  /** {@code {"enrollment": {...}}}: the enrolment with its primary id; timestamps as enrolment lists show them. */
  public static ObjectNode enrollment(FoundEnrollment found) {
    Enrollment e = found.enrollment();
    ObjectNode o = Envelope.JSON.createObjectNode();
    o.put("enrollmentId", found.id().toString());
    o.put("batchId", found.id().batchId());
    o.put("userId", found.id().userId());
    put(o, "courseId", e.courseId());
    o.put("participation", e.participation().name());
    o.put("active", e.active());
    o.put("invited", e.invited());
    o.put("status", e.progressStatus());
    o.put("progress", e.completedLeaves());
    o.put("completionPercentage", e.completionPercentage());
    put(o, "enrolledDate", EnrollmentJson.timestamp(e.enrolledDate()));
    put(o, "addedBy", e.addedBy());
    put(o, "completedOn", EnrollmentJson.timestamp(e.completedOn()));
    put(o, "lastReadContentId", e.lastReadContentId());
    if (e.lastReadContentStatus() != null) {
      o.put("lastReadContentStatus", e.lastReadContentStatus());
    }
    put(o, "lastContentAccessTime", EnrollmentJson.timestamp(e.lastContentAccessTime()));
    o.set("certificates", EnrollmentJson.certificates(e.certificates()));
    ObjectNode result = Envelope.JSON.createObjectNode();
    result.set("enrollment", o);
    return result;
  }

  private static void put(ObjectNode o, String field, String value) {
    if (value != null) {
      o.put(field, value);
    }
  }
}
