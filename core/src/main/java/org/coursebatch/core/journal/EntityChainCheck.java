package org.coursebatch.core.journal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The check of one entity's hash chain (docs/journal.md, "Tamper evidence"), row by row from what
 * is stored: sequence number, ordering, the deleted flag, the serializer id and the payload. No
 * database and no deserialization of events: whoever reads the rows gives them here in order of
 * sequence number, then calls {@link #finish}. Memory grows with the entity's rows (four numbers a
 * row).
 *
 * <p>Per row: the stored content must still give its stored hash ({@link Kind#ALTERED}), sequence
 * numbers must run from 1 without a gap ({@link Kind#DELETED}), and each row must be chained to the
 * row before it (the first to the entity's genesis value). A broken link is told apart at the end of
 * the entity: a row whose predecessor by chain sits elsewhere is {@link Kind#REORDERED}, one whose
 * predecessor is nowhere is {@link Kind#DELETED}. Rows written before the chain existed are
 * {@link Kind#UNCHAINED}, which is not a failure. A head saved by an earlier check ({@link Head})
 * shows rows deleted from the end and rows rewritten together with every later hash.
 */
public final class EntityChainCheck {

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

  /**
   * What the check of one entity found: its findings in order of sequence number, its head (its
   * last row, when that row is chained; null otherwise), how many of its rows were written before
   * the chain, and whether its saved head showed that its newest rows were deleted.
   */
  public record Result(List<Finding> findings, Head head, long unchainedEvents, boolean tailDeleted) {}

  private static final byte UNCHAINED = 1;
  private static final byte CHAINED = 2;
  private static final byte LINK_BROKEN = 4;
  private static final byte GENESIS = 8;

  private final String persistenceId;
  private final String genesis;
  /** The head a former verification saved, null: none. */
  private final Head saved;
  /** The stored hash of the last row, null when it is not chained or not readable. */
  private String lastHash;
  private final List<Finding> findings = new ArrayList<>();
  // The rows, four numbers and flags each: enough to follow the chain at the end.
  private long[] seq = new long[16];
  private long[] ordering = new long[16];
  private long[] prevKey = new long[16];
  private long[] hashKey = new long[16];
  private byte[] flags = new byte[16];
  private int size;

  private long lastSeq;
  /** The prevHash the next row must have; null: not known (after an unreadable row), do not check. */
  private String expectedPrev;
  private long chainStart = -1;
  private long unchainedFrom = -1;
  private long unchainedTo;
  private Long unchainedOrdering;
  private long unchainedCount;

  /** Starts the check of one entity, with the head a former verification saved for it (null: none). */
  public EntityChainCheck(String persistenceId, Head saved) {
    this.persistenceId = persistenceId;
    this.saved = saved;
    this.genesis = JournalHash.genesis(persistenceId);
    this.expectedPrev = genesis;
  }

  public String persistenceId() {
    return persistenceId;
  }

  /** Checks the entity's next row, in order of sequence number. */
  public void row(long sequenceNr, long rowOrdering, boolean deleted, int serializerId, byte[] payload) {
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

  /** Ends the entity: what was found about its rows, in order of sequence number. */
  public Result finish() {
    flushUnchained();
    boolean tailDeleted = false;
    if (saved != null && lastSeq < saved.sequenceNr()) {
      long from = lastSeq + 1;
      findings.add(new Finding(persistenceId, from, null, Kind.DELETED, "the newest rows are gone: "
          + (from == saved.sequenceNr() ? "row " + from : "rows " + from + ".." + saved.sequenceNr())
          + " (the saved head was row " + saved.sequenceNr() + ")"));
      tailDeleted = true;
    }
    Head head = lastHash != null ? new Head(lastSeq, lastHash) : null;
    classifyBrokenLinks();
    findings.sort(Comparator.comparingLong(Finding::sequenceNr).thenComparing(Finding::kind));
    return new Result(List.copyOf(findings), head, unchainedCount, tailDeleted);
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
