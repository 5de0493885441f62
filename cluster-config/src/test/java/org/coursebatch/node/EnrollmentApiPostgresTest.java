package org.coursebatch.node;

import java.nio.file.Path;
import org.coursebatch.persistence.db.DatabaseSettings;
import org.coursebatch.persistence.testing.TestDatabases;

/** Enrolment, progress and certificates on PostgreSQL: BATCH_TEST_PG_URL's server, else an embedded PostgreSQL. */
class EnrollmentApiPostgresTest extends EnrollmentApiContract {
  @Override
  DatabaseSettings database(Path dataDir) {
    return TestDatabases.freshPostgres();
  }
}
