package org.coursebatch.core.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.coursebatch.core.journal.EntityChainCheck.Finding;
import org.coursebatch.core.journal.EntityChainCheck.Head;
import org.coursebatch.core.journal.EntityChainCheck.Kind;
import org.coursebatch.core.journal.EntityChainCheck.Result;
import org.junit.jupiter.api.Test;

/**
 * The check of one entity's chain from its stored rows alone, without a database: rows are built
 * as the chained serializer stores them (the event's JSON with {@code prevHash} and {@code hash}).
 */
class EntityChainCheckTest {

  private static final String PID = "CourseBatch|b-1";
  private static final int OTHER_SERIALIZER = 33;

  /** A stored row: its sequence number, serializer and payload. */
  private record Row(long seq, int serializerId, byte[] payload, String hash) {}

  /** Rows 1..n chained from the genesis, each its own event. */
  private static List<Row> chained(int n) {
    List<Row> rows = new ArrayList<>();
    String prev = JournalHash.genesis(PID);
    for (int i = 1; i <= n; i++) {
      Row row = chainedRow(i, prev, "{\"type\":\"Edited\",\"n\":" + i + "}");
      rows.add(row);
      prev = row.hash();
    }
    return rows;
  }

  private static Row chainedRow(long seq, String prev, String json) {
    String hash = JournalHash.chainJson(prev, json.getBytes(StandardCharsets.UTF_8));
    String stored = json.substring(0, json.length() - 1) + ",\"" + JournalHash.PREV_HASH + "\":\"" + prev + "\",\""
        + JournalHash.HASH + "\":\"" + hash + "\"}";
    return new Row(seq, ChainedEvent.SERIALIZER_ID, stored.getBytes(StandardCharsets.UTF_8), hash);
  }

  private static Result check(List<Row> rows, Head saved) {
    EntityChainCheck check = new EntityChainCheck(PID, saved);
    for (Row r : rows) {
      check.row(r.seq(), 100 + r.seq(), false, r.serializerId(), r.payload());
    }
    return check.finish();
  }

  private static List<Kind> kinds(Result result) {
    return result.findings().stream().map(Finding::kind).toList();
  }

  @Test
  void anIntactChainHasNoFindingsAndEndsInItsLastRow() {
    List<Row> rows = chained(3);
    Result result = check(rows, null);
    assertEquals(List.of(), result.findings());
    assertEquals(new Head(3, rows.get(2).hash()), result.head());
    assertEquals(0, result.unchainedEvents());
    assertFalse(result.tailDeleted());
  }

  @Test
  void anEditedPayloadIsAltered() {
    List<Row> rows = new ArrayList<>(chained(3));
    Row second = rows.get(1);
    String edited = new String(second.payload(), StandardCharsets.UTF_8).replace("\"n\":2", "\"n\":7");
    rows.set(1, new Row(2, second.serializerId(), edited.getBytes(StandardCharsets.UTF_8), second.hash()));
    Result result = check(rows, null);
    assertEquals(List.of(Kind.ALTERED), kinds(result));
    assertEquals(2, result.findings().get(0).sequenceNr());
    assertEquals(102L, result.findings().get(0).ordering());
  }

  @Test
  void aGapInSequenceNumbersIsDeleted() {
    List<Row> rows = new ArrayList<>(chained(4));
    rows.remove(1);
    Result result = check(rows, null);
    assertTrue(kinds(result).contains(Kind.DELETED));
    assertEquals(2, result.findings().get(0).sequenceNr());
    assertNull(result.findings().get(0).ordering());
  }

  @Test
  void swappedRowsAreReordered() {
    List<Row> rows = chained(4);
    List<Row> swapped = List.of(rows.get(0), new Row(2, rows.get(2).serializerId(), rows.get(2).payload(), rows.get(2).hash()),
        new Row(3, rows.get(1).serializerId(), rows.get(1).payload(), rows.get(1).hash()), rows.get(3));
    Result result = check(swapped, null);
    assertTrue(kinds(result).contains(Kind.REORDERED));
    assertTrue(kinds(result).stream().allMatch(k -> k == Kind.REORDERED), () -> result.findings().toString());
  }

  @Test
  void rowsFromBeforeTheChainAreUnchainedNotFailures() {
    List<Row> rows = new ArrayList<>();
    rows.add(new Row(1, OTHER_SERIALIZER, "{}".getBytes(StandardCharsets.UTF_8), null));
    rows.add(new Row(2, OTHER_SERIALIZER, "{}".getBytes(StandardCharsets.UTF_8), null));
    Row third = chainedRow(3, JournalHash.genesis(PID), "{\"type\":\"Edited\",\"n\":3}");
    rows.add(third);
    Result result = check(rows, null);
    assertEquals(List.of(Kind.UNCHAINED), kinds(result));
    assertFalse(Kind.UNCHAINED.failure());
    assertEquals(2, result.unchainedEvents());
    assertEquals(new Head(3, third.hash()), result.head());
  }

  @Test
  void aSavedHeadBeyondTheLastRowShowsTheTailDeleted() {
    List<Row> rows = chained(5);
    Head saved = new Head(5, rows.get(4).hash());
    Result result = check(rows.subList(0, 3), saved);
    assertEquals(List.of(Kind.DELETED), kinds(result));
    assertEquals(4, result.findings().get(0).sequenceNr());
    assertTrue(result.tailDeleted());
    assertEquals(new Head(3, rows.get(2).hash()), result.head());
  }

  @Test
  void aSavedHeadWithAnotherHashShowsTheRowsRewritten() {
    List<Row> rows = chained(3);
    Result result = check(rows, new Head(2, "0".repeat(64)));
    assertEquals(List.of(Kind.ALTERED), kinds(result));
    assertEquals(2, result.findings().get(0).sequenceNr());
  }

  @Test
  void aPayloadThatIsNotJsonIsAlteredAndLeavesNoHead() {
    List<Row> rows = new ArrayList<>(chained(1));
    rows.add(new Row(2, ChainedEvent.SERIALIZER_ID, "not json".getBytes(StandardCharsets.UTF_8), null));
    Result result = check(rows, null);
    assertEquals(List.of(Kind.ALTERED), kinds(result));
    assertNull(result.head());
  }
}
