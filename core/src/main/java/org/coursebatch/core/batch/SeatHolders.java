package org.coursebatch.core.batch;

import java.util.AbstractSet;
import java.util.Arrays;
import java.util.Collection;
import java.util.Iterator;

/**
 * The learners holding a seat of a batch: an immutable set of user ids in a sorted array. A batch
 * may have 100,000 holders and records one seat per event, so adding or removing one copies an
 * array (a memory move) instead of rebuilding a hash set: replaying the events after a snapshot
 * stays in milliseconds. Written and read as a plain array of ids, as before.
 */
final class SeatHolders extends AbstractSet<String> {

  static final SeatHolders NONE = new SeatHolders(new String[0]);

  /** Sorted, no duplicates, never changed. */
  private final String[] ids;

  private SeatHolders(String[] ids) {
    this.ids = ids;
  }

  static SeatHolders of(Collection<String> ids) {
    if (ids instanceof SeatHolders same) {
      return same;
    }
    if (ids == null || ids.isEmpty()) {
      return NONE;
    }
    String[] sorted = ids.stream().distinct().sorted().toArray(String[]::new);
    return new SeatHolders(sorted);
  }

  @Override
  public boolean contains(Object o) {
    return o instanceof String id && Arrays.binarySearch(ids, id) >= 0;
  }

  SeatHolders with(String id) {
    int at = Arrays.binarySearch(ids, id);
    if (at >= 0) {
      return this;
    }
    int insert = -at - 1;
    String[] next = new String[ids.length + 1];
    System.arraycopy(ids, 0, next, 0, insert);
    next[insert] = id;
    System.arraycopy(ids, insert, next, insert + 1, ids.length - insert);
    return new SeatHolders(next);
  }

  SeatHolders without(String id) {
    int at = Arrays.binarySearch(ids, id);
    if (at < 0) {
      return this;
    }
    String[] next = new String[ids.length - 1];
    System.arraycopy(ids, 0, next, 0, at);
    System.arraycopy(ids, at + 1, next, at, ids.length - at - 1);
    return new SeatHolders(next);
  }

  @Override
  public Iterator<String> iterator() {
    return Arrays.asList(ids).iterator();
  }

  @Override
  public int size() {
    return ids.length;
  }
}
