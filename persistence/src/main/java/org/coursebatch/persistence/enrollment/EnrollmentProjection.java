package org.coursebatch.persistence.enrollment;

import akka.actor.typed.ActorSystem;
import java.util.List;
import org.coursebatch.core.enrollment.EnrollmentEntity;
import org.coursebatch.core.enrollment.EnrollmentEvent;
import org.coursebatch.persistence.db.Database;
import org.coursebatch.persistence.projection.ReadModel;
import org.coursebatch.persistence.projection.TaggedProjections;

/** Runs the enrolment read model, one projection per tag of the enrolment events. */
public final class EnrollmentProjection {

  public static final String NAME = "enrollment-read-model";

  /** The projection and every table {@link EnrollmentReadModelHandler} writes (tombstones are rows of {@code enrollment}). */
  public static final ReadModel<EnrollmentEvent> READ_MODEL = new ReadModel<>(NAME, EnrollmentEntity.tags(),
      List.of("enrollment", "content_state", "assessment_attempt", "enrollment_certificate"),
      EnrollmentReadModelHandler::new);

  private EnrollmentProjection() {}

  public static void init(ActorSystem<?> system, Database db) {
    TaggedProjections.init(system, db, READ_MODEL);
  }
}
