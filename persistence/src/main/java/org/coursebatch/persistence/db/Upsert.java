package org.coursebatch.persistence.db;

import java.util.Set;

/** Insert-or-replace by key, in each database's own syntax (H2 MERGE, PostgreSQL ON CONFLICT). */
public final class Upsert {

  private Upsert() {}

  /**
   * {@code columns} is a comma-separated list that includes the {@code key} column(s) (one, or a
   * comma-separated list for a composite key); parameters follow its order.
   */
  public static String sql(DatabaseSettings.Vendor vendor, String table, String key, String columns) {
    String[] names = columns.split(",\\s*");
    String values = SqlParameters.placeholders(names.length);
    Set<String> keys = Set.of(key.split(",\\s*"));
    return switch (vendor) {
      case H2 -> "MERGE INTO " + table + " (" + columns + ") KEY (" + key + ") VALUES (" + values + ")";
      case POSTGRES -> {
        StringBuilder set = new StringBuilder();
        for (String n : names) {
          if (!keys.contains(n)) {
            set.append(set.length() == 0 ? "" : ", ").append(n).append(" = EXCLUDED.").append(n);
          }
        }
        yield "INSERT INTO " + table + " (" + columns + ") VALUES (" + values + ") ON CONFLICT (" + key
            + ") DO UPDATE SET " + set;
      }
    };
  }
}
