package org.coursebatch.persistence.db;

import akka.japi.function.Function;
import akka.projection.jdbc.JdbcSession;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * A projection's JDBC session: one pooled connection in a transaction of its own. The projection
 * stores the offset and runs the handler through the same connection, then commits both together.
 */
public final class PlainJdbcSession implements JdbcSession {

  private final Connection connection;

  public PlainJdbcSession(DataSource dataSource) {
    Connection c = null;
    try {
      c = dataSource.getConnection();
      c.setAutoCommit(false);
    } catch (SQLException e) {
      closeQuietly(c);
      throw new IllegalStateException("Could not open a database session", e);
    }
    this.connection = c;
  }

  private static void closeQuietly(Connection c) {
    if (c != null) {
      try {
        c.close();
      } catch (SQLException ignored) {
        // already failing
      }
    }
  }

  @Override
  public <Result> Result withConnection(Function<Connection, Result> func) throws Exception {
    return func.apply(connection);
  }

  @Override
  public void commit() throws SQLException {
    connection.commit();
  }

  @Override
  public void rollback() throws SQLException {
    connection.rollback();
  }

  /** Returns the connection to the pool (which resets auto-commit). */
  @Override
  public void close() throws SQLException {
    connection.close();
  }
}
