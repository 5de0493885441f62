package org.coursebatch.persistence.journal;

import akka.actor.ClassicActorSystemProvider;
import akka.actor.Extension;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.coursebatch.core.SystemExtension;

/**
 * The {@link JournalExecutor}s of an actor system, so readiness and the read-model rebuild can tell
 * whether the journal's database actions move.
 */
public final class JournalExecutors implements Extension {

  public static final SystemExtension<JournalExecutors> ID = new SystemExtension<>(system -> new JournalExecutors());

  private final List<JournalExecutor> executors = new CopyOnWriteArrayList<>();

  private JournalExecutors() {}

  public static JournalExecutors get(ClassicActorSystemProvider system) {
    return ID.get(system.classicSystem());
  }

  void register(JournalExecutor executor) {
    executors.add(executor);
  }

  public List<JournalExecutor.Health> health() {
    return executors.stream().map(JournalExecutor::health).toList();
  }

  /** The first executor with work waiting that finished nothing for {@code after}, if any. */
  public Optional<JournalExecutor.Health> stalled(Duration after) {
    return health().stream().filter(h -> h.stalled(after)).findFirst();
  }
}
