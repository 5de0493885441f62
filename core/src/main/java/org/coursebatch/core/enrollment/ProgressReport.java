package org.coursebatch.core.enrollment;

import java.util.List;
import java.util.Map;

/**
 * The outcome of a content-state update, in Sunbird's shape: {@code contentId → SUCCESS} for each
 * accepted content (and {@code batchId → SUCCESS} for accepted assessments), the batches whose
 * items were not recorded, by reason, and the content ids that are not leaves of their course
 * (ignored: only leaves have a state). {@code unavailable}: batches whose enrolment did not answer
 * in time, so their items are not known to be recorded (send them again, with the same
 * idempotency key to have them recorded once).
 */
public record ProgressReport(
    Map<String, String> accepted,
    List<String> batchNotExists,
    List<String> notOngoing,
    List<String> notEnrolled,
    List<String> notInCourse,
    List<String> unavailable,
    List<IssuedCertificate> issued) {

  /** Nothing reported was recordable, so nothing was asked of any batch. */
  public static final ProgressReport NOTHING = new ProgressReport(Map.of(), List.of(), List.of(), List.of(), List.of(), List.of(), List.of());
}
