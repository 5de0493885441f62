package org.coursebatch.node;

import java.nio.file.Path;
import org.coursebatch.persistence.db.DatabaseSettings;

class NodeRestartH2Test extends NodeRestartContract {
  @Override
  DatabaseSettings database(Path dataDir) {
    return null;
  }
}
