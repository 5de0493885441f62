package org.coursebatch.persistence.journal;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import javax.sql.DataSource;
import org.coursebatch.core.journal.ChainedEvent;
import org.coursebatch.core.journal.JournalHash;
import org.coursebatch.persistence.db.DatabaseSettings;
import org.coursebatch.persistence.db.SqlParameters;

/**
 * Checks the journal's hash chain (docs/journal.md, "Tamper evidence") from the rows of
 * {@code event_journal} alone: no actor system, no deserialization of events. Rows are read in one
 * forward-only query ordered by persistence id and sequence number, an entity at a time, so memory
 * grows with the largest entity (four numbers a row), not with the journal.
 *
 * <p>Per row: the stored content must still give its stored hash ({@link Kind#ALTERED}), sequence
 * numbers must run from 1 without a gap ({@link Kind#DELETED}), and each row must be chained to the
 * row before it (the first to the entity's genesis value). A broken link is told apart at the end of
 * the entity: a row whose predecessor by chain sits elsewhere is {@link Kind#REORDERED}, one whose
 * predecessor is nowhere is {@link Kind#DELETED}. Rows written before the chain existed are
 * {@link Kind#UNCHAINED}, which is not a failure. Afterwards, a snapshot taken after the entity's
 * last row, and a read model that has read past the journal's last row, show that the newest rows
 * were deleted (which the chain alone cannot show). Heads saved by an earlier run ({@link Head})
 * show that too, and rows rewritten together with every later hash.
 */
public final class JournalVerifier {

  /** What a finding says about a row. */
  public enum Kind {
    /** The row's content no longer matches its hash (or its chain was stripped, or it is unreadable). */
    ALTERED,
    /** Rows are missing: a gap in sequence numbers, a row chained to a row that is nowhere, or the tail. */
    DELETED,
    /** The row is chained to a row of the entity that is not its predecessor: rows were moved or swapped. */
    REORDERED,
    /** Rows written before the chain existed: nothing to check, not a failure. */
    UNCHAINED;

    public boolean failure() {
      return this != UNCHAINED;
    }
  }

  /**
   * One finding: the entity, the sequence number of the row it concerns (the first one, for a run of
   * missing or unchained rows), that row's {@code ordering} (null for rows that are not there), the
   * kind and an explanation.
   */
  public record Finding(String persistenceId, long sequenceNr, Long ordering, Kind kind, String detail) {}

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

  /**
   * An entity's last row and its hash, as a verification saw it. Saved outside the database and
   * given to a later verification, heads show what the chain alone cannot: rows deleted from the
   * end of an entity, and rows rewritten together with every hash after them.
   */
  public record Head(long sequenceNr, String hash) {
    public Head {
      Objects.requireNonNull(hash, "hash");
    }
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
        EntityCheck entity = null;
        while (rs.next()) {
          String pid = rs.getString(2);
          if (entity == null || !entity.persistenceId.equals(pid)) {
            if (entity != null) {
              entity.finish(out);
            }
            entity = new EntityCheck(pid, out.savedHeads.remove(pid));
            out.entities++;
          }
          entity.row(rs.getLong(3), rs.getLong(1), rs.getBoolean(4), rs.getInt(5), rs.getBytes(6));
          out.events++;
          out.listener.progress(out.events);
        }
        if (entity != null) {
          entity.finish(out);
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

    Summary summary() {
      return new Summary(entities, events, unchained, Map.copyOf(findings));
    }
  }

  /** The rows of one entity as they are read, and the findings about them. */
  private static final class EntityCheck {
    private static final byte UNCHAINED = 1;
    private static final byte CHAINED = 2;
    private static final byte LINK_BROKEN = 4;
    private static final byte GENESIS = 8;

    final String persistenceId;
    final String genesis;
    /** The head a former verification saved, null: none. */
    final Head saved;
    /** The stored hash of the last row, null when it is not chained or not readable. */
    String lastHash;
    final List<Finding> findings = new ArrayList<>();
    // The rows, four numbers and flags each: enough to follow the chain at the end.
    long[] seq = new long[16];
    long[] ordering = new long[16];
    long[] prevKey = new long[16];
    long[] hashKey = new long[16];
    byte[] flags = new byte[16];
    int size;

    long lastSeq;
    /** The prevHash the next row must have; null: not known (after an unreadable row), do not check. */
    String expectedPrev;
    long chainStart = -1;
    long unchainedFrom = -1;
    long unchainedTo;
    Long unchainedOrdering;
    long unchainedCount;

