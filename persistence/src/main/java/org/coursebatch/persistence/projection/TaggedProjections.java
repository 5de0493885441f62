package org.coursebatch.persistence.projection;

import akka.actor.typed.ActorSystem;
import akka.actor.typed.Behavior;
import akka.cluster.sharding.typed.ShardedDaemonProcessSettings;
import akka.cluster.sharding.typed.javadsl.ShardedDaemonProcess;
import akka.persistence.jdbc.query.javadsl.JdbcReadJournal;
import akka.persistence.query.Offset;
import akka.persistence.query.PersistenceQuery;
import akka.projection.Projection;
import akka.projection.ProjectionBehavior;
import akka.projection.ProjectionId;
import akka.projection.eventsourced.EventEnvelope;
import akka.projection.eventsourced.javadsl.EventSourcedProvider;
import akka.projection.javadsl.GroupedProjection;
import akka.projection.javadsl.SourceProvider;
import akka.projection.jdbc.javadsl.JdbcProjection;
import akka.stream.javadsl.Sink;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import org.coursebatch.persistence.db.Database;
import org.coursebatch.persistence.db.PlainJdbcSession;

/**
 * Runs a read model: one exactly-once projection per event tag, spread over the cluster by a
 * sharded daemon process. Events are written in groups; each group's offset is stored in the same
 * transaction as its read-model rows.
 */
public final class TaggedProjections {

  /** A group closes at this many events or after this long, whichever comes first. */
  static final int GROUP_SIZE = 200;
  static final Duration GROUP_WITHIN = Duration.ofMillis(50);

  /**
   * The events eventsByTag gives the projections, as an SQL table expression: each tagged row of the
   * journal ({@code t}, with {@code t.tag} and {@code t.event_id}, the ordering) but deleted ones.
   */
  static final String TAGGED_EVENTS = "event_tag t JOIN event_journal j ON j.ordering = t.event_id AND j.deleted = FALSE";

  private TaggedProjections() {}

  /** Runs {@code model}'s projections on this node. */
  public static <E> void init(ActorSystem<?> system, Database db, ReadModel<E> model) {
    init(system, db, model.name(), model.tags(), model.handler(system, db));
  }

  public static <E> void init(ActorSystem<?> system, Database db, String name, List<String> tags,
      Supplier<ReadModelHandler<E>> handler) {
    runPerTag(system, name, tags, tag -> projection(system, db, name, tag, handler));
  }

  /**
   * Runs {@code projection} of each of {@code tags}, one instance per tag, spread over the cluster
   * by a sharded daemon process named {@code name} (read models and publications alike).
   */
  public static void runPerTag(ActorSystem<?> system, String name, List<String> tags,
      Function<String, Projection<?>> projection) {
    ShardedDaemonProcess.get(system).init(
        ProjectionBehavior.Command.class,
        name,
        tags.size(),
        i -> behavior(projection.apply(tags.get(i))),
        ShardedDaemonProcessSettings.create(system),
        Optional.of(ProjectionBehavior.stopMessage()));
  }

  private static <T> Behavior<ProjectionBehavior.Command> behavior(Projection<T> projection) {
    return ProjectionBehavior.create(projection);
  }

  /** The journal's events of {@code tag}, in the order the projections read them. */
  public static <E> SourceProvider<Offset, EventEnvelope<E>> eventsByTag(ActorSystem<?> system, String tag) {
    return EventSourcedProvider.eventsByTag(system, JdbcReadJournal.Identifier(), tag);
  }

  /** {@code model}'s handler for {@code tag}, bound as a node's projection instance runs it. */
  static <E> ReadModelHandler<E> boundHandler(ActorSystem<?> system, Database db, String name, String tag,
      Supplier<ReadModelHandler<E>> handler) {
    return handler.get().runBy(new EventQuarantine(ProjectionId.of(name, tag), Clock.systemUTC()), db, journalLookup(system));
  }

  /** Reads an entity's events again, as stored, for the retry of those a projection left out. */
  private static EventQuarantine.JournalLookup journalLookup(ActorSystem<?> system) {
    JdbcReadJournal journal = PersistenceQuery.get(system).getReadJournalFor(JdbcReadJournal.class, JdbcReadJournal.Identifier());
    return (pid, from, to) -> journal.currentEventsByPersistenceId(pid, from, to)
        .map(e -> new EventQuarantine.StoredEvent(e.sequenceNr(), e.event()))
        .runWith(Sink.seq(), system)
        .toCompletableFuture().get(RETRY_READ_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** How long the retry of a projection's left-out events waits for the journal to give one entity's events. */
  static final Duration RETRY_READ_TIMEOUT = Duration.ofSeconds(30);

  /**
   * The projection of one tag as the nodes run it, watched by {@link ProgressWatch};
   * {@link ReadModelRebuild} runs the same with an observer of its own.
   */
  static <E> GroupedProjection<Offset, EventEnvelope<E>> projection(ActorSystem<?> system, Database db,
      String name, String tag, Supplier<ReadModelHandler<E>> handler) {
    SourceProvider<Offset, EventEnvelope<E>> source = eventsByTag(system, tag);
    return JdbcProjection.<Offset, EventEnvelope<E>, PlainJdbcSession>groupedWithin(
        ProjectionId.of(name, tag),
        source,
        () -> new PlainJdbcSession(db.dataSource()),
        () -> boundHandler(system, db, name, tag, handler),
        system).withGroup(GROUP_SIZE, GROUP_WITHIN)
        .withStatusObserver(ProgressWatch.get(system).observer());
  }
}
