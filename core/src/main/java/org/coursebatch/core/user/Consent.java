package org.coursebatch.core.user;

import java.time.Instant;

/**
 * A learner's answer to a course that asks for consent to share their data (the catalog's
 * {@code userConsent}): the latest status they gave for the course and the organisation the data
 * is shared with (Sunbird's user × consumer × object). The user-info exhaust of a requester of
 * organisation O lists a learner only while their consent for the course naming O is
 * {@link Status#ACTIVE}, with {@link #at} as the date consent was provided.
 *
 * @param courseId the course (Sunbird's {@code objectId})
 * @param objectType Sunbird's {@code objectType}, {@code Collection} for courses
 * @param consumerId the organisation the data is shared with; null when not named (no report lists it)
 * @param givenAt when the learner first answered for the course
 * @param at when the current status was last set
 */
public record Consent(String userId, String courseId, String objectType, String consumerId, Status status, Instant givenAt,
    Instant at) {

  public enum Status { ACTIVE, REVOKED }

  /** The object type of a course. */
  public static final String COLLECTION = "Collection";

  public boolean active() {
    return status == Status.ACTIVE;
  }
}
