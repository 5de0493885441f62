package org.coursebatch.core.enrollment;

/** Where a learner stands in a batch. */
public enum Participation {
  /** Never enrolled (possibly invited). */
  NONE,
  /** Enrolled and counted as a participant. */
  ACTIVE,
  /** Waiting for a seat in a full batch. */
  WAITLISTED,
  /** Unenrolled (or left the waitlist); re-enrolling reactivates the same enrolment. */
  INACTIVE
}
