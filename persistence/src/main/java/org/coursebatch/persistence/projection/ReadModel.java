package org.coursebatch.persistence.projection;

import akka.actor.typed.ActorSystem;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Objects;
import java.util.function.BiFunction;
import java.util.function.Supplier;
import org.coursebatch.persistence.db.Database;
import org.coursebatch.persistence.db.DatabaseSettings;
import org.coursebatch.persistence.db.JsonDocuments;

/**
 * A read model that is a projection of the journal: the projection's name (its offsets are stored
 * under it), the event tags it follows (one projection instance each), every table its handler
 * writes, and how to make the handler. The tables hold nothing but what the handler derived from
 * the journal, so {@link ReadModelRebuild} may empty them and write them again from the journal.
 */
public record ReadModel<E>(String name, List<String> tags, List<String> tables,
    BiFunction<ObjectMapper, DatabaseSettings.Vendor, ReadModelHandler<E>> handlers) {

  public ReadModel {
    Objects.requireNonNull(name, "name");
    tags = List.copyOf(tags);
    tables = List.copyOf(tables);
    Objects.requireNonNull(handlers, "handlers");
  }

  /** Makes a new handler for each projection instance (each tag). */
  public Supplier<ReadModelHandler<E>> handler(ActorSystem<?> system, Database db) {
    ObjectMapper mapper = JsonDocuments.mapper(system);
    DatabaseSettings.Vendor vendor = db.settings().vendor();
    return () -> handlers.apply(mapper, vendor);
  }
}
