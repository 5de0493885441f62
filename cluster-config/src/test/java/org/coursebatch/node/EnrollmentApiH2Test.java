package org.coursebatch.node;

import java.nio.file.Path;
import org.coursebatch.persistence.db.DatabaseSettings;

/** Enrolment, progress and certificates on the embedded H2 default (no database configured). */
class EnrollmentApiH2Test extends EnrollmentApiContract {
  @Override
  DatabaseSettings database(Path dataDir) {
    return null;
  }
}
