package org.coursebatch.persistence.batch;

import akka.actor.typed.ActorSystem;
import java.util.List;
import org.coursebatch.core.batch.BatchEvent;
import org.coursebatch.core.batch.CourseBatchEntity;
import org.coursebatch.persistence.db.Database;
import org.coursebatch.persistence.projection.ReadModel;
import org.coursebatch.persistence.projection.TaggedProjections;

/** Runs the {@code course_batch} read model, one projection per tag of the batch events. */
public final class BatchProjection {

  public static final String NAME = "course-batch-read-model";

  /** The projection and every table {@link BatchReadModelHandler} writes. */
  public static final ReadModel<BatchEvent> READ_MODEL = new ReadModel<>(NAME, CourseBatchEntity.tags(),
      List.of("course_batch", "course_batch_mentor", "course_batch_org"), (mapper, vendor) -> new BatchReadModelHandler(mapper));

  private BatchProjection() {}

  public static void init(ActorSystem<?> system, Database db) {
    TaggedProjections.init(system, db, READ_MODEL);
  }
}
