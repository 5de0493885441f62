package org.coursebatch.core.enrollment;

import java.time.Instant;
import java.util.List;

/**
 * An enrolment as the read side lists it (user enrolment lists, participant lists). Eventually
 * consistent with the entity: the projection follows the journal within about a second.
 *
 * @param status Sunbird's 0 not started, 1 in progress, 2 completed
 * @param progress the number of completed leaf contents
 * @param waitlistPosition 1-based, when {@code participation} is WAITLISTED
 */
public record EnrollmentRecord(
    String batchId,
    String userId,
    String courseId,
    Participation participation,
    boolean invited,
    Instant enrolledDate,
    String addedBy,
    int progress,
    int completionPercentage,
    int status,
    Instant completedOn,
    String lastReadContentId,
    Integer lastReadContentStatus,
    Instant lastContentAccessTime,
    Integer waitlistPosition,
    List<IssuedCertificate> certificates,
    Instant updatedAt) {

  public EnrollmentRecord {
    certificates = certificates == null ? List.of() : List.copyOf(certificates);
  }

  public boolean active() {
    return participation == Participation.ACTIVE;
  }
}
