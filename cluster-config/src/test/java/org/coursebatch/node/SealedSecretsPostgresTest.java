package org.coursebatch.node;

import java.nio.file.Path;
import org.coursebatch.persistence.db.DatabaseSettings;
import org.coursebatch.persistence.testing.TestDatabases;

class SealedSecretsPostgresTest extends SealedSecretsContract {
  @Override
  DatabaseSettings database(Path dataDir) {
    return TestDatabases.freshPostgres();
  }
}
