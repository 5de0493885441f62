package org.coursebatch.persistence.projection;

import akka.Done;
import akka.actor.CoordinatedShutdown;
import akka.actor.typed.ActorSystem;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import org.coursebatch.persistence.db.Database;
import org.coursebatch.persistence.db.DatabaseSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.concurrent.ExecutionContext;

/**
 * Keeps a read-model rebuild and running projections apart (they would write the same rows). On
 * PostgreSQL it is a session-level advisory lock of the database: every node holds it shared, on a
 * connection of its own, for as long as it runs its projections; a rebuild holds it exclusively.
 * So a rebuild refuses to start while any node runs, and a node refuses to start while a rebuild
 * runs. An embedded H2 file admits one process at a time, which keeps them apart there.
 *
 * <p>A node whose lock connection broke (e.g. PostgreSQL restarted) opens a new one and takes its
 * share again within {@link #CHECK_INTERVAL}; a rebuild started in that window is not seen by it.
 */
public final class ReadModelLock implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(ReadModelLock.class);

  /** The advisory lock's key (any constant: advisory locks are the application's own name space). */
  static final long KEY = 0x63625F726D6C6BL; // "cb_rmlk"
  static final Duration CHECK_INTERVAL = Duration.ofSeconds(30);

  private final DatabaseSettings settings;
  private final boolean shared;
  private Connection connection;
  private boolean closed;

  private ReadModelLock(DatabaseSettings settings, boolean shared) {
    this.settings = settings;
    this.shared = shared;
  }

  /**
   * A node's share, held until its actor system terminates. Fails when a rebuild runs on the
   * database. A no-op on H2.
   */
  static void holdShared(ActorSystem<?> system, Database db) {
    if (db.settings().vendor() != DatabaseSettings.Vendor.POSTGRES) {
      return;
    }
    ReadModelLock lock = new ReadModelLock(db.settings(), true);
    try {
      if (!lock.acquire()) {
        lock.close();
        throw new IllegalStateException("A read-model rebuild is running on this database; start the node after it finished");
      }
    } catch (SQLException e) {
      lock.close();
      throw new IllegalStateException("Could not take the read-model lock", e);
    }
    CoordinatedShutdown.get(system).addTask(CoordinatedShutdown.PhaseBeforeActorSystemTerminate(), "release-read-model-lock",
        () -> {
          lock.close();
          return CompletableFuture.completedFuture(Done.getInstance());
        });
    system.getWhenTerminated().thenRun(lock::close);
    system.scheduler().scheduleWithFixedDelay(CHECK_INTERVAL, CHECK_INTERVAL, lock::keep,
        (ExecutionContext) Database.jdbcExecutor(system)); // a dispatcher: an ExecutionContext too
  }

  /**
   * The rebuild's exclusive hold, waiting up to {@code wait} for nodes that are stopping to let go.
   * Fails when nodes still hold their shares. A no-op on H2.
   */
  public static ReadModelLock exclusive(Database db, Duration wait) throws SQLException, InterruptedException {
    ReadModelLock lock = new ReadModelLock(db.settings(), false);
    if (db.settings().vendor() != DatabaseSettings.Vendor.POSTGRES) {
      return lock;
    }
    long deadline = System.nanoTime() + wait.toNanos();
    try {
      while (!lock.acquire()) {
        if (System.nanoTime() > deadline) {
          long holders = lock.holders();
          throw new IllegalStateException(holders + " node(s) run projections on this database (they hold the read-model"
              + " lock): stop every node before rebuilding the read models");
        }
        Thread.sleep(200);
      }
      return lock;
    } catch (SQLException | InterruptedException | RuntimeException e) {
      lock.close();
      throw e;
    }
  }

  private synchronized boolean acquire() throws SQLException {
    if (connection == null) {
      connection = open();
    }
    String sql = shared ? "SELECT pg_try_advisory_lock_shared(?)" : "SELECT pg_try_advisory_lock(?)";
    try (PreparedStatement ps = connection.prepareStatement(sql)) {
      ps.setLong(1, KEY);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getBoolean(1);
      }
    }
  }

  /**
   * A connection of its own, opened with the database's driver properties (they bound how long that
   * takes); its statements, all instant, give up after {@code socketTimeout}.
   */
  private Connection open() throws SQLException {
    Properties properties = new Properties();
    properties.putAll(settings.driverProperties());
    properties.setProperty("socketTimeout", "10");
    properties.setProperty("user", settings.user());
    properties.setProperty("password", settings.password());
    return DriverManager.getConnection(settings.url(), properties);
  }

  /** Sessions other than this one that hold the lock (advisory keys are split into classid and objid). */
  private synchronized long holders() throws SQLException {
    try (PreparedStatement ps = connection.prepareStatement("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'"
        + " AND granted AND classid = ? AND objid = ? AND objsubid = 1 AND pid <> pg_backend_pid()"
        + " AND database = (SELECT oid FROM pg_database WHERE datname = current_database())")) {
      ps.setLong(1, KEY >>> 32);
      ps.setLong(2, KEY & 0xFFFFFFFFL);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  /**
   * A node's check: after its connection broke, a new one takes the share again. The new
   * connection is opened outside the lock, so a shutdown never waits for a database that does not
   * answer.
   */
  private void keep() {
    synchronized (this) {
      try {
        if (closed || connection != null && connection.isValid(5)) {
          return;
        }
      } catch (SQLException e) {
        // not valid: replaced below
      }
      disconnect();
    }
    Connection fresh;
    try {
      fresh = open();
    } catch (SQLException e) {
      log.warn("Could not take the read-model lock again ({}); trying again in {}", e.getMessage(), CHECK_INTERVAL);
      return;
    }
    synchronized (this) {
      if (closed) {
        connection = fresh;
        disconnect();
        return;
      }
      connection = fresh;
      takeShareAgain();
    }
  }

  private void takeShareAgain() {
    try {
      if (!acquire()) {
        log.error("A read-model rebuild holds the read-model lock while this node runs projections: stop the rebuild or the node");
        disconnect();
      }
    } catch (SQLException e) {
      log.warn("Could not take the read-model lock again ({}); trying again in {}", e.getMessage(), CHECK_INTERVAL);
      disconnect();
    }
  }

  /** Lets go for good (closing the session releases its advisory locks). */
  @Override
  public synchronized void close() {
    closed = true;
    disconnect();
  }

  private void disconnect() {
    if (connection != null) {
      try {
        connection.close();
      } catch (SQLException ignored) {
        // the session is gone either way, and its locks with it
      }
      connection = null;
    }
  }
}
