package org.coursebatch.core.enrollment;

/**
 * What the batch (with a capacity) holds for this learner, as far as the enrolment knows: a seat,
 * a place on the waitlist, or nothing. After unenrolling it stays set until the batch confirmed
 * the release, so a release interrupted by a crash is sent again on recovery.
 */
public enum SeatClaim {
  NONE,
  HELD,
  WAITING
}
