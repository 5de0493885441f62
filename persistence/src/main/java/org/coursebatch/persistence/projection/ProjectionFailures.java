package org.coursebatch.persistence.projection;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.coursebatch.persistence.db.Database;

/**
 * The events a read model could not write, in {@code projection_failure}: one event never stops its
 * projection. An event whose handler fails for a reason of the event's own (see
 * {@link #causedByEvent}) is recorded here and left out; so is every later event of the same
 * persistence id in that projection, held behind it so that the entity's rows are never written out
 * of order. A projection instance retries its recorded events, in order, each time it starts
 * ({@link EventQuarantine}); {@code audit failures} lists them and {@code audit rebuild} fails
 * naming them.
 */
public final class ProjectionFailures {

  /** Longest error text kept (the column's size). */
  static final int ERROR_LENGTH = 2000;

  private ProjectionFailures() {}

  /**
   * One event left out of a projection: {@code heldBySeqNr} is empty for an event that failed
   * itself, else the sequence number of the earlier event of its persistence id that did.
   */
  public record Failure(String projection, String tag, String persistenceId, long seqNr, long ordering,
      String eventType, String error, Long heldBySeqNr, Instant failedAt) {

    public boolean held() {
      return heldBySeqNr != null;
    }

    /** One line for an operator. */
    public String describe() {
      return projection + "/" + tag + " " + persistenceId + " #" + seqNr + " (" + eventType + ", journal ordering "
          + ordering + "): " + (held() ? "held behind #" + heldBySeqNr : error);
    }
  }

  /**
   * Whether {@code failure} belongs to the event being written, so that writing it again would fail
   * the same way: any error of the handler's own (a value it cannot map, say), and the database's
   * data exceptions and constraint violations (SQLSTATE classes 22 and 23: a value too long for its
   * column, a NUL byte PostgreSQL refuses, a NOT NULL column left empty). Any other database error
   * (no connection, a timeout, a deadlock, a missing table) is the database's, and the projection
   * retries the whole group as it always did.
   */
  public static boolean causedByEvent(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof SQLTransientException || t instanceof SQLRecoverableException
          || t instanceof SQLNonTransientConnectionException) {
        return false;
      }
      if (t instanceof SQLException sql) {
        String state = sql.getSQLState();
        return state != null && (state.startsWith("22") || state.startsWith("23"));
      }
    }
    return true;
  }

  /** Every event left out of a projection, oldest first. */
  public static List<Failure> list(Database db) throws SQLException {
    try (Connection c = db.dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(SELECT
        + " ORDER BY ordering, projection_name, projection_key")) {
      return read(ps);
    }
  }

  /** How many events each projection left out (projections with none are not named). */
  public static Map<String, Long> counts(Database db) throws SQLException {
    Map<String, Long> counts = new LinkedHashMap<>();
    try (Connection c = db.dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(
        "SELECT projection_name, COUNT(*) FROM projection_failure GROUP BY projection_name ORDER BY projection_name");
         ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        counts.put(rs.getString(1), rs.getLong(2));
      }
    }
    return counts;
  }

  private static final String SELECT = "SELECT projection_name, projection_key, persistence_id, sequence_number,"
      + " ordering, event_type, error, held_by_seq_nr, failed_at FROM projection_failure";

  /** The events {@code projection}/{@code tag} left out, by persistence id and sequence number. */
  static List<Failure> of(Connection c, String projection, String tag) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(SELECT
        + " WHERE projection_name = ? AND projection_key = ? ORDER BY persistence_id, sequence_number")) {
      ps.setString(1, projection);
      ps.setString(2, tag);
      return read(ps);
    }
  }

  private static List<Failure> read(PreparedStatement ps) throws SQLException {
    List<Failure> failures = new ArrayList<>();
    try (ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        long heldBy = rs.getLong(8);
        Long heldBySeqNr = rs.wasNull() ? null : heldBy;
        failures.add(new Failure(rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4), rs.getLong(5),
            rs.getString(6), rs.getString(7), heldBySeqNr, Instant.ofEpochMilli(rs.getLong(9))));
      }
    }
    return failures;
  }

  /** Records {@code failure} (again: a retried event that failed anew keeps one row, with the new error). */
  static void record(Connection c, Failure failure) throws SQLException {
    delete(c, failure.projection(), failure.tag(), failure.persistenceId(), failure.seqNr());
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO projection_failure (projection_name, projection_key,"
        + " persistence_id, sequence_number, ordering, event_type, error, held_by_seq_nr, failed_at)"
        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
      ps.setString(1, failure.projection());
      ps.setString(2, failure.tag());
      ps.setString(3, failure.persistenceId());
      ps.setLong(4, failure.seqNr());
      ps.setLong(5, failure.ordering());
      ps.setString(6, clip(failure.eventType(), 255));
      ps.setString(7, clip(failure.error(), ERROR_LENGTH));
      if (failure.heldBySeqNr() == null) {
        ps.setNull(8, java.sql.Types.BIGINT);
      } else {
        ps.setLong(8, failure.heldBySeqNr());
      }
      ps.setLong(9, failure.failedAt().toEpochMilli());
      ps.executeUpdate();
    }
  }

  static void delete(Connection c, String projection, String tag, String persistenceId, long seqNr) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("DELETE FROM projection_failure WHERE projection_name = ?"
        + " AND projection_key = ? AND persistence_id = ? AND sequence_number = ?")) {
      ps.setString(1, projection);
      ps.setString(2, tag);
      ps.setString(3, persistenceId);
      ps.setLong(4, seqNr);
      ps.executeUpdate();
    }
  }

  /** Forgets what {@code projection} left out (a rebuild writes everything anew). */
  static void clear(Connection c, String projection) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("DELETE FROM projection_failure WHERE projection_name = ?")) {
      ps.setString(1, projection);
      ps.executeUpdate();
    }
  }

  /**
   * The error as kept: its class and message, without what follows a newline (PostgreSQL's details,
   * the SQL of a batch), at most {@link #ERROR_LENGTH} characters and with no NUL (which the column
   * could not hold either).
   */
  static String describe(Throwable failure) {
    Throwable root = failure;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message = root.getMessage() == null ? "" : root.getMessage();
    int newline = message.indexOf('\n');
    String text = root.getClass().getSimpleName() + (message.isEmpty() ? "" : ": "
        + (newline < 0 ? message : message.substring(0, newline)));
    return clip(text.replace('\u0000', '?'), ERROR_LENGTH);
  }

  private static String clip(String text, int max) {
    return text.length() <= max ? text : text.substring(0, max - 1) + "…";
  }
}
