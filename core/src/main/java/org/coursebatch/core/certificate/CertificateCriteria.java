package org.coursebatch.core.certificate;

import java.util.Map;

/**
 * When a certificate is issued (Sunbird criteria): the enrolment status to reach, bounds on the
 * best assessment score (operators {@code >=}, {@code <=}, {@code eq}, all of which must hold), and
 * optionally the learner's root organisation. At least one of enrolment or assessment is set.
 */
public record CertificateCriteria(Integer enrollmentStatus, Map<String, Double> assessmentScore, String userRootOrgId) {

  public static final java.util.List<String> SCORE_OPERATORS = java.util.List.of(">=", "<=", "eq");

  public CertificateCriteria {
    // Sorted, so the stored JSON is the same bytes on every run.
    assessmentScore = assessmentScore == null ? null : java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(assessmentScore));
  }

  /** Whether a score (as a percentage) satisfies every score bound; true when there are none. */
  public boolean scoreSatisfied(double score) {
    if (assessmentScore == null) {
      return true;
    }
    for (var bound : assessmentScore.entrySet()) {
      boolean ok = switch (bound.getKey()) {
        case ">=" -> score >= bound.getValue();
        case "<=" -> score <= bound.getValue();
        case "eq" -> Double.compare(score, bound.getValue()) == 0;
        default -> false;
      };
      if (!ok) {
        return false;
      }
    }
    return true;
  }
}
