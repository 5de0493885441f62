package org.coursebatch.persistence.journal;

import java.sql.Connection;
import java.sql.SQLException;
import scala.concurrent.Future;
import slick.dbio.DBIOAction;
import slick.jdbc.JdbcBackend;
import slick.jdbc.SimpleJdbcAction;

/** Plain JDBC run as one of a plugin database's actions: on its executor, with one of its connections. */
final class SlickActions {

  /** Work on a connection; an SQLException fails the action with that exception, as the plugin's own do. */
  interface Work<R> {
    R on(Connection connection) throws SQLException;
  }

  private SlickActions() {}

  /** Runs {@code work} on {@code db}. Scala sees the action's effect as any effect; Java, without variance, does not. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  static <R> Future<R> run(JdbcBackend.DatabaseDef db, Work<R> work) {
    SimpleJdbcAction<R> action = SimpleJdbcAction.apply(context -> {
      try {
        return work.on(context.connection());
      } catch (SQLException e) {
        throw SlickActions.<RuntimeException>failWith(e);
      }
    });
    return db.run((DBIOAction) action);
  }

  /** Throws {@code e} itself, unchecked. */
  @SuppressWarnings("unchecked")
  private static <E extends Throwable> E failWith(Throwable e) throws E {
    throw (E) e;
  }
}
