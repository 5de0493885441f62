package org.coursebatch.persistence.journal;

import akka.persistence.jdbc.config.JournalConfig;
import akka.persistence.jdbc.journal.dao.DefaultJournalDao;
import akka.serialization.Serialization;
import akka.stream.Materializer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import scala.concurrent.ExecutionContext;
import scala.concurrent.Future;
import scala.jdk.javaapi.FutureConverters;
import slick.jdbc.H2Profile;
import slick.jdbc.JdbcBackend;
import slick.jdbc.JdbcProfile;

/**
 * The journal's DAO: the plugin's, but an entity's recovery asks for its highest sequence number in
 * a query shared with the other entities recovering at the same time (ADR 25).
 *
 * <p>Same answer as the plugin's: the highest sequence number written for the id, deleted events
 * included (they keep their numbers), 0 for none; like the plugin's, the lower bound Akka passes is
 * not used. The maximum is read per id from the end of the primary key, one index entry each,
 * however many events the entity has: on PostgreSQL in one statement for all ids; on H2, which
 * answers a correlated maximum by scanning the entity's every event (30 ms at 200,000), with the
 * plugin's statement per id, run one after the other in the group's one database action (H2 runs in
 * the node's process: the statements cost no round trips).
 */
public class GroupedRecoveryJournalDao extends DefaultJournalDao {

  /** PostgreSQL: the highest sequence number of each id in the array parameter (none: null). */
  static final String HIGHEST_SEQUENCE_NRS = "SELECT k.id, (SELECT MAX(j.sequence_number) FROM event_journal j"
      + " WHERE j.persistence_id = k.id) FROM UNNEST(?) AS k(id)";
  /** H2: the highest sequence number of one id (none: null), as the plugin asks. */
  static final String HIGHEST_SEQUENCE_NR =
      "SELECT MAX(\"sequence_number\") FROM \"event_journal\" WHERE \"persistence_id\" = ?";

  private final GroupedLookups<Long> highest;

  /** The constructor the journal looks up for {@code jdbc-journal.dao}. */
  public GroupedRecoveryJournalDao(JdbcBackend.DatabaseDef db, JdbcProfile profile, JournalConfig journalConfig,
      Serialization serialization, ExecutionContext ec, Materializer mat) {
    super(db, profile, journalConfig, serialization, ec, mat);
    this.highest = RecoveryQueries.grouped(db, mat.system(), "journal", profile instanceof H2Profile
        ? GroupedRecoveryJournalDao::highestSequenceNrsOneByOne
        : GroupedRecoveryJournalDao::highestSequenceNrs);
  }

  @Override
  public Future<Object> highestSequenceNr(String persistenceId, long fromSequenceNr) {
    if (!RecoveryQueries.shareable(persistenceId)) {
      return super.highestSequenceNr(persistenceId, fromSequenceNr);
    }
    return FutureConverters.asScala(highest.lookUp(persistenceId).thenApply(found -> (Object) found.orElse(0L)));
  }

  /** The highest sequence number of each id that has events, in one statement (PostgreSQL). */
  static Map<String, Long> highestSequenceNrs(Connection connection, List<String> ids) throws SQLException {
    Map<String, Long> found = new HashMap<>();
    try (PreparedStatement st = RecoveryQueries.withIds(connection, HIGHEST_SEQUENCE_NRS, ids);
        ResultSet rs = st.executeQuery()) {
      while (rs.next()) {
        long highest = rs.getLong(2);
        if (!rs.wasNull()) {
          found.put(rs.getString(1), highest);
        }
      }
    }
    return found;
  }

  /** The highest sequence number of each id that has events, a statement each (H2). */
  static Map<String, Long> highestSequenceNrsOneByOne(Connection connection, List<String> ids) throws SQLException {
    Map<String, Long> found = new HashMap<>();
    try (PreparedStatement st = connection.prepareStatement(HIGHEST_SEQUENCE_NR)) {
      for (String id : ids) {
        st.setString(1, id);
        try (ResultSet rs = st.executeQuery()) {
          if (rs.next()) {
            long highest = rs.getLong(1);
            if (!rs.wasNull()) {
              found.put(id, highest);
            }
          }
        }
      }
    }
    return found;
  }
}
