package org.coursebatch.core.enrollment;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonSubTypes.Type;
import java.time.Instant;
import java.util.List;
import org.coursebatch.core.JournalEvent;

/**
 * What happened to one learner's enrolment in one batch. The {@code type} names are the stored
 * format and never change. Events carry ids and the learner's own activity, no profile data.
 */
@JsonSubTypes({
  @Type(value = EnrollmentEvent.ParticipantInvited.class, name = "ParticipantInvited"),
  @Type(value = EnrollmentEvent.ParticipantRemoved.class, name = "ParticipantRemoved"),
  @Type(value = EnrollmentEvent.Enrolled.class, name = "Enrolled"),
  @Type(value = EnrollmentEvent.Waitlisted.class, name = "Waitlisted"),
  @Type(value = EnrollmentEvent.PromotedFromWaitlist.class, name = "PromotedFromWaitlist"),
  @Type(value = EnrollmentEvent.Unenrolled.class, name = "Unenrolled"),
  @Type(value = EnrollmentEvent.SeatReturned.class, name = "SeatReturned"),
  @Type(value = EnrollmentEvent.ContentProgressRecorded.class, name = "ContentProgressRecorded"),
  @Type(value = EnrollmentEvent.AssessmentAttempted.class, name = "AssessmentAttempted"),
  @Type(value = EnrollmentEvent.EnrollmentCompleted.class, name = "EnrollmentCompleted"),
  @Type(value = EnrollmentEvent.CertificateIssued.class, name = "CertificateIssued"),
  @Type(value = EnrollmentEvent.EnrollmentDeleted.class, name = "EnrollmentDeleted"),
})
public sealed interface EnrollmentEvent extends JournalEvent {

  String batchId();

  String userId();

  /** The batch's creator or a mentor added the learner to the batch's participants (invite-only batches). */
  record ParticipantInvited(String batchId, String userId, String courseId, String actor, Instant at)
      implements EnrollmentEvent {}

  /** The learner's invitation was withdrawn. */
  record ParticipantRemoved(String batchId, String userId, String actor, Instant at) implements EnrollmentEvent {}

  /**
   * The learner is enrolled ({@code actor} is the learner, or the admin who enrolled them).
   * {@code seat}: the batch has a capacity and the learner holds one of its seats. {@code formId}:
   * the bulk enrolment form this was done with (absent otherwise); a form is used only once.
   */
  record Enrolled(String batchId, String userId, String courseId, boolean seat, String actor, Instant at,
      @JsonInclude(JsonInclude.Include.NON_NULL) String formId)
      implements EnrollmentEvent {
    public Enrolled(String batchId, String userId, String courseId, boolean seat, String actor, Instant at) {
      this(batchId, userId, courseId, seat, actor, at, null);
    }
  }

  /** The batch was full; the learner waits for a seat, ordered by {@code ticket}. {@code formId}: as in {@link Enrolled}. */
  record Waitlisted(String batchId, String userId, String courseId, long ticket, String actor, Instant at,
      @JsonInclude(JsonInclude.Include.NON_NULL) String formId)
      implements EnrollmentEvent {
    public Waitlisted(String batchId, String userId, String courseId, long ticket, String actor, Instant at) {
      this(batchId, userId, courseId, ticket, actor, at, null);
    }
  }

  /** A seat freed up and went to this waiting learner, who is now enrolled. */
  record PromotedFromWaitlist(String batchId, String userId, String actor, Instant at) implements EnrollmentEvent {}

  /** The learner unenrolled or left the waitlist (or was removed by an admin). {@code formId}: as in {@link Enrolled}. */
  record Unenrolled(String batchId, String userId, String actor, Instant at,
      @JsonInclude(JsonInclude.Include.NON_NULL) String formId) implements EnrollmentEvent {
    public Unenrolled(String batchId, String userId, String actor, Instant at) {
      this(batchId, userId, actor, at, null);
    }
  }

  /** The batch took back the seat or waitlist place of an unenrolled learner. */
  record SeatReturned(String batchId, String userId, String actor, Instant at) implements EnrollmentEvent {}

  /**
   * Content states reported by the learner's player, each as it is after merging with what was
   * recorded (status never goes down, progress is the maximum). {@code completedLeaves} and
   * {@code completionPercentage} are the course completion after this report.
   */
  record ContentProgressRecorded(
      String batchId,
      String userId,
      String courseId,
      List<ContentState> contents,
      int completedLeaves,
      int completionPercentage,
      String actor,
      Instant at)
      implements EnrollmentEvent {}

  /** One attempt at an assessment, with every question's response and score. */
  record AssessmentAttempted(
      String batchId,
      String userId,
      String courseId,
      String contentId,
      String attemptId,
      Instant assessmentTs,
      double totalScore,
      double totalMaxScore,
      List<QuestionResponse> responses,
      String actor,
      Instant at)
      implements EnrollmentEvent {}

  /** Every leaf content of the course is completed (status 2); {@code at} is the completion instant. */
  record EnrollmentCompleted(String batchId, String userId, String courseId, String actor, Instant at)
      implements EnrollmentEvent {}

  /** A certificate of template {@code templateId} was issued ({@code reissue}: again, on request). */
  record CertificateIssued(
      String batchId,
      String userId,
      String courseId,
      String templateId,
      String certificateId,
      boolean reissue,
      String actor,
      Instant at)
      implements EnrollmentEvent {}

  /**
   * An administrator deleted the enrolment: its progress, attempts and certificates leave every
   * list, count and report, and its id ({@code batchId:userId:incarnation}) no longer resolves.
   * The journal keeps its history. Enrolling the learner again starts incarnation + 1.
   */
  record EnrollmentDeleted(String batchId, String userId, int incarnation, String actor, Instant at)
      implements EnrollmentEvent {}
}
