package org.coursebatch.core.batch;

import akka.actor.typed.ActorSystem;
import akka.actor.typed.Behavior;
import akka.actor.typed.PostStop;
import akka.actor.typed.PreRestart;
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
import akka.persistence.typed.javadsl.EffectBuilder;
import akka.persistence.typed.javadsl.EventHandler;
import akka.persistence.typed.javadsl.EventSourcedBehaviorWithEnforcedReplies;
import akka.persistence.typed.javadsl.ReplyEffect;
import akka.persistence.typed.javadsl.RetentionCriteria;
import akka.persistence.typed.javadsl.SignalHandler;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.coursebatch.core.concurrent.Continuations;
import org.coursebatch.core.EventTags;
import org.coursebatch.core.batch.BatchCommand.*;
import org.coursebatch.core.batch.BatchReply.Accepted;
import org.coursebatch.core.batch.BatchReply.Rejected;
import org.coursebatch.core.batch.BatchState.NoBatch;
import org.coursebatch.core.error.ErrorCode;
import org.coursebatch.core.error.Rejection;
import org.coursebatch.core.enrollment.EnrollmentCommand.PromoteFromWaitlist;
import org.coursebatch.core.enrollment.EnrollmentEntity;
import org.coursebatch.core.journal.EventChain;
import org.coursebatch.core.metrics.EntityRecoveryMeter;
import org.coursebatch.core.request.Deadlines;

/**
 * One course batch: a sharded, event-sourced entity keyed by batch id. The rules live in
 * {@link BatchRules}; this class routes commands, persists what the rules decide and keeps a timer
 * armed for the next status transition. The timer only lives as long as the entity; the
 * {@link org.coursebatch.core.schedule.BatchWakeUpScheduler} wakes passivated batches.
 *
 * <p>Learners are not in this entity (see {@link EnrollmentEntity}); it only allocates seats for
 * batches with a capacity, and delivers promotions from the waitlist to the promoted learners'
 * enrolments until they confirm (retried after a restart, as the pending promotions are state).
 *
 * <p>Every write goes through {@link #persisted}: once stored, the batch is published to this
 * node's {@link HostedBatches}, from which batch reads here are answered.
 */
