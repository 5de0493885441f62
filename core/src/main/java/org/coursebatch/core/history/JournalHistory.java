package org.coursebatch.core.history;

import akka.NotUsed;
import akka.actor.typed.ActorSystem;
import akka.japi.Pair;
import akka.persistence.query.javadsl.CurrentEventsByPersistenceIdQuery;
import akka.persistence.typed.PersistenceId;
import akka.serialization.jackson.JacksonObjectMapperProvider;
import akka.stream.javadsl.Source;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.BiFunction;
import org.coursebatch.core.concurrent.Continuations;
import org.coursebatch.core.JournalEvent;
import org.coursebatch.core.batch.Batch;
import org.coursebatch.core.batch.BatchEvent;
import org.coursebatch.core.batch.BatchState;
import org.coursebatch.core.batch.BatchView;
import org.coursebatch.core.batch.CourseBatchEntity;
import org.coursebatch.core.enrollment.Enrollment;
import org.coursebatch.core.enrollment.EnrollmentEntity;
import org.coursebatch.core.enrollment.EnrollmentEvent;
import org.coursebatch.core.enrollment.EnrollmentId;
import org.coursebatch.core.enrollment.bulk.EnrollmentBatchAdmin.FoundEnrollment;
import org.coursebatch.core.error.ErrorCode;
import org.coursebatch.core.journal.ChainedEvent;

/**
 * The journal as an audit trail: an entity's entries as history items, page by page, and its state
 * at a past instant, rebuilt by replaying its events (never from snapshots or read tables) with
 * the entities' own state transitions ({@link BatchState#apply}, {@link Enrollment#apply}).
 *
 * <p>Entries are read with {@code currentEventsByPersistenceId}, as they are when asked. They may
 * be bare events or {@link ChainedEvent}s; the event is always taken through
 * {@link ChainedEvent#unwrap} and the hash, when there is one, is shown.
 *
 * <p>A learner's enrolments in a batch share one journal (entity {@code batchId:userId}); each of
 * its items is marked with the incarnation it belongs to, and an enrolment id's history is that
 * whole journal (the enrolment's incarnation and those before and after it).
 */
public final class JournalHistory {

  /** The serializer binding the journal stores events with: its JSON is what an item's change shows. */
  private static final String JOURNAL_JSON = "journal-json";

  private final ActorSystem<?> system;
  private final CurrentEventsByPersistenceIdQuery journal;
  private final ObjectMapper json;

  public JournalHistory(ActorSystem<?> system, CurrentEventsByPersistenceIdQuery journal) {
    this.system = system;
    this.journal = journal;
    this.json = JacksonObjectMapperProvider.get(system).getOrCreate(JOURNAL_JSON, Optional.empty());
  }

  public static String batchPersistenceId(String batchId) {
    return PersistenceId.of(CourseBatchEntity.ENTITY_KEY.name(), batchId).id();
  }

  public static String enrollmentPersistenceId(String batchId, String userId) {
    return enrollmentPersistenceIdPrefix(batchId) + userId;
  }

  /** What the persistence ids of every learner's enrolments in the batch begin with. */
  public static String enrollmentPersistenceIdPrefix(String batchId) {
    return PersistenceId.of(EnrollmentEntity.ENTITY_KEY.name(), EnrollmentEntity.entityId(batchId, "")).id();
  }

  /** A page of the batch's history from {@code fromSequenceNr}; fails with BATCH_NOT_FOUND when the batch has no journal. */
  public CompletionStage<HistoryPage> batchHistory(String batchId, long fromSequenceNr, int limit) {
    String pid = batchPersistenceId(batchId);
    return Continuations.toList(entries(pid, fromSequenceNr).take(limit + 1L).map(e -> item(e, null)), system)
        .thenCompose(items -> {
          // An empty page past the end of a batch's journal is an answer; no journal at all is not.
          CompletionStage<Boolean> exists = items.isEmpty()
              ? Continuations.toList(entries(pid, 1).take(1), system).thenApply(first -> !first.isEmpty())
              : CompletableFuture.completedFuture(true);
          return exists.thenApply(found -> {
            if (!found) {
              throw ErrorCode.BATCH_NOT_FOUND.reject(batchId).asException();
            }
            return page(pid, items, limit);
          });
        });
  }

  /**
   * A page of the journal of the enrolment's learner in its batch, every item marked with its
   * incarnation; fails with NOT_FOUND when the learner never had an enrolment of that number.
   * The journal is read from its start, as incarnations count from there.
   */
  public CompletionStage<HistoryPage> enrollmentHistory(EnrollmentId id, long fromSequenceNr, int limit) {
    String pid = enrollmentPersistenceId(id.batchId(), id.userId());
    return incarnations(id.batchId(), id.userId())
        .runFold(new PageCollector(fromSequenceNr, limit), PageCollector::add, system)
        .thenApply(collected -> {
          if (collected.lastIncarnation < id.incarnation()) {
            throw ErrorCode.ENROLLMENT_NOT_FOUND.reject(id).asException();
          }
          return page(pid, collected.page.stream().map(m -> item(m.first(), m.second())).toList(), limit);
        });
  }

