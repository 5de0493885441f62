package org.coursebatch.core.enrollment;

import java.time.Instant;
import java.util.List;
import org.coursebatch.core.CborSerializable;

/**
 * One attempt at an assessment of the course: when it was taken, and each question's response.
 * The attempt's score is the sum of its questions' scores.
 */
public record AssessmentAttempt(String contentId, String attemptId, Instant assessmentTs, List<QuestionResponse> responses)
    implements CborSerializable {

  public AssessmentAttempt {
    responses = responses == null ? List.of() : List.copyOf(responses);
  }

  public double totalScore() {
    return responses.stream().mapToDouble(QuestionResponse::score).sum();
  }

  public double totalMaxScore() {
    return responses.stream().mapToDouble(QuestionResponse::maxScore).sum();
  }
}
