package org.coursebatch.persistence.journal;

import io.micrometer.core.instrument.DistributionSummary;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Look-ups by persistence id that share queries: one that arrives while {@code inFlight} queries
 * are under way waits for the next, which answers every id that waited (at most {@code maxIds}) in
 * one statement (ADR 25). No wait is added: a look-up on an idle store is queried at once, alone.
 *
 * <p>Entities start recovering in crowds (each enrolment starts one, a bulk request thousands),
 * and each recovery asked the database twice, one row each time; grouped, a crowd of entities
 * costs a few statements, not two per entity.
 *
 * @param <V> what a look-up finds; an id with nothing stored is answered empty
 */
final class GroupedLookups<V> {

  /** One query for many ids: what it found, by id; an id it found nothing for is left out. */
  interface Query<V> {
    CompletionStage<Map<String, V>> find(List<String> ids);
  }

  private record Waiting<V>(String id, CompletableFuture<Optional<V>> answer) {}

  private final Query<V> query;
  private final int inFlightLimit;
  private final int maxIds;
  private final DistributionSummary idsPerQuery;

  // Guarded by this.
  private final ArrayDeque<Waiting<V>> waiting = new ArrayDeque<>();
  private int inFlight;

  GroupedLookups(Query<V> query, int inFlightLimit, int maxIds, DistributionSummary idsPerQuery) {
    if (inFlightLimit < 1 || maxIds < 1) {
      throw new IllegalArgumentException("at least one query in flight and one id per query");
    }
    this.query = query;
    this.inFlightLimit = inFlightLimit;
    this.maxIds = maxIds;
    this.idsPerQuery = idsPerQuery;
  }

  /** What is stored for {@code id}, found by this query or a later one shared with other ids. */
  CompletionStage<Optional<V>> lookUp(String id) {
    Waiting<V> lookUp = new Waiting<>(id, new CompletableFuture<>());
    List<Waiting<V>> group;
    synchronized (this) {
      waiting.add(lookUp);
      group = inFlight < inFlightLimit ? takeGroup() : null;
    }
    if (group != null) {
      query(group);
    }
    return lookUp.answer();
  }

  /** The next group, counted in flight; the caller holds the lock and queries it. */
  private List<Waiting<V>> takeGroup() {
    List<Waiting<V>> group = new ArrayList<>(Math.min(waiting.size(), maxIds));
    while (!waiting.isEmpty() && group.size() < maxIds) {
      group.add(waiting.poll());
    }
    inFlight++;
    return group;
  }

  private void query(List<Waiting<V>> group) {
    LinkedHashSet<String> ids = new LinkedHashSet<>();
    for (Waiting<V> w : group) {
      ids.add(w.id());
    }
    idsPerQuery.record(ids.size());
    CompletionStage<Map<String, V>> found;
    try {
      found = query.find(List.copyOf(ids));
    } catch (RuntimeException e) {
      found = CompletableFuture.failedFuture(e);
    }
    found.whenComplete((byId, failure) -> {
      // The next group goes to the database before this one's answers are handed out.
      List<Waiting<V>> next;
      synchronized (this) {
        inFlight--;
        next = waiting.isEmpty() ? null : takeGroup();
      }
      if (next != null) {
        query(next);
      }
      // No answer at all is a failure, never "nothing stored": a new entity's first sequence number
      // would collide with the events it has.
      Throwable failed = failure == null && byId == null
          ? new IllegalStateException("a look-up query answered null")
          : failure;
      for (Waiting<V> w : group) {
        if (failed != null) {
          w.answer().completeExceptionally(failed);
        } else {
          w.answer().complete(Optional.ofNullable(byId.get(w.id())));
        }
      }
    });
  }
}
