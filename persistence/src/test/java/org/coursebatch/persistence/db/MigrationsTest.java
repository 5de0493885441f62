package org.coursebatch.persistence.db;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import org.coursebatch.persistence.testing.TestDatabases;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

class MigrationsTest {

  static final List<String> TABLES = List.of("event_journal", "event_tag", "snapshot", "durable_state",
      "akka_projection_offset_store", "akka_projection_management", "course_batch", "course_batch_mentor",
      "course_batch_org", "catalog_course", "catalog_certificate_template", "enrollment", "content_state",
      "assessment_attempt", "enrollment_certificate", "user_profile");

  @TempDir
  static Path tmp;

  @TestInstance(TestInstance.Lifecycle.PER_CLASS)
  abstract class Contract {
    DatabaseSettings settings;
    Database db;

    abstract DatabaseSettings fresh();

    @BeforeAll
    void open() {
      settings = fresh();
      db = Database.open(settings);
    }

    @AfterAll
    void close() {
      db.close();
      TestDatabases.dropPostgres(settings);
    }

    @Test
    void createsEveryTableOnceAndRerunningIsANoOp() throws Exception {
      db.migrate();
      try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement()) {
        for (String table : TABLES) {
          // unquoted, so this also proves the names fold to the same lower-case names on both vendors
          try (ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM " + table)) {
            assertTrue(rs.next(), table);
            assertEquals(0, rs.getLong(1), table);
          }
        }
        assertEquals(6, appliedMigrations(st));
      }
      db.migrate();
      try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement()) {
        assertEquals(6, appliedMigrations(st));
      }
    }

    private long appliedMigrations(Statement st) throws Exception {
      try (ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM \"flyway_schema_history\" WHERE \"success\" = TRUE AND \"version\" IS NOT NULL")) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  @Nested
  class OnH2 extends Contract {
    @Override
    DatabaseSettings fresh() {
      return TestDatabases.freshH2(tmp);
    }
  }

  @Nested
  class OnPostgres extends Contract {
    @Override
    DatabaseSettings fresh() {
      return TestDatabases.freshPostgres();
    }
  }
}
