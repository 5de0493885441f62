package org.coursebatch.core.journal;

import akka.actor.typed.ActorSystem;
import akka.persistence.typed.EventAdapter;
import akka.persistence.typed.EventSeq;
import akka.persistence.typed.PersistenceId;
import akka.persistence.typed.SnapshotAdapter;
import akka.serialization.jackson.JacksonObjectMapperProvider;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectWriter;
import java.util.Optional;
import org.coursebatch.core.JournalEvent;

/**
 * The hash chain of one entity instance: its event adapter wraps each event it persists into a
 * {@link ChainedEvent} linked to the previous one, and its snapshot adapter keeps the chain's head
 * with the snapshot. Recovery reads the head back from the last chained event or snapshot; events
 * and snapshots written before the chain existed are read as they are, and the chain then starts
 * anew from the entity's genesis value with the next event.
 *
 * <p>An entity overrides {@code eventAdapter()} and {@code snapshotAdapter()} with this chain's, and
 * calls {@link #recoveryCompleted()} on {@code RecoveryCompleted}: the head takes effect only
 * then, so a recovery after a failed write (the same adapters, restarted by the persist-failure
 * supervisor) continues from what the journal holds, not from the event that failed.
 */
public final class EventChain<E extends JournalEvent, S> {

  /** The serializer binding of chained events (core's reference.conf); its mapper writes the event for the hash. */
  public static final String BINDING = "journal-chained-json";

  private final String genesis;
  private final ObjectWriter eventWriter;
  /** The hash of the entity's last event, null: unknown (none yet, or only events from before the chain). */
  private String head;
  /** The head as seen by the recovery under way. */
  private String recovered;

  private final EventAdapter<E, Object> events = new EventAdapter<>() {
    @Override
    public Object toJournal(E event) {
      return append(event);
    }

    @Override
    public String manifest(E event) {
      return "";
    }

    @Override
    @SuppressWarnings("unchecked")
    public EventSeq<E> fromJournal(Object stored, String manifest) {
      recovered = ChainedEvent.hashOf(stored).orElse(null);
      return EventSeq.single((E) ChainedEvent.unwrap(stored));
    }
  };

  private final SnapshotAdapter<S> snapshots = new SnapshotAdapter<>() {
    @Override
    public Object toJournal(S state) {
      return new ChainedSnapshot(head, state);
    }

    @Override
    @SuppressWarnings("unchecked")
    public S fromJournal(Object stored) {
      if (stored instanceof ChainedSnapshot snapshot) {
        recovered = snapshot.head();
        return (S) snapshot.state();
      }
      recovered = null; // a snapshot from before the chain
      return (S) stored;
    }
  };

  private EventChain(String persistenceId, ObjectWriter eventWriter) {
    this.genesis = JournalHash.genesis(persistenceId);
    this.eventWriter = eventWriter;
  }

  public static <E extends JournalEvent, S> EventChain<E, S> of(ActorSystem<?> system, PersistenceId persistenceId) {
    var mapper = JacksonObjectMapperProvider.get(system).getOrCreate(BINDING, Optional.empty());
    return new EventChain<>(persistenceId.id(), mapper.writerFor(JournalEvent.class));
  }

  public EventAdapter<E, Object> eventAdapter() {
    return events;
  }

  public SnapshotAdapter<S> snapshotAdapter() {
    return snapshots;
  }

  /** Call on {@code RecoveryCompleted}: the chain continues from what the recovery read. */
  public void recoveryCompleted() {
    head = recovered;
    recovered = null;
  }

  /** The hash the next event will be chained to. */
  public String nextPrevHash() {
    return head != null ? head : genesis;
  }

  private ChainedEvent append(E event) {
    String prevHash = nextPrevHash();
    byte[] json;
    try {
      json = eventWriter.writeValueAsBytes(event);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("Event cannot be written as JSON: " + event, e);
    }
    String hash = JournalHash.chainJson(prevHash, json);
    head = hash;
    return ChainedEvent.written(event, prevHash, hash, json);
  }
}
