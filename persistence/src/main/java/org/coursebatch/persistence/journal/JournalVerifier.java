package org.coursebatch.persistence.journal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import javax.sql.DataSource;
import org.coursebatch.core.journal.EntityChainCheck;
import org.coursebatch.core.journal.EntityChainCheck.Finding;
import org.coursebatch.core.journal.EntityChainCheck.Head;
import org.coursebatch.core.journal.EntityChainCheck.Kind;
import org.coursebatch.persistence.db.DatabaseSettings;
import org.coursebatch.persistence.db.SqlParameters;

/**
 * Checks the journal's hash chain (docs/journal.md, "Tamper evidence") from the rows of
 * {@code event_journal} alone: no actor system, no deserialization of events. Rows are read in one
 * forward-only query ordered by persistence id and sequence number, an entity at a time, so memory
 * grows with the largest entity (four numbers a row), not with the journal.
 *
 * <p>Each entity's rows go through an {@link EntityChainCheck} (core, next to {@link
 * org.coursebatch.core.journal.JournalHash}): altered, deleted, reordered and unchained rows
 * ({@link Kind}). Afterwards, a snapshot taken after the entity's last row, and a read model that
 * has read past the journal's last row, show that the newest rows were deleted (which the chain
 * alone cannot show). Heads saved by an earlier run ({@link Head}) show that too, and rows
 * rewritten together with every later hash.
 */
public final class JournalVerifier {

  /** What was verified and what was found. */
  public record Summary(long entities, long events, long unchainedEvents, Map<Kind, Long> findings) {
    public long failures() {
      return findings.entrySet().stream().filter(e -> e.getKey().failure()).mapToLong(Map.Entry::getValue).sum();
    }

    public boolean intact() {
      return failures() == 0;
    }
  }

  /** Receives the findings as they are made, and the count of rows read so far. */
  public interface Listener {
    void finding(Finding finding);

    /** Called for every row read, with the count so far. */
    default void progress(long events) {}

    /** Called after each entity with its last row, when that row is chained: its head, to save elsewhere. */
    default void head(String persistenceId, Head head) {}
  }

  /** Which entities to verify: all, one persistence id, or every persistence id with a prefix. */
  public record Scope(String persistenceId, String prefix) {
    public static Scope all() {
      return new Scope(null, null);
    }

    public static Scope entity(String persistenceId) {
      return new Scope(Objects.requireNonNull(persistenceId), null);
    }

    public static Scope prefix(String prefix) {
      return new Scope(null, Objects.requireNonNull(prefix));
    }

    boolean isAll() {
      return persistenceId == null && prefix == null;
    }

    boolean covers(String id) {
      return persistenceId != null ? persistenceId.equals(id) : prefix == null || id.startsWith(prefix);
    }

    String where(String column) {
      if (persistenceId != null) {
        return " WHERE " + column + " = ?";
      }
      return prefix != null ? " WHERE " + column + " LIKE ?" + SqlParameters.LIKE_ESCAPE : "";
    }

    void bind(PreparedStatement ps) throws SQLException {
      if (persistenceId != null) {
        ps.setString(1, persistenceId);
      } else if (prefix != null) {
        ps.setString(1, SqlParameters.startingWith(prefix));
      }
    }
  }

  private static final int FETCH_SIZE = 1000;

  private final DataSource dataSource;
  private final DatabaseSettings.Vendor vendor;

  public JournalVerifier(DataSource dataSource, DatabaseSettings.Vendor vendor) {
    this.dataSource = dataSource;
    this.vendor = vendor;
  }

  public Summary verify(Scope scope, Listener listener) throws SQLException {
    return verify(List.of(scope), Map.of(), listener);
  }

