package org.coursebatch.persistence.journal;

import static org.junit.jupiter.api.Assertions.*;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** How look-ups share queries: at most so many in flight, the rest grouped into the next, each answered. */
class GroupedLookupsTest {

  /** A query the test answers by hand: the ids of each query, in order, and its answer to complete. */
  static final class HeldQueries implements GroupedLookups.Query<String> {
    final List<List<String>> asked = new ArrayList<>();
    final List<CompletableFuture<Map<String, String>>> answers = new ArrayList<>();

    @Override
    public synchronized CompletionStage<Map<String, String>> find(List<String> ids) {
      asked.add(ids);
      CompletableFuture<Map<String, String>> answer = new CompletableFuture<>();
      answers.add(answer);
      return answer;
    }

    /** Answers query {@code n} with a value for each of its ids but {@code missing}. */
    void answer(int n, String missing) {
      answers.get(n).complete(asked.get(n).stream().filter(id -> !id.equals(missing))
          .collect(Collectors.toMap(id -> id, id -> "found " + id)));
    }
  }

  final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  final DistributionSummary idsPerQuery = registry.summary("ids");

  @Test
  void aLookUpOnAnIdleStoreIsQueriedAtOnceAlone() throws Exception {
    HeldQueries queries = new HeldQueries();
    var lookups = new GroupedLookups<>(queries, 2, 100, idsPerQuery);
    var a = lookups.lookUp("a");
    assertEquals(List.of(List.of("a")), queries.asked);
    queries.answer(0, null);
    assertEquals(Optional.of("found a"), a.toCompletableFuture().get(1, TimeUnit.SECONDS));
  }

  @Test
  void lookUpsArrivingWhileQueriesAreInFlightShareTheNextOne() throws Exception {
    HeldQueries queries = new HeldQueries();
    var lookups = new GroupedLookups<>(queries, 2, 100, idsPerQuery);
    var a = lookups.lookUp("a");
    var b = lookups.lookUp("b");
    var c = lookups.lookUp("c");
    var d = lookups.lookUp("d");
    var c2 = lookups.lookUp("c");
    assertEquals(List.of(List.of("a"), List.of("b")), queries.asked, "two in flight, the rest wait");

    queries.answer(1, null);
    assertEquals(List.of("c", "d"), queries.asked.get(2), "the waiting ids, each once, in one query");
    assertEquals(Optional.of("found b"), b.toCompletableFuture().get(1, TimeUnit.SECONDS));
    assertFalse(a.toCompletableFuture().isDone());

    queries.answer(2, "d");
    assertEquals(Optional.of("found c"), c.toCompletableFuture().get(1, TimeUnit.SECONDS));
    assertEquals(Optional.of("found c"), c2.toCompletableFuture().get(1, TimeUnit.SECONDS));
    assertEquals(Optional.empty(), d.toCompletableFuture().get(1, TimeUnit.SECONDS), "nothing stored: empty");
    queries.answer(0, null);
    assertEquals(Optional.of("found a"), a.toCompletableFuture().get(1, TimeUnit.SECONDS));
    assertEquals(3, queries.asked.size());
    assertEquals(3, idsPerQuery.count());
    assertEquals(4.0, idsPerQuery.totalAmount());
  }

  @Test
  void aQueryTakesAtMostMaxIdsFirstComeFirst() {
    HeldQueries queries = new HeldQueries();
    var lookups = new GroupedLookups<>(queries, 1, 2, idsPerQuery);
    for (String id : List.of("a", "b", "c", "d", "e")) {
      lookups.lookUp(id);
    }
    queries.answer(0, null);
    queries.answer(1, null);
    queries.answer(2, null);
    assertEquals(List.of(List.of("a"), List.of("b", "c"), List.of("d", "e")), queries.asked);
  }

  @Test
  void aFailedQueryFailsItsLookUpsAndTheNextOneStillRuns() throws Exception {
    HeldQueries queries = new HeldQueries();
    var lookups = new GroupedLookups<>(queries, 1, 100, idsPerQuery);
    var a = lookups.lookUp("a");
    var b = lookups.lookUp("b");
    queries.answers.get(0).completeExceptionally(new IllegalStateException("database down"));
    var failure = assertThrows(ExecutionException.class, () -> a.toCompletableFuture().get(1, TimeUnit.SECONDS));
    assertEquals("database down", failure.getCause().getMessage());
    queries.answer(1, null);
    assertEquals(Optional.of("found b"), b.toCompletableFuture().get(1, TimeUnit.SECONDS));
  }

  @Test
  void aQueryThatThrowsFailsItsLookUpsAndFreesItsPlace() throws Exception {
    GroupedLookups.Query<String> refusing = ids -> {
      throw new IllegalStateException("no connection");
    };
    var lookups = new GroupedLookups<>(refusing, 1, 100, idsPerQuery);
    for (int i = 0; i < 3; i++) {
      var failed = lookups.lookUp("a" + i).toCompletableFuture();
      assertThrows(ExecutionException.class, () -> failed.get(1, TimeUnit.SECONDS));
    }
  }

  @Test
  void aQueryThatAnswersNullFailsItsLookUpsRatherThanFindingNothing() {
    GroupedLookups.Query<String> broken = ids -> CompletableFuture.completedFuture(null);
    var lookups = new GroupedLookups<>(broken, 1, 100, idsPerQuery);
    var failed = lookups.lookUp("a").toCompletableFuture();
    assertThrows(ExecutionException.class, () -> failed.get(1, TimeUnit.SECONDS));
  }
}
