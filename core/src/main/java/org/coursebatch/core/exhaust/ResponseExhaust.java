package org.coursebatch.core.exhaust;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.coursebatch.core.batch.Batch;
import org.coursebatch.core.catalog.Course;
import org.coursebatch.core.catalog.CourseNode;
import org.coursebatch.core.enrollment.AssessmentAttempt;
import org.coursebatch.core.enrollment.QuestionResponse;

/**
 * The response report of a batch: one row per question response of every attempt of every
 * enrolled learner. Attempted On is {@code yyyy-MM-dd HH:mm:ss} in the batch's zone; the duration
 * is rounded to whole seconds; scores are written without a trailing {@code .0}; options and
 * response are the JSON the player sent. The question's description is not recorded (empty).
 */
public final class ResponseExhaust {

  static final List<String> COLUMNS = List.of("QuestionSet Id", "QuestionSet Title", "Attempt Id", "Attempted On",
      "Question Id", "Question Type", "Question Title", "Question Description", "Question Duration", "Question Score",
      "Question Max Score", "Question Options", "Question Response");

  private final Course course;
  private final Batch batch;
  private final Map<String, String> assessmentNames;

  public ResponseExhaust(Course course, Batch batch) {
    this.course = course;
    this.batch = batch;
    this.assessmentNames = course.leaves().stream()
        .collect(Collectors.toMap(CourseNode::identifier, CourseNode::name, (a, b) -> a));
  }

  public List<String> header() {
    return ExhaustColumns.header(COLUMNS);
  }

  /** The rows of one attempt, one per question response, in the order they were recorded. */
  public List<List<String>> rows(String userId, AssessmentAttempt attempt) {
    List<List<String>> out = new ArrayList<>();
    for (QuestionResponse q : attempt.responses()) {
      List<String> row = ExhaustColumns.row(course, batch, userId);
      row.add(attempt.contentId());
      row.add(assessmentNames.getOrDefault(attempt.contentId(), ""));
      row.add(attempt.attemptId());
      row.add(ExhaustColumns.dateTime(attempt.assessmentTs(), batch.zone()));
      row.add(ExhaustColumns.orEmpty(q.questionId()));
      row.add(ExhaustColumns.orEmpty(q.type()));
      row.add(ExhaustColumns.orEmpty(q.title()));
      row.add("");
      row.add(q.duration() == null ? "" : Long.toString(Math.round(q.duration())));
      row.add(ExhaustColumns.number(q.score()));
      row.add(ExhaustColumns.number(q.maxScore()));
      row.add(json(q.options()));
      row.add(json(q.response()));
      out.add(row);
    }
    return out;
  }

  private static String json(JsonNode node) {
    return node == null ? "" : node.toString();
  }
}
