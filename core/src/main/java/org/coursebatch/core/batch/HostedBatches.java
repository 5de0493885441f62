package org.coursebatch.core.batch;

import akka.actor.ClassicActorSystemProvider;
import akka.actor.Extension;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.coursebatch.core.SystemExtension;

/**
 * The batches whose entity runs in this actor system, each as its entity last stored or recovered
 * it: a batch read on the node that hosts the batch is answered from here, without a message to
 * the entity (ADR 24).
 *
 * <p>An entity publishes its batch once its recovery has completed and again after each write has
 * been stored, never from the event handler (which runs before the journal has the events), so no
 * reader sees a change the journal might still refuse. It withdraws it when it stops or restarts;
 * a reader then asks the entity, wherever it runs. A batch is immutable, so a reader on any
 * thread sees a whole one.
 */
public final class HostedBatches implements Extension {

  private static final SystemExtension<HostedBatches> ID = new SystemExtension<>(system -> new HostedBatches());

  private final ConcurrentMap<String, Batch> hosted = new ConcurrentHashMap<>();

  private HostedBatches() {}

  /** The hosted batches of {@code system}. */
  public static HostedBatches of(ClassicActorSystemProvider system) {
    return ID.get(system.classicSystem());
  }

  /** The batch {@code batchId} as its entity on this node last published it, if it runs here. */
  public Optional<Batch> current(String batchId) {
    return Optional.ofNullable(hosted.get(batchId));
  }

  /** Published by the batch's entity: its state once stored or recovered. */
  void publish(String batchId, Batch batch) {
    hosted.put(batchId, batch);
  }

  /** Withdrawn by the entity that published {@code batch} as it stops; a newer incarnation's batch stays. */
  void withdraw(String batchId, Batch batch) {
    hosted.remove(batchId, batch);
  }
}
