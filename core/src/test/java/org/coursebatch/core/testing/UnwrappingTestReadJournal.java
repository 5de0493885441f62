package org.coursebatch.core.testing;

import akka.NotUsed;
import akka.actor.ExtendedActorSystem;
import akka.persistence.query.EventEnvelope;
import akka.persistence.query.ReadJournalProvider;
import akka.persistence.query.scaladsl.CurrentEventsByPersistenceIdQuery;
import akka.persistence.query.scaladsl.ReadJournal;
import akka.persistence.testkit.query.PersistenceTestKitReadJournalProvider;
import akka.stream.scaladsl.Source;
import com.typesafe.config.Config;
import org.coursebatch.core.journal.ChainedEvent;

/**
 * The persistence testkit's read journal, with the events that {@code EventSourcedBehaviorTestKit}
 * reports as a command's result unwrapped from their {@link ChainedEvent} (the testkit does not
 * apply an entity's event adapter; readers of the journal unwrap, as this does). What the journal
 * stores is still seen through {@code persistenceTestKit().persistedInStorage}. Configured in
 * application-test.conf as {@code akka.persistence.testkit.query.class}.
 */
public final class UnwrappingTestReadJournal implements ReadJournalProvider {

  private final PersistenceTestKitReadJournalProvider delegate;

  public UnwrappingTestReadJournal(ExtendedActorSystem system, Config config, String configPath) {
    this.delegate = new PersistenceTestKitReadJournalProvider(system, config, configPath);
  }

  @Override
  public ReadJournal scaladslReadJournal() {
    return new Unwrapping(delegate.scaladslReadJournal());
  }

  @Override
  public akka.persistence.query.javadsl.ReadJournal javadslReadJournal() {
    return delegate.javadslReadJournal();
  }

  private record Unwrapping(CurrentEventsByPersistenceIdQuery journal) implements ReadJournal, CurrentEventsByPersistenceIdQuery {
    @Override
    public Source<EventEnvelope, NotUsed> currentEventsByPersistenceId(String persistenceId, long fromSequenceNr,
        long toSequenceNr) {
      return journal.currentEventsByPersistenceId(persistenceId, fromSequenceNr, toSequenceNr).asJava()
          .map(e -> new EventEnvelope(e.offset(), e.persistenceId(), e.sequenceNr(), ChainedEvent.unwrap(e.event()),
              e.timestamp(), e.eventMetadata()))
          .asScala();
    }
  }
}
