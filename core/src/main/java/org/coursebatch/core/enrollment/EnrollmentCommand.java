package org.coursebatch.core.enrollment;

import akka.actor.typed.ActorRef;
import java.time.Instant;
import java.util.List;
import org.coursebatch.core.CborSerializable;
import org.coursebatch.core.batch.SeatReply;
import org.coursebatch.core.request.Deadlines;
import org.coursebatch.core.request.RememberedRequests;
import org.coursebatch.core.request.RequestKey;

/** What one enrolment entity (a learner in a batch) is asked to do. */
public sealed interface EnrollmentCommand extends CborSerializable {

  /** Commands that answer with an {@link EnrollmentReply}. */
  sealed interface WithReply extends EnrollmentCommand {
    ActorRef<EnrollmentReply> replyTo();
  }

  /**
   * Commands that change the enrolment for a client. {@code deadline} (null: none): after it the
   * command is answered {@link EnrollmentReply.Expired} and changes nothing ({@link Deadlines}).
   * {@code requestKey} (null: none): the client's request, journalled with the events it records;
   * a repeat of a request the enrolment remembers is answered as the first time, without applying
   * it again ({@link RememberedRequests}). {@code actor}: the caller.
   */
  sealed interface Write extends WithReply {
    String actor();

    Instant deadline();

    RequestKey requestKey();
  }

  /**
   * Enrol; {@code byAdmin}: on the learner's behalf by the batch's creator, a mentor or an org
   * admin. {@code formId}: the bulk form it comes with (refused when already used), or null.
   */
  record Enrol(BatchTerms batch, boolean byAdmin, String actor, String formId, Instant deadline, RequestKey requestKey,
      ActorRef<EnrollmentReply> replyTo) implements Write {
    public Enrol(BatchTerms batch, boolean byAdmin, String actor, ActorRef<EnrollmentReply> replyTo) {
      this(batch, byAdmin, actor, null, null, null, replyTo);
    }

    public Enrol(BatchTerms batch, boolean byAdmin, String actor, String formId, ActorRef<EnrollmentReply> replyTo) {
      this(batch, byAdmin, actor, formId, null, null, replyTo);
    }
  }

  record Unenrol(BatchTerms batch, String actor, String formId, Instant deadline, RequestKey requestKey,
      ActorRef<EnrollmentReply> replyTo) implements Write {
    public Unenrol(BatchTerms batch, String actor, ActorRef<EnrollmentReply> replyTo) {
      this(batch, actor, null, null, null, replyTo);
    }
  }

  /**
   * A bulk update of enrolment {@code incarnation} (else NOT_FOUND): {@code active} re-enrols or
   * unenrols under the same rules as {@link Enrol} by an admin and {@link Unenrol}.
   */
  record UpdateEnrollment(BatchTerms batch, int incarnation, boolean active, String formId, String actor,
      Instant deadline, RequestKey requestKey, ActorRef<EnrollmentReply> replyTo) implements Write {
    public UpdateEnrollment(BatchTerms batch, int incarnation, boolean active, String formId, String actor,
        ActorRef<EnrollmentReply> replyTo) {
      this(batch, incarnation, active, formId, actor, null, null, replyTo);
    }
  }

  /** Delete enrolment {@code incarnation} (else NOT_FOUND); its history stays in the journal. */
  record DeleteEnrollment(int incarnation, String actor, Instant deadline, RequestKey requestKey,
      ActorRef<EnrollmentReply> replyTo) implements Write {
    public DeleteEnrollment(int incarnation, String actor, ActorRef<EnrollmentReply> replyTo) {
      this(incarnation, actor, null, null, replyTo);
    }
  }

  /** Add to the batch's participants; idempotent by nature (an invited learner stays invited). */
  record Invite(BatchTerms batch, String actor, Instant deadline, RequestKey requestKey, ActorRef<EnrollmentReply> replyTo)
      implements Write {
    public Invite(BatchTerms batch, String actor, ActorRef<EnrollmentReply> replyTo) {
      this(batch, actor, null, null, replyTo);
    }
  }

  /** Remove from the batch's participants; idempotent by nature (a removed learner has nothing left to remove). */
  record RemoveParticipant(BatchTerms batch, String actor, Instant deadline, RequestKey requestKey,
      ActorRef<EnrollmentReply> replyTo) implements Write {
    public RemoveParticipant(BatchTerms batch, String actor, ActorRef<EnrollmentReply> replyTo) {
      this(batch, actor, null, null, replyTo);
    }
  }

  /** Content states and assessment attempts reported by the learner's player. */
  record RecordProgress(
      BatchTerms batch,
      CourseOutline outline,
      List<ContentUpdate> contents,
      List<AssessmentAttempt> attempts,
      String rootOrgId,
      String actor,
      Instant deadline,
      RequestKey requestKey,
      ActorRef<EnrollmentReply> replyTo)
      implements Write {
    public RecordProgress(BatchTerms batch, CourseOutline outline, List<ContentUpdate> contents,
        List<AssessmentAttempt> attempts, String rootOrgId, String actor, ActorRef<EnrollmentReply> replyTo) {
      this(batch, outline, contents, attempts, rootOrgId, actor, null, null, replyTo);
    }
  }

  /** Evaluate the batch's certificate templates now; {@code reissue}: issue again those already held. */
  record IssueCertificates(BatchTerms batch, String rootOrgId, boolean reissue, String actor, Instant deadline,
      RequestKey requestKey, ActorRef<EnrollmentReply> replyTo) implements Write {
    public IssueCertificates(BatchTerms batch, String rootOrgId, boolean reissue, String actor,
        ActorRef<EnrollmentReply> replyTo) {
      this(batch, rootOrgId, reissue, actor, null, null, replyTo);
    }
  }

  record GetEnrollment(ActorRef<EnrollmentReply> replyTo) implements WithReply {}

  /** From the batch: a seat freed up for this waiting learner. Answers whether it was taken. */
  record PromoteFromWaitlist(ActorRef<Boolean> replyTo) implements EnrollmentCommand {}

  /** Internal: the batch answered a seat claim made for {@code pending} (or failed to: {@code failure}). */
  record SeatClaimAnswered(Enrol pending, SeatReply reply, String failure) implements EnrollmentCommand {}

  /** Internal: the batch answered the release of a seat (or failed to). */
  record SeatReleaseAnswered(boolean released) implements EnrollmentCommand {}

  /** Internal: try again to give back a seat the batch did not confirm taking back. */
  enum ReturnSeat implements EnrollmentCommand {
    INSTANCE
  }
}
