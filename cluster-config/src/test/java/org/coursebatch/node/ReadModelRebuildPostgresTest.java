package org.coursebatch.node;

import java.nio.file.Path;
import org.coursebatch.persistence.db.DatabaseSettings;
import org.coursebatch.persistence.testing.TestDatabases;

/** The database is dropped by {@link NodeApiContract#stopNode()}. */
class ReadModelRebuildPostgresTest extends ReadModelRebuildContract {
  @Override
  DatabaseSettings database(Path dataDir) {
    return TestDatabases.freshPostgres();
  }
}
