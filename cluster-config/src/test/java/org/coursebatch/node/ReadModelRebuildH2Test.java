package org.coursebatch.node;

import java.nio.file.Path;
import org.coursebatch.persistence.db.DatabaseSettings;

class ReadModelRebuildH2Test extends ReadModelRebuildContract {
  @Override
  DatabaseSettings database(Path dataDir) {
    return null;
  }
}
