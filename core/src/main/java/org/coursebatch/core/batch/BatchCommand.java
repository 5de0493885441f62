package org.coursebatch.core.batch;

import akka.actor.typed.ActorRef;
import org.coursebatch.core.CborSerializable;
import org.coursebatch.core.certificate.CertificateTemplate;
import org.coursebatch.core.identity.Caller;

/** What the batch entity is asked to do. */
public sealed interface BatchCommand extends CborSerializable {

  /** Commands that answer with a {@link BatchReply}. */
  sealed interface WithReply extends BatchCommand {
    ActorRef<BatchReply> replyTo();
  }

  record CreateBatch(NewBatch batch, Caller caller, ActorRef<BatchReply> replyTo) implements WithReply {}

  record UpdateBatch(BatchChanges changes, Caller caller, ActorRef<BatchReply> replyTo) implements WithReply {}

  /** Attach a template; {@code template} is already completed from its catalog asset. */
  record AddCertificateTemplate(String courseId, CertificateTemplate template, Caller caller, ActorRef<BatchReply> replyTo)
      implements WithReply {}

  record RemoveCertificateTemplate(String courseId, String templateId, Caller caller, ActorRef<BatchReply> replyTo)
      implements WithReply {}

  record GetBatch(ActorRef<BatchReply> replyTo) implements WithReply {}

  /** A learner's enrolment claims a seat (batches with a capacity; others grant at once). Idempotent. */
  record ClaimSeat(String userId, String actor, ActorRef<SeatReply> replyTo) implements BatchCommand {}

  /** A learner's enrolment gives back its seat or waitlist place. Idempotent. */
  record ReleaseSeat(String userId, String actor, ActorRef<SeatReply> replyTo) implements BatchCommand {}

  /** Internal: a promoted learner's enrolment answered (or did not, {@code accepted} null). */
  record PromotionAnswered(String userId, Boolean accepted) implements BatchCommand {}

  /** Internal: retry delivering the promotions not yet confirmed. */
  enum DeliverPromotions implements BatchCommand {
    INSTANCE
  }

  /**
   * Record any status transition whose instant has passed. Sent by the entity's own timer and by
   * the durable wake-up scheduler, so transitions happen even after passivation or a restart.
   */
  enum WakeUp implements BatchCommand {
    INSTANCE
  }
}
