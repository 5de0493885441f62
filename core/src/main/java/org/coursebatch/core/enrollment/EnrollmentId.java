package org.coursebatch.core.enrollment;

import java.util.Optional;

/**
 * The id of one enrolment: {@code batchId:userId:incarnation}. The incarnation counts the
 * learner's enrolments in the batch, so a deleted enrolment's id never names the one that
 * replaces it. Batch ids hold no ':' and the incarnation is a number, so user ids may contain ':'.
 */
public record EnrollmentId(String batchId, String userId, int incarnation) {

  public EnrollmentId {
    if (batchId == null || batchId.isEmpty() || batchId.contains(":") || userId == null || userId.isEmpty() || incarnation < 1) {
      throw new IllegalArgumentException("Not an enrolment id: " + batchId + ":" + userId + ":" + incarnation);
    }
  }

  /** The id {@code text} spells, or empty when it is not of the form {@code batchId:userId:n}. */
  public static Optional<EnrollmentId> parse(String text) {
    if (text == null) {
      return Optional.empty();
    }
    int first = text.indexOf(':');
    int last = text.lastIndexOf(':');
    if (first <= 0 || last <= first + 1 || last == text.length() - 1) {
      return Optional.empty();
    }
    String number = text.substring(last + 1);
    if (number.length() > 9 || !number.chars().allMatch(Character::isDigit)) {
      return Optional.empty();
    }
    int incarnation = Integer.parseInt(number);
    if (incarnation < 1 || number.charAt(0) == '0') {
      return Optional.empty();
    }
    return Optional.of(new EnrollmentId(text.substring(0, first), text.substring(first + 1, last), incarnation));
  }

  @Override
  public String toString() {
    return batchId + ":" + userId + ":" + incarnation;
  }
}
