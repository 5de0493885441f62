package org.coursebatch.core.group;

import java.time.Instant;
import java.util.List;
import org.coursebatch.core.enrollment.BestScore;

/**
 * What one user has done in a course, over their enrolments that count (active, in any batch of
 * the course), as the read side knows it.
 *
 * @param enrolmentCount the user's active enrolments in the course's batches (usually one)
 * @param completedCount the most leaf contents completed in any of them
 * @param progress the best completion percentage (0 to 100) among them
 * @param bestScores the best attempt at each assessment asked about that the user attempted, over
 *     all those enrolments (ties go to the later attempt; {@code attempts} counts them all)
 * @param lastUpdatedOn when the read side last changed any of those enrolments
 */
public record MemberActivity(String userId, int enrolmentCount, int completedCount, int progress,
    List<BestScore> bestScores, Instant lastUpdatedOn) {

  public MemberActivity {
    bestScores = bestScores == null ? List.of() : List.copyOf(bestScores);
  }
}
