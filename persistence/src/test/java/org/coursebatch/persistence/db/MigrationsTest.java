package org.coursebatch.persistence.db;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.coursebatch.persistence.testing.OnBothDatabases;
import org.coursebatch.persistence.testing.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

@OnBothDatabases
class MigrationsTest {

  static final List<String> TABLES = List.of("event_journal", "event_tag", "snapshot", "durable_state",
      "akka_projection_offset_store", "akka_projection_management", "course_batch", "course_batch_mentor",
      "course_batch_org", "catalog_course", "catalog_certificate_template", "enrollment", "content_state",
      "assessment_attempt", "enrollment_certificate", "user_profile", "service_secret", "user_consent",
      "learner_group", "learner_group_member", "exhaust_job", "exhaust_file_chunk", "projection_failure");

  @TempDir
  static Path tmp;

  @Nested
  @TestInstance(TestInstance.Lifecycle.PER_CLASS)
  class Contract {
    DatabaseSettings settings;
    Database db;

    @BeforeAll
    void open(TestDatabase database) {
      settings = database.fresh();
      db = Database.open(settings);
    }

    @AfterAll
    void close() {
      db.close();
    }

    /**
     * A database migrated when every script was in its vendor's tree (before the common tree, ADR 21)
     * is current for the trees as they are: the scripts moved unchanged, so their checksums match.
     */
    @Test
    void aSchemaMigratedFromOneTreePerVendorIsCurrent(TestDatabase database) throws Exception {
      Path oneTree = Files.createTempDirectory(tmp, "one-tree");
      for (Path script : scripts()) {
        Files.copy(script, oneTree.resolve(script.getFileName()));
      }
      DatabaseSettings older = database.fresh();
      try (Database before = Database.open(older)) {
        Database.migrations(older.vendor()).locations("filesystem:" + oneTree).dataSource(before.dataSource()).load().migrate();
        var now = Database.migrations(older.vendor()).dataSource(before.dataSource()).load();
        now.validate(); // throws on a checksum or a script it cannot find
        assertEquals(0, now.migrate().migrationsExecuted);
      }
    }

    /** The list above is every table the migrations create: a new one cannot be left out of it. */
    @Test
    void theTablesCheckedAreTheTablesTheMigrationsCreate() throws Exception {
      Set<String> created = new TreeSet<>();
      Pattern create = Pattern.compile(
          "CREATE TABLE (?:IF NOT EXISTS )?\"?([a-z_]+)\"?", Pattern.CASE_INSENSITIVE);
      {
        for (Path f : scripts()) {
          var m = create.matcher(Files.readString(f));
          while (m.find()) {
            created.add(m.group(1).toLowerCase(Locale.ROOT));
          }
        }
      }
      assertEquals(created, new TreeSet<>(TABLES));
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
        assertEquals(migrationFiles(), appliedMigrations(st));
      }
      db.migrate();
      try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement()) {
        assertEquals(migrationFiles(), appliedMigrations(st));
      }
    }

    /** Enrolments recorded before V7 are each the learner's first; those who left, left at the row's last event at the latest. */
    @Test
    void enrolmentsOfEarlierVersionsAreTheFirstIncarnation(TestDatabase database) throws Exception {
      DatabaseSettings older = database.fresh();
      try (Database before = Database.open(older)) {
        Database.migrations(older.vendor()).dataSource(before.dataSource()).target("6").load().migrate();
        try (Connection c = before.dataSource().getConnection(); Statement st = c.createStatement()) {
          for (String[] row : new String[][] {{"u1", "NONE"}, {"u2", "ACTIVE"}, {"u3", "WAITLISTED"}, {"u4", "INACTIVE"}}) {
            st.executeUpdate("INSERT INTO enrollment (batch_id, user_id, participation, invited, progress,"
                + " completion_percentage, status, updated_at) VALUES ('B1', '" + row[0] + "', '" + row[1] + "', FALSE,"
                + " 0, 0, 0, 1000)");
          }
        }
        before.migrate();
        try (Connection c = before.dataSource().getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT user_id, incarnation, left_on FROM enrollment ORDER BY user_id")) {
          List<String> rows = new java.util.ArrayList<>();
          while (rs.next()) {
            rows.add(rs.getString(1) + " " + rs.getInt(2) + " " + rs.getString(3));
          }
          assertEquals(List.of("u1 0 null", "u2 1 null", "u3 1 null", "u4 1 1000"), rows);
        }
      }
    }

    /** The migrations of this vendor on the class path: every one of them is applied. */
    private long migrationFiles() throws Exception {
      return scripts().size();
    }

    /** The scripts this vendor's migrations run: the common tree's and its own. */
    private List<Path> scripts() throws Exception {
      List<Path> scripts = new java.util.ArrayList<>();
      for (String dir : List.of("common", settings.vendor() == DatabaseSettings.Vendor.H2 ? "h2" : "postgresql")) {
        try (var files = Files.list(Path.of(getClass().getClassLoader().getResource("db/migration/" + dir).toURI()))) {
          files.filter(f -> f.getFileName().toString().matches("V\\d+__.*\\.sql")).forEach(scripts::add);
        }
      }
      return scripts;
    }

    private long appliedMigrations(Statement st) throws Exception {
      try (ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM \"flyway_schema_history\" WHERE \"success\" = TRUE AND \"version\" IS NOT NULL")) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }
}
