package org.coursebatch.core.enrollment;

import akka.NotUsed;
import akka.stream.javadsl.Source;
import java.util.List;
import java.util.concurrent.CompletionStage;

/** The read side of enrolments (a projection of the journal). */
public interface EnrollmentQueries {

  /**
   * A user's enrolments that are active or waitlisted, most recently accessed first (then most
   * recently enrolled).
   */
  CompletionStage<List<EnrollmentRecord>> enrollmentsOf(String userId);

  /** The user ids of a batch's active participants ({@code active}), or of those who left ({@code !active}), oldest enrolment first. */
  CompletionStage<List<String>> participants(String batchId, boolean active);

  /**
   * The ids of the enrolments {@code selection} picks, ordered by batch then user, read page by
   * page so that any number of them streams in constant memory.
   */
  Source<EnrollmentId, NotUsed> enrollmentIds(EnrollmentSelection selection);
}
