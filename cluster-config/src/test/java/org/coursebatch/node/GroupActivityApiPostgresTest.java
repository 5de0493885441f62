package org.coursebatch.node;

import java.nio.file.Path;
import org.coursebatch.persistence.db.DatabaseSettings;
import org.coursebatch.persistence.testing.TestDatabases;

/** Group activity aggregates on PostgreSQL: BATCH_TEST_PG_URL's server, else an embedded PostgreSQL. */
class GroupActivityApiPostgresTest extends GroupActivityApiContract {
  @Override
  DatabaseSettings database(Path dataDir) {
    return TestDatabases.freshPostgres();
  }
}
