package org.coursebatch.persistence.journal;

import akka.actor.ClassicActorSystemProvider;
import io.micrometer.core.instrument.DistributionSummary;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import org.coursebatch.core.concurrent.Continuations;
import org.coursebatch.core.metrics.NodeMeters;
import scala.jdk.javaapi.FutureConverters;
import slick.jdbc.JdbcBackend;

/**
 * What the journal's and the snapshot store's grouped recovery look-ups share (ADR 25): how they
 * are made, how many queries run at once, how many ids one query takes, the meter, and the ids
 * bound as one array. Statements that run on both databases name the tables quoted in lower case,
 * as both schemas create them.
 */
final class RecoveryQueries {

  /** Recovery queries of one store under way at once; look-ups arriving meanwhile share the next. */
  static final int IN_FLIGHT = 2;
  /** Ids one query answers at most, so a crowd of recoveries is answered in parts, first come first. */
  static final int MAX_IDS = 500;

  /** One query for many ids on a connection: what it found, by id; ids with nothing stored left out. */
  interface Find<V> {
    Map<String, V> on(Connection connection, List<String> ids) throws SQLException;
  }

  private RecoveryQueries() {}

  /** Look-ups of {@code store} that share {@code find}'s queries, run as actions of {@code db}. */
  static <V> GroupedLookups<V> grouped(JdbcBackend.DatabaseDef db, ClassicActorSystemProvider system, String store,
      Find<V> find) {
    return new GroupedLookups<>(
        ids -> Continuations.inline(FutureConverters.asJava(SlickActions.run(db, c -> find.on(c, ids)))),
        IN_FLIGHT, MAX_IDS, idsPerQuery(system, store));
  }

  /**
   * Whether {@code persistenceId} may share a query. PostgreSQL refuses a NUL in text, which would
   * fail every look-up sharing the statement; such an id (which the API's checks never let through)
   * is looked up alone, with the plugin's statement, and fails alone.
   */
  static boolean shareable(String persistenceId) {
    return persistenceId.indexOf('\0') < 0;
  }

  /** Ids per recovery query of {@code store} ({@code journal} or {@code snapshot}): its count is the queries. */
  private static DistributionSummary idsPerQuery(ClassicActorSystemProvider system, String store) {
    return DistributionSummary.builder("coursebatch.journal.recovery.ids")
        .description("Persistence ids one recovery query looked up")
        .tag("store", store)
        .register(NodeMeters.registry(system));
  }

  /** {@code statement} with {@code ids} bound to its one parameter, an array of strings. */
  static PreparedStatement withIds(Connection connection, String statement, List<String> ids) throws SQLException {
    PreparedStatement st = connection.prepareStatement(statement);
    try {
      Array array = connection.createArrayOf("varchar", ids.toArray());
      st.setArray(1, array);
      return st;
    } catch (SQLException | RuntimeException e) {
      st.close();
      throw e;
    }
  }
}
