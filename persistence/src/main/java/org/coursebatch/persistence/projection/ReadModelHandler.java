package org.coursebatch.persistence.projection;

import akka.Done;
import akka.projection.eventsourced.EventEnvelope;
import akka.projection.jdbc.javadsl.JdbcHandler;
import java.sql.Connection;
import java.util.List;
import org.coursebatch.core.journal.ChainedEvent;
import org.coursebatch.persistence.db.PlainJdbcSession;

/**
 * A read-model handler: writes a group of events, in order, through the session's connection in
 * one transaction with the projection's offset (one commit per group, not per event: a hot batch
 * produces events faster than one commit each could follow). Events come from the journal as
 * stored, most with their hash chain: the handler gets the event itself ({@link ChainedEvent#unwrap}).
 */
public abstract class ReadModelHandler<E> extends JdbcHandler<List<EventEnvelope<E>>, PlainJdbcSession> {

  @Override
  @SuppressWarnings("unchecked")
  public final void process(PlainJdbcSession session, List<EventEnvelope<E>> envelopes) throws Exception {
    session.withConnection(connection -> {
      for (EventEnvelope<E> envelope : envelopes) {
        Object stored = envelope.event();
        apply(connection, (E) ChainedEvent.unwrap(stored));
      }
      return Done.getInstance();
    });
  }

  protected abstract void apply(Connection connection, E event) throws Exception;
}
