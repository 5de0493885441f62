package org.coursebatch.node;

import java.nio.file.Path;
import org.coursebatch.persistence.db.DatabaseSettings;

/** The API on the embedded H2 default (no database configured). */
class BatchApiH2Test extends BatchApiContract {
  @Override
  DatabaseSettings database(Path dataDir) {
    return null;
  }
}