  /**
   * Verifies each scope in turn (they should not overlap) and sums up; with the heads a former
   * verification saved ({@link Listener#head}), also that every entity still has that row with that
   * hash.
   */
  public Summary verify(List<Scope> scopes, Map<String, Head> savedHeads, Listener listener) throws SQLException {
    Counting counting = new Counting(listener, savedHeads);
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false); // PostgreSQL streams a result with a fetch size only inside a transaction
      c.setReadOnly(true);
      boolean lazy = vendor == DatabaseSettings.Vendor.H2;
      if (lazy) {
        setH2Lazy(c, true); // H2 streams instead of building the whole result first
      }
      try {
        for (Scope scope : scopes) {
          scan(c, scope, counting);
          entitiesGoneSinceTheirHeads(scope, counting);
          snapshotsBeyondTheJournal(c, scope, counting);
          if (scope.isAll()) {
            readModelsBeyondTheJournal(c, counting);
          }
        }
      } finally {
        if (lazy) {
          setH2Lazy(c, false);
        }
        c.rollback();
      }
    }
    return counting.summary();
  }

  private static void setH2Lazy(Connection c, boolean on) throws SQLException {
    try (Statement st = c.createStatement()) {
      st.execute("SET LAZY_QUERY_EXECUTION " + (on ? "TRUE" : "FALSE"));
    }
  }

  private void scan(Connection c, Scope scope, Counting out) throws SQLException {
    String sql = "SELECT \"ordering\", \"persistence_id\", \"sequence_number\", \"deleted\", \"event_ser_id\", \"event_payload\""
        + " FROM \"event_journal\"" + scope.where("\"persistence_id\"")
        + " ORDER BY \"persistence_id\", \"sequence_number\"";
    try (PreparedStatement ps = c.prepareStatement(sql, ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY)) {
      ps.setFetchSize(FETCH_SIZE);
      scope.bind(ps);
      try (ResultSet rs = ps.executeQuery()) {
        EntityChainCheck entity = null;
        while (rs.next()) {
          String pid = rs.getString(2);
          if (entity == null || !entity.persistenceId().equals(pid)) {
            if (entity != null) {
              out.finish(entity);
            }
            entity = new EntityChainCheck(pid, out.savedHeads.remove(pid));
            out.entities++;
          }
          entity.row(rs.getLong(3), rs.getLong(1), rs.getBoolean(4), rs.getInt(5), rs.getBytes(6));
          out.events++;
          out.listener.progress(out.events);
        }
        if (entity != null) {
          out.finish(entity);
        }
      }
    }
  }

  /** Entities with a saved head that the scan did not meet: their whole journal is gone. */
  private static void entitiesGoneSinceTheirHeads(Scope scope, Counting out) {
    var gone = out.savedHeads.entrySet().stream().filter(e -> scope.covers(e.getKey()))
        .sorted(Map.Entry.comparingByKey()).toList();
    for (var e : gone) {
      out.report(new Finding(e.getKey(), 1, null, Kind.DELETED, "the entity's rows are gone: its saved head was row "
          + e.getValue().sequenceNr()));
      out.tailsReported.add(e.getKey());
      out.savedHeads.remove(e.getKey());
    }
  }

  /** A snapshot is taken after the events it covers: one beyond the entity's last row shows its tail was deleted. */
  private void snapshotsBeyondTheJournal(Connection c, Scope scope, Counting out) throws SQLException {
    String last = "(SELECT MAX(j.\"sequence_number\") FROM \"event_journal\" j WHERE j.\"persistence_id\" = s.\"persistence_id\")";
    String sql = "SELECT s.\"persistence_id\", MAX(s.\"sequence_number\"), " + last + " FROM \"snapshot\" s"
        + scope.where("s.\"persistence_id\"") + " GROUP BY s.\"persistence_id\""
        + " HAVING MAX(s.\"sequence_number\") > COALESCE(" + last + ", 0) ORDER BY s.\"persistence_id\"";
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      scope.bind(ps);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          if (out.tailsReported.contains(rs.getString(1))) {
            continue;
          }
          long snapshot = rs.getLong(2);
          long lastRow = rs.getLong(3);
          out.report(new Finding(rs.getString(1), lastRow + 1, null, Kind.DELETED,
              "the newest rows are gone: a snapshot was taken at sequence number " + snapshot
                  + (lastRow == 0 ? " but the entity has no rows" : " but the last row is " + lastRow)));
        }
      }
    }
  }

  /** Read models store how far they have read (an ordering): past the journal's last row, its newest rows were deleted. */
  private void readModelsBeyondTheJournal(Connection c, Counting out) throws SQLException {
    long lastOrdering;
    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT MAX(\"ordering\") FROM \"event_journal\"")) {
      rs.next();
      lastOrdering = rs.getLong(1);
    }
    String sql = "SELECT \"projection_name\", \"projection_key\", \"current_offset\" FROM \"akka_projection_offset_store\""
        + " WHERE \"manifest\" = 'SEQ' ORDER BY \"projection_name\", \"projection_key\"";
    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
      while (rs.next()) {
        long offset;
        try {
          offset = Long.parseLong(rs.getString(3).trim());
        } catch (NumberFormatException e) {
          continue;
        }
        if (offset > lastOrdering) {
          out.report(new Finding("", 0, offset, Kind.DELETED, "the newest rows of the journal are gone: read model "
              + rs.getString(1) + " (" + rs.getString(2) + ") has read up to ordering " + offset
              + ", the journal ends at " + lastOrdering));
        }
      }
    }
  }

  /** The listener, and the counts for the summary. */
  private static final class Counting {
    final Listener listener;
    final Map<String, Head> savedHeads;
    /** Entities whose deleted tail their saved head showed already (the snapshot need not say it again). */
    final Set<String> tailsReported = new HashSet<>();
    final Map<Kind, Long> findings = new EnumMap<>(Kind.class);
    long entities;
    long events;
    long unchained;

    Counting(Listener listener, Map<String, Head> savedHeads) {
      this.listener = listener;
      this.savedHeads = new HashMap<>(savedHeads);
      for (Kind k : Kind.values()) {
        findings.put(k, 0L);
      }
    }

    void report(Finding f) {
      findings.merge(f.kind(), 1L, Long::sum);
      listener.finding(f);
    }

    /** Ends an entity's check: its head to the listener, then its findings. */
    void finish(EntityChainCheck entity) {
      EntityChainCheck.Result result = entity.finish();
      if (result.tailDeleted()) {
        tailsReported.add(entity.persistenceId());
      }
      if (result.head() != null) {
        listener.head(entity.persistenceId(), result.head());
      }
      unchained += result.unchainedEvents();
      result.findings().forEach(this::report);
    }

    Summary summary() {
      return new Summary(entities, events, unchained, Map.copyOf(findings));
    }
  }
}
