package org.coursebatch.persistence.journal;

import static org.coursebatch.persistence.journal.ReadJournalOnPostgres.single;
import static org.junit.jupiter.api.Assertions.*;

import akka.persistence.jdbc.db.SlickDatabase;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import org.coursebatch.persistence.db.Database;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import scala.Option;

/**
 * The read journal polls through a pool of its own on PostgreSQL (ADR 12): bounded by its own
 * size, apart from the journal's, and on connections that plan the events-by-tag poll afresh each
 * time, so a poll prepared while the journal was small still reads only the new rows once the
 * journal has grown and nobody has analyzed it.
 */
class ReadJournalPoolPostgresTest {

  /** The events-by-tag statement akka-persistence-jdbc 5.2.1 sends PostgreSQL (Slick's PostgresProfile). */
  static final String POLL = "select x2.x3, x2.x4, x2.x5, x2.x6, x2.x7, x2.x8, x2.x9, x2.x10, x2.x11, x2.x12, x2.x13,"
      + " x2.x14, x2.x15 from (select \"deleted\" as x4, \"meta_ser_id\" as x14, \"meta_ser_manifest\" as x15,"
      + " \"sequence_number\" as x6, \"writer\" as x7, \"event_ser_manifest\" as x12, \"write_timestamp\" as x8,"
      + " \"persistence_id\" as x5, \"adapter_manifest\" as x9, \"ordering\" as x3, \"event_payload\" as x10,"
      + " \"event_ser_id\" as x11, \"meta_payload\" as x13 from \"event_journal\" where \"deleted\" = false) x2,"
      + " \"event_tag\" x16 where ((x16.\"tag\" = $1) and ((x2.x3 > $2) and (x2.x3 <= $3))) and (x2.x3 = x16.\"event_id\")"
      + " order by x2.x3 limit $4";

  /** How many of the newest events the poll asks for: a projection that keeps up. */
  static final int NEW_EVENTS = 20;
  /** The most events one poll returns (the plugin's {@code max-buffer-size}). */
  static final int LIMIT = 500;

  static ReadJournalOnPostgres fixture;
  static Database db;

  @BeforeAll
  static void start() {
    fixture = new ReadJournalOnPostgres("read-journal-pool");
    db = fixture.db;
  }

  @AfterAll
  static void stop() {
    fixture.close();
  }

  private static SlickDatabase pluginDatabase(String plugin) {
    return fixture.pluginDatabase(plugin);
  }

  @Test
  void theReadJournalHasItsOwnBoundedPool() {
    SlickDatabase journal = pluginDatabase("jdbc-journal");
    SlickDatabase readJournal = pluginDatabase("jdbc-read-journal");
    assertNotSame(journal.database(), readJournal.database());
    assertNotSame(journal.database().source(), readJournal.database().source());
    assertEquals(Option.apply(2), readJournal.database().source().maxConnections());
    assertEquals(Option.apply(3), journal.database().source().maxConnections());
    // The snapshot store and durable state still write through the journal's pool.
    assertSame(journal.database(), pluginDatabase("jdbc-snapshot-store").database());
  }

  /**
   * Every pool's connections plan each execution afresh, not only the read journal's: the read
   * models' statements (an enrolment's insert probes the enrolment table) and the journal's went the
   * same way, a plan kept from an empty table scanning it whole as it grew.
   */
  @Test
  void everyPoolPlansEachExecutionAfresh() throws Exception {
    for (String plugin : List.of("jdbc-journal", "jdbc-read-journal")) {
      try (Connection c = pluginDatabase(plugin).database().source().createConnection(); Statement st = c.createStatement()) {
        assertEquals("force_custom_plan", single(st, "SHOW plan_cache_mode"), plugin);
      }
    }
    try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement()) {
      assertEquals("force_custom_plan", single(st, "SHOW plan_cache_mode"), "the read models' pool");
    }
  }

  /**
   * The poll of a projection that keeps up reads the new events' tag rows only, whatever
   * PostgreSQL planned while the journal was small. (The plugin's statement, which the read journal
   * still sends on H2; on PostgreSQL it polls with TagRangeReadJournalDao's, whose catch-up is
   * ReadJournalCatchUpPostgresTest's.)
   */
  @Test
  void aPollPreparedOnASmallJournalReadsOnlyTheNewRowsOnceTheJournalHasGrown() throws Exception {
    fixture.appendTagged(200);
    try (Connection admin = db.dataSource().getConnection(); Statement st = admin.createStatement()) {
      st.execute("ANALYZE event_journal");
      st.execute("ANALYZE event_tag");
    }
    try (Connection poller = pluginDatabase("jdbc-read-journal").database().source().createConnection();
         Statement st = poller.createStatement()) {
      assertEquals("force_custom_plan", single(st, "SHOW plan_cache_mode"));
      st.execute("PREPARE poll(varchar, bigint, bigint, bigint) AS " + POLL);
      // PostgreSQL settles on a generic plan after five executions.
      for (int i = 0; i < 7; i++) {
        st.executeQuery(execute(fixture.newest())).close();
      }
      fixture.appendTagged(20_000); // nobody analyzes: autovacuum is off, or has not come round yet

      JsonNode plan = new ObjectMapper().readTree(single(st, "EXPLAIN (ANALYZE, FORMAT JSON) " + execute(fixture.newest())));
      long read = ReadJournalOnPostgres.rowsRead(plan, "event_tag");
      assertTrue(read <= NEW_EVENTS, "the poll read " + read + " rows of event_tag for " + NEW_EVENTS + " new events: "
          + plan.toPrettyString());
    }
  }

  /** The poll for the events after {@code max - NEW_EVENTS} up to {@code max}. */
  private static String execute(long max) {
    return "EXECUTE poll('enrollment-1', " + (max - NEW_EVENTS) + ", " + max + ", " + LIMIT + ")";
  }
}
