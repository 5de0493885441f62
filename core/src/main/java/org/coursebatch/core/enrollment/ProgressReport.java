package org.coursebatch.core.enrollment;

import java.util.List;
import java.util.Map;

/**
 * The outcome of a content-state update, in Sunbird's shape: {@code contentId → SUCCESS} for each
 * accepted content (and {@code batchId → SUCCESS} for accepted assessments), and the batches whose
 * items were not recorded, by reason.
 */
public record ProgressReport(
    Map<String, String> accepted,
    List<String> batchNotExists,
    List<String> notOngoing,
    List<String> notEnrolled,
    List<IssuedCertificate> issued) {}