  /** Every entry of the batch's journal, oldest first, as they are now. */
  public Source<HistoryItem, NotUsed> batchItems(String batchId) {
    return entries(batchPersistenceId(batchId), 1).map(e -> item(e, null));
  }

  /** Every entry of the learner's journal in the batch, oldest first, each with its incarnation. */
  public Source<HistoryItem, NotUsed> enrollmentItems(String batchId, String userId) {
    return incarnations(batchId, userId).map(m -> item(m.first(), m.second()));
  }

  /** The batch as it was at {@code at}, seen at that instant; BATCH_NOT_FOUND when it did not exist yet. */
  public CompletionStage<BatchView> batchAt(String batchId, Instant at) {
    return stateAt(batchPersistenceId(batchId), at, BatchState.empty(), (s, e) -> s.apply((BatchEvent) e))
        .thenApply(state -> {
          if (state instanceof Batch batch) {
            return BatchView.of(batch, at);
          }
          throw ErrorCode.BATCH_ABSENT_AT.reject(batchId, at).asException();
        });
  }

  /**
   * The enrolment as it was at {@code at}; NOT_FOUND when it did not exist then (not yet enrolled,
   * already deleted, or another incarnation of the learner's enrolment was the one in effect).
   */
  public CompletionStage<FoundEnrollment> enrollmentAt(EnrollmentId id, Instant at) {
    return stateAt(enrollmentPersistenceId(id.batchId(), id.userId()), at, Enrollment.empty(id.batchId(), id.userId()),
        (s, e) -> s.apply((EnrollmentEvent) e))
        .thenApply(state -> {
          if (state.id().filter(id::equals).isEmpty()) {
            throw ErrorCode.ENROLLMENT_ABSENT_AT.reject(id, at).asException();
          }
          return new FoundEnrollment(id, state);
        });
  }

  /** The events recorded at or before {@code at}, in journal order, folded with {@code apply}. */
  private <S> CompletionStage<S> stateAt(String pid, Instant at, S empty, BiFunction<S, JournalEvent, S> apply) {
    return entries(pid, 1).takeWhile(e -> !e.event().at().isAfter(at))
        .runFold(empty, (state, e) -> apply.apply(state, e.event()), system);
  }

  /** The learner's entries, each with the incarnation the enrolment state has after it. */
  private Source<Pair<Entry, Integer>, NotUsed> incarnations(String batchId, String userId) {
    return entries(enrollmentPersistenceId(batchId, userId), 1).statefulMap(
        () -> Enrollment.empty(batchId, userId),
        (state, e) -> {
          Enrollment after = state.apply((EnrollmentEvent) e.event());
          return Pair.create(after, Pair.create(e, after.incarnation()));
        },
        state -> Optional.empty());
  }

  private Source<Entry, NotUsed> entries(String pid, long fromSequenceNr) {
    return journal.currentEventsByPersistenceId(pid, fromSequenceNr, Long.MAX_VALUE)
        .map(env -> new Entry(env.persistenceId(), env.sequenceNr(), ChainedEvent.unwrap(env.event()),
            ChainedEvent.hashOf(env.event()).orElse(null)));
  }

  private HistoryItem item(Entry e, Integer incarnation) {
    ObjectNode change = json.valueToTree(e.event());
    String type = change.path("type").asText(e.event().getClass().getSimpleName());
    change.remove(List.of("type", "actor", "at"));
    return new HistoryItem(e.persistenceId(), e.sequenceNr(), type, e.event().at(), e.event().actor(), e.hash(),
        incarnation, change);
  }

  /** {@code items} holds up to one more than the page: that one's sequence number is where the next page starts. */
  private static HistoryPage page(String pid, List<HistoryItem> items, int limit) {
    if (items.size() > limit) {
      return new HistoryPage(pid, items.subList(0, limit), items.get(limit).sequenceNr());
    }
    return new HistoryPage(pid, items, null);
  }

  /** A stored entry: the event it holds and its hash (null before the chain existed). */
  private record Entry(String persistenceId, long sequenceNr, JournalEvent event, String hash) {}

  /** Keeps the page's entries (and one more) while the fold reads on for the last incarnation. */
  private static final class PageCollector {
    private final long from;
    private final int limit;
    private final List<Pair<Entry, Integer>> page = new ArrayList<>();
    private int lastIncarnation;

    PageCollector(long from, int limit) {
      this.from = from;
      this.limit = limit;
    }

    PageCollector add(Pair<Entry, Integer> marked) {
      if (marked.first().sequenceNr() >= from && page.size() <= limit) {
        page.add(marked);
      }
      lastIncarnation = marked.second();
      return this;
    }
  }
}
