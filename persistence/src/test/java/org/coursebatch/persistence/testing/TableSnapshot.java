package org.coursebatch.persistence.testing;

import java.sql.Blob;
import java.sql.Clob;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * Every row and column of a table, ordered and keyed by its primary key, to compare a table with
 * itself at another time ({@link #differences}). Values are as JDBC gives them, text LOBs as strings, binary ones as hex.
 */
public record TableSnapshot(String table, List<String> columns, List<String> key, Map<List<Object>, List<Object>> rows) {

  /** Snapshots of these tables through {@code c} (so a test can look inside a transaction it rolls back). */
  public static Map<String, TableSnapshot> of(Connection c, List<String> tables) throws SQLException {
    Map<String, TableSnapshot> out = new LinkedHashMap<>();
    for (String table : tables) {
      out.put(table, of(c, table, Set.of()));
    }
    return out;
  }

  /** One table without the {@code ignored} columns (e.g. a timestamp its writer takes from the clock). */
  public static TableSnapshot of(Connection c, String table, Set<String> ignored) throws SQLException {
    List<String> key = primaryKey(c.getMetaData(), table);
    if (key.isEmpty()) {
      throw new IllegalArgumentException(table + " has no primary key");
    }
    List<String> columns = new ArrayList<>();
    Map<List<Object>, List<Object>> rows = new LinkedHashMap<>();
    // Table and column names come from the test and the database's own metadata.
    try (Statement st = c.createStatement();
         ResultSet rs = st.executeQuery("SELECT * FROM " + table + " ORDER BY " + String.join(", ", key))) {
      ResultSetMetaData md = rs.getMetaData();
      List<Integer> kept = new ArrayList<>();
      for (int i = 1; i <= md.getColumnCount(); i++) {
        String name = md.getColumnLabel(i).toLowerCase(java.util.Locale.ROOT);
        if (!ignored.contains(name)) {
          columns.add(name);
          kept.add(i);
        }
      }
      while (rs.next()) {
        List<Object> row = new ArrayList<>();
        for (int i : kept) {
          row.add(value(rs.getObject(i)));
        }
        List<Object> k = new ArrayList<>();
        for (String column : key) {
          k.add(value(rs.getObject(column)));
        }
        rows.put(k, row);
      }
    }
    return new TableSnapshot(table, columns, key, rows);
  }

  private static List<String> primaryKey(DatabaseMetaData md, String table) throws SQLException {
    Map<Integer, String> bySeq = new TreeMap<>();
    try (ResultSet rs = md.getPrimaryKeys(null, null, table)) {
      while (rs.next()) {
        bySeq.put(rs.getInt("KEY_SEQ"), rs.getString("COLUMN_NAME").toLowerCase(java.util.Locale.ROOT));
      }
    }
    return new ArrayList<>(bySeq.values());
  }

  /** Large values (H2 gives TEXT and BYTEA columns as LOBs) by their content. */
  private static Object value(Object v) throws SQLException {
    if (v instanceof Clob clob) {
      return clob.getSubString(1, (int) clob.length());
    }
    if (v instanceof Blob blob) {
      v = blob.getBytes(1, (int) blob.length());
    }
    return v instanceof byte[] bytes ? "0x" + HexFormat.of().formatHex(bytes) : v;
  }

  public int size() {
    return rows.size();
  }

  /** The values of one column, in key order. */
  public List<Object> column(String name) {
    int i = columns.indexOf(name);
    if (i < 0) {
      throw new IllegalArgumentException(table + " has no column " + name);
    }
    return rows.values().stream().map(r -> r.get(i)).toList();
  }

  /**
   * Every difference between two snapshots of the same tables, one line each: a row only before,
   * a row only after, or a column of a row whose value changed. Empty when they are equal row for row.
   */
  public static List<String> differences(Map<String, TableSnapshot> before, Map<String, TableSnapshot> after) {
    List<String> out = new ArrayList<>();
    if (!before.keySet().equals(after.keySet())) {
      out.add("tables differ: " + before.keySet() + " before, " + after.keySet() + " after");
    }
    for (String table : before.keySet()) {
      TableSnapshot b = before.get(table);
      TableSnapshot a = after.get(table);
      if (a == null) {
        continue;
      }
      if (!b.columns.equals(a.columns)) {
        out.add(table + ": columns " + b.columns + " before, " + a.columns + " after");
        continue;
      }
      b.rows.forEach((key, row) -> {
        List<Object> other = a.rows.get(key);
        if (other == null) {
          out.add(table + " " + key + ": row gone: " + row);
        } else {
          for (int i = 0; i < row.size(); i++) {
            if (!Objects.equals(row.get(i), other.get(i))) {
              out.add(table + " " + key + ": " + b.columns.get(i) + " was " + row.get(i) + ", is " + other.get(i));
            }
          }
        }
      });
      a.rows.forEach((key, row) -> {
        if (!b.rows.containsKey(key)) {
          out.add(table + " " + key + ": row added: " + row);
        }
      });
    }
    return out;
  }
}
