package org.coursebatch.persistence.journal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.coursebatch.persistence.db.DatabaseSettings;
import org.coursebatch.persistence.db.SqlParameters;
import org.coursebatch.persistence.journal.JournalVerifier.Scope;

/**
 * The rows of {@code event_journal} in scopes, counted before a long read of them so that its
 * progress can say how far it is: one {@code COUNT(*)} a scope, on the persistence id alone, the
 * first column of the primary key. One entity is an equality on it. A prefix is the LIKE the
 * readers use, which H2 turns into a range of the key's index; PostgreSQL does so only under the C
 * collation, so there the range is spelled out as well when the database orders text by code point
 * (C, POSIX, C.UTF-8), and under a linguistic collation, where the entities of a prefix need not
 * sit together in the index, the LIKE alone decides. The whole journal is a count of the table.
 */
public final class JournalCounts {

  private static final Pattern CODE_POINT_ORDER = Pattern.compile("(?i)c|posix|c\\.utf-?8");

  private final DataSource dataSource;
  private final DatabaseSettings.Vendor vendor;

  public JournalCounts(DataSource dataSource, DatabaseSettings.Vendor vendor) {
    this.dataSource = dataSource;
    this.vendor = vendor;
  }

  /** Every row, as {@link JournalVerifier} reads them: rows marked deleted included. */
  public long rows(List<Scope> scopes) throws SQLException {
    return count(scopes, true);
  }

  /** The rows the read journal gives ({@code currentEventsByPersistenceId}): rows marked deleted left out. */
  public long events(List<Scope> scopes) throws SQLException {
    return count(scopes, false);
  }

  private long count(List<Scope> scopes, boolean withDeleted) throws SQLException {
    long rows = 0;
    try (Connection c = dataSource.getConnection()) {
      boolean range = codePointOrder(c); // H2 finds the range in the LIKE itself
      for (Scope scope : scopes) {
        List<String> conditions = new ArrayList<>();
        List<Object> values = new ArrayList<>();
        if (scope.persistenceId() != null) {
          conditions.add("\"persistence_id\" = ?");
          values.add(scope.persistenceId());
        } else if (scope.prefix() != null) {
          conditions.add("\"persistence_id\" LIKE ?" + SqlParameters.LIKE_ESCAPE);
          values.add(SqlParameters.startingWith(scope.prefix()));
          if (range) {
            conditions.add("\"persistence_id\" >= ?");
            values.add(scope.prefix());
            String above = above(scope.prefix());
            if (above != null) {
              conditions.add("\"persistence_id\" < ?");
              values.add(above);
            }
          }
        }
        if (!withDeleted) {
          conditions.add("\"deleted\" = FALSE");
        }
        String sql = "SELECT COUNT(*) FROM \"event_journal\""
            + (conditions.isEmpty() ? "" : " WHERE " + String.join(" AND ", conditions));
        try (PreparedStatement ps = c.prepareStatement(sql)) {
          SqlParameters.bindAll(ps, values);
          try (ResultSet rs = ps.executeQuery()) {
            rs.next();
            rows += rs.getLong(1);
          }
        }
      }
    }
    return rows;
  }

  /** The first string after every string that begins with {@code prefix}, by code point; null: none below U+FFFF. */
  static String above(String prefix) {
    char last = prefix.isEmpty() ? Character.MAX_VALUE : prefix.charAt(prefix.length() - 1);
    if (last == Character.MAX_VALUE || Character.isSurrogate(last) || Character.isSurrogate((char) (last + 1))) {
      return null;
    }
    return prefix.substring(0, prefix.length() - 1) + (char) (last + 1);
  }

  private boolean codePointOrder(Connection c) throws SQLException {
    if (vendor != DatabaseSettings.Vendor.POSTGRES) {
      return false;
    }
    try (Statement st = c.createStatement();
         ResultSet rs = st.executeQuery("SELECT datcollate FROM pg_database WHERE datname = current_database()")) {
      return rs.next() && CODE_POINT_ORDER.matcher(rs.getString(1)).matches();
    }
  }
}
