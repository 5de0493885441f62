package org.coursebatch.persistence.db;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * Binds values to a statement's placeholders, the same way for every table: instants as epoch
 * millis, null as SQL NULL. Values are only ever bound, never spliced into the SQL text.
 */
public final class SqlParameters {

  private SqlParameters() {}

  /** The ESCAPE clause that goes with a {@link #startingWith} pattern: {@code column LIKE ? ESCAPE '!'}. */
  public static final String LIKE_ESCAPE = " ESCAPE '!'";

  /** A LIKE pattern for values that begin with {@code prefix}, its wildcards matched as themselves. */
  public static String startingWith(String prefix) {
    return prefix.replace("!", "!!").replace("%", "!%").replace("_", "!_") + "%";
  }

  /** {@code n} placeholders separated by commas, for a VALUES or IN list: {@code ?, ?, ?}. */
  public static String placeholders(int n) {
    return String.join(", ", Collections.nCopies(n, "?"));
  }

  /** Binds {@code values} (nulls allowed) from placeholder 1 on; returns the index of the next placeholder. */
  public static int bindAll(PreparedStatement ps, Object... values) throws SQLException {
    return bindAll(ps, Arrays.asList(values));
  }

  /** As {@link #bindAll(PreparedStatement, Object...)}. */
  public static int bindAll(PreparedStatement ps, List<?> values) throws SQLException {
    int index = 1;
    for (Object value : values) {
      bind(ps, index++, value);
    }
    return index;
  }

  public static void bind(PreparedStatement ps, int index, Object value) throws SQLException {
    if (value == null) {
      ps.setNull(index, Types.NULL);
    } else if (value instanceof String s) {
      ps.setString(index, s);
    } else if (value instanceof Instant t) {
      ps.setLong(index, t.toEpochMilli());
    } else if (value instanceof Long l) {
      ps.setLong(index, l);
    } else if (value instanceof Integer i) {
      ps.setInt(index, i);
    } else if (value instanceof Double d) {
      ps.setDouble(index, d);
    } else if (value instanceof Boolean b) {
      ps.setBoolean(index, b);
    } else {
      throw new IllegalArgumentException("No SQL binding for " + value.getClass());
    }
  }
}
