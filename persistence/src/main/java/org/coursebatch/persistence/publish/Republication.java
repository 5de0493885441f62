package org.coursebatch.persistence.publish;

import akka.actor.typed.ActorSystem;
import akka.persistence.jdbc.query.javadsl.JdbcReadJournal;
import akka.persistence.query.EventEnvelope;
import akka.persistence.query.Offset;
import akka.persistence.query.PersistenceQuery;
import akka.persistence.query.Sequence;
import akka.stream.javadsl.Sink;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;
import org.coursebatch.core.publish.EventSink;
import org.coursebatch.core.publish.OutboundEvent;

/**
 * Publishes a range of the journal again to one sink, for a consumer that lost messages
 * ({@code audit republish}). The entries of each tag are read in journal order and delivered in
 * groups, one group acknowledged before the next, so the order per key is the publication's.
 * Messages are the ones first published (same event ids and bodies): consumers drop those they have.
 * The publication's own offset is not touched.
 */
public final class Republication {

  /**
   * Which entries: journal orderings (the offsets the publications store) in
   * {@code [fromOffset, toOffset]}, written in {@code [since, until)}; null bounds are open.
   */
  public record Range(Long fromOffset, Long toOffset, Instant since, Instant until) {
    public Range {
      if (fromOffset != null && toOffset != null && toOffset < fromOffset) {
        throw new IllegalArgumentException("--to-offset " + toOffset + " is before --from-offset " + fromOffset);
      }
      if (since != null && until != null && !until.isAfter(since)) {
        throw new IllegalArgumentException("--until " + until + " is not after --since " + since);
      }
    }

    boolean includes(long ordering, long timestampMillis) {
      return (fromOffset == null || ordering >= fromOffset) && (toOffset == null || ordering <= toOffset)
          && (since == null || timestampMillis >= since.toEpochMilli()) && (until == null || timestampMillis < until.toEpochMilli());
    }

    boolean past(long ordering) {
      return toOffset != null && ordering > toOffset;
    }
  }

  /** Journal entries read in the range, and the messages they published. */
  public record Result(long entries, long published) {}

  static final int GROUP_SIZE = 200;

  private Republication() {}

  /**
   * Republishes {@code range} of {@code tags} to {@code sink}, each group within {@code timeout};
   * {@code progress} hears each entry read.
   */
  public static Result run(ActorSystem<?> system, EventSink sink, List<String> tags, Range range, Duration timeout,
      LongConsumer progress) throws Exception {
    JdbcReadJournal journal = PersistenceQuery.get(system).getReadJournalFor(JdbcReadJournal.class, JdbcReadJournal.Identifier());
    Offset start = range.fromOffset() == null ? Offset.noOffset() : Offset.sequence(range.fromOffset() - 1);
    long entries = 0;
    long published = 0;
    for (String tag : tags) {
      List<List<EventEnvelope>> groups = new ArrayList<>();
      // One tag's entries at a time, delivered in order; a tag is read up to now (currentEventsByTag).
      List<EventEnvelope> read = journal.currentEventsByTag(tag, start)
          .takeWhile(e -> !range.past(ordering(e)))
          .filter(e -> range.includes(ordering(e), e.timestamp()))
          .runWith(Sink.seq(), system).toCompletableFuture().get();
      for (int i = 0; i < read.size(); i += GROUP_SIZE) {
        groups.add(read.subList(i, Math.min(read.size(), i + GROUP_SIZE)));
      }
      for (List<EventEnvelope> group : groups) {
        List<OutboundEvent> events = new ArrayList<>();
        for (EventEnvelope e : group) {
          EventPublication.outbound(e.persistenceId(), e.sequenceNr(), e.timestamp(), e.event()).ifPresent(events::addAll);
          entries++;
          progress.accept(entries);
        }
        if (!events.isEmpty()) {
          sink.deliver(List.copyOf(events)).toCompletableFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
          published += events.size();
        }
      }
    }
    return new Result(entries, published);
  }

  private static long ordering(EventEnvelope e) {
    return ((Sequence) e.offset()).value();
  }
}
