package org.coursebatch.core.enrollment;

import akka.actor.typed.ActorRef;
import java.util.List;
import org.coursebatch.core.CborSerializable;
import org.coursebatch.core.batch.SeatReply;

/** What one enrolment entity (a learner in a batch) is asked to do. */
public sealed interface EnrollmentCommand extends CborSerializable {

  /** Commands that answer with an {@link EnrollmentReply}. */
  sealed interface WithReply extends EnrollmentCommand {
    ActorRef<EnrollmentReply> replyTo();
  }

  /** Enrol; {@code byAdmin}: on the learner's behalf by the batch's creator, a mentor or an org admin. */
  record Enrol(BatchTerms batch, boolean byAdmin, String actor, ActorRef<EnrollmentReply> replyTo) implements WithReply {}

  record Unenrol(BatchTerms batch, String actor, ActorRef<EnrollmentReply> replyTo) implements WithReply {}

  record Invite(BatchTerms batch, String actor, ActorRef<EnrollmentReply> replyTo) implements WithReply {}

  record RemoveParticipant(BatchTerms batch, String actor, ActorRef<EnrollmentReply> replyTo) implements WithReply {}

  /** Content states and assessment attempts reported by the learner's player. */
  record RecordProgress(
      BatchTerms batch,
      CourseOutline outline,
      List<ContentUpdate> contents,
      List<AssessmentAttempt> attempts,
      String rootOrgId,
      String actor,
      ActorRef<EnrollmentReply> replyTo)
      implements WithReply {}

  /** Evaluate the batch's certificate templates now; {@code reissue}: issue again those already held. */
  record IssueCertificates(BatchTerms batch, String rootOrgId, boolean reissue, String actor, ActorRef<EnrollmentReply> replyTo)
      implements WithReply {}

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
