package org.coursebatch.core.enrollment;

import java.util.Optional;
import org.coursebatch.core.batch.BatchView;
import org.coursebatch.core.error.ErrorCode;
import org.coursebatch.core.error.Rejections;

/**
 * A waiting learner's position, which only the batch knows (it holds the queue): the enrolment
 * entity's answers are completed with it.
 */
public final class WaitlistPositions {

  private WaitlistPositions() {}

  /** The waitlist position the entity answered, or (a remembered request's answer has none) the batch's. */
  public static Integer waitlistPosition(EnrollmentReply.Accepted a, BatchView view, String userId) {
    if (a.waitlistPosition() != null || a.enrollment().participation() != Participation.WAITLISTED) {
      return a.waitlistPosition();
    }
    return view.batch().seats().positionOf(userId).orElse(null);
  }

  /** USER_ALREADY_WAITLISTED from the entity gets the learner's position; other failures pass as they are. */
  public static RuntimeException withWaitlistPosition(Throwable e, BatchView view, String userId) {
    if (Rejections.hasCode(e, ErrorCode.USER_ALREADY_WAITLISTED)) {
      Optional<Integer> position = view.batch().seats().positionOf(userId);
      return ErrorCode.USER_ALREADY_WAITLISTED.reject(position.map(String::valueOf).orElse("unknown")).asException();
    }
    return Rejections.propagate(e);
  }
}
