package org.coursebatch.core.schedule;

import akka.actor.typed.ActorSystem;
import akka.actor.typed.Behavior;
import akka.actor.typed.SupervisorStrategy;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.TimerScheduler;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import akka.cluster.typed.ClusterSingleton;
import akka.cluster.typed.SingletonActor;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.coursebatch.core.batch.BatchCommand;
import org.coursebatch.core.batch.CourseBatchEntity;

/**
 * The durable half of time-driven status changes. A batch entity's own timer only lives while the
 * entity does; this cluster singleton reads due transitions from the read side and wakes those
 * batches, so a transition still happens when its batch was passivated, its node restarted or its
 * shard moved. It sleeps until the next known transition instant (at most {@code maxInterval}, so
 * batches the read side has not seen yet are picked up too).
 */
public final class BatchWakeUpScheduler {

  /** How many batches are woken per round; a full round is followed at once by another. */
  static final int BATCH_SIZE = 500;

  static final Duration MIN_INTERVAL = Duration.ofSeconds(1);

  public sealed interface Command {}

  private enum Tick implements Command { INSTANCE }

  private record Loaded(List<String> dueIds, Optional<Instant> next) implements Command {}

  private record LoadFailed(Throwable error) implements Command {}

  public static void init(ActorSystem<?> system, TransitionSchedule schedule, Clock clock, Duration maxInterval) {
    ClusterSingleton.get(system).init(SingletonActor.of(
        Behaviors.supervise(create(schedule, clock, maxInterval)).onFailure(SupervisorStrategy.restart()),
        "batch-wake-up-scheduler"));
  }

  public static Behavior<Command> create(TransitionSchedule schedule, Clock clock, Duration maxInterval) {
    return Behaviors.setup(ctx -> {
      // Named before anything logs: else Akka names the actor's logger once, at its first log call,
      // after the first class on that call's stack outside its own typed internals, which for this
      // actor (a supervised singleton with timers) is akka.actor.ActorCell.
      ctx.setLoggerName(BatchWakeUpScheduler.class);
      return Behaviors.withTimers(timers -> {
        ctx.getSelf().tell(Tick.INSTANCE);
        return new BatchWakeUpScheduler(ctx, timers, schedule, clock, maxInterval).idle();
      });
    });
  }

  private final ActorContext<Command> ctx;
  private final TimerScheduler<Command> timers;
  private final TransitionSchedule schedule;
  private final Clock clock;
  private final Duration maxInterval;
  private final ClusterSharding sharding;

  private BatchWakeUpScheduler(ActorContext<Command> ctx, TimerScheduler<Command> timers, TransitionSchedule schedule,
      Clock clock, Duration maxInterval) {
    this.ctx = ctx;
    this.timers = timers;
    this.schedule = schedule;
    this.clock = clock;
    this.maxInterval = maxInterval;
    this.sharding = ClusterSharding.get(ctx.getSystem());
  }

  private Behavior<Command> idle() {
    return Behaviors.receive(Command.class)
        .onMessage(Tick.class, t -> load())
        .onMessage(Loaded.class, this::wake)
        .onMessage(LoadFailed.class, this::retryLater)
        .build();
  }

  private Behavior<Command> load() {
    Instant now = clock.instant();
    ctx.pipeToSelf(
        schedule.dueBatchIds(now, BATCH_SIZE).thenCombine(schedule.nextTransitionAfter(now), Loaded::new),
        (loaded, error) -> error == null ? loaded : new LoadFailed(error));
    return Behaviors.same();
  }

  private Behavior<Command> wake(Loaded loaded) {
    for (String batchId : loaded.dueIds()) {
      sharding.entityRefFor(CourseBatchEntity.ENTITY_KEY, batchId).tell(BatchCommand.WakeUp.INSTANCE);
    }
    if (!loaded.dueIds().isEmpty()) {
      ctx.getLog().info("Woke {} batches with a status transition due", loaded.dueIds().size());
    }
    Duration delay = maxInterval;
    if (loaded.dueIds().size() >= BATCH_SIZE) {
      delay = MIN_INTERVAL;
    } else if (loaded.next().isPresent()) {
      Duration untilNext = Duration.between(clock.instant(), loaded.next().get());
      delay = untilNext.compareTo(maxInterval) < 0 ? untilNext : maxInterval;
    }
    // Never spin: woken batches stay "due" on the read side until the projection catches up.
    if (delay.compareTo(MIN_INTERVAL) < 0) {
      delay = MIN_INTERVAL;
    }
    timers.startSingleTimer(Tick.INSTANCE, delay);
    return Behaviors.same();
  }

  private Behavior<Command> retryLater(LoadFailed failed) {
    ctx.getLog().warn("Could not read due batch transitions; retrying in {}", maxInterval, failed.error());
    timers.startSingleTimer(Tick.INSTANCE, maxInterval);
    return Behaviors.same();
  }
}
