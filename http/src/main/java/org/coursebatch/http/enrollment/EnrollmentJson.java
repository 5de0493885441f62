package org.coursebatch.http.enrollment;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import org.coursebatch.http.api.Envelope;

/** What the enrolment results share with other features' answers. */
public final class EnrollmentJson {

  private EnrollmentJson() {}

  /** {@code response: SUCCESS} as a tree, for answers that add their own fields to it. */
  public static ObjectNode success() {
    return Envelope.JSON.valueToTree(EnrolResult.SUCCESS);
  }

  /** An instant in the envelope's {@code ts} format (null stays null), as enrolment lists show them. */
  public static String timestamp(Instant i) {
    return i == null ? null : Envelope.TS.format(i);
  }
}
