package org.coursebatch.http.enrollment;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.coursebatch.http.api.Envelope;
import org.coursebatch.core.enrollment.BestScore;
import org.coursebatch.core.enrollment.ContentState;
import org.coursebatch.core.enrollment.Enrollment;

/** A learner's content states in one course: {@code contentList}. */
public record ContentStateReadResult(List<State> contentList) {

  /** One content's state, with Sunbird's names; {@code score} only when asked for and there is an attempt. */
  public record State(
      String contentId,
      String courseId,
      String collectionId,
      String batchId,
      int status,
      int progress,
      int viewCount,
      int completedCount,
      String lastAccessTime,
      String lastCompletedTime,
      JsonNode progressdetails,
      @JsonInclude(JsonInclude.Include.NON_NULL) List<Score> score) {}

  /** The best attempt at an assessment. */
  public record Score(String attemptId, double totalScore, double totalMaxScore, int attempts) {}

  /**
   * The learner's content states in {@code courseId} (none when the enrolment is of another
   * course or never started), filtered to {@code contentIds} unless empty; {@code withScore} adds
   * the best attempt of each content that has one.
   */
  public static ContentStateReadResult of(Enrollment e, String courseId, List<String> contentIds, boolean withScore) {
    List<State> list = new ArrayList<>();
    if (!courseId.equals(e.courseId())) {
      return new ContentStateReadResult(list);
    }
    for (ContentState c : e.contents().values()) {
      if (!contentIds.isEmpty() && !contentIds.contains(c.contentId())) {
        continue;
      }
      BestScore best = e.bestScores().get(c.contentId());
      List<Score> score = withScore && best != null
          ? List.of(new Score(best.attemptId(), best.score(), best.maxScore(), best.attempts()))
          : null;
      list.add(new State(c.contentId(), e.courseId(), e.courseId(), e.batchId(), c.status(), c.progress(), c.viewCount(),
          c.completedCount(), Envelope.timestamp(c.lastAccessTime()), Envelope.timestamp(c.lastCompletedTime()),
          c.progressDetails(), score));
    }
    return new ContentStateReadResult(list);
  }
}
