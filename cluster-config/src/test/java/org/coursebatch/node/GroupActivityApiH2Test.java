package org.coursebatch.node;

import java.nio.file.Path;
import org.coursebatch.persistence.db.DatabaseSettings;

/** Group activity aggregates on the embedded H2 default (no database configured). */
class GroupActivityApiH2Test extends GroupActivityApiContract {
  @Override
  DatabaseSettings database(Path dataDir) {
    return null;
  }
}
