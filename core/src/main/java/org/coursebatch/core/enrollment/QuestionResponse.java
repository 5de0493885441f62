package org.coursebatch.core.enrollment;

import com.fasterxml.jackson.databind.JsonNode;
import org.coursebatch.core.json.AbsentJson;

/**
 * A learner's answer to one question in an assessment attempt: what the response exhaust reports.
 * {@code options} are the question's choices as the player sent them, {@code response} the values
 * the learner gave.
 */
public record QuestionResponse(
    String questionId,
    String type,
    String title,
    double score,
    double maxScore,
    JsonNode options,
    JsonNode response,
    Double duration) {

  public QuestionResponse {
    options = AbsentJson.orNull(options);
    response = AbsentJson.orNull(response);
  }
}
