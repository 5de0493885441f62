package org.coursebatch.core.exhaust;

import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * What the progress report needs of one enrolled learner, read from the enrolment read model.
 *
 * @param completionPercentage the recorded completion percentage (0–100)
 * @param completedContents the leaves the learner completed
 * @param attempts every assessment attempt, in the order they were recorded
 * @param certified whether any certificate was issued to the enrolment
 */
public record ExhaustLearner(
    String userId,
    Instant enrolledDate,
    Instant completedOn,
    int completionPercentage,
    Set<String> completedContents,
    List<ScoredAttempt> attempts,
    boolean certified) {

  public ExhaustLearner {
    completedContents = Set.copyOf(completedContents);
    attempts = List.copyOf(attempts);
  }

  /** One attempt's score: the sum of its questions' scores out of the sum of their maximums. */
  public record ScoredAttempt(String contentId, String attemptId, double score, double maxScore) {}
}
