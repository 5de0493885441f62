package org.coursebatch.persistence.publish;

import akka.Done;
import akka.actor.typed.ActorSystem;
import akka.persistence.query.Offset;
import akka.projection.HandlerRecoveryStrategy;
import akka.projection.ProjectionId;
import akka.projection.eventsourced.EventEnvelope;
import akka.projection.javadsl.GroupedProjection;
import akka.projection.javadsl.Handler;
import akka.projection.jdbc.javadsl.JdbcProjection;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.coursebatch.core.journal.ChainedEvent;
import org.coursebatch.core.metrics.NodeMeters;
import org.coursebatch.core.publish.EventSink;
import org.coursebatch.core.publish.OutboundEvent;
import org.coursebatch.core.publish.OutboundEvents;
import org.coursebatch.persistence.db.Database;
import org.coursebatch.persistence.db.PlainJdbcSession;
import org.coursebatch.persistence.projection.JournalReadModels;
import org.coursebatch.persistence.projection.ProgressWatch;
import org.coursebatch.persistence.projection.TaggedProjections;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes the journal to an {@link EventSink}: one projection per event tag (the read models'
 * tags), named {@code publish-<sink>}, that maps each group of events to {@link OutboundEvents},
 * hands them to the sink and stores its offset (in {@code akka_projection_offset_store}, as the read
 * models do) only once the sink acknowledged them all: at least once. A failed delivery restarts the
 * instance with backoff from its stored offset, for ever: no event is skipped. It runs beside the
 * entities, so a slow or dead receiver delays nothing but its own publication (nor readiness: the
 * watch measures its lag but leaves it out of the readiness probe).
 *
 * <p>A publication is not a read model: {@code ReadModelRebuild} neither resets nor runs it.
 * Where a new publication starts ({@link StartFrom}) is decided once, when the node first runs it.
 */
public final class EventPublication {

  private static final Logger log = LoggerFactory.getLogger(EventPublication.class);

  /** Where a publication that has stored no offset yet starts. */
  public enum StartFrom {
    /** From the first event of the journal: every batch and enrolment's history is published. */
    BEGINNING,
    /** From the last event in the journal when the node first starts it: only what happens from then on. */
    NOW;

    public static StartFrom parse(String value) {
      try {
        return valueOf(value.trim().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("BATCH_PUBLISH_FROM must be beginning or now, not " + value, e);
      }
    }
  }

  /**
   * @param from where a new publication starts
   * @param groupSize the most events handed to the sink in one delivery
   * @param groupWithin how long a delivery waits for more events before it goes with fewer
   * @param minBackoff the wait before the first restart after a failed delivery (doubling up to {@code maxBackoff})
   * @param deliverTimeout a delivery not acknowledged within this long has failed
   */
  public record Settings(StartFrom from, int groupSize, Duration groupWithin, Duration minBackoff, Duration maxBackoff,
      Duration deliverTimeout) {
    public Settings {
      if (groupSize < 1 || groupWithin.isNegative() || minBackoff.isNegative() || maxBackoff.compareTo(minBackoff) < 0
          || deliverTimeout.isNegative() || deliverTimeout.isZero()) {
        throw new IllegalArgumentException("course-batch.publish: group-size must be positive, max-backoff at least"
            + " min-backoff, deliver-timeout positive");
      }
    }
  }

  /** The manifest akka-projection stores a journal ordering (a {@code Sequence} offset) with. */
  static final String SEQUENCE_MANIFEST = "SEQ";

  private EventPublication() {}

  /** The projection's name, under which its offsets are stored. */
  public static String projectionName(EventSink sink) {
    return "publish-" + sink.name();
  }

  /** The tags a publication follows: every read model's, each once. */
  public static List<String> tags() {
    return JournalReadModels.ALL.stream().flatMap(m -> m.tags().stream()).distinct().toList();
  }

  /** Starts the publication to {@code sink} on this node. */
  public static void init(ActorSystem<?> system, Database db, EventSink sink, Settings settings) {
    String name = projectionName(sink);
    List<String> tags = tags();
    if (settings.from() == StartFrom.NOW) {
      try {
        startAtTheEnd(db, name, tags);
      } catch (SQLException e) {
        throw new IllegalStateException("Could not set where the publication " + name + " starts", e);
      }
    }
    ProgressWatch watch = ProgressWatch.get(system);
    watch.excludeFromReadiness(name);
    Meters meters = new Meters(NodeMeters.registry(system), sink.name());
    TaggedProjections.runPerTag(system, name, tags, tag -> projection(system, db, sink, settings, meters, name, tag)
        .withStatusObserver(watch.observer()));
    log.info("Publishing the journal to {} ({} instances, a new one starting from {})", name, tags.size(),
        settings.from().name().toLowerCase(Locale.ROOT));
  }

