package org.coursebatch.persistence.projection;

import akka.actor.typed.ActorSystem;
import java.util.List;
import org.coursebatch.persistence.batch.BatchProjection;
import org.coursebatch.persistence.db.Database;
import org.coursebatch.persistence.enrollment.EnrollmentProjection;

/**
 * Every read model that is a projection of the journal, and so every table derived from it. A
 * new projection is added here (with its tables in its {@link ReadModel}): the nodes run what is
 * listed here and {@link ReadModelRebuild} empties and rebuilds exactly these tables.
 *
 * <p>Every other table is primary data and no rebuild touches it: the journal itself
 * ({@code event_journal}, {@code event_tag}, {@code snapshot}, {@code durable_state}), the
 * catalog ({@code catalog_course}, {@code catalog_certificate_template}), the user directory
 * ({@code user_profile}, {@code user_consent}), the groups store ({@code learner_group},
 * {@code learner_group_member}), exhaust jobs ({@code exhaust_job}, {@code exhaust_file_chunk}),
 * {@code service_secret}, and the projections' offsets and left-out events
 * ({@code projection_failure}), which a rebuild resets for these read models only.
 */
public final class JournalReadModels {

  private JournalReadModels() {}

  public static final List<ReadModel<?>> ALL = List.of(BatchProjection.READ_MODEL, EnrollmentProjection.READ_MODEL);

  /** The tables derived from the journal, in the order of {@link #ALL}. */
  public static List<String> tables() {
    return ALL.stream().flatMap(m -> m.tables().stream()).toList();
  }

  /**
   * Starts every read model's projections on a node. On PostgreSQL the node first takes its share
   * of {@link ReadModelLock}, so that no rebuild runs while it projects.
   */
  public static void init(ActorSystem<?> system, Database db) {
    ReadModelLock.holdShared(system, db);
    for (ReadModel<?> model : ALL) {
      TaggedProjections.init(system, db, model);
    }
  }
}
