package org.coursebatch.core.enrollment;

import akka.actor.typed.ActorSystem;
import akka.stream.javadsl.Source;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.coursebatch.core.concurrent.Continuations;
import org.coursebatch.core.enrollment.EnrollmentService.ItemOutcome;
import org.coursebatch.core.error.ErrorCode;
import org.coursebatch.core.error.RejectedException;
import org.coursebatch.core.error.Rejections;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one action per learner of a request (participants, certificates), a bounded number at a
 * time, and answers item by item: an item that did not answer in time is SERVICE_UNAVAILABLE next
 * to the others; when no item was applied, the first such failure fails the whole request.
 */
final class LearnerItems {

  // Logged under the service's name, as before the split, so log filters keep working.
  private static final Logger log = LoggerFactory.getLogger(EnrollmentService.class);

  /** How many learners of one request are handled at once. */
  private static final int PARALLELISM = 16;

  private final ActorSystem<?> system;

  LearnerItems(ActorSystem<?> system) {
    this.system = system;
  }

  /** The outcome of {@code action} for each distinct user, in the order of {@code userIds}. */
  CompletionStage<Map<String, ItemOutcome>> forEach(List<String> userIds,
      Function<String, CompletionStage<EnrollmentReply.Accepted>> action) {
    List<String> distinct = List.copyOf(new LinkedHashSet<>(userIds));
    Map<String, Throwable> unavailable = new ConcurrentHashMap<>();
    return Continuations.toList(Source.from(distinct)
        .mapAsync(PARALLELISM, userId -> action.apply(userId)
            .thenApply(a -> Map.entry(userId, ItemOutcome.ok(a.issued())))
            .exceptionally(e -> {
              if (Rejections.unwrap(e) instanceof RejectedException r) {
                return Map.entry(userId, ItemOutcome.failed(r.rejection()));
              }
              log.warn("Item for user {} not known to be applied: {}", userId, Rejections.unwrap(e).toString());
              unavailable.put(userId, Rejections.unwrap(e));
              return Map.entry(userId, ItemOutcome.failed(ErrorCode.SERVICE_UNAVAILABLE.reject()));
            })), system)
        .thenApply(entries -> {
          Map<String, ItemOutcome> out = new LinkedHashMap<>();
          entries.forEach(e -> out.put(e.getKey(), e.getValue()));
          boolean noneApplied = out.values().stream().noneMatch(ItemOutcome::succeeded);
          if (noneApplied && !unavailable.isEmpty()) {
            throw Rejections.propagate(unavailable.values().iterator().next());
          }
          return out;
        });
  }
}
