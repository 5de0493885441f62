package org.coursebatch.persistence.projection;

import akka.Done;
import akka.projection.eventsourced.EventEnvelope;
import akka.projection.jdbc.javadsl.JdbcHandler;
import java.sql.Connection;
import java.util.List;
import org.coursebatch.core.journal.ChainedEvent;
import org.coursebatch.persistence.db.Database;
import org.coursebatch.persistence.db.PlainJdbcSession;

/**
 * A read-model handler: writes a group of events, in order, through the session's connection in
 * one transaction with the projection's offset (one commit per group, not per event: a hot batch
 * produces events faster than one commit each could follow). Events come from the journal as
 * stored, most with their hash chain: the handler gets the event itself ({@link ChainedEvent#unwrap}).
 *
 * <p>Run by a projection ({@link TaggedProjections}), an event the handler cannot write is left out
 * and recorded rather than stopping the projection, and the events left out before are retried
 * when it starts ({@link ProjectionFailures}). Unbound (in a test of its own), a failure fails the group.
 */
public abstract class ReadModelHandler<E> extends JdbcHandler<List<EventEnvelope<E>>, PlainJdbcSession> {

  /** Where the running projection keeps what it left out, and how it reads those events again. */
  private record Binding(EventQuarantine quarantine, Database db, EventQuarantine.JournalLookup journal) {}

  private Binding binding;

  /** Binds this handler to the projection instance that runs it; returns it. */
  final ReadModelHandler<E> runBy(EventQuarantine quarantine, Database db, EventQuarantine.JournalLookup journal) {
    this.binding = new Binding(quarantine, db, journal);
    return this;
  }

  /** Retries the events the projection left out before, in a transaction of its own, before its first group. */
  @Override
  public void start() {
    if (binding == null) {
      return;
    }
    try {
      retryLeftOut();
    } catch (Exception e) {
      throw new IllegalStateException("Could not retry the events left out: " + ProjectionFailures.describe(e), e);
    }
  }

  /** Writes again the events the bound projection instance left out, committed together. */
  final EventQuarantine.Retried retryLeftOut() throws Exception {
    try (Connection c = binding.db().dataSource().getConnection()) {
      c.setAutoCommit(false);
      try {
        EventQuarantine.Retried retried = binding.quarantine().retry(c, binding.journal(), this::apply);
        c.commit();
        return retried;
      } catch (Exception e) {
        c.rollback();
        throw e;
      }
    }
  }

  @Override
  @SuppressWarnings("unchecked")
  public final void process(PlainJdbcSession session, List<EventEnvelope<E>> envelopes) throws Exception {
    session.withConnection(connection -> {
      if (binding != null) {
        binding.quarantine().write(connection, envelopes, this::apply);
      } else {
        for (EventEnvelope<E> envelope : envelopes) {
          apply(connection, (E) ChainedEvent.unwrap(envelope.event()));
        }
      }
      return Done.getInstance();
    });
  }

  protected abstract void apply(Connection connection, E event) throws Exception;
}
