package org.coursebatch.core.enrollment;

import akka.actor.typed.ActorSystem;
import akka.actor.typed.Behavior;
import akka.actor.typed.SupervisorStrategy;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.TimerScheduler;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import akka.cluster.sharding.typed.javadsl.Entity;
import akka.cluster.sharding.typed.javadsl.EntityTypeKey;
import akka.persistence.typed.EventAdapter;
import akka.persistence.typed.PersistenceId;
import akka.persistence.typed.RecoveryCompleted;
import akka.persistence.typed.RecoveryFailed;
import akka.persistence.typed.SnapshotAdapter;
import akka.persistence.typed.javadsl.CommandHandlerWithReply;
import akka.persistence.typed.javadsl.EventHandler;
import akka.persistence.typed.javadsl.EventSourcedBehaviorWithEnforcedReplies;
import akka.persistence.typed.javadsl.ReplyEffect;
import akka.persistence.typed.javadsl.RetentionCriteria;
import akka.persistence.typed.javadsl.SignalHandler;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.BiFunction;
import org.coursebatch.core.concurrent.Continuations;
import org.coursebatch.core.EventTags;
import org.coursebatch.core.JournalEvent;
import org.coursebatch.core.batch.BatchCommand;
import org.coursebatch.core.batch.CourseBatchEntity;
import org.coursebatch.core.batch.SeatReply;
import org.coursebatch.core.enrollment.EnrollmentCommand.*;
import org.coursebatch.core.enrollment.EnrollmentEvent.*;
import org.coursebatch.core.enrollment.EnrollmentReply.Accepted;
import org.coursebatch.core.enrollment.EnrollmentReply.Expired;
import org.coursebatch.core.enrollment.EnrollmentReply.Rejected;
import org.coursebatch.core.error.ErrorCode;
import org.coursebatch.core.journal.EventChain;
import org.coursebatch.core.metrics.EntityRecoveryMeter;
import org.coursebatch.core.request.Deadlines;

/**
 * One learner in one batch: a sharded, event-sourced entity keyed by {@code batchId:userId}. It
 * decides enrolment with the batch's terms read just before (so a popular batch's enrolments run
 * in parallel, one entity per learner) and owns the learner's progress, attempts and
 * certificates. Only batches with a capacity are asked for a seat; while that question (or the
 * return of a seat) is open, other commands wait in the stash, so the two never cross.
 */
