package org.coursebatch.node;

import java.nio.file.Path;
import org.coursebatch.persistence.db.DatabaseSettings;

/** Exhaust reports on the embedded H2 default (no database configured). */
class ExhaustApiH2Test extends ExhaustApiContract {
  @Override
  DatabaseSettings database(Path dataDir) {
    return null;
  }
}
