package org.coursebatch.persistence.db;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * Where the service's database is: the journal, the projection offsets and the read models all
 * live in this one database.
 *
 * @param maxPoolSize the connections of the journal's pool, and of the read models' pool
 * @param readJournalPoolSize the connections of the read journal's own pool, which the projections
 *     follow the journal with (ADR 12)
 */
public record DatabaseSettings(Vendor vendor, String url, String user, String password, int maxPoolSize,
    int readJournalPoolSize) {

  public static final int DEFAULT_MAX_POOL_SIZE = 10;
  /** Eight projections poll every 200 ms for about a tenth of a millisecond each: a few connections are plenty. */
  public static final int DEFAULT_READ_JOURNAL_POOL_SIZE = 4;

  public enum Vendor { H2, POSTGRES }

  public DatabaseSettings {
    Objects.requireNonNull(vendor, "vendor");
    Objects.requireNonNull(url, "url");
    user = user == null ? "" : user;
    password = password == null ? "" : password;
    if (maxPoolSize < 1) {
      throw new IllegalArgumentException("maxPoolSize must be at least 1, was " + maxPoolSize);
    }
    if (readJournalPoolSize < 1) {
      throw new IllegalArgumentException("readJournalPoolSize must be at least 1, was " + readJournalPoolSize);
    }
  }

  /**
   * An embedded H2 file database in {@code dataDir}. H2 runs in its regular mode: the
   * akka-persistence-jdbc H2 schema and Slick's H2 profile expect it. Unquoted names are folded to
   * lower case, as PostgreSQL does, so the same SQL names the same tables on both.
   * {@code WRITE_DELAY=0}: a commit reaches the file before it returns; with H2's default (500 ms)
   * a killed process loses writes it had already acknowledged.
   */
  public static DatabaseSettings h2File(Path dataDir) {
    String dir = dataDir.toAbsolutePath().normalize().toString().replace('\\', '/');
    return new DatabaseSettings(Vendor.H2, "jdbc:h2:file:" + dir + "/course-batch;DB_CLOSE_DELAY=-1;DATABASE_TO_LOWER=TRUE;WRITE_DELAY=0",
        "sa", "", DEFAULT_MAX_POOL_SIZE, DEFAULT_READ_JOURNAL_POOL_SIZE);
  }

  /**
   * Properties every connection to the database is opened with (the pools' and the read-model
   * lock's). PostgreSQL: opening a connection gives up after {@link #CONNECT_TIMEOUT_SECONDS} (the
   * driver's default waits for ever for a server that took the TCP connection but does not answer,
   * and a shutdown waits with it), and its errors quote neither the failing statement of a batch
   * with its values nor the server's detail line (a row's data), so logged failures carry no data.
   *
   * <p>And a fresh plan for every execution of a prepared statement ({@link #SESSION_OPTIONS}).
   * pgjdbc prepares a statement it has run five times on a connection, and PostgreSQL then keeps a
   * generic plan for it, made from the table's size at that moment, until an ANALYZE of the table:
   * made while the tables were small, that is a scan of the whole table, kept as the table grows.
   * The read journal's poll read every tag row on every poll (ADR 12); the read model's insert of
   * a new enrolment scanned the enrolment table (200 of them took 72 ms in one transaction at 200
   * rows, 936 ms at 20,000; 35 ms throughout with fresh plans). The service must not depend on
   * autovacuum's analyze to keep its statements' plans sane.
   */
  public Map<String, String> driverProperties() {
    return switch (vendor) {
      case H2 -> Map.of();
      case POSTGRES -> Map.of(
          "connectTimeout", String.valueOf(CONNECT_TIMEOUT_SECONDS),
          "loginTimeout", String.valueOf(CONNECT_TIMEOUT_SECONDS),
          "logServerErrorDetail", "false",
          "options", SESSION_OPTIONS);
    };
  }

  /** The PostgreSQL settings of every connection (pgjdbc's {@code options}). */
  static final String SESSION_OPTIONS = "-c plan_cache_mode=force_custom_plan";

  /** How long opening a connection may take (seconds). */
  public static final int CONNECT_TIMEOUT_SECONDS = 5;

  /**
   * How long work waits for a pooled connection before it fails (HikariCP's connection timeout).
   * HikariCP also waits at most this long between attempts to reconnect to a database it lost, so
   * it bounds how soon after a database outage the node serves again (ADR 7).
   */
  public static final long POOL_WAIT_MILLIS = 2_000;

  /** How long a pool's check that a connection still works may take (HikariCP wants it below {@link #POOL_WAIT_MILLIS}). */
  public static final long VALIDATION_TIMEOUT_MILLIS = 1_000;

  /** Settings for a JDBC url; the vendor is read from the url's prefix. */
  public static DatabaseSettings of(String url, String user, String password) {
    return new DatabaseSettings(vendorOf(url), url, user, password, DEFAULT_MAX_POOL_SIZE, DEFAULT_READ_JOURNAL_POOL_SIZE);
  }

  public DatabaseSettings withMaxPoolSize(int size) {
    return new DatabaseSettings(vendor, url, user, password, size, readJournalPoolSize);
  }

  public DatabaseSettings withReadJournalPoolSize(int size) {
    return new DatabaseSettings(vendor, url, user, password, maxPoolSize, size);
  }

  static Vendor vendorOf(String url) {
    if (url != null && url.startsWith("jdbc:postgresql:")) {
      return Vendor.POSTGRES;
    }
    if (url != null && url.startsWith("jdbc:h2:")) {
      return Vendor.H2;
    }
    throw new IllegalArgumentException(
        "Unsupported database url '" + url + "': expected one starting with jdbc:postgresql: or jdbc:h2:");
  }

  /** Never prints the password (settings end up in logs). */
  @Override
  public String toString() {
    return "DatabaseSettings[vendor=" + vendor + ", url=" + url + ", user=" + user + ", password="
        + (password.isEmpty() ? "" : "***") + ", maxPoolSize=" + maxPoolSize + ", readJournalPoolSize="
        + readJournalPoolSize + "]";
  }
}