    EntityCheck(String persistenceId, Head saved) {
      this.persistenceId = persistenceId;
      this.saved = saved;
      this.genesis = JournalHash.genesis(persistenceId);
      this.expectedPrev = genesis;
    }

    void row(long sequenceNr, long rowOrdering, boolean deleted, int serializerId, byte[] payload) {
      boolean gap = sequenceNr != lastSeq + 1;
      if (gap) {
        long from = lastSeq + 1;
        long to = sequenceNr - 1;
        findings.add(new Finding(persistenceId, from, null, Kind.DELETED, (from == to ? "row " + from + " is" : "rows " + from
            + ".." + to + " are") + " missing before row " + sequenceNr + " (ordering " + rowOrdering + ")"));
      }
      lastSeq = sequenceNr;
      lastHash = null;
      if (deleted) {
        findings.add(new Finding(persistenceId, sequenceNr, rowOrdering, Kind.DELETED,
            "marked deleted: recovery and queries skip it, and this service never deletes events"));
      }
      if (serializerId != ChainedEvent.SERIALIZER_ID) {
        unchained(sequenceNr, rowOrdering, serializerId);
        return;
      }
      flushUnchained();
      JournalHash.Stored stored;
      try {
        stored = JournalHash.read(payload);
      } catch (IOException e) {
        altered(sequenceNr, rowOrdering, "its payload is not a readable JSON object (" + e.getMessage() + ")");
        return;
      }
      if (!stored.chained()) {
        altered(sequenceNr, rowOrdering, "its payload lacks the chain's prevHash and hash");
        return;
      }
      if (!stored.intact()) {
        findings.add(new Finding(persistenceId, sequenceNr, rowOrdering, Kind.ALTERED,
            "its content no longer matches its hash"));
      }
      if (chainStart < 0) {
        chainStart = sequenceNr;
      }
      byte f = CHAINED;
      if (expectedPrev != null && !gap && !stored.prevHash().equals(expectedPrev)) {
        f |= LINK_BROKEN;
      }
      if (stored.prevHash().equals(genesis)) {
        f |= GENESIS;
      }
      add(sequenceNr, rowOrdering, key(stored.prevHash()), key(stored.hash()), f);
      expectedPrev = stored.hash();
      lastHash = stored.hash();
      if (saved != null && saved.sequenceNr() == sequenceNr && !saved.hash().equals(stored.hash())) {
        findings.add(new Finding(persistenceId, sequenceNr, rowOrdering, Kind.ALTERED, "its hash is not the head saved"
            + " for this row: the entity's rows up to here were rewritten, hashes included"));
      }
    }

    private void unchained(long sequenceNr, long rowOrdering, int serializerId) {
      if (chainStart >= 0) {
        altered(sequenceNr, rowOrdering, "stored without the hash chain (serializer " + serializerId
            + ") although the entity's chain started at row " + chainStart);
        return;
      }
      if (unchainedFrom < 0) {
        unchainedFrom = sequenceNr;
        unchainedOrdering = rowOrdering;
      }
      unchainedTo = sequenceNr;
      unchainedCount++;
      add(sequenceNr, rowOrdering, 0, 0, UNCHAINED);
      expectedPrev = genesis; // the chain starts with the next chained row
    }

    /** A row that cannot take part in the chain: reported, and the next row's link is not checked. */
    private void altered(long sequenceNr, long rowOrdering, String why) {
      findings.add(new Finding(persistenceId, sequenceNr, rowOrdering, Kind.ALTERED, why));
      add(sequenceNr, rowOrdering, 0, 0, (byte) 0);
      expectedPrev = null;
    }

    private void flushUnchained() {
      if (unchainedFrom >= 0) {
        findings.add(new Finding(persistenceId, unchainedFrom, unchainedOrdering, Kind.UNCHAINED,
            (unchainedFrom == unchainedTo ? "row " + unchainedFrom + " was" : "rows " + unchainedFrom + ".." + unchainedTo
                + " were") + " written before the hash chain existed: not verifiable"));
        unchainedFrom = -1;
      }
    }

    private void add(long s, long o, long prev, long hash, byte f) {
      if (size == seq.length) {
        int n = size * 2;
        seq = Arrays.copyOf(seq, n);
        ordering = Arrays.copyOf(ordering, n);
        prevKey = Arrays.copyOf(prevKey, n);
        hashKey = Arrays.copyOf(hashKey, n);
        flags = Arrays.copyOf(flags, n);
      }
      seq[size] = s;
      ordering[size] = o;
      prevKey[size] = prev;
      hashKey[size] = hash;
      flags[size] = f;
      size++;
    }

