package org.coursebatch.persistence.enrollment;

import akka.actor.typed.ActorSystem;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.coursebatch.core.enrollment.EnrollmentEntity;
import org.coursebatch.persistence.db.Database;
import org.coursebatch.persistence.db.JsonDocuments;
import org.coursebatch.persistence.projection.TaggedProjections;

/** Runs the enrolment read model, one projection per tag of the enrolment events. */
public final class EnrollmentProjection {

  public static final String NAME = "enrollment-read-model";

  private EnrollmentProjection() {}

  public static void init(ActorSystem<?> system, Database db) {
    ObjectMapper mapper = JsonDocuments.mapper(system);
    TaggedProjections.init(system, db, NAME, EnrollmentEntity.tags(),
        () -> new EnrollmentReadModelHandler(mapper, db.settings().vendor()));
  }
}
