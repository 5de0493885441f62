package org.coursebatch.core.batch;

import java.util.Locale;
import java.util.Optional;

/** Who may enrol: anyone ({@code open}) or only invited users ({@code invite-only}). */
public enum EnrollmentType {
  OPEN("open"),
  INVITE_ONLY("invite-only");

  private final String wireName;

  EnrollmentType(String wireName) {
    this.wireName = wireName;
  }

  public String wireName() {
    return wireName;
  }

  /** Parses the wire value, case-insensitively. */
  public static Optional<EnrollmentType> parse(String value) {
    if (value == null) {
      return Optional.empty();
    }
    String v = value.trim().toLowerCase(Locale.ROOT);
    for (EnrollmentType t : values()) {
      if (t.wireName.equals(v)) {
        return Optional.of(t);
      }
    }
    return Optional.empty();
  }
}