  /** The publication of one tag, unobserved. */
  static GroupedProjection<Offset, EventEnvelope<Object>> projection(ActorSystem<?> system, Database db, EventSink sink,
      Settings settings, Meters meters, String name, String tag) {
    return JdbcProjection.<Offset, EventEnvelope<Object>, PlainJdbcSession>groupedWithinAsync(
        ProjectionId.of(name, tag),
        TaggedProjections.eventsByTag(system, tag),
        () -> new PlainJdbcSession(db.dataSource()),
        () -> new Delivery(sink, meters, settings.deliverTimeout()),
        system)
        .withGroup(settings.groupSize(), settings.groupWithin())
        .withRecoveryStrategy(HandlerRecoveryStrategy.fail())
        .withRestartBackoff(settings.minBackoff(), settings.maxBackoff(), 0.2);
  }

  /**
   * Stores, for each tag that has no offset of {@code name} yet, the ordering of the tag's last event
   * now, so that the publication starts after it. A row another node stored meanwhile is kept.
   */
  static void startAtTheEnd(Database db, String name, List<String> tags) throws SQLException {
    try (Connection c = db.dataSource().getConnection()) {
      for (String tag : tags) {
        if (hasOffset(c, name, tag)) {
          continue;
        }
        long last = lastOrdering(c, tag);
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO akka_projection_offset_store"
            + " (projection_name, projection_key, current_offset, manifest, mergeable, last_updated) VALUES (?, ?, ?, ?, ?, ?)")) {
          ps.setString(1, name);
          ps.setString(2, tag);
          ps.setString(3, Long.toString(last));
          ps.setString(4, SEQUENCE_MANIFEST);
          ps.setBoolean(5, false);
          ps.setLong(6, System.currentTimeMillis());
          ps.executeUpdate();
        } catch (SQLException e) {
          if (!hasOffset(c, name, tag)) {
            throw e;
          } // else another node stored the start first
        }
      }
    }
  }

  private static boolean hasOffset(Connection c, String name, String tag) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT 1 FROM akka_projection_offset_store WHERE projection_name = ? AND projection_key = ?")) {
      ps.setString(1, name);
      ps.setString(2, tag);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next();
      }
    }
  }

  private static long lastOrdering(Connection c, String tag) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT MAX(event_id) FROM event_tag WHERE tag = ?")) {
      ps.setString(1, tag);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  /** The publication's meters, per sink. */
  static final class Meters {
    final Counter delivered;
    final Counter skipped;

    Meters(MeterRegistry registry, String sink) {
      delivered = Counter.builder("coursebatch.publish.events").tag("sink", sink)
          .description("Outbound events the sink acknowledged").register(registry);
      skipped = Counter.builder("coursebatch.publish.events.skipped").tag("sink", sink)
          .description("Journal entries of a kind the publication does not know, left unpublished").register(registry);
    }
  }

  /**
   * What one journal entry publishes; empty (logged) for an entry that holds no journal event the
   * mapping knows, which the publication leaves out rather than stop on.
   */
  static Optional<List<OutboundEvent>> outbound(String persistenceId, long sequenceNr, long timestampMillis, Object stored) {
    Object event = stored instanceof ChainedEvent chained ? chained.event() : stored;
    if (!OutboundEvents.known(event)) {
      log.warn("Not published: {} #{} holds {}, not a journal event", persistenceId, sequenceNr,
          event == null ? "nothing" : event.getClass().getName());
      return Optional.empty();
    }
    return Optional.of(OutboundEvents.of(persistenceId, sequenceNr, Instant.ofEpochMilli(timestampMillis), event));
  }

  /** Maps a group of journal events and delivers what they make, failing when the sink does not acknowledge. */
  static final class Delivery extends Handler<List<EventEnvelope<Object>>> {
    private final EventSink sink;
    private final Meters meters;
    private final Duration timeout;

    Delivery(EventSink sink, Meters meters, Duration timeout) {
      this.sink = sink;
      this.meters = meters;
      this.timeout = timeout;
    }

    @Override
    public CompletionStage<Done> process(List<EventEnvelope<Object>> envelopes) {
      List<OutboundEvent> events = new ArrayList<>();
      for (EventEnvelope<Object> envelope : envelopes) {
        outbound(envelope.persistenceId(), envelope.sequenceNr(), envelope.timestamp(), envelope.event())
            .ifPresentOrElse(events::addAll, meters.skipped::increment);
      }
      if (events.isEmpty()) {
        return CompletableFuture.completedFuture(Done.getInstance());
      }
      CompletionStage<Done> delivered;
      try {
        delivered = sink.deliver(List.copyOf(events));
      } catch (RuntimeException e) {
        return CompletableFuture.failedFuture(e);
      }
      return delivered.toCompletableFuture().orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS).thenApply(done -> {
        meters.delivered.increment(events.size());
        return done;
      });
    }
  }
}
