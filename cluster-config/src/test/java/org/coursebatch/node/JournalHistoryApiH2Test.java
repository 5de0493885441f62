package org.coursebatch.node;

import java.nio.file.Path;
import org.coursebatch.persistence.db.DatabaseSettings;

/** Journal history, states at an instant and the audit commands on the embedded H2 default. */
class JournalHistoryApiH2Test extends JournalHistoryApiContract {
  @Override
  DatabaseSettings database(Path dataDir) {
    return null;
  }
}
