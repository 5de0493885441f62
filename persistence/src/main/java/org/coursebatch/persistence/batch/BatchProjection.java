package org.coursebatch.persistence.batch;

import akka.actor.typed.ActorSystem;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.coursebatch.core.batch.CourseBatchEntity;
import org.coursebatch.persistence.db.Database;
import org.coursebatch.persistence.db.JsonDocuments;
import org.coursebatch.persistence.projection.TaggedProjections;

/** Runs the {@code course_batch} read model, one projection per tag of the batch events. */
public final class BatchProjection {

  public static final String NAME = "course-batch-read-model";

  private BatchProjection() {}

  public static void init(ActorSystem<?> system, Database db) {
    ObjectMapper mapper = JsonDocuments.mapper(system);
    TaggedProjections.init(system, db, NAME, CourseBatchEntity.tags(), () -> new BatchReadModelHandler(mapper));
  }
}