public final class CourseBatchEntity
    extends EventSourcedBehaviorWithEnforcedReplies<BatchCommand, BatchEvent, BatchState> {

  public static final EntityTypeKey<BatchCommand> ENTITY_KEY = EntityTypeKey.create(BatchCommand.class, "CourseBatch");

  /** Events are spread over a fixed set of tags, one projection instance per tag. Changing it needs a re-tag. */
  public static final int TAG_COUNT = 4;

  private static final EventTags TAGS = new EventTags("batch", TAG_COUNT);

  /** Akka timers cannot be armed arbitrarily far ahead; longer waits re-arm on wake-up. */
  static final Duration MAX_TIMER_DELAY = Duration.ofHours(12);

  private static final String WAKE_TIMER = "status-transition";
  private static final String PROMOTION_TIMER = "deliver-promotions";
  private static final Duration PROMOTION_RETRY = Duration.ofSeconds(5);

  private final String batchId;
  private final Clock clock;
  private final String timeZone;
  private final TimerScheduler<BatchCommand> timers;
  private final ActorContext<BatchCommand> context;
  /** Promotions asked for and not yet answered; not state: after a restart all pending are asked again. */
  private final Set<String> promotionsInFlight = new HashSet<>();
  private final EntityRecoveryMeter recovery;
  private final EventChain<BatchEvent, BatchState> chain;
  private final HostedBatches hosted;
  /** The batch this incarnation last published to {@link #hosted}; null before. */
  private Batch published;

  public static void init(ActorSystem<?> system, Clock clock, String timeZone) {
    ClusterSharding.get(system).init(Entity.of(ENTITY_KEY, ctx -> create(ctx.getEntityId(), clock, timeZone)));
  }

  public static Behavior<BatchCommand> create(String batchId, Clock clock, String timeZone) {
    return Behaviors.setup(context ->
        Behaviors.withTimers(timers -> new CourseBatchEntity(batchId, clock, timeZone, timers, context)));
  }

  public static String tagFor(String batchId) {
    return TAGS.tagFor(batchId);
  }

  public static List<String> tags() {
    return TAGS.all();
  }

  private CourseBatchEntity(String batchId, Clock clock, String timeZone, TimerScheduler<BatchCommand> timers,
      ActorContext<BatchCommand> context) {
    super(PersistenceId.of(ENTITY_KEY.name(), batchId),
        SupervisorStrategy.restartWithBackoff(Duration.ofMillis(200), Duration.ofSeconds(5), 0.1));
    this.batchId = batchId;
    this.clock = clock;
    this.timeZone = timeZone;
    this.timers = timers;
    this.context = context;
    this.chain = EventChain.of(context.getSystem(), persistenceId());
    this.recovery = EntityRecoveryMeter.start(context.getSystem(), ENTITY_KEY.name());
    this.hosted = HostedBatches.of(context.getSystem());
  }

  @Override
  public BatchState emptyState() {
    return BatchState.empty();
  }

  @Override
  public Set<String> tagsFor(BatchEvent event) {
    return Set.of(tagFor(batchId));
  }

  @Override
  public RetentionCriteria retentionCriteria() {
    return RetentionCriteria.snapshotEvery(100, 2);
  }

  @Override
  public EventAdapter<BatchEvent, Object> eventAdapter() {
    return chain.eventAdapter();
  }

  @Override
  public SnapshotAdapter<BatchState> snapshotAdapter() {
    return chain.snapshotAdapter();
  }

  @Override
  public SignalHandler<BatchState> signalHandler() {
    return newSignalHandlerBuilder().onSignal(RecoveryCompleted.instance(), state -> {
      recovery.completed();
      chain.recoveryCompleted();
      publish(state);
      armTimer(state);
      deliverPromotions(state);
    }).onSignal(RecoveryFailed.class, (state, failed) -> recovery.failed())
        .onSignal(PostStop.instance(), state -> withdraw())
        .onSignal(PreRestart.instance(), state -> withdraw())
        .build();
  }

  @Override
  public CommandHandlerWithReply<BatchCommand, BatchEvent, BatchState> commandHandler() {
    var builder = newCommandHandlerWithReplyBuilder();
    // First: a write whose caller has given up is not applied, however long it waited to get here.
    builder.forAnyState().onCommand(c -> c instanceof Write w && Deadlines.passed(w.deadline(), now()),
        (s, c) -> Effect().reply(((Write) c).replyTo(), new BatchReply.Expired(((Write) c).deadline())));
    builder.forStateType(NoBatch.class)
        .onCommand(CreateBatch.class, this::create)
        .onCommand(GetBatch.class, c -> reject(c, ErrorCode.BATCH_NOT_FOUND.reject(batchId)))
        .onCommand(AddCertificateTemplate.class, c -> reject(c, ErrorCode.NO_SUCH_BATCH.reject()))
        .onCommand(RemoveCertificateTemplate.class, c -> reject(c, ErrorCode.NO_SUCH_BATCH.reject()))
        .onCommand(UpdateBatch.class, c -> reject(c, ErrorCode.INVALID_COURSE_BATCH_ID.reject()))
        .onCommand(ClaimSeat.class, c -> Effect().reply(c.replyTo(), new SeatReply.Rejected(ErrorCode.INVALID_COURSE_BATCH_ID.reject())))
        .onCommand(ReleaseSeat.class, c -> Effect().reply(c.replyTo(), new SeatReply.Released()))
        .onCommand(PromotionAnswered.class, c -> Effect().noReply())
        .onCommand(DeliverPromotions.class, c -> Effect().noReply())
        .onCommand(WakeUp.class, c -> Effect().noReply());
    builder.forStateType(Batch.class)
        .onCommand(CreateBatch.class, this::createdAlready)
        .onCommand(UpdateBatch.class, this::update)
        .onCommand(AddCertificateTemplate.class, this::addTemplate)
        .onCommand(RemoveCertificateTemplate.class, this::removeTemplate)
        .onCommand(GetBatch.class, this::get)
        .onCommand(ClaimSeat.class, this::claimSeat)
        .onCommand(ReleaseSeat.class, this::releaseSeat)
        .onCommand(PromotionAnswered.class, this::promotionAnswered)
        .onCommand(DeliverPromotions.class, (b, c) -> {
          deliverPromotions(b);
          return Effect().noReply();
        })
        .onCommand(WakeUp.class, this::wakeUp);
    return builder.build();
  }

  @Override
  public EventHandler<BatchState, BatchEvent> eventHandler() {
    return newEventHandlerBuilder().forAnyState().onAnyEvent(BatchState::apply);
  }

  private ReplyEffect<BatchEvent, BatchState> create(CreateBatch c) {
    return persist(BatchState.empty(), c, BatchRules.create(batchId, c.batch(), timeZone, c.caller(), now()));
  }

  /** A retry of the keyed request that created this batch gets the batch; any other create finds the id taken. */
  private ReplyEffect<BatchEvent, BatchState> createdAlready(Batch batch, CreateBatch c) {
    boolean retry = c.requestKey() != null && BatchIds.forRequest(c.requestKey()).equals(batchId)
        && batch.createdBy().equals(c.caller().userId());
    if (retry) {
      return Effect().reply(c.replyTo(), new Accepted(BatchView.of(batch, now())));
    }
    return reject(c, ErrorCode.BATCH_ID_TAKEN.reject(batchId));
  }

  private ReplyEffect<BatchEvent, BatchState> update(Batch batch, UpdateBatch c) {
    return persist(batch, c, BatchRules.update(batch, c.changes(), c.caller(), now()));
  }

  private ReplyEffect<BatchEvent, BatchState> addTemplate(Batch batch, AddCertificateTemplate c) {
    return persist(batch, c, BatchRules.addTemplate(batch, c.courseId(), c.template(), c.caller(), now()));
  }

  private ReplyEffect<BatchEvent, BatchState> removeTemplate(Batch batch, RemoveCertificateTemplate c) {
    return persist(batch, c, BatchRules.removeTemplate(batch, c.courseId(), c.templateId(), c.caller(), now()));
  }

  /** A read records any transition the clock has passed first, so no reader sees a stale status. */
  private ReplyEffect<BatchEvent, BatchState> get(Batch batch, GetBatch c) {
    List<BatchEvent> due = BatchRules.dueTransitions(batch, now());
    if (due.isEmpty()) {
      return Effect().reply(c.replyTo(), new Accepted(BatchView.of(batch, now())));
    }
    return persist(batch, c, new BatchRules.Decision(null, due));
  }

  private ReplyEffect<BatchEvent, BatchState> wakeUp(Batch batch, WakeUp c) {
    List<BatchEvent> due = BatchRules.dueTransitions(batch, now());
    if (due.isEmpty()) {
      armTimer(batch);
      return Effect().noReply();
    }
    return persisted(due).thenRun(this::armTimer).thenNoReply();
  }

  private ReplyEffect<BatchEvent, BatchState> claimSeat(Batch batch, ClaimSeat c) {
    SeatRules.Claim claim = SeatRules.claim(batch, c.userId(), c.actor(), now());
    if (claim.events().isEmpty()) {
      return Effect().reply(c.replyTo(), claim.reply());
    }
    return persisted(claim.events()).thenReply(c.replyTo(), s -> claim.reply());
  }

  private ReplyEffect<BatchEvent, BatchState> releaseSeat(Batch batch, ReleaseSeat c) {
    List<BatchEvent> events = SeatRules.release(batch, c.userId(), c.actor(), now());
    if (events.isEmpty()) {
      return Effect().reply(c.replyTo(), new SeatReply.Released());
    }
    return persisted(events).thenRun(this::deliverPromotions).thenReply(c.replyTo(), s -> new SeatReply.Released());
  }

  private ReplyEffect<BatchEvent, BatchState> promotionAnswered(Batch batch, PromotionAnswered c) {
    promotionsInFlight.remove(c.userId());
    if (c.accepted() == null) {
      // Not answered (the enrolment's node is away): the retry timer asks again.
      return Effect().noReply();
    }
    List<BatchEvent> events = SeatRules.promotionAnswered(batch, c.userId(), c.accepted(), now());
    if (events.isEmpty()) {
      return Effect().noReply();
    }
    return persisted(events).thenRun(this::deliverPromotions).thenNoReply();
  }

  /** Asks each promoted learner's enrolment to take its seat; retried until every one answers. */
  private void deliverPromotions(BatchState state) {
    if (!(state instanceof Batch batch) || batch.seats().promotionsPending().isEmpty()) {
      timers.cancel(PROMOTION_TIMER);
      return;
    }
    var sharding = ClusterSharding.get(context.getSystem());
    for (String userId : batch.seats().promotionsPending()) {
      if (promotionsInFlight.add(userId)) {
        var enrollment = sharding.entityRefFor(EnrollmentEntity.ENTITY_KEY, EnrollmentEntity.entityId(batchId, userId));
        context.pipeToSelf(
            Continuations.inline(enrollment.<Boolean>ask(PromoteFromWaitlist::new, PROMOTION_RETRY)),
            (accepted, failure) -> new PromotionAnswered(userId, failure == null ? accepted : null));
      }
    }
    timers.startSingleTimer(PROMOTION_TIMER, DeliverPromotions.INSTANCE, PROMOTION_RETRY.multipliedBy(2));
  }

  private ReplyEffect<BatchEvent, BatchState> persist(BatchState current, WithReply c, BatchRules.Decision decision) {
    if (decision.rejected()) {
      return reject(c, decision.rejection());
    }
    if (decision.events().isEmpty()) {
      return Effect().reply(c.replyTo(), new Accepted(BatchView.of((Batch) current, now())));
    }
    return persisted(decision.events())
        .thenRun(this::armTimer)
        .thenRun(this::deliverPromotions)
        .thenReply(c.replyTo(), s -> new Accepted(BatchView.of((Batch) s, now())));
  }

  /** Persists {@code events}; once the journal has them, the batch is this node's to read. */
  private EffectBuilder<BatchEvent, BatchState> persisted(List<BatchEvent> events) {
    return Effect().persist(events).thenRun(this::publish);
  }

  private void publish(BatchState state) {
    if (state instanceof Batch batch) {
      hosted.publish(batchId, batch);
      published = batch;
    }
  }

  private void withdraw() {
    if (published != null) {
      hosted.withdraw(batchId, published);
      published = null;
    }
  }

  private ReplyEffect<BatchEvent, BatchState> reject(WithReply c, Rejection r) {
    return Effect().reply(c.replyTo(), new Rejected(r));
  }

  /** Arms the timer for the next transition; after recovery a transition already due fires at once. */
  private void armTimer(BatchState state) {
    if (!(state instanceof Batch batch)) {
      return;
    }
    var next = batch.nextTransition();
    if (next.isEmpty()) {
      timers.cancel(WAKE_TIMER);
      return;
    }
    Duration delay = Duration.between(now(), next.get());
    if (delay.isNegative()) {
      delay = Duration.ZERO;
    }
    if (delay.compareTo(MAX_TIMER_DELAY) > 0) {
      delay = MAX_TIMER_DELAY;
    }
    timers.startSingleTimer(WAKE_TIMER, WakeUp.INSTANCE, delay);
  }

  private Instant now() {
    return clock.instant();
  }
}
