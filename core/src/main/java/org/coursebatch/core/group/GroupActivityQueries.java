package org.coursebatch.core.group;

import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletionStage;

/** The read side of group activity aggregates (a projection of the journal). */
public interface GroupActivityQueries {

  /**
   * The activity in course {@code courseId} of those of {@code userIds} who have an active
   * enrolment in one of its batches, one entry each, in no particular order (the others are
   * absent). Best scores are given for {@code assessmentIds} only.
   */
  CompletionStage<List<MemberActivity>> courseActivity(String courseId, Collection<String> userIds,
      Collection<String> assessmentIds);
}
