package org.coursebatch.core.enrollment.bulk;

import java.time.Instant;
import java.util.List;

/**
 * A form for one create or update transaction. {@link #token} is the form itself, signed by the
 * service: its id, kind, peers, record types and expiry cannot be altered. When a form is
 * submitted only the token and the settable values ({@link #active}) are read.
 *
 * @param enrollmentId the enrolment an update form is for (null on a create form)
 * @param active the value to set (update forms): false unenrols, true enrols again; null: unset
 */
public record EnrollmentForm(
    String id,
    Kind kind,
    String batchId,
    String userId,
    String enrollmentId,
    List<String> recordTypes,
    Instant expiresAt,
    List<FormField> metadata,
    String token,
    Boolean active) {

  public enum Kind { CREATE, UPDATE }

  public EnrollmentForm {
    recordTypes = recordTypes == null ? List.of() : List.copyOf(recordTypes);
    metadata = metadata == null ? List.of() : List.copyOf(metadata);
  }

  /** A form as a client sends it back: the token, and the value it sets, if any. */
  public static EnrollmentForm submitted(String token, Boolean active) {
    return new EnrollmentForm(null, null, null, null, null, List.of(), null, List.of(), token, active);
  }
}
