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
  INACTIVE,
  /** Deleted by an administrator: gone from every list; enrolling again starts a new enrolment. */
  DELETED;

  /** Enrolled, waiting or left: an enrolment with an id (not merely invited, not deleted). */
  public boolean exists() {
    return this == ACTIVE || this == WAITLISTED || this == INACTIVE;
  }
}
