package org.coursebatch.core.enrollment.bulk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.NotUsed;
import akka.stream.javadsl.Sink;
import akka.stream.javadsl.Source;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;
import org.coursebatch.core.enrollment.bulk.ItemFanOut.Learners;
import org.coursebatch.core.error.ErrorCode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ItemFanOutTest {

  private static BulkAdminCluster cluster;

  @BeforeAll
  static void start() {
    cluster = BulkAdminCluster.start("ItemFanOutTest");
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  @AfterEach
  void directoryAnswersAgain() {
    cluster.directory.failure = null;
  }

  private ItemFanOut fanOut(int parallelism) {
    return new ItemFanOut(cluster.access, cluster.batches, parallelism);
  }

  @Test
  void eachItemGetsItsChunksLearnersAsTheDirectoryKnowsThem() {
    List<String> users = List.of(BulkAdminCluster.LEARNERS.get(0), BulkAdminCluster.STRANGER, BulkAdminCluster.UNKNOWN);
    List<String> seen = run(fanOut(4), users, (userId, learners) -> CompletableFuture.completedFuture(
        userId + "=" + (learners.known().containsKey(userId) ? learners.known().get(userId).rootOrgId().orElseThrow() : "unknown")));
    assertEquals(List.of("learner-1=org-a", "nobody-knows=unknown", "stranger=org-b"), sorted(seen));
  }

  @Test
  void theDirectoryIsAskedOncePerThousandItemsNotPerItem() {
    assertEquals(1, lookupsFor(ItemFanOut.LOOKUP_CHUNK));
    assertEquals(2, lookupsFor(ItemFanOut.LOOKUP_CHUNK + 1));
  }

  private int lookupsFor(int items) {
    int before = cluster.directory.profileLookups.get();
    List<String> users = IntStream.range(0, items).mapToObj(i -> "user-" + i).toList();
    assertEquals(items, run(fanOut(16), users, (u, l) -> CompletableFuture.completedFuture(u)).size());
    return cluster.directory.profileLookups.get() - before;
  }

  @Test
  void whenTheDirectoryCannotTellEveryItemOfTheChunkGetsTheFailureAndStillRuns() {
    cluster.directory.failure = new IllegalStateException("directory down");
    List<String> seen = run(fanOut(4), List.of("learner-1", "learner-2"), (userId, learners) -> {
      assertTrue(learners.known().isEmpty());
      return CompletableFuture.completedFuture(userId + ":" + learners.failure().code());
    });
    assertEquals(List.of("learner-1:OPERATION_FAILED", "learner-2:OPERATION_FAILED"), sorted(seen));
  }

  @Test
  void itemsWithoutALearnerAreNotLookedUp() {
    int before = cluster.directory.asked.size();
    List<String> seen = cluster.await(fanOut(2).apply(Source.from(List.of("learner-1", "no-claims", "learner-2")),
            u -> u.equals("no-claims") ? null : u, (u, l) -> CompletableFuture.completedFuture(u))
        .runWith(Sink.seq(), cluster.testKit.system()));
    assertEquals(List.of("learner-1", "learner-2", "no-claims"), sorted(seen));
    assertEquals(List.of(List.of("learner-1", "learner-2")), cluster.directory.asked.subList(before, cluster.directory.asked.size()));
  }

  @Test
  void resultsComeAsItemsFinishAndNoMoreThanTheParallelismAreInFlight() {
    List<CompletableFuture<String>> started = new CopyOnWriteArrayList<>();
    Source<String, NotUsed> results = fanOut(2).apply(Source.from(List.of("first", "second", "third")), u -> u, (u, l) -> {
      var f = new CompletableFuture<String>();
      started.add(f);
      return f.thenApply(x -> u);
    });
    List<String> out = new CopyOnWriteArrayList<>();
    var done = results.runWith(Sink.foreach(out::add), cluster.testKit.system());
    cluster.testKit.createTestProbe().awaitAssert(() -> {
      assertEquals(2, started.size());
      return null;
    });
    started.get(1).complete("");
    cluster.testKit.createTestProbe().awaitAssert(() -> {
      assertEquals(List.of("second"), out);
      assertEquals(3, started.size());
      return null;
    });
    started.get(2).complete("");
    started.get(0).complete("");
    cluster.await(done);
    assertEquals("second", out.get(0));
    assertEquals(3, out.size());
  }

  @Test
  void anItemRunsOnItsBatchAsItIsNowAndAGoneBatchFailsIt() {
    String batchId = cluster.newBatch();
    assertEquals(batchId, cluster.await(fanOut(1).onBatch(batchId, view -> CompletableFuture.completedFuture(view.batch().batchId()))));
    List<String> ran = new ArrayList<>();
    assertEquals(ErrorCode.UNKNOWN_IDS, cluster.refusal(fanOut(1).onBatch("0139-no-such-batch", view -> {
      ran.add(view.batch().batchId());
      return CompletableFuture.completedFuture(null);
    })).code());
    assertTrue(ran.isEmpty());
  }

  private static List<String> run(ItemFanOut fanOut, List<String> users,
      java.util.function.BiFunction<String, Learners, CompletionStage<String>> item) {
    return cluster.await(fanOut.apply(Source.from(users), u -> u, item).runWith(Sink.seq(), cluster.testKit.system()));
  }

  private static List<String> sorted(List<String> items) {
    return items.stream().sorted().toList();
  }
}
