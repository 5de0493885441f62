package org.coursebatch.persistence.journal;

import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.persistence.jdbc.db.SlickDatabase;
import akka.persistence.jdbc.db.SlickExtension;
import akka.persistence.jdbc.db.SlickExtensionImpl;
import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.ConfigFactory;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.coursebatch.persistence.db.Database;
import org.coursebatch.persistence.db.DatabaseSettings;
import org.coursebatch.persistence.testing.TestDatabases;

/**
 * The persistence plugins configured for a fresh PostgreSQL database of their own (migrated), the
 * journal's pool of 3 connections and the read journal's of 2; their databases are built by their
 * provider on first use, and no journal or projection runs. Closing drops the database.
 */
final class ReadJournalOnPostgres implements AutoCloseable {

  final DatabaseSettings settings = TestDatabases.freshPostgres().withMaxPoolSize(3).withReadJournalPoolSize(2);
  final Database db;
  final ActorTestKit plugins;

  ReadJournalOnPostgres(String name) {
    db = Database.open(settings);
    db.migrate();
    plugins = ActorTestKit.create(name, PersistenceConfig.forDatabase(settings).withFallback(ConfigFactory.load()));
  }

  /** The Slick database of {@code plugin} ({@code jdbc-journal}, {@code jdbc-read-journal}, ...). */
  SlickDatabase pluginDatabase(String plugin) {
    SlickExtensionImpl slick = (SlickExtensionImpl) SlickExtension.get(plugins.system().classicSystem());
    return slick.database(plugins.system().settings().config().getConfig(plugin));
  }

  /**
   * Rows of {@code table} the plan's scans of it returned or filtered out, over all their loops; a
   * loop that found nothing (a probe by primary key) counts as one.
   */
  static long rowsRead(JsonNode plan, String table) {
    long rows = 0;
    if (table.equals(plan.path("Relation Name").asText())) {
      long perLoop = plan.path("Actual Rows").asLong() + plan.path("Rows Removed by Filter").asLong();
      rows += Math.max(1, perLoop) * plan.path("Actual Loops").asLong();
    }
    for (JsonNode child : plan) {
      rows += rowsRead(child, table);
    }
    return rows;
  }

  /** Appends {@code n} journal rows, each tagged with one of the eight tags, as the journal writes them. */
  void appendTagged(int n) throws SQLException {
    try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement()) {
      st.executeUpdate("INSERT INTO event_journal (persistence_id, sequence_number, writer, write_timestamp,"
          + " event_ser_id, event_ser_manifest, event_payload)"
          + " SELECT 'Enrollment|poll-' || (last + g), 1, 'test', 0, 1, 'E', convert_to(repeat('x', 100), 'UTF8')"
          + " FROM (SELECT coalesce(max(ordering), 0) AS last FROM event_journal) j, generate_series(1, " + n + ") g");
      st.executeUpdate("INSERT INTO event_tag (event_id, tag)"
          + " SELECT ordering, CASE WHEN ordering % 2 = 0 THEN 'enrollment-' ELSE 'batch-' END || (ordering / 2 % 4)"
          + " FROM event_journal j WHERE NOT EXISTS (SELECT 1 FROM event_tag t WHERE t.event_id = j.ordering)");
    }
  }

  /** The highest ordering of the journal. */
  long newest() throws SQLException {
    try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement()) {
      return Long.parseLong(single(st, "SELECT max(ordering) FROM event_journal"));
    }
  }

  /** The first column of the one row {@code sql} answers. */
  static String single(Statement st, String sql) throws SQLException {
    try (ResultSet rs = st.executeQuery(sql)) {
      assertTrue(rs.next(), sql);
      return rs.getString(1);
    }
  }

  @Override
  public void close() {
    plugins.shutdownTestKit();
    db.close();
    TestDatabases.dropPostgres(settings);
  }
}
