package org.coursebatch.node;

import java.nio.file.Path;
import org.coursebatch.persistence.db.DatabaseSettings;

/** The user directory on the embedded H2 default (no database configured). */
class UserDirectoryApiH2Test extends UserDirectoryApiContract {
  @Override
  DatabaseSettings database(Path dataDir) {
    return null;
  }
}
