package org.coursebatch.persistence.projection;

import static org.junit.jupiter.api.Assertions.*;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import org.coursebatch.persistence.db.Database;
import org.coursebatch.persistence.db.DatabaseSettings;
import org.coursebatch.persistence.journal.PersistenceConfig;
import org.coursebatch.persistence.testing.JournalRows;
import org.coursebatch.persistence.testing.TestDatabases;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A rebuild whose projection writes nothing gives up after its stall time instead of waiting, and
 * says where it stands: the projections behind, with the offset each stored, and the journal
 * executor's state.
 */
class ReadModelRebuildStallTest {

  @TempDir
  Path tmp;

  DatabaseSettings settings;
  Database db;
  ActorTestKit testKit;

  @BeforeEach
  void start() throws Exception {
    settings = TestDatabases.freshH2(tmp);
    db = Database.open(settings);
    db.migrate();
    JournalRows.insert(db.dataSource(), "CourseBatch|B1", 0,
        List.of(JournalRows.reopened("B1", "a"), JournalRows.reopened("B1", "b"), JournalRows.reopened("B1", "c")));
    try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement()) {
      st.executeUpdate("INSERT INTO event_tag (event_id, tag) SELECT ordering, 'slow-0' FROM event_journal");
    }
    testKit = ActorTestKit.create("rebuild-stall",
        PersistenceConfig.forDatabase(settings).withFallback(ConfigFactory.load()));
  }

  @AfterEach
  void stop() {
    testKit.shutdownTestKit();
    db.close();
  }

  /** A read model whose handler takes far longer than the rebuild waits for an event. */
  static ReadModel<Object> slowModel() {
    return new ReadModel<>("slow-model", List.of("slow-0"), List.of(), (mapper, vendor) -> new ReadModelHandler<>() {
      @Override
      protected void apply(Connection connection, Object event) throws Exception {
        Thread.sleep(1_500);
      }
    });
  }

  @Test
  void aRebuildThatWritesNothingFailsNamingTheProjectionsBehind() {
    var rebuild = new ReadModelRebuild(testKit.system(), db, List.of(slowModel()), Duration.ofSeconds(1));
    var failure = assertThrows(IllegalStateException.class, () -> rebuild.run((done, total, elapsed) -> {}));
    String message = failure.getMessage();
    assertTrue(message.startsWith("The rebuild wrote no event for 1 s; 0 of 3 events were written;"
        + " behind: [slow-model/slow-0 at offset 0 of 3]; ["), message);
    // The rebuild reads the journal through the read journal's pool.
    assertTrue(message.contains("journal-db-read-journal: "), message);
    assertTrue(message.contains("connections held"), message);
  }
}
