package org.coursebatch.persistence.projection;

import akka.Done;
import akka.projection.eventsourced.EventEnvelope;
import akka.projection.jdbc.javadsl.JdbcHandler;
import java.sql.Connection;
import org.coursebatch.persistence.db.PlainJdbcSession;

/** A read-model handler: writes each event through the session's connection, in the projection's transaction. */
public abstract class ReadModelHandler<E> extends JdbcHandler<EventEnvelope<E>, PlainJdbcSession> {

  @Override
  public final void process(PlainJdbcSession session, EventEnvelope<E> envelope) throws Exception {
    E event = envelope.event();
    session.withConnection(connection -> {
      apply(connection, event);
      return Done.getInstance();
    });
  }

  protected abstract void apply(Connection connection, E event) throws Exception;
}
