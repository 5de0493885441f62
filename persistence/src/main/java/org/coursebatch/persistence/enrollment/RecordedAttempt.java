package org.coursebatch.persistence.enrollment;

import java.time.Instant;
import java.util.List;
import org.coursebatch.core.enrollment.QuestionResponse;

/** One assessment attempt as the read model keeps it, with every question's response. */
public record RecordedAttempt(
    String contentId,
    String attemptId,
    Instant assessmentTs,
    double totalScore,
    double totalMaxScore,
    List<QuestionResponse> responses) {

  public RecordedAttempt {
    responses = responses == null ? List.of() : List.copyOf(responses);
  }
}
