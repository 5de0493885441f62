package org.coursebatch.core.enrollment;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import org.coursebatch.core.json.AbsentJson;

/**
 * A learner's recorded state of one content of a course: status 0 (not started), 1 (in progress)
 * or 2 (completed), progress 0–100, how often it was reported viewed and completed, and the
 * client's free-form {@code progressDetails}.
 */
public record ContentState(
    String contentId,
    int status,
    int progress,
    int viewCount,
    int completedCount,
    Instant lastAccessTime,
    Instant lastCompletedTime,
    JsonNode progressDetails) {

  public static final int COMPLETED = 2;

  public ContentState {
    progressDetails = AbsentJson.orNull(progressDetails);
  }

  public boolean completed() {
    return status == COMPLETED;
  }
}
