package org.coursebatch.bench;

import picocli.CommandLine.Option;

/** The database a load driver's node uses: PostgreSQL when {@code --db-url} is given, else embedded H2. */
final class DatabaseOptions {

  @Option(names = "--db-url", description = "PostgreSQL JDBC URL; empty: embedded H2 in a temporary directory.")
  String url = "";

  @Option(names = "--db-user", description = "Database user.")
  String user = "";

  @Option(names = "--db-password", description = "Database password.")
  String password = "";

  boolean isH2() {
    return url.isEmpty();
  }

  String describe() {
    return isH2() ? "H2" : url;
  }
}
