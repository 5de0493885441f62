package org.coursebatch.persistence.projection;

import akka.actor.typed.ActorSystem;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.coursebatch.persistence.db.Database;

/**
 * Retries, outside the nodes, the events the projections left out ({@link ProjectionFailures}),
 * as each projection instance does when it starts: for {@code audit failures --retry} after the
 * cause was fixed. Like a rebuild it writes what the nodes' projections write, so it holds
 * {@link ReadModelLock} exclusively: every node on the database must be stopped.
 */
public final class LeftOutRetry {

  private LeftOutRetry() {}

  /** Retries every projection's left-out events; answers, per projection instance that had any, what it did. */
  public static Map<String, String> run(ActorSystem<?> system, Database db) throws Exception {
    return run(system, db, JournalReadModels.ALL);
  }

  static Map<String, String> run(ActorSystem<?> system, Database db, List<ReadModel<?>> models) throws Exception {
    Map<String, String> done = new LinkedHashMap<>();
    try (ReadModelLock lock = ReadModelLock.exclusive(db, ReadModelRebuild.WAIT_FOR_NODES)) {
      for (ReadModel<?> model : models) {
        for (String tag : model.tags()) {
          retry(system, db, model, tag).ifPresent(r -> done.put(model.name() + "/" + tag, r));
        }
      }
    }
    return done;
  }

  private static <E> Optional<String> retry(ActorSystem<?> system, Database db, ReadModel<E> model, String tag)
      throws Exception {
    ReadModelHandler<E> handler = TaggedProjections.boundHandler(system, db, model.name(), tag, model.handler(system, db));
    EventQuarantine.Retried retried = handler.retryLeftOut();
    return retried.written() + retried.left() == 0 ? Optional.empty()
        : Optional.of(retried.written() + " written, " + retried.left() + " still left out");
  }
}
