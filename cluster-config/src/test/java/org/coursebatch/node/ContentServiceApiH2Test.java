package org.coursebatch.node;

import java.nio.file.Path;
import org.coursebatch.persistence.db.DatabaseSettings;

/** Nodes reading their courses from a content service, on the embedded H2 default (no database configured). */
class ContentServiceApiH2Test extends ContentServiceApiContract {
  @Override
  DatabaseSettings database(Path dataDir) {
    return null;
  }
}
