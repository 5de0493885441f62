package org.coursebatch.node;

import java.nio.file.Path;
import org.coursebatch.persistence.db.DatabaseSettings;

/** Bulk enrolment administration on the embedded H2 default (no database configured). */
class BulkEnrollmentApiH2Test extends BulkEnrollmentApiContract {
  @Override
  DatabaseSettings database(Path dataDir) {
    return null;
  }
}