    /** The first 64 bits of a hash, to find rows by hash (the links themselves were compared in full). */
    private static long key(String hash) {
      if (hash.length() < 16) {
        return 0;
      }
      try {
        return Long.parseUnsignedLong(hash.substring(0, 16), 16);
      } catch (NumberFormatException e) {
        return 0;
      }
    }

    void finish(Counting out) {
      flushUnchained();
      if (saved != null && lastSeq < saved.sequenceNr()) {
        long from = lastSeq + 1;
        findings.add(new Finding(persistenceId, from, null, Kind.DELETED, "the newest rows are gone: "
            + (from == saved.sequenceNr() ? "row " + from : "rows " + from + ".." + saved.sequenceNr())
            + " (the saved head was row " + saved.sequenceNr() + ")"));
        out.tailsReported.add(persistenceId);
      }
      if (lastHash != null) {
        out.listener.head(persistenceId, new Head(lastSeq, lastHash));
      }
      out.unchained += unchainedCount;
      classifyBrokenLinks();
      findings.sort(Comparator.comparingLong(Finding::sequenceNr).thenComparing(Finding::kind));
      findings.forEach(out::report);
    }

    /**
     * Follows the chain to find where each row belongs: one position after the row it is chained
     * to. A row whose position is not its own sequence number was moved; a broken link whose row
     * is in place is explained by the moved rows around it; a row chained to no row at all lost
     * its predecessor.
     */
    private void classifyBrokenLinks() {
      boolean any = false;
      for (int i = 0; i < size; i++) {
        any |= (flags[i] & LINK_BROKEN) != 0;
      }
      if (!any) {
        return;
      }
      Map<Long, Integer> byHash = new HashMap<>();
      for (int i = 0; i < size; i++) {
        if ((flags[i] & CHAINED) != 0 && hashKey[i] != 0) {
          byHash.putIfAbsent(hashKey[i], i);
        }
      }
      long chainPosition = 1; // where the chain's first row belongs: after the rows from before the chain
      for (int i = 0; i < size && (flags[i] & CHAINED) == 0; i++) {
        chainPosition = seq[i] + 1;
      }
      long[] position = new long[size]; // 0: not known yet
      for (int i = 0; i < size; i++) {
        if ((flags[i] & CHAINED) != 0) {
          positionOf(i, byHash, position, chainPosition);
        }
      }
      for (int i = 0; i < size; i++) {
        if ((flags[i] & CHAINED) == 0) {
          continue;
        }
        Integer pred = (flags[i] & GENESIS) != 0 ? null : byHash.get(prevKey[i]);
        if (position[i] != seq[i]) {
          String after = (flags[i] & GENESIS) != 0 ? "it is the entity's first chained event"
              : "it is chained to row " + seq[pred];
          findings.add(new Finding(persistenceId, seq[i], ordering[i], Kind.REORDERED,
              after + ", so it belongs at row " + position[i]));
        } else if ((flags[i] & LINK_BROKEN) != 0 && pred == null && (flags[i] & GENESIS) == 0) {
          findings.add(new Finding(persistenceId, seq[i], ordering[i], Kind.DELETED,
              "the row it is chained to is nowhere: a row before it was deleted and the later rows renumbered,"
                  + " or row " + (seq[i] - 1) + " was rewritten with a new hash"));
        }
      }
    }

    /** The position of row i by the chain, walking back to a row whose position is known. */
    private void positionOf(int i, Map<Long, Integer> byHash, long[] position, long chainPosition) {
      List<Integer> path = new ArrayList<>();
      int current = i;
      long base;
      while (true) {
        if (position[current] > 0) {
          base = position[current];
          break;
        }
        if (position[current] < 0) { // a cycle (only by a collision of 64-bit keys): stop here
          base = seq[current];
          break;
        }
        position[current] = -1;
        path.add(current);
        if ((flags[current] & GENESIS) != 0) {
          boolean restart = current > 0 && (flags[current - 1] & UNCHAINED) != 0 && seq[current] > chainPosition;
          base = restart ? seq[current] : chainPosition;
          position[current] = base;
          path.remove(path.size() - 1);
          break;
        }
        Integer pred = byHash.get(prevKey[current]);
        if (pred == null || pred == current) { // chained to a row that is not there: assume it is in place
          base = seq[current];
          position[current] = base;
          path.remove(path.size() - 1);
          break;
        }
        current = pred;
      }
      for (int k = path.size() - 1; k >= 0; k--) {
        base++;
        position[path.get(k)] = base;
      }
    }
  }
}
