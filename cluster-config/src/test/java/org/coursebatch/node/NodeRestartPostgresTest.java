package org.coursebatch.node;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.coursebatch.persistence.db.DatabaseSettings;
import org.coursebatch.persistence.testing.TestDatabases;
import org.junit.jupiter.api.AfterAll;

class NodeRestartPostgresTest extends NodeRestartContract {

  /** Each test's database, dropped when the class is done. */
  private static final List<DatabaseSettings> CREATED = new CopyOnWriteArrayList<>();

  @Override
  DatabaseSettings database(Path dataDir) {
    DatabaseSettings db = TestDatabases.freshPostgres();
    CREATED.add(db);
    return db;
  }

  @AfterAll
  static void dropDatabases() {
    CREATED.forEach(TestDatabases::dropPostgres);
  }
}
