package org.coursebatch.core.batch;

import akka.actor.typed.ActorRef;
import java.time.Instant;
import org.coursebatch.core.CborSerializable;
import org.coursebatch.core.certificate.CertificateTemplate;
import org.coursebatch.core.identity.Caller;
import org.coursebatch.core.request.Deadlines;
import org.coursebatch.core.request.RequestKey;

/** What the batch entity is asked to do. */
public sealed interface BatchCommand extends CborSerializable {

  /** Commands that answer with a {@link BatchReply}. */
  sealed interface WithReply extends BatchCommand {
    ActorRef<BatchReply> replyTo();
  }

  /**
   * Commands that change the batch for a client. Each carries its {@link Deadlines deadline} (null:
   * none); after it, the command is answered {@link BatchReply.Expired} and changes nothing.
   */
  sealed interface Write extends WithReply {
    Instant deadline();
  }

  /**
   * Create the batch. {@code requestKey}: the client's request, when it had an idempotency key;
   * the batch's id was then derived from it ({@link BatchIds#forRequest}), so that a retry comes
   * back here and is answered with the batch it created.
   */
  record CreateBatch(NewBatch batch, Caller caller, Instant deadline, RequestKey requestKey, ActorRef<BatchReply> replyTo)
      implements Write {
    public CreateBatch(NewBatch batch, Caller caller, ActorRef<BatchReply> replyTo) {
      this(batch, caller, null, null, replyTo);
    }
  }

  record UpdateBatch(BatchChanges changes, Caller caller, Instant deadline, ActorRef<BatchReply> replyTo) implements Write {
    public UpdateBatch(BatchChanges changes, Caller caller, ActorRef<BatchReply> replyTo) {
      this(changes, caller, null, replyTo);
    }
  }

  /** Attach a template; {@code template} is already completed from its catalog asset. */
  record AddCertificateTemplate(String courseId, CertificateTemplate template, Caller caller, Instant deadline,
      ActorRef<BatchReply> replyTo) implements Write {
    public AddCertificateTemplate(String courseId, CertificateTemplate template, Caller caller, ActorRef<BatchReply> replyTo) {
      this(courseId, template, caller, null, replyTo);
    }
  }

  record RemoveCertificateTemplate(String courseId, String templateId, Caller caller, Instant deadline,
      ActorRef<BatchReply> replyTo) implements Write {
    public RemoveCertificateTemplate(String courseId, String templateId, Caller caller, ActorRef<BatchReply> replyTo) {
      this(courseId, templateId, caller, null, replyTo);
    }
  }

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
