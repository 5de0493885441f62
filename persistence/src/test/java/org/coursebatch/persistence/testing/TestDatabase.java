package org.coursebatch.persistence.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.coursebatch.persistence.db.DatabaseSettings;
import org.coursebatch.persistence.db.DatabaseSettings.Vendor;

/**
 * The database one run of an {@link OnBothDatabases} class is on: it makes fresh, empty databases of
 * its vendor ({@link TestDatabases}) and removes them all once the run is over.
 */
public final class TestDatabase implements AutoCloseable {

  private final Vendor vendor;
  private final List<DatabaseSettings> made = new ArrayList<>();
  private Path h2Dir;

  TestDatabase(Vendor vendor) {
    this.vendor = vendor;
  }

  public Vendor vendor() {
    return vendor;
  }

  /** A new, empty database; dropped (PostgreSQL) or deleted (H2) when the run is over. */
  public synchronized DatabaseSettings fresh() {
    DatabaseSettings settings = switch (vendor) {
      case H2 -> TestDatabases.freshH2(h2Dir());
      case POSTGRES -> TestDatabases.freshPostgres();
    };
    made.add(settings);
    return settings;
  }

  private Path h2Dir() {
    if (h2Dir == null) {
      try {
        h2Dir = Files.createTempDirectory("cb-test-h2-");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return h2Dir;
  }

  /** The name a run's tests show: which database they ran on. */
  @Override
  public String toString() {
    return switch (vendor) {
      case H2 -> "H2";
      case POSTGRES -> "PostgreSQL";
    };
  }

  /** Best effort, as a temporary directory's removal: what is left behind is harmless. */
  @Override
  public synchronized void close() {
    made.forEach(TestDatabases::dropPostgres);
    made.clear();
    if (h2Dir != null) {
      try (Stream<Path> files = Files.walk(h2Dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      } catch (IOException | UncheckedIOException e) {
        // a leftover directory under the system's temporary directory is harmless
      }
      h2Dir = null;
    }
  }
}
