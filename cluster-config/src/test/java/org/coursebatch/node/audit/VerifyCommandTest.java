package org.coursebatch.node.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.ConfigFactory;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.coursebatch.node.Main;
import org.coursebatch.persistence.db.Database;
import org.coursebatch.persistence.db.DatabaseSettings;
import org.coursebatch.persistence.testing.JournalRows;
import org.coursebatch.persistence.testing.OnBothDatabases;
import org.coursebatch.persistence.testing.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code audit verify} run in-process as the jar runs it, on the database the node settings name:
 * its exit status (0 intact, 1 findings, 2 error), its text and JSON output, and its scopes. The
 * journal is written with SQL (batch B with two learners' enrolments, batch C); the tests that
 * tamper come last.
 */
@OnBothDatabases
class VerifyCommandTest {

  @TempDir
  static Path tmp;

  private static final ObjectMapper JSON = new ObjectMapper();

  record Result(int exit, String out, String err) {}

  @Nested
  @TestInstance(TestInstance.Lifecycle.PER_CLASS)
  @org.junit.jupiter.api.TestMethodOrder(org.junit.jupiter.api.MethodOrderer.OrderAnnotation.class)
  class Contract {
    DatabaseSettings settings;
    Database db;
    Map<String, String> properties;

    /**
     * On H2 the node settings name no database: the command finds the embedded default in the data
     * directory. On PostgreSQL they name a new database of the run.
     */
    @BeforeAll
    void start(TestDatabase database) throws Exception {
      if (database.vendor() == DatabaseSettings.Vendor.H2) {
        Path dataDir = tmp.resolve("node-h2");
        settings = DatabaseSettings.h2File(dataDir);
        properties = Map.of("course-batch.data-dir", dataDir.toString(), "course-batch.db.url", "");
      } else {
        settings = database.fresh();
        properties = Map.of("course-batch.db.url", settings.url(), "course-batch.db.user", settings.user(),
            "course-batch.db.password", settings.password());
      }
      db = Database.open(settings);
      db.migrate();
      JournalRows.insert(db.dataSource(), "CourseBatch|B", 1,
          List.of(JournalRows.reopened("B", "creator"), JournalRows.reopened("B", "mentor"), JournalRows.reopened("B", "x")));
      JournalRows.insert(db.dataSource(), "Enrollment|B:u1", 0, List.of(JournalRows.reopened("B", "u1"), JournalRows.reopened("B", "u1b")));
      JournalRows.insert(db.dataSource(), "Enrollment|B:u2", 0, List.of(JournalRows.reopened("B", "u2"), JournalRows.reopened("B", "u2b")));
      JournalRows.insert(db.dataSource(), "CourseBatch|C", 0, List.of(JournalRows.reopened("C", "creator"), JournalRows.reopened("C", "y")));
    }

    @AfterAll
    void stop() {
      db.close();
    }

    Result audit(String... args) {
      String[] command = new String[args.length + 2];
      command[0] = "audit";
      command[1] = "verify";
      System.arraycopy(args, 0, command, 2, args.length);
      AuditRun run = AuditRun.of(properties, command);
      return new Result(run.exit(), run.out(), run.err());
    }

    @Test
    @org.junit.jupiter.api.Order(1)
    void anIntactJournalExitsZero() {
      Result r = audit();
      assertEquals(0, r.exit(), r::toString);
      assertTrue(r.out().contains("UNCHAINED  CourseBatch|B row 1"), r.out());
      assertTrue(r.out().endsWith("Verified 4 entities, 9 events: intact; 1 events from before the chain are not verifiable\n"),
          r.out());
      ProgressLines.assertAllDone(r.err(), "audit verify", 9, "events");
    }

    @Test
    @org.junit.jupiter.api.Order(2)
    void aBatchIsItsJournalAndItsEnrolmentsInJson() throws Exception {
      Result r = audit("--batch", "B", "--format", "json");
      assertEquals(0, r.exit(), r::toString);
      JsonNode doc = JSON.readTree(r.out());
      assertEquals(3, doc.path("summary").path("entities").asInt(), r.out());
      assertEquals(7, doc.path("summary").path("events").asInt());
      assertTrue(doc.path("summary").path("intact").asBoolean());
      assertEquals(1, doc.path("findings").size());
      assertEquals("UNCHAINED", doc.path("findings").get(0).path("kind").asText());
      ProgressLines.assertAllDone(r.err(), "audit verify", 7, "events");
    }

    @Test
    @org.junit.jupiter.api.Order(3)
    void anUnknownEntityOrTwoScopesAreErrors() {
      Result unknown = audit("--persistence-id", "CourseBatch|nope");
      assertEquals(2, unknown.exit(), unknown::toString);
      assertTrue(unknown.err().contains("no events in the journal for persistence id CourseBatch|nope"), unknown.err());
      ProgressLines.assertAllDone(unknown.err(), "audit verify", 0, "events");
      assertEquals(2, audit("--batch", "B", "--persistence-id", "CourseBatch|B").exit());
      assertEquals(2, audit("--format", "xml").exit());
    }

    @Test
    @org.junit.jupiter.api.Order(4)
    void alteredRowsExitOneAndAreNamed() throws Exception {
      try (Connection c = db.dataSource().getConnection();
           PreparedStatement ps = c.prepareStatement("UPDATE \"event_journal\" SET \"event_payload\" = ?"
               + " WHERE \"persistence_id\" = 'Enrollment|B:u2' AND \"sequence_number\" = 2")) {
        ps.setBytes(1, storedPayload(c).replace("\"u2b\"", "\"someone-else\"").getBytes(StandardCharsets.UTF_8));
        assertEquals(1, ps.executeUpdate());
      }
      Result batch = audit("--batch", "B");
      assertEquals(1, batch.exit(), batch::toString);
      assertTrue(batch.out().contains("ALTERED    Enrollment|B:u2 row 2 (ordering "), batch.out());
      assertTrue(batch.out().endsWith("Verified 3 entities, 7 events: 1 findings (1 altered, 0 deleted, 0 reordered);"
          + " 1 events from before the chain are not verifiable\n"), batch.out());
      Result other = audit("--persistence-id", "CourseBatch|C", "--format", "json");
      assertEquals(0, other.exit(), other::toString);
      Result json = audit("--format", "json");
      assertEquals(1, json.exit());
      assertTrue(JSON.readTree(json.out()).path("summary").path("altered").asInt() >= 1, json.out());
    }

    @Test
    @org.junit.jupiter.api.Order(5)
    void savedHeadsShowADeletedTail() throws Exception {
      Path heads = tmp.resolve("heads-" + settings.vendor() + ".jsonl");
      Result saved = audit("--persistence-id", "CourseBatch|C", "--save-heads", heads.toString());
      assertEquals(0, saved.exit(), saved::toString);
      JsonNode head = JSON.readTree(Files.readString(heads).trim());
      assertEquals("CourseBatch|C", head.path("persistenceId").asText());
      assertEquals(2, head.path("sequenceNr").asInt());
      assertEquals(64, head.path("hash").asText().length());
      try (Connection c = db.dataSource().getConnection();
           PreparedStatement ps = c.prepareStatement("DELETE FROM \"event_journal\""
               + " WHERE \"persistence_id\" = 'CourseBatch|C' AND \"sequence_number\" = 2")) {
        assertEquals(1, ps.executeUpdate());
      }
      Result tail = audit("--persistence-id", "CourseBatch|C");
      assertEquals(0, tail.exit(), "a deleted tail leaves an intact chain");
      ProgressLines.assertAllDone(tail.err(), "audit verify", 1, "events");
      Result checked = audit("--persistence-id", "CourseBatch|C", "--check-heads", heads.toString());
      assertEquals(1, checked.exit(), checked::toString);
      assertTrue(checked.out().startsWith("DELETED    CourseBatch|C row 2: the newest rows are gone: row 2 (the saved head was row 2)"),
          checked.out());
      assertEquals(2, audit("--check-heads", tmp.resolve("no-such-file").toString()).exit());
    }
  }

  private static String storedPayload(Connection c) throws Exception {
    try (PreparedStatement ps = c.prepareStatement("SELECT \"event_payload\" FROM \"event_journal\""
        + " WHERE \"persistence_id\" = 'Enrollment|B:u2' AND \"sequence_number\" = 2");
         var rs = ps.executeQuery()) {
      assertTrue(rs.next());
      return new String(rs.getBytes(1), StandardCharsets.UTF_8);
    }
  }
}
