package org.coursebatch.core.enrollment;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonSubTypes.Type;
import java.time.Instant;
import java.util.List;
import org.coursebatch.core.JournalEvent;
import org.coursebatch.core.request.RememberedRequests;
import org.coursebatch.core.request.RequestKey;

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

  /**
   * Events that record the client request they were written for: {@code request}, the request's
   * key and digest when it had an idempotency key (left out of the JSON when absent, so events
   * written before it, and without a key, read back unchanged). The entity remembers it
   * ({@link RememberedRequests}) to answer a retry with the first outcome. One event of a command
   * carries it: the first of those it records that can.
   */
  sealed interface RecordsRequest extends EnrollmentEvent {
    RequestKey request();

    /** The same event, written for {@code request}. */
    EnrollmentEvent withRequest(RequestKey request);
  }

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
      @JsonInclude(JsonInclude.Include.NON_NULL) String formId,
      @JsonInclude(JsonInclude.Include.NON_NULL) RequestKey request)
      implements RecordsRequest {
    public Enrolled(String batchId, String userId, String courseId, boolean seat, String actor, Instant at) {
      this(batchId, userId, courseId, seat, actor, at, null, null);
    }

    public Enrolled(String batchId, String userId, String courseId, boolean seat, String actor, Instant at, String formId) {
      this(batchId, userId, courseId, seat, actor, at, formId, null);
    }

    @Override
    public Enrolled withRequest(RequestKey request) {
      return new Enrolled(batchId, userId, courseId, seat, actor, at, formId, request);
    }
  }

  /** The batch was full; the learner waits for a seat, ordered by {@code ticket}. {@code formId}: as in {@link Enrolled}. */
  record Waitlisted(String batchId, String userId, String courseId, long ticket, String actor, Instant at,
      @JsonInclude(JsonInclude.Include.NON_NULL) String formId,
      @JsonInclude(JsonInclude.Include.NON_NULL) RequestKey request)
      implements RecordsRequest {
    public Waitlisted(String batchId, String userId, String courseId, long ticket, String actor, Instant at) {
      this(batchId, userId, courseId, ticket, actor, at, null, null);
    }

    public Waitlisted(String batchId, String userId, String courseId, long ticket, String actor, Instant at, String formId) {
      this(batchId, userId, courseId, ticket, actor, at, formId, null);
    }

    @Override
    public Waitlisted withRequest(RequestKey request) {
      return new Waitlisted(batchId, userId, courseId, ticket, actor, at, formId, request);
    }
  }

  /** A seat freed up and went to this waiting learner, who is now enrolled. */
  record PromotedFromWaitlist(String batchId, String userId, String actor, Instant at) implements EnrollmentEvent {}

  /** The learner unenrolled or left the waitlist (or was removed by an admin). {@code formId}: as in {@link Enrolled}. */
  record Unenrolled(String batchId, String userId, String actor, Instant at,
      @JsonInclude(JsonInclude.Include.NON_NULL) String formId,
      @JsonInclude(JsonInclude.Include.NON_NULL) RequestKey request) implements RecordsRequest {
    public Unenrolled(String batchId, String userId, String actor, Instant at) {
      this(batchId, userId, actor, at, null, null);
    }

    public Unenrolled(String batchId, String userId, String actor, Instant at, String formId) {
      this(batchId, userId, actor, at, formId, null);
    }

    @Override
    public Unenrolled withRequest(RequestKey request) {
      return new Unenrolled(batchId, userId, actor, at, formId, request);
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
      Instant at,
      @JsonInclude(JsonInclude.Include.NON_NULL) RequestKey request)
      implements RecordsRequest {
    public ContentProgressRecorded(String batchId, String userId, String courseId, List<ContentState> contents,
        int completedLeaves, int completionPercentage, String actor, Instant at) {
      this(batchId, userId, courseId, contents, completedLeaves, completionPercentage, actor, at, null);
    }

    @Override
    public ContentProgressRecorded withRequest(RequestKey request) {
      return new ContentProgressRecorded(batchId, userId, courseId, contents, completedLeaves, completionPercentage,
          actor, at, request);
    }
  }

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
      Instant at,
      @JsonInclude(JsonInclude.Include.NON_NULL) RequestKey request)
      implements RecordsRequest {
    public AssessmentAttempted(String batchId, String userId, String courseId, String contentId, String attemptId,
        Instant assessmentTs, double totalScore, double totalMaxScore, List<QuestionResponse> responses, String actor,
        Instant at) {
      this(batchId, userId, courseId, contentId, attemptId, assessmentTs, totalScore, totalMaxScore, responses, actor, at,
          null);
    }

    @Override
    public AssessmentAttempted withRequest(RequestKey request) {
      return new AssessmentAttempted(batchId, userId, courseId, contentId, attemptId, assessmentTs, totalScore,
          totalMaxScore, responses, actor, at, request);
    }
  }

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
      Instant at,
      @JsonInclude(JsonInclude.Include.NON_NULL) RequestKey request)
      implements RecordsRequest {
    public CertificateIssued(String batchId, String userId, String courseId, String templateId, String certificateId,
        boolean reissue, String actor, Instant at) {
      this(batchId, userId, courseId, templateId, certificateId, reissue, actor, at, null);
    }

    @Override
    public CertificateIssued withRequest(RequestKey request) {
      return new CertificateIssued(batchId, userId, courseId, templateId, certificateId, reissue, actor, at, request);
    }
  }

  /**
   * An administrator deleted the enrolment: its progress, attempts and certificates leave every
   * list, count and report, and its id ({@code batchId:userId:incarnation}) no longer resolves.
   * The journal keeps its history. Enrolling the learner again starts incarnation + 1.
   */
  record EnrollmentDeleted(String batchId, String userId, int incarnation, String actor, Instant at,
      @JsonInclude(JsonInclude.Include.NON_NULL) RequestKey request)
      implements RecordsRequest {
    public EnrollmentDeleted(String batchId, String userId, int incarnation, String actor, Instant at) {
      this(batchId, userId, incarnation, actor, at, null);
    }

    @Override
    public EnrollmentDeleted withRequest(RequestKey request) {
      return new EnrollmentDeleted(batchId, userId, incarnation, actor, at, request);
    }
  }
}
