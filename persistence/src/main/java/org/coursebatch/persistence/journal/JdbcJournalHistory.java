package org.coursebatch.persistence.journal;

import akka.NotUsed;
import akka.actor.typed.ActorSystem;
import akka.persistence.jdbc.query.javadsl.JdbcReadJournal;
import akka.persistence.query.PersistenceQuery;
import akka.stream.javadsl.Source;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import org.coursebatch.core.history.JournalHistory;
import org.coursebatch.persistence.db.Database;
import org.coursebatch.persistence.db.KeysetPages;
import org.coursebatch.persistence.db.SqlParameters;

/** The journal history over akka-persistence-jdbc's read journal, and the journal's persistence ids. */
public final class JdbcJournalHistory {

  /** Persistence ids read by one query. */
  static final int ID_PAGE_SIZE = 500;

  private JdbcJournalHistory() {}

  /** The history of the journal {@link PersistenceConfig} points the read journal at. */
  public static JournalHistory of(ActorSystem<?> system) {
    return new JournalHistory(system,
        PersistenceQuery.get(system).getReadJournalFor(JdbcReadJournal.class, JdbcReadJournal.Identifier()));
  }

  /**
   * The persistence ids in the journal that begin with {@code prefix}, in order, read page by page
   * ({@link KeysetPages}).
   */
  public static Source<String, NotUsed> persistenceIds(Database db, ActorSystem<?> system, String prefix) {
    String like = SqlParameters.startingWith(prefix);
    String sql = "SELECT DISTINCT persistence_id FROM event_journal WHERE persistence_id LIKE ?" + SqlParameters.LIKE_ESCAPE
        + " AND persistence_id > ? ORDER BY persistence_id LIMIT ?";
    return KeysetPages.<String>of(db, Database.jdbcExecutor(system), ID_PAGE_SIZE, id -> id, (connection, after, size) -> {
      List<String> ids = new ArrayList<>();
      try (PreparedStatement st = connection.prepareStatement(sql)) {
        st.setString(1, like);
        st.setString(2, after);
        st.setInt(3, size);
        try (ResultSet rs = st.executeQuery()) {
          while (rs.next()) {
            ids.add(rs.getString(1));
          }
        }
      }
      return ids;
    }).mapConcat(ids -> ids);
  }
}
