package org.coursebatch.core.enrollment.bulk;

import akka.NotUsed;
import akka.japi.Pair;
import akka.stream.javadsl.Source;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletionStage;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.coursebatch.core.access.AccessChecks;
import org.coursebatch.core.access.Learner;
import org.coursebatch.core.batch.BatchService;
import org.coursebatch.core.batch.BatchView;
import org.coursebatch.core.error.ErrorCode;
import org.coursebatch.core.error.Rejection;

/**
 * Applies a request's items a bounded number at a time and streams each result as it finishes,
 * so a long list neither floods the entities nor waits for its slowest item.
 */
final class ItemFanOut {

  /** Items whose learners one directory lookup asks for. */
  static final int LOOKUP_CHUNK = 1_000;

  /** The learners of a chunk of items as the directory knows them (by user id), or why it could not tell. */
  record Learners(Map<String, Learner> known, Rejection failure) {}

  private final AccessChecks access;
  private final BatchService batches;
  private final int parallelism;

  ItemFanOut(AccessChecks access, BatchService batches, int parallelism) {
    this.access = access;
    this.batches = batches;
    this.parallelism = parallelism;
  }

  int parallelism() {
    return parallelism;
  }

  /** Applies {@code item} to each element with its chunk's learners, results in the order they finish. */
  <E, R> Source<R, NotUsed> apply(Source<E, NotUsed> items, Function<E, String> userIdOf,
      BiFunction<E, Learners, CompletionStage<R>> item) {
    return withLearners(items, userIdOf).mapAsyncUnordered(parallelism, p -> item.apply(p.first(), p.second()));
  }

  /**
   * Pairs each item with the learners of its chunk: the directory is asked for the users of
   * {@value #LOOKUP_CHUNK} items at a time (it asks in pages of its own), never once per item.
   */
  private <E> Source<Pair<E, Learners>, NotUsed> withLearners(Source<E, NotUsed> items, Function<E, String> userIdOf) {
    return items.grouped(LOOKUP_CHUNK)
        .mapAsync(1, chunk -> learners(chunk.stream().map(userIdOf).filter(Objects::nonNull).toList())
            .thenApply(found -> chunk.stream().map(e -> Pair.create(e, found)).toList()))
        .mapConcat(pairs -> pairs);
  }

  /** The learners among {@code userIds} the directory knows, or, when it cannot tell, the error each of their items gets. */
  private CompletionStage<Learners> learners(List<String> userIds) {
    return access.knownLearners(userIds).handle((known, e) -> e == null
        ? new Learners(known, null)
        : new Learners(Map.of(), BulkFailures.itemRejection(e, null, null)));
  }

  /** Runs {@code item} on the batch as it is now (its terms decide); a batch that is gone fails the item. */
  <T> CompletionStage<T> onBatch(String batchId, Function<BatchView, CompletionStage<T>> item) {
    return batches.find(batchId).thenCompose(view -> item.apply(view.orElseThrow(
        () -> ErrorCode.UNKNOWN_IDS.reject("batch " + batchId).asException())));
  }
}
