package org.coursebatch.persistence.projection;

import akka.persistence.query.Sequence;
import akka.projection.ProjectionId;
import akka.projection.eventsourced.EventEnvelope;
import java.sql.Connection;
import java.sql.Savepoint;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.coursebatch.core.journal.ChainedEvent;
import org.coursebatch.persistence.projection.ProjectionFailures.Failure;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How one projection instance writes its events so that no event stops it (see
 * {@link ProjectionFailures}): a group is written as one piece behind a savepoint; only when it
 * fails for a reason of an event's own is it written again event by event, each behind a savepoint
 * of its own, recording the events that fail and holding back the later events of their entities.
 * The savepoint costs one statement per group, not one per event, on the usual path.
 */
final class EventQuarantine {

  private static final Logger log = LoggerFactory.getLogger(EventQuarantine.class);

  /** Writes one event to the read model (the handler's {@code apply}). */
  @FunctionalInterface
  interface Writer<E> {
    void write(Connection connection, E event) throws Exception;
  }

  /** An event of the journal as a retry reads it again: its sequence number and the event as stored. */
  record StoredEvent(long seqNr, Object event) {}

  /** The events of one persistence id, from {@code fromSeqNr} to {@code toSeqNr}, as stored in the journal. */
  @FunctionalInterface
  interface JournalLookup {
    List<StoredEvent> events(String persistenceId, long fromSeqNr, long toSeqNr) throws Exception;
  }

  private final ProjectionId id;
  private final Clock clock;
  /**
   * Persistence ids with an event left out, each with that event's sequence number: their later
   * events are held back behind it (read at the first group; the projection's thread only).
   */
  private Map<String, Long> held;

  EventQuarantine(ProjectionId id, Clock clock) {
    this.id = id;
    this.clock = clock;
  }

  /** Writes {@code envelopes} in order on {@code c} (in the projection's transaction). */
  <E> void write(Connection c, List<EventEnvelope<E>> envelopes, Writer<E> writer) throws Exception {
    if (held == null) {
      held = new HashMap<>();
      for (Failure f : ProjectionFailures.of(c, id.name(), id.key())) {
        held.merge(f.persistenceId(), f.held() ? f.heldBySeqNr() : f.seqNr(), Math::min);
      }
    }
    if (!holdsAny(envelopes)) {
      Savepoint whole = c.setSavepoint();
      try {
        for (EventEnvelope<E> envelope : envelopes) {
          writer.write(c, unwrap(envelope));
        }
        return;
      } catch (Exception e) {
        if (!ProjectionFailures.causedByEvent(e)) {
          throw e;
        }
        c.rollback(whole);
      }
    }
    for (EventEnvelope<E> envelope : envelopes) {
      String pid = envelope.persistenceId();
      Long failed = held.get(pid);
      if (failed != null) {
        ProjectionFailures.record(c, failure(envelope, null, failed));
        continue;
      }
      Savepoint one = c.setSavepoint();
      try {
        writer.write(c, unwrap(envelope));
      } catch (Exception e) {
        if (!ProjectionFailures.causedByEvent(e)) {
          throw e;
        }
        c.rollback(one);
        Failure failure = failure(envelope, ProjectionFailures.describe(e), null);
        ProjectionFailures.record(c, failure);
        held.put(pid, envelope.sequenceNr());
        log.error("Left out an event its projection cannot write, and hold back the later events of its entity: {}",
            failure.describe());
      }
    }
  }

  /**
   * Writes again, in order, the events this instance left out before, on {@code c} in a transaction
   * the caller commits: each entity's events until one fails again (it and the rest stay recorded).
   * Events no longer in the journal are forgotten.
   */
  <E> Retried retry(Connection c, JournalLookup journal, Writer<E> writer) throws Exception {
    Map<String, List<Failure>> byEntity = new LinkedHashMap<>();
    for (Failure f : ProjectionFailures.of(c, id.name(), id.key())) {
      byEntity.computeIfAbsent(f.persistenceId(), k -> new ArrayList<>()).add(f);
    }
    int written = 0;
    int left = 0;
    for (Map.Entry<String, List<Failure>> entity : byEntity.entrySet()) {
      List<Failure> failures = entity.getValue();
      Map<Long, Object> stored = new LinkedHashMap<>();
      for (StoredEvent e : journal.events(entity.getKey(), failures.get(0).seqNr(), failures.get(failures.size() - 1).seqNr())) {
        stored.put(e.seqNr(), e.event());
      }
      Failure first = null;
      for (Failure f : failures) {
        Object event = stored.get(f.seqNr());
        if (first != null) {
          ProjectionFailures.record(c, new Failure(f.projection(), f.tag(), f.persistenceId(), f.seqNr(), f.ordering(),
              f.eventType(), "", first.seqNr(), f.failedAt()));
          left++;
          continue;
        }
        ProjectionFailures.delete(c, f.projection(), f.tag(), f.persistenceId(), f.seqNr());
        if (event == null) {
          log.warn("Projection {}: the event it left out is no longer in the journal: {}", id.name() + "/" + id.key(), f.describe());
          continue;
        }
        Savepoint one = c.setSavepoint();
        try {
          @SuppressWarnings("unchecked")
          E e = (E) ChainedEvent.unwrap(event);
          writer.write(c, e);
          written++;
        } catch (Exception e) {
          if (!ProjectionFailures.causedByEvent(e)) {
            throw e;
          }
          c.rollback(one);
          first = new Failure(f.projection(), f.tag(), f.persistenceId(), f.seqNr(), f.ordering(), f.eventType(),
              ProjectionFailures.describe(e), null, clock.instant());
          ProjectionFailures.record(c, first);
          left++;
        }
      }
    }
    held = null; // read again with the next group
    if (written > 0 || left > 0) {
      log.info("Projection {} retried the events it left out: {} written, {} still left out",
          id.name() + "/" + id.key(), written, left);
    }
    return new Retried(written, left);
  }

  /** What a retry did: events written now, events still left out. */
  record Retried(int written, int left) {}

  private boolean holdsAny(List<? extends EventEnvelope<?>> envelopes) {
    if (held.isEmpty()) {
      return false;
    }
    for (EventEnvelope<?> envelope : envelopes) {
      if (held.containsKey(envelope.persistenceId())) {
        return true;
      }
    }
    return false;
  }

  private Failure failure(EventEnvelope<?> envelope, String error, Long heldBy) {
    Object event = ChainedEvent.unwrap(envelope.event());
    long ordering = envelope.offset() instanceof Sequence s ? s.value() : 0L;
    return new Failure(id.name(), id.key(), envelope.persistenceId(), envelope.sequenceNr(), ordering,
        event == null ? "null" : event.getClass().getSimpleName(), error == null ? "" : error, heldBy, clock.instant());
  }

  @SuppressWarnings("unchecked")
  private static <E> E unwrap(EventEnvelope<E> envelope) {
    return (E) ChainedEvent.unwrap(envelope.event());
  }
}
