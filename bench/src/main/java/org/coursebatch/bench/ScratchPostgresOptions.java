package org.coursebatch.bench;

import org.coursebatch.persistence.db.DatabaseSettings;
import picocli.CommandLine.Option;

/** The scratch PostgreSQL database a driver without a node fills and measures (its tables are created). */
final class ScratchPostgresOptions {

  @Option(names = "--db-url", required = true, description = "Scratch PostgreSQL database (its tables are created and filled).")
  String url;

  @Option(names = "--db-user", description = "Database user.")
  String user = "postgres";

  @Option(names = "--db-password", description = "Database password.")
  String password = "";

  DatabaseSettings settings(String jdbcUrl, int poolSize) {
    return new DatabaseSettings(DatabaseSettings.Vendor.POSTGRES, jdbcUrl, user, password, poolSize,
        DatabaseSettings.DEFAULT_READ_JOURNAL_POOL_SIZE);
  }
}
