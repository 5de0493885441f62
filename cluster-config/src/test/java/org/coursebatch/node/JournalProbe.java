package org.coursebatch.node;

import akka.persistence.jdbc.query.javadsl.JdbcReadJournal;
import akka.persistence.query.PersistenceQuery;
import akka.stream.javadsl.Sink;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Reads a batch's events from the journal, as an auditor would. */
final class JournalProbe {
  private JournalProbe() {}

  /** Waits (up to 15 s) until the batch's journal holds an event of that type. */
  static void awaitEvent(ServiceNode node, String batchId, String type) {
    long deadline = System.nanoTime() + java.time.Duration.ofSeconds(15).toNanos();
    while (System.nanoTime() < deadline) {
      if (eventTypes(node, batchId).contains(type)) {
        return;
      }
      BatchApiContract.sleep(100);
    }
    throw new AssertionError("No " + type + " in the journal of batch " + batchId + ": " + eventTypes(node, batchId));
  }

  static List<String> eventTypes(ServiceNode node, String batchId) {
    JdbcReadJournal journal = PersistenceQuery.get(node.system()).getReadJournalFor(JdbcReadJournal.class, JdbcReadJournal.Identifier());
    try {
      return journal.currentEventsByPersistenceId("CourseBatch|" + batchId, 0, Long.MAX_VALUE)
          .map(env -> env.event().getClass().getSimpleName())
          .runWith(Sink.seq(), node.system())
          .toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