public final class EnrollmentEntity
    extends EventSourcedBehaviorWithEnforcedReplies<EnrollmentCommand, EnrollmentEvent, Enrollment> {

  public static final EntityTypeKey<EnrollmentCommand> ENTITY_KEY = EntityTypeKey.create(EnrollmentCommand.class, "Enrollment");

  /** Events are spread over a fixed set of tags, one projection instance per tag. Changing it needs a re-tag. */
  public static final int TAG_COUNT = 4;

  private static final EventTags TAGS = new EventTags("enrollment", TAG_COUNT);

  private static final Duration SEAT_TIMEOUT = Duration.ofSeconds(5);
  private static final String SEAT_RETURN_TIMER = "return-seat";

  private final String batchId;
  private final String userId;
  private final Clock clock;
  private final ActorContext<EnrollmentCommand> context;
  private final TimerScheduler<EnrollmentCommand> timers;
  /** A seat question to the batch is open; not state: a restart re-derives it (see {@link Enrollment#seatToReturn}). */
  private boolean waitingForBatch;
  private final EntityRecoveryMeter recovery;
  private final EventChain<EnrollmentEvent, Enrollment> chain;

  public static void init(ActorSystem<?> system, Clock clock) {
    ClusterSharding.get(system).init(Entity.of(ENTITY_KEY, ctx -> create(ctx.getEntityId(), clock)));
  }

  public static Behavior<EnrollmentCommand> create(String entityId, Clock clock) {
    return Behaviors.setup(context -> Behaviors.withTimers(timers -> new EnrollmentEntity(entityId, clock, context, timers)));
  }

  /** Batch ids never contain ':', so the first one separates the two ids. */
  public static String entityId(String batchId, String userId) {
    return batchId + ":" + userId;
  }

  public static String tagFor(String batchId) {
    return TAGS.tagFor(batchId);
  }

  public static List<String> tags() {
    return TAGS.all();
  }

  private EnrollmentEntity(String entityId, Clock clock, ActorContext<EnrollmentCommand> context,
      TimerScheduler<EnrollmentCommand> timers) {
    super(PersistenceId.of(ENTITY_KEY.name(), entityId),
        SupervisorStrategy.restartWithBackoff(Duration.ofMillis(200), Duration.ofSeconds(5), 0.1));
    int split = entityId.indexOf(':');
    if (split <= 0 || split == entityId.length() - 1) {
      throw new IllegalArgumentException("Enrollment entity id must be batchId:userId, was " + entityId);
    }
    this.batchId = entityId.substring(0, split);
    this.userId = entityId.substring(split + 1);
    this.clock = clock;
    this.context = context;
    this.timers = timers;
    this.chain = EventChain.of(context.getSystem(), persistenceId());
    this.recovery = EntityRecoveryMeter.start(context.getSystem(), ENTITY_KEY.name());
  }

  @Override
  public Enrollment emptyState() {
    return Enrollment.empty(batchId, userId);
  }

  @Override
  public Set<String> tagsFor(EnrollmentEvent event) {
    return Set.of(tagFor(batchId));
  }

  @Override
  public RetentionCriteria retentionCriteria() {
    return RetentionCriteria.snapshotEvery(100, 2);
  }

  @Override
  public EventAdapter<EnrollmentEvent, Object> eventAdapter() {
    return chain.eventAdapter();
  }

  @Override
  public SnapshotAdapter<Enrollment> snapshotAdapter() {
    return chain.snapshotAdapter();
  }

  @Override
  public SignalHandler<Enrollment> signalHandler() {
    return newSignalHandlerBuilder().onSignal(RecoveryCompleted.instance(), state -> {
      recovery.completed();
      chain.recoveryCompleted();
      returnSeatIfHeld(state);
    }).onSignal(RecoveryFailed.class, (state, failed) -> recovery.failed()).build();
  }

  @Override
  public EventHandler<Enrollment, EnrollmentEvent> eventHandler() {
    return newEventHandlerBuilder().forAnyState().onAnyEvent(Enrollment::apply);
  }

  @Override
  public CommandHandlerWithReply<EnrollmentCommand, EnrollmentEvent, Enrollment> commandHandler() {
    return newCommandHandlerWithReplyBuilder().forAnyState()
        .onCommand(SeatClaimAnswered.class, this::seatClaimAnswered)
        .onCommand(SeatReleaseAnswered.class, this::seatReleaseAnswered)
        .onCommand(ReturnSeat.class, (s, c) -> {
          returnSeatIfHeld(s);
          return Effect().noReply();
        })
        // A write whose caller has given up is not applied, however long it waited (also in the stash).
        .onCommand(c -> c instanceof Write w && Deadlines.passed(w.deadline(), clock.instant()),
            (s, c) -> Effect().reply(((Write) c).replyTo(), new Expired(((Write) c).deadline())))
        .onCommand(c -> waitingForBatch, (s, c) -> Effect().stash())
        .onCommand(Enrol.class, once(this::enrol))
        .onCommand(Unenrol.class, once((s, c) -> persist(s, c, EnrollmentRules.unenrol(s, c.batch(), c.actor(), clock.instant(), c.formId()))))
        .onCommand(UpdateEnrollment.class, once(this::update))
        .onCommand(DeleteEnrollment.class, once((s, c) -> persist(s, c, EnrollmentRules.delete(s, c.incarnation(), c.actor(), clock.instant()))))
        .onCommand(Invite.class, once((s, c) -> persist(s, c, EnrollmentRules.invite(s, c.batch(), c.actor(), clock.instant()))))
        .onCommand(RemoveParticipant.class, once(this::removeParticipant))
        .onCommand(RecordProgress.class, once((s, c) -> persist(s, c, EnrollmentRules.recordProgress(s, c.batch(), c.outline(),
            c.contents(), c.attempts(), c.rootOrgId(), c.actor(), clock.instant(), EnrollmentEntity::newCertificateId))))
        .onCommand(IssueCertificates.class, once((s, c) -> persist(s, c, issueCertificates(s, c))))
        .onCommand(GetEnrollment.class, (s, c) -> Effect().reply(c.replyTo(), accepted(s, List.of())))
        .onCommand(PromoteFromWaitlist.class, this::promote)
        .build();
  }

  /**
   * {@code handler}, unless the command repeats a keyed request this enrolment remembers: that is
   * answered as the request was the first time (the enrolment as it is, with the certificates the
   * request issued), and nothing is applied again.
   */
  private <C extends Write> BiFunction<Enrollment, C, ReplyEffect<EnrollmentEvent, Enrollment>> once(
      BiFunction<Enrollment, C, ReplyEffect<EnrollmentEvent, Enrollment>> handler) {
    return (s, c) -> {
      Optional<Instant> recorded = s.requests().recorded(c.actor(), c.requestKey(), clock.instant());
      if (recorded.isPresent()) {
        return Effect().reply(c.replyTo(), new Accepted(s, null, s.certificatesIssuedAt(recorded.get())));
      }
      return handler.apply(s, c);
    };
  }

  private ReplyEffect<EnrollmentEvent, Enrollment> enrol(Enrollment s, Enrol c) {
    EnrollmentRules.Decision d = EnrollmentRules.enrol(s, c.batch(), c.byAdmin(), c.actor(), clock.instant(), c.formId());
    if (!d.needsSeat()) {
      return persist(s, c, d);
    }
    waitingForBatch = true;
    // No longer than the caller waits (an answer after the deadline could not be recorded anyway), and
    // at least the millisecond an ask needs.
    Duration wait = SEAT_TIMEOUT;
    if (c.deadline() != null && Duration.between(clock.instant(), c.deadline()).compareTo(wait) < 0) {
      wait = Duration.between(clock.instant(), c.deadline()).plusMillis(1);
    }
    context.pipeToSelf(
        Continuations.inline(batch().<SeatReply>ask(replyTo -> new BatchCommand.ClaimSeat(userId, c.actor(), replyTo), wait)),
        (reply, failure) -> new SeatClaimAnswered(c, reply, failure == null ? null : String.valueOf(failure.getMessage())));
    return Effect().noReply();
  }

  private ReplyEffect<EnrollmentEvent, Enrollment> seatClaimAnswered(Enrollment s, SeatClaimAnswered a) {
    waitingForBatch = false;
    Enrol c = a.pending();
    if (Deadlines.passed(c.deadline(), clock.instant())) {
      // The caller has given up: record nothing, and give back what the batch may have granted.
      if (!(a.reply() instanceof SeatReply.Rejected) && s.seatClaim() == SeatClaim.NONE) {
        forgetUnrecordedSeat();
      }
      return Effect().reply(c.replyTo(), new Expired(c.deadline())).thenUnstashAll();
    }
    if (a.failure() != null || a.reply() == null) {
      context.getLog().warn("Seat claim of {} in batch {} failed: {}", userId, batchId, a.failure());
      if (s.seatClaim() == SeatClaim.NONE) {
        // The batch may have granted it after all: give it back (idempotent), so no seat is held for an
        // enrolment that was never recorded. Same sender, same path: it arrives after the claim.
        forgetUnrecordedSeat();
      }
      return Effect().reply(c.replyTo(), new Rejected(ErrorCode.SERVICE_UNAVAILABLE.reject())).thenUnstashAll();
    }
    List<EnrollmentEvent> events;
    if (a.reply() instanceof SeatReply.Granted) {
      events = forRequest(EnrollmentRules.enrolled(s, c.batch(), c.byAdmin(), true, c.actor(), clock.instant(), c.formId()), c);
    } else if (a.reply() instanceof SeatReply.Waitlisted w) {
      events = forRequest(EnrollmentRules.waitlisted(s, c.batch(), c.byAdmin(), w.ticket(), c.actor(), clock.instant(), c.formId()), c);
      return Effect().persist(events)
          .thenReply(c.replyTo(), after -> new Accepted(after, w.position(), List.of())).thenUnstashAll();
    } else if (a.reply() instanceof SeatReply.Rejected r) {
      return Effect().reply(c.replyTo(), new Rejected(r.rejection())).thenUnstashAll();
    } else {
      throw new IllegalStateException("Unexpected seat reply " + a.reply());
    }
    return Effect().persist(events).thenReply(c.replyTo(), after -> accepted(after, List.of())).thenUnstashAll();
  }

  /** A bulk update: of this incarnation only, then as an admin's enrolment or an unenrolment. */
  private ReplyEffect<EnrollmentEvent, Enrollment> update(Enrollment s, UpdateEnrollment c) {
    var missing = EnrollmentRules.notThisEnrollment(s, c.incarnation());
    if (missing != null) {
      return Effect().reply(c.replyTo(), new Rejected(missing));
    }
    if (c.active()) {
      return enrol(s, new Enrol(c.batch(), true, c.actor(), c.formId(), c.deadline(), c.requestKey(), c.replyTo()));
    }
    return persist(s, c, EnrollmentRules.unenrol(s, c.batch(), c.actor(), clock.instant(), c.formId()));
  }

  /** After leaving, give the batch its seat or waitlist place back (again after a crash, until it confirms). */
  private void returnSeatIfHeld(Enrollment s) {
    if (!s.seatToReturn() || waitingForBatch) {
      return;
    }
    waitingForBatch = true;
    context.pipeToSelf(
        Continuations.inline(batch().<SeatReply>ask(replyTo -> new BatchCommand.ReleaseSeat(userId, JournalEvent.SYSTEM, replyTo), SEAT_TIMEOUT)),
        (reply, failure) -> new SeatReleaseAnswered(failure == null && reply instanceof SeatReply.Released));
  }

  private ReplyEffect<EnrollmentEvent, Enrollment> seatReleaseAnswered(Enrollment s, SeatReleaseAnswered a) {
    waitingForBatch = false;
    if (!a.released()) {
      context.getLog().warn("Batch {} did not confirm the release of {}'s seat; retrying", batchId, userId);
      timers.startSingleTimer(SEAT_RETURN_TIMER, ReturnSeat.INSTANCE, SEAT_TIMEOUT);
      return Effect().noReply().thenUnstashAll();
    }
    if (!s.seatToReturn()) {
      return Effect().noReply().thenUnstashAll();
    }
    return Effect().persist(new SeatReturned(batchId, userId, JournalEvent.SYSTEM, clock.instant()))
        .thenNoReply().thenUnstashAll();
  }

  /** Releases a seat the batch may hold for this learner without the enrolment having recorded it. */
  private void forgetUnrecordedSeat() {
    try {
      batch().tell(new BatchCommand.ReleaseSeat(userId, JournalEvent.SYSTEM, context.getSystem().ignoreRef()));
    } catch (RuntimeException e) {
      // Best effort (e.g. sharding is shutting down): the learner's retry or an admin's removal frees it later.
      context.getLog().warn("Could not ask batch {} to release a seat of {}: {}", batchId, userId, e.toString());
    }
  }

  private ReplyEffect<EnrollmentEvent, Enrollment> removeParticipant(Enrollment s, RemoveParticipant c) {
    var d = EnrollmentRules.removeParticipant(s, c.batch(), c.actor(), clock.instant());
    boolean noRecordedSeat = s.seatClaim() == SeatClaim.NONE && !s.active() && s.participation() != Participation.WAITLISTED;
    if (c.batch().limitedSeats() && noRecordedSeat) {
      // An admin removing a learner also frees a seat a lost claim left behind.
      forgetUnrecordedSeat();
    }
    return persist(s, c, d);
  }

  private ReplyEffect<EnrollmentEvent, Enrollment> promote(Enrollment s, PromoteFromWaitlist c) {
    return switch (s.participation()) {
      case WAITLISTED -> Effect().persist(new PromotedFromWaitlist(batchId, userId, JournalEvent.SYSTEM, clock.instant()))
          .thenReply(c.replyTo(), after -> true);
      case ACTIVE -> Effect().reply(c.replyTo(), true);
      default -> Effect().reply(c.replyTo(), false);
    };
  }

  private EnrollmentRules.Decision issueCertificates(Enrollment s, IssueCertificates c) {
    if (!s.active()) {
      return EnrollmentRules.Decision.reject(ErrorCode.USER_NOT_ENROLLED_COURSE.reject());
    }
    return EnrollmentRules.Decision.accept(EnrollmentRules.certificatesDue(s, c.batch(), c.rootOrgId(), c.reissue(),
        c.actor(), clock.instant(), EnrollmentEntity::newCertificateId));
  }

  private ReplyEffect<EnrollmentEvent, Enrollment> persist(Enrollment s, Write c, EnrollmentRules.Decision d) {
    if (d.rejected()) {
      return Effect().reply(c.replyTo(), new Rejected(d.rejection()));
    }
    if (d.events().isEmpty()) {
      return Effect().reply(c.replyTo(), accepted(s, List.of()));
    }
    List<IssuedCertificate> issued = d.events().stream()
        .filter(CertificateIssued.class::isInstance).map(CertificateIssued.class::cast)
        .map(e -> new IssuedCertificate(e.certificateId(), e.templateId(), e.at(), e.reissue())).toList();
    return Effect().persist(forRequest(d.events(), c))
        .thenRun(this::returnSeatIfHeld)
        .thenReply(c.replyTo(), after -> accepted(after, issued));
  }

  /**
   * {@code events}, the first that can record a request written for the command's key (none: as
   * they are). A command whose events cannot record it (an invitation) is idempotent by nature.
   */
  private static List<EnrollmentEvent> forRequest(List<EnrollmentEvent> events, Write c) {
    if (c.requestKey() == null) {
      return events;
    }
    List<EnrollmentEvent> marked = new ArrayList<>(events);
    for (int i = 0; i < marked.size(); i++) {
      if (marked.get(i) instanceof RecordsRequest r) {
        marked.set(i, r.withRequest(c.requestKey()));
        break;
      }
    }
    return marked;
  }

  private static Accepted accepted(Enrollment e, List<IssuedCertificate> issued) {
    return new Accepted(e, null, issued);
  }

  private akka.cluster.sharding.typed.javadsl.EntityRef<BatchCommand> batch() {
    return ClusterSharding.get(context.getSystem()).entityRefFor(CourseBatchEntity.ENTITY_KEY, batchId);
  }

  private static String newCertificateId() {
    return UUID.randomUUID().toString();
  }
}
