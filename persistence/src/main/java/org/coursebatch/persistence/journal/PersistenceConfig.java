package org.coursebatch.persistence.journal;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.util.HashMap;
import java.util.Map;
import org.coursebatch.persistence.db.DatabaseSettings;

/**
 * The Akka configuration that points akka-persistence-jdbc (journal, snapshots, read journal,
 * durable state) and akka-projection-jdbc at the service's database. Nothing here creates
 * tables: {@link org.coursebatch.persistence.db.Database#migrate()} owns the schema.
 */
public final class PersistenceConfig {

  private static final String SHARED = "akka-persistence-jdbc.shared-databases.";
  /** The journal's database: the journal, the snapshot store and durable state write through it. */
  static final String WRITE_DB = "slick";
  /** The read journal's own database, so polling projections never take the journal's connections (ADR 12). */
  static final String READ_DB = "read-journal";
  /** Journal write transactions in flight at once (group commit, see below). */
  static final int JOURNAL_WRITES_IN_FLIGHT = 2;
  /** The most orderings one query of the read journal's gap finder returns (the plugin's: 10,000). */
  static final int JOURNAL_SEQUENCE_BATCH = 100;

  private PersistenceConfig() {}

  public static Config forDatabase(DatabaseSettings settings) {
    Map<String, Object> c = new HashMap<>();
    c.put("akka.persistence.journal.plugin", "jdbc-journal");
    c.put("akka.persistence.snapshot-store.plugin", "jdbc-snapshot-store");
    c.put("akka.persistence.state.plugin", "jdbc-durable-state-store");
    // Slick databases (each one HikariCP pool) running their actions on a JournalExecutor rather
    // than Slick 3.4's executor (ADR 5): one shared by the writing plugins, one for the read journal.
    c.put("akka-persistence-jdbc.database-provider-fqcn", JournalDatabaseProvider.class.getName());
    for (String plugin : new String[] {"jdbc-journal", "jdbc-snapshot-store", "jdbc-durable-state-store"}) {
      c.put(plugin + ".use-shared-db", WRITE_DB);
    }
    c.put("jdbc-read-journal.use-shared-db", READ_DB);
    // Recoveries that start together share their look-ups of highest sequence numbers and latest
    // snapshots, a few statements for a crowd of entities rather than two each (ADR 25).
    c.put("jdbc-journal.dao", GroupedRecoveryJournalDao.class.getName());
    c.put("jdbc-snapshot-store.dao", GroupedRecoverySnapshotDao.class.getName());
    if (settings.vendor() == DatabaseSettings.Vendor.POSTGRES) {
      // A poll bounded on event_tag too, so that catching up costs what it reads (ADR 12).
      c.put("jdbc-read-journal.dao", TagRangeReadJournalDao.class.getName());
    }
    database(c, WRITE_DB, settings, settings.maxPoolSize());
    database(c, READ_DB, settings, settings.readJournalPoolSize());

    // Group commit: the journal queues each entity's events and writes what has queued up as one
    // multi-row insert in one transaction, while at most this many transactions are in flight. The
    // plugin's 8 let nearly every event commit alone (a batch only forms when all 8 are busy);
    // with 2, events arriving during a commit share the next one, with no wait added (ADR 15). The
    // queue refuses writes beyond its size (a persist failure), so it holds far more than the
    // entities that may persist at once.
    c.put("jdbc-journal.parallelism", JOURNAL_WRITES_IN_FLIGHT);
    c.put("jdbc-journal.bufferSize", 10_000);

    // Read models follow the journal by polling; the plugin's 1 s (twice: new rows, then the ordering
    // known to be gap-free) let a learner miss their enrolment in the list right after enrolling.
    c.put("jdbc-read-journal.refresh-interval", "200ms");
    c.put("jdbc-read-journal.journal-sequence-retrieval.query-delay", "200ms");
    // The gap finder asks for the orderings after the highest it knows gap-free, at most this many.
    // On a journal nobody analyzed PostgreSQL guesses a third of the table matches: for the plugin's
    // 10,000 it scanned and sorted the whole table on every query, a cost growing with the journal.
    // It walks the index instead once the table has more pages than about three times the batch's
    // rows, so with 100 a scan only happens while the journal is under ~2 MB. A full batch is
    // followed by the next query at once: catching up takes more queries, each one cheap.
    c.put("jdbc-read-journal.journal-sequence-retrieval.batch-size", JOURNAL_SEQUENCE_BATCH);

    boolean h2 = settings.vendor() == DatabaseSettings.Vendor.H2;
    c.put("akka.projection.jdbc.dialect", h2 ? "h2-dialect" : "postgres-dialect");
    // No default in akka-projection-jdbc; one thread per connection of our pool.
    c.put("akka.projection.jdbc.blocking-jdbc-dispatcher.thread-pool-executor.fixed-pool-size", settings.maxPoolSize());
    return ConfigFactory.parseMap(c, "course-batch persistence settings for " + settings.vendor());
  }

  /** The shared database {@code name}: a pool of {@code poolSize} connections. */
  private static void database(Map<String, Object> c, String name, DatabaseSettings settings, int poolSize) {
    String at = SHARED + name + ".";
    boolean h2 = settings.vendor() == DatabaseSettings.Vendor.H2;
    c.put(at + "profile", h2 ? "slick.jdbc.H2Profile$" : "slick.jdbc.PostgresProfile$");
    c.put(at + "db.url", settings.url());
    c.put(at + "db.user", settings.user());
    c.put(at + "db.password", settings.password());
    c.put(at + "db.driver", h2 ? "org.h2.Driver" : "org.postgresql.Driver");
    // Slick wants as many threads as connections.
    c.put(at + "db.numThreads", poolSize);
    c.put(at + "db.maxConnections", poolSize);
    c.put(at + "db.minConnections", Math.min(2, poolSize));
    // The plugin's default waits 3 minutes for a connection; fail fast instead, and reconnect soon
    // after an outage (HikariCP waits at most this long between attempts).
    c.put(at + "db.connectionTimeout", DatabaseSettings.POOL_WAIT_MILLIS);
    c.put(at + "db.validationTimeout", DatabaseSettings.VALIDATION_TIMEOUT_MILLIS);
    c.put(at + "db.properties", settings.driverProperties());
    // The pool's name tags its meters: the journal's, or the read journal's.
    c.put(at + "db.poolName", poolName(name));
  }

  /** The name of a shared database's pool (and executor) in meters and logs. */
  static String poolName(String sharedDatabase) {
    return WRITE_DB.equals(sharedDatabase) ? "journal" : sharedDatabase;
  }
}
