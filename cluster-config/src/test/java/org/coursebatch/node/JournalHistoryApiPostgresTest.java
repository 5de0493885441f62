package org.coursebatch.node;

import java.nio.file.Path;
import org.coursebatch.persistence.db.DatabaseSettings;
import org.coursebatch.persistence.testing.TestDatabases;

/** Journal history, states at an instant and the audit commands on PostgreSQL: BATCH_TEST_PG_URL's server, else an embedded PostgreSQL. */
class JournalHistoryApiPostgresTest extends JournalHistoryApiContract {
  @Override
  DatabaseSettings database(Path dataDir) {
    return TestDatabases.freshPostgres();
  }
}
