package org.coursebatch.node;

import java.nio.file.Path;
import org.coursebatch.persistence.db.DatabaseSettings;

class EventsOutH2Test extends EventsOutContract {
  @Override
  DatabaseSettings database(Path dataDir) {
    return null;
  }
}
