package org.coursebatch.node;

import akka.persistence.jdbc.query.javadsl.JdbcReadJournal;
import akka.persistence.query.EventEnvelope;
import akka.persistence.query.Offset;
import akka.persistence.query.PersistenceQuery;
import akka.stream.javadsl.Sink;
import akka.stream.javadsl.Source;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.coursebatch.core.enrollment.EnrollmentEntity;
import org.coursebatch.core.enrollment.EnrollmentEvent;
import org.coursebatch.core.journal.ChainedEvent;

/**
 * Reads events from the journal, as an auditor would: a batch's, or a learner's enrolment in a batch
 * (the events themselves, unwrapped from their hash chain).
 */
final class JournalProbe {
  private JournalProbe() {}

  /** Waits (up to 15 s) until the batch's journal holds an event of that type. */
  static void awaitEvent(ServiceNode node, String batchId, String type) {
    long deadline = System.nanoTime() + java.time.Duration.ofSeconds(15).toNanos();
    while (System.nanoTime() < deadline) {
      if (eventTypes(node, batchId).contains(type)) {
        return;
      }
      NodeApiContract.sleep(100);
    }
    throw new AssertionError("No " + type + " in the journal of batch " + batchId + ": " + eventTypes(node, batchId));
  }

  /** The types of the batch's events, oldest first. */
  static List<String> eventTypes(ServiceNode node, String batchId) {
    return types(events(node, "CourseBatch|" + batchId));
  }

  /** The persistence id of a learner's enrolment in a batch. */
  static String enrollmentId(String batchId, String userId) {
    return EnrollmentEntity.ENTITY_KEY.name() + "|" + EnrollmentEntity.entityId(batchId, userId);
  }

  /** The events of a learner's enrolment in a batch, oldest first (none: never touched). */
  static List<EnrollmentEvent> enrollmentEvents(ServiceNode node, String batchId, String userId) {
    return events(node, enrollmentId(batchId, userId)).stream().map(EnrollmentEvent.class::cast).toList();
  }

  static List<String> enrollmentEventTypes(ServiceNode node, String batchId, String userId) {
    return types(enrollmentEvents(node, batchId, userId));
  }

  /**
   * Every enrolment event of every learner of the batch, in journal order: one query by the
   * batch's tag (shared with other batches, so filtered), as the projection reads them.
   */
  static List<EnrollmentEvent> enrollmentEventsOfBatch(ServiceNode node, String batchId) {
    return run(node, readJournal(node).currentEventsByTag(EnrollmentEntity.tagFor(batchId), Offset.noOffset())
        .map(JournalProbe::eventOf)
        .filter(e -> e instanceof EnrollmentEvent ee && ee.batchId().equals(batchId))
        .map(EnrollmentEvent.class::cast));
  }

  /** Every event in the journal, of every entity. */
  static List<Object> allEvents(ServiceNode node) {
    JdbcReadJournal journal = readJournal(node);
    return run(node, journal.currentPersistenceIds()
        .flatMapConcat(id -> journal.currentEventsByPersistenceId(id, 0, Long.MAX_VALUE).map(JournalProbe::eventOf)));
  }

  static List<Object> events(ServiceNode node, String persistenceId) {
    return run(node, readJournal(node).currentEventsByPersistenceId(persistenceId, 0, Long.MAX_VALUE).map(JournalProbe::eventOf));
  }

  private static Object eventOf(EventEnvelope envelope) {
    return ChainedEvent.unwrap(envelope.event());
  }

  static List<String> types(List<?> events) {
    return events.stream().map(e -> e.getClass().getSimpleName()).toList();
  }

  private static JdbcReadJournal readJournal(ServiceNode node) {
    return PersistenceQuery.get(node.system()).getReadJournalFor(JdbcReadJournal.class, JdbcReadJournal.Identifier());
  }

  private static <T> List<T> run(ServiceNode node, Source<T, ?> source) {
    try {
      return source.runWith(Sink.seq(), node.system()).toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
