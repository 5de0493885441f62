package org.coursebatch.http.enrollment.bulk;

import static org.coursebatch.http.api.JsonElements.element;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;
import org.coursebatch.core.enrollment.bulk.AliasRequest;
import org.coursebatch.core.enrollment.bulk.EnrollmentForm;
import org.coursebatch.core.enrollment.bulk.EnrollmentPeer;
import org.coursebatch.core.error.ErrorCode;
import org.coursebatch.core.json.FieldLimits;
import org.coursebatch.core.json.JsonFields;

/**
 * Reads bulk enrolment requests into the arguments of the session. Only their shape is checked
 * here (a list is a list, an element an object, a value of its type), and any fault refuses the
 * whole request; what a value means (an unknown batch, a bad token) is the session's to decide.
 * A list that is absent or null is NULL_ARGUMENT, as the session says for a null argument.
 */
final class BulkEnrollmentRequests {

  private BulkEnrollmentRequests() {}

  /** Peers to get create forms for, and the record types the forms ask for (none when absent). */
  record FormsForCreate(List<EnrollmentPeer> peers, List<String> recordTypes) {}

  static FormsForCreate formsForCreate(JsonFields r) {
    List<EnrollmentPeer> peers = objects(r, "peers",
        (p, name) -> new EnrollmentPeer(p.string("batchId").orElse(null), p.string("userId").orElse(null)));
    List<String> recordTypes = r.stringList("recordTypes").orElse(List.of());
    return new FormsForCreate(peers, recordTypes);
  }

  /** Create forms as sent back: only each form's {@code id} and {@code token} are read. */
  static List<EnrollmentForm> createForms(JsonFields r) {
    return objects(r, "forms", (f, name) -> submitted(f, null));
  }

  /** Update forms as sent back: each form's {@code id}, {@code token} and the {@code active} it sets. */
  static List<EnrollmentForm> updateForms(JsonFields r) {
    return objects(r, "forms", (f, name) -> {
      JsonNode active = f.node().get("active");
      if (active != null && !active.isNull() && !active.isBoolean()) {
        throw ErrorCode.DATA_TYPE_ERROR.reject(name + ".active", "Boolean").asException();
      }
      return submitted(f, active == null || active.isNull() ? null : active.booleanValue());
    });
  }

  /** A form as submitted: its claimed id, its token and the value it sets; the rest is the token's. */
  private static EnrollmentForm submitted(JsonFields f, Boolean active) {
    return new EnrollmentForm(f.string("id").orElse(null), null, null, null, null, List.of(), null, List.of(),
        f.string("token").orElse(null), active);
  }

  /** {@code enrollmentIds}: primary ids or aliases, as given (a blank or null one is the session's NULL_ARGUMENT). */
  static List<String> enrollmentIds(JsonFields r) {
    JsonNode list = list(r, "enrollmentIds");
    List<String> ids = new ArrayList<>(list.size());
    for (int i = 0; i < list.size(); i++) {
      JsonNode id = list.get(i);
      if (!id.isNull() && !id.isTextual()) {
        throw ErrorCode.DATA_TYPE_ERROR.reject("enrollmentIds[" + i + "]", "String").asException();
      }
      ids.add(id.isNull() ? null : id.textValue());
    }
    return ids;
  }

  /**
   * Alias requests. Each must name the enrolment ({@code enrollmentId}), and an {@code aliasId}
   * longer than {@link FieldLimits#ALIAS} refuses the whole request (an alias names an entity);
   * a missing or otherwise unusable {@code aliasId} fails that item alone.
   */
  static List<AliasRequest> aliases(JsonFields r) {
    return objects(r, "aliases", (a, name) -> {
      String enrollmentId = a.string("enrollmentId").filter(s -> !s.isBlank())
          .orElseThrow(() -> ErrorCode.NULL_ARGUMENT.reject(name + ".enrollmentId").asException());
      return new AliasRequest(enrollmentId, a.string("aliasId", FieldLimits.ALIAS).orElse(null));
    });
  }

  /**
   * The {@code date} of the by-date deletion: a day ({@code yyyy-MM-dd}, its first instant in
   * the service's time zone) or an ISO-8601 instant ({@code 2024-05-01T00:00:00Z}, or with an
   * offset), from 1970 to 9999 ({@link FieldLimits}).
   */
  static Instant ineffectiveDate(Optional<String> date, ZoneId zone) {
    String text = date.map(String::trim).filter(s -> !s.isEmpty())
        .orElseThrow(() -> ErrorCode.NULL_ARGUMENT.reject("date").asException());
    Instant at;
    try {
      if (text.length() == 10) {
        LocalDate day = LocalDate.parse(text, JsonFields.DATE);
        FieldLimits.outOfRange(day, "date").ifPresent(r -> {
          throw r.asException();
        });
        return day.atStartOfDay(zone).toInstant();
      }
      // A '+' of an offset that was not percent-encoded reads as a space in a query.
      at = Instant.parse(text.replace(' ', '+'));
    } catch (DateTimeException e) {
      throw ErrorCode.DATE_FORMAT_ERROR.reject().asException();
    }
    return FieldLimits.requireInRange(at, "date");
  }

  /** The list {@code field} of objects, each read by {@code read} with its name ({@code field[i]}). */
  private static <T> List<T> objects(JsonFields r, String field, BiFunction<JsonFields, String, T> read) {
    JsonNode list = list(r, field);
    List<T> out = new ArrayList<>(list.size());
    for (int i = 0; i < list.size(); i++) {
      String name = field + "[" + i + "]";
      if (list.get(i).isNull()) {
        throw ErrorCode.NULL_ARGUMENT.reject(name).asException();
      }
      out.add(read.apply(element(list.get(i), name), name));
    }
    return out;
  }

  private static JsonNode list(JsonFields r, String field) {
    JsonNode list = r.node().get(field);
    if (list == null || list.isNull()) {
      throw ErrorCode.NULL_ARGUMENT.reject(field).asException();
    }
    if (!list.isArray()) {
      throw ErrorCode.DATA_TYPE_ERROR.reject(field, "List").asException();
    }
    return list;
  }
}
