package org.coursebatch.http.enrollment.bulk;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Locale;
import org.coursebatch.core.enrollment.bulk.EnrollmentForm;
import org.coursebatch.core.enrollment.bulk.FormField;
import org.coursebatch.http.api.Envelope;

/** Forms to fill in and send back: {@code forms}. Absent values are left out rather than written as null. */
public record EnrollmentFormsResult(List<Form> forms) {

  public static EnrollmentFormsResult of(List<EnrollmentForm> forms) {
    return new EnrollmentFormsResult(forms.stream().map(Form::of).toList());
  }

  /** A form, to be sent back as it is (plus {@code active} on an update form); absent values are left out. */
  public record Form(
      @JsonInclude(JsonInclude.Include.NON_NULL) String id,
      @JsonInclude(JsonInclude.Include.NON_NULL) String kind,
      @JsonInclude(JsonInclude.Include.NON_NULL) String batchId,
      @JsonInclude(JsonInclude.Include.NON_NULL) String userId,
      @JsonInclude(JsonInclude.Include.NON_NULL) String enrollmentId,
      List<String> recordTypes,
      @JsonInclude(JsonInclude.Include.NON_NULL) String expiresAt,
      List<Field> metadata,
      @JsonInclude(JsonInclude.Include.NON_NULL) String token,
      @JsonInclude(JsonInclude.Include.NON_NULL) Boolean active) {

    static Form of(EnrollmentForm f) {
      return new Form(f.id(), f.kind() == null ? null : f.kind().name().toLowerCase(Locale.ROOT), f.batchId(), f.userId(),
          f.enrollmentId(), f.recordTypes(), f.expiresAt() == null ? null : f.expiresAt().toString(),
          f.metadata().stream().map(Field::of).toList(), f.token(), f.active());
    }
  }

  /** A field of a form's metadata. */
  public record Field(
      @JsonInclude(JsonInclude.Include.NON_NULL) String name,
      @JsonInclude(JsonInclude.Include.NON_NULL) String type,
      boolean readOnly,
      boolean required,
      @JsonInclude(JsonInclude.Include.NON_NULL) JsonNode value,
      @JsonInclude(JsonInclude.Include.NON_NULL) String description) {

    static Field of(FormField m) {
      JsonNode value = m.value() == null ? null : Envelope.JSON.valueToTree(m.value());
      return new Field(m.name(), m.type(), m.readOnly(), m.required(), value, m.description());
    }
  }
}
