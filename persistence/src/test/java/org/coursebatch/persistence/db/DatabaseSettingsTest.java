package org.coursebatch.persistence.db;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import java.sql.BatchUpdateException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import org.coursebatch.persistence.db.DatabaseSettings.Vendor;
import org.coursebatch.persistence.journal.PersistenceConfig;
import org.coursebatch.persistence.testing.TestDatabases;
import org.junit.jupiter.api.Test;

class DatabaseSettingsTest {

  @Test
  void detectsTheVendorFromTheUrl() {
    assertEquals(Vendor.POSTGRES, DatabaseSettings.of("jdbc:postgresql://db:5432/batches", "u", "p").vendor());
    assertEquals(Vendor.H2, DatabaseSettings.of("jdbc:h2:mem:x", "sa", "").vendor());
    var error = assertThrows(IllegalArgumentException.class, () -> DatabaseSettings.of("jdbc:mysql://db/x", "u", "p"));
    assertTrue(error.getMessage().contains("jdbc:mysql://db/x"), error.getMessage());
    assertTrue(error.getMessage().contains("jdbc:postgresql:"), error.getMessage());
  }

  @Test
  void h2FileLivesInTheDataDirectory() {
    DatabaseSettings s = DatabaseSettings.h2File(Path.of("some", "dir"));
    assertEquals(Vendor.H2, s.vendor());
    String expected = "jdbc:h2:file:" + Path.of("some", "dir").toAbsolutePath().toString().replace('\\', '/') + "/course-batch;";
    assertTrue(s.url().startsWith(expected), s.url());
    assertTrue(s.url().contains("DB_CLOSE_DELAY=-1"), s.url());
    assertTrue(s.url().contains("WRITE_DELAY=0"), "commits are written before they are acknowledged: " + s.url());
    assertEquals("sa", s.user());
    assertEquals("", s.password());
    assertEquals(10, s.maxPoolSize());
  }

  @Test
  void poolSizeCanChangeAndToStringHidesThePassword() {
    DatabaseSettings s = DatabaseSettings.of("jdbc:postgresql://db/x", "svc", "s3cr3t-pw").withMaxPoolSize(3);
    assertEquals(3, s.maxPoolSize());
    assertEquals("s3cr3t-pw", s.password());
    assertFalse(s.toString().contains("s3cr3t-pw"), s.toString());
    assertTrue(s.toString().contains("svc"), s.toString());
    assertThrows(IllegalArgumentException.class, () -> s.withMaxPoolSize(0));
    assertEquals(DatabaseSettings.DEFAULT_READ_JOURNAL_POOL_SIZE, s.readJournalPoolSize());
    assertEquals(2, s.withReadJournalPoolSize(2).readJournalPoolSize());
    assertThrows(IllegalArgumentException.class, () -> s.withReadJournalPoolSize(0));
  }

