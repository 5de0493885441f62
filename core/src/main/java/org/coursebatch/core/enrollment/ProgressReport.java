package org.coursebatch.core.enrollment;

import java.util.List;
import java.util.Map;

/**
 * The outcome of a content-state update, in Sunbird's shape: {@code contentId → SUCCESS} for each
 * accepted content (and {@code batchId → SUCCESS} for accepted assessments), the batches whose
 * items were not recorded, by reason, and the content ids that are not leaves of their course
 * (ignored: only leaves have a state).
 */
public record ProgressReport(
    Map<String, String> accepted,
    List<String> batchNotExists,
    List<String> notOngoing,
    List<String> notEnrolled,
    List<String> notInCourse,
    List<IssuedCertificate> issued) {

  /** A report in which every content id named a leaf of its course. */
  public ProgressReport(Map<String, String> accepted, List<String> batchNotExists, List<String> notOngoing,
      List<String> notEnrolled, List<IssuedCertificate> issued) {
    this(accepted, batchNotExists, notOngoing, notEnrolled, List.of(), issued);
  }
}
