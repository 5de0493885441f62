package org.coursebatch.node;

import java.nio.file.Path;
import org.coursebatch.persistence.db.DatabaseSettings;
import org.coursebatch.persistence.testing.TestDatabases;

/** Nodes reading their courses from a content service, on PostgreSQL: BATCH_TEST_PG_URL's server, else an embedded PostgreSQL. */
class ContentServiceApiPostgresTest extends ContentServiceApiContract {
  @Override
  DatabaseSettings database(Path dataDir) {
    return TestDatabases.freshPostgres();
  }
}