  @Test
  void akkaConfigPointsEveryPluginAtTheDatabase() {
    var pg = PersistenceConfig.forDatabase(DatabaseSettings.of("jdbc:postgresql://db/x", "svc", "pw").withMaxPoolSize(7)
        .withReadJournalPoolSize(3));
    assertEquals("jdbc-journal", pg.getString("akka.persistence.journal.plugin"));
    assertEquals("jdbc-snapshot-store", pg.getString("akka.persistence.snapshot-store.plugin"));
    assertEquals("jdbc-durable-state-store", pg.getString("akka.persistence.state.plugin"));
    for (String plugin : new String[] {"jdbc-journal", "jdbc-snapshot-store", "jdbc-durable-state-store"}) {
      assertEquals("slick", pg.getString(plugin + ".use-shared-db"), plugin);
    }
    // The read journal polls through a pool of its own, bounded by its own size.
    assertEquals("read-journal", pg.getString("jdbc-read-journal.use-shared-db"));
    String read = "akka-persistence-jdbc.shared-databases.read-journal.db.";
    assertEquals("jdbc:postgresql://db/x", pg.getString(read + "url"));
    assertEquals(3, pg.getInt(read + "maxConnections"));
    assertEquals(3, pg.getInt(read + "numThreads"));
    assertEquals("-c plan_cache_mode=force_custom_plan", pg.getString(read + "properties.options"));
    assertEquals("false", pg.getString(read + "properties.logServerErrorDetail"));
    // Every pool plans each execution afresh: a plan kept from when the tables were small scans them.
    assertEquals("-c plan_cache_mode=force_custom_plan", pg.getString("akka-persistence-jdbc.shared-databases.slick.db.properties.options"));
    assertEquals("slick.jdbc.PostgresProfile$", pg.getString("akka-persistence-jdbc.shared-databases.slick.profile"));
    assertEquals("jdbc:postgresql://db/x", pg.getString("akka-persistence-jdbc.shared-databases.slick.db.url"));
    assertEquals("pw", pg.getString("akka-persistence-jdbc.shared-databases.slick.db.password"));
    assertEquals(7, pg.getInt("akka-persistence-jdbc.shared-databases.slick.db.maxConnections"));
    assertEquals(7, pg.getInt("akka-persistence-jdbc.shared-databases.slick.db.numThreads"));
    assertEquals(2000, pg.getInt("akka-persistence-jdbc.shared-databases.slick.db.connectionTimeout"));
    assertEquals("false", pg.getString("akka-persistence-jdbc.shared-databases.slick.db.properties.logServerErrorDetail"));
    assertEquals("5", pg.getString("akka-persistence-jdbc.shared-databases.slick.db.properties.loginTimeout"));
    assertEquals("postgres-dialect", pg.getString("akka.projection.jdbc.dialect"));
    assertEquals(7, pg.getInt("akka.projection.jdbc.blocking-jdbc-dispatcher.thread-pool-executor.fixed-pool-size"));

    var h2 = PersistenceConfig.forDatabase(DatabaseSettings.h2File(Path.of("x")));
    assertEquals("slick.jdbc.H2Profile$", h2.getString("akka-persistence-jdbc.shared-databases.slick.profile"));
    assertEquals("org.h2.Driver", h2.getString("akka-persistence-jdbc.shared-databases.slick.db.driver"));
    assertEquals("h2-dialect", h2.getString("akka.projection.jdbc.dialect"));
    assertEquals("slick.jdbc.H2Profile$", h2.getString("akka-persistence-jdbc.shared-databases.read-journal.profile"));
    assertEquals(DatabaseSettings.DEFAULT_READ_JOURNAL_POOL_SIZE,
        h2.getInt("akka-persistence-jdbc.shared-databases.read-journal.db.maxConnections"));
    assertFalse(h2.hasPath("akka-persistence-jdbc.shared-databases.read-journal.db.properties.options"));
  }

  /**
   * PostgreSQL's errors name neither a failing batch's statement with its values nor the row the
   * server complains about, so a logged failure carries no data.
   */
  @Test
  void postgresErrorsQuoteNoStatementAndNoData() throws Exception {
    DatabaseSettings settings = TestDatabases.freshPostgres();
    try (Database db = Database.open(settings); Connection c = db.dataSource().getConnection();
         Statement st = c.createStatement()) {
      st.execute("CREATE TABLE learner_secret (id VARCHAR(40) PRIMARY KEY)");
      try (PreparedStatement insert = c.prepareStatement("INSERT INTO learner_secret (id) VALUES (?)")) {
        for (String id : new String[] {"secret-value-1", "secret-value-1"}) {
          insert.setString(1, id);
          insert.addBatch();
        }
        BatchUpdateException failed = assertThrows(BatchUpdateException.class, insert::executeBatch);
        StringBuilder messages = new StringBuilder();
        for (Throwable t : failed) {
          messages.append(t.getMessage()).append('\n');
        }
        assertEquals("23505", failed.getSQLState(), messages.toString());
        assertFalse(messages.toString().contains("secret-value-1"), messages.toString());
        assertFalse(messages.toString().toUpperCase(java.util.Locale.ROOT).contains("INSERT"), messages.toString());
      }
    } finally {
      TestDatabases.dropPostgres(settings);
    }
  }
}
