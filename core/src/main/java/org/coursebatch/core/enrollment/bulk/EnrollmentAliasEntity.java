package org.coursebatch.core.enrollment.bulk;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Behavior;
import akka.actor.typed.SupervisorStrategy;
import akka.actor.typed.javadsl.Behaviors;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import akka.cluster.sharding.typed.javadsl.Entity;
import akka.cluster.sharding.typed.javadsl.EntityTypeKey;
import akka.persistence.typed.EventAdapter;
import akka.persistence.typed.PersistenceId;
import akka.persistence.typed.RecoveryCompleted;
import akka.persistence.typed.SnapshotAdapter;
import akka.persistence.typed.javadsl.CommandHandlerWithReply;
import akka.persistence.typed.javadsl.EventHandler;
import akka.persistence.typed.javadsl.EventSourcedBehaviorWithEnforcedReplies;
import akka.persistence.typed.javadsl.SignalHandler;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.coursebatch.core.CborSerializable;
import org.coursebatch.core.enrollment.bulk.EnrollmentAliasEvent.AliasAssigned;
import org.coursebatch.core.journal.EventChain;
import org.coursebatch.core.request.Deadlines;

/**
 * One alias of an enrolment id, as a sharded event-sourced entity keyed by the alias: it knows
 * which enrolment it names now, and its journal tells which it named before.
 */
public final class EnrollmentAliasEntity
    extends EventSourcedBehaviorWithEnforcedReplies<EnrollmentAliasEntity.Command, EnrollmentAliasEvent, EnrollmentAliasEntity.State> {

  public static final EntityTypeKey<Command> ENTITY_KEY = EntityTypeKey.create(Command.class, "EnrollmentAlias");

  public sealed interface Command extends CborSerializable {}

  /**
   * Point the alias at {@code enrollmentId}; answers the id it named before (null if none). After
   * its {@code deadline} (null: none) it changes nothing and gets no answer: its asker has already
   * reported the item as failed, and a late assignment could undo a later one.
   */
  public record Assign(String enrollmentId, String actor, Instant deadline, ActorRef<Assigned> replyTo) implements Command {
    public Assign(String enrollmentId, String actor, ActorRef<Assigned> replyTo) {
      this(enrollmentId, actor, null, replyTo);
    }
  }

  public record Assigned(String previousEnrollmentId) implements CborSerializable {}

  /** Answers the enrolment id the alias names, or null. */
  public record Resolve(ActorRef<Resolved> replyTo) implements Command {}

  public record Resolved(String enrollmentId) implements CborSerializable {}

  public record State(String enrollmentId) implements CborSerializable {}

  private final String aliasId;
  private final Clock clock;
  private final EventChain<EnrollmentAliasEvent, State> chain;

  public static void init(ActorSystem<?> system, Clock clock) {
    ClusterSharding.get(system).init(Entity.of(ENTITY_KEY, ctx -> create(ctx.getEntityId(), clock)));
  }

  public static Behavior<Command> create(String aliasId, Clock clock) {
    return Behaviors.setup(context -> new EnrollmentAliasEntity(aliasId, clock, context.getSystem()));
  }

  private EnrollmentAliasEntity(String aliasId, Clock clock, ActorSystem<?> system) {
    super(PersistenceId.of(ENTITY_KEY.name(), aliasId),
        SupervisorStrategy.restartWithBackoff(Duration.ofMillis(200), Duration.ofSeconds(5), 0.1));
    this.aliasId = aliasId;
    this.clock = clock;
    this.chain = EventChain.of(system, persistenceId());
  }

  @Override
  public State emptyState() {
    return new State(null);
  }

  @Override
  public EventAdapter<EnrollmentAliasEvent, Object> eventAdapter() {
    return chain.eventAdapter();
  }

  @Override
  public SnapshotAdapter<State> snapshotAdapter() {
    return chain.snapshotAdapter();
  }

  @Override
  public SignalHandler<State> signalHandler() {
    return newSignalHandlerBuilder().onSignal(RecoveryCompleted.instance(), state -> chain.recoveryCompleted()).build();
  }

  @Override
  public CommandHandlerWithReply<Command, EnrollmentAliasEvent, State> commandHandler() {
    return newCommandHandlerWithReplyBuilder().forAnyState()
        .onCommand(Resolve.class, (s, c) -> Effect().reply(c.replyTo(), new Resolved(s.enrollmentId())))
        .onCommand(Assign.class, (s, c) -> {
          if (Deadlines.passed(c.deadline(), clock.instant())) {
            return Effect().noReply();
          }
          if (c.enrollmentId().equals(s.enrollmentId())) {
            return Effect().reply(c.replyTo(), new Assigned(null));
          }
          return Effect().persist(new AliasAssigned(aliasId, c.enrollmentId(), s.enrollmentId(), c.actor(), clock.instant()))
              .thenReply(c.replyTo(), after -> new Assigned(s.enrollmentId()));
        })
        .build();
  }

  @Override
  public EventHandler<State, EnrollmentAliasEvent> eventHandler() {
    return newEventHandlerBuilder().forAnyState()
        .onAnyEvent((s, e) -> new State(((AliasAssigned) e).enrollmentId()));
  }
}
