package org.coursebatch.persistence.journal;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.Connection;
import java.sql.Statement;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The read journal's gap finder (the plugin's JournalSequenceActor) asks, every query delay, for
 * the orderings after the highest one it knows to be gap-free, at most its batch size of them.
 * Every pool plans each execution afresh, and on a journal nobody analyzed PostgreSQL guesses that a
 * third of the table matches: for the plugin's batch of 10,000 it scanned and sorted the whole
 * journal on every query (6.7 ms at 87,000 events, growing with the journal). With the batch size
 * the service configures, it walks the index from the offset at any journal size.
 */
class JournalSequencePostgresTest {

  /** The gap finder's statement in akka-persistence-jdbc 5.2.1 (Slick's PostgresProfile). */
  static final String SEQUENCE =
      "select \"ordering\" from \"event_journal\" where \"ordering\" > $1 order by \"ordering\" limit $2";

  /** How many events arrived since the gap finder's last query: a read journal that keeps up. */
  static final int NEW_EVENTS = 20;

  static ReadJournalOnPostgres fixture;

  @BeforeAll
  static void start() {
    fixture = new ReadJournalOnPostgres("journal-sequence");
  }

  @AfterAll
  static void stop() {
    fixture.close();
  }

  @Test
  void theGapFinderReadsOnlyTheNewOrderingsOfAGrownJournalNobodyAnalyzed() throws Exception {
    fixture.appendTagged(40_000); // never analyzed: autovacuum is off, or has not come round yet
    int batchSize = fixture.plugins.system().settings().config()
        .getInt("jdbc-read-journal.journal-sequence-retrieval.batch-size");
    try (Connection finder = fixture.pluginDatabase("jdbc-read-journal").database().source().createConnection();
         Statement st = finder.createStatement()) {
      st.execute("PREPARE sequence(bigint, bigint) AS " + SEQUENCE);
      long newest = fixture.newest();
      String explain = "EXPLAIN (ANALYZE, FORMAT JSON) EXECUTE sequence(" + (newest - NEW_EVENTS) + ", " + batchSize + ")";
      JsonNode plan = new ObjectMapper().readTree(ReadJournalOnPostgres.single(st, explain));
      long read = ReadJournalOnPostgres.rowsRead(plan, "event_journal");
      assertTrue(read <= NEW_EVENTS, "the gap finder read " + read + " journal rows for " + NEW_EVENTS
          + " new events with a batch of " + batchSize + ": " + plan.toPrettyString());
    }
  }
}
