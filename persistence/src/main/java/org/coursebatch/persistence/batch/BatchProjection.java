package org.coursebatch.persistence.batch;

import akka.actor.typed.ActorSystem;
import akka.cluster.sharding.typed.ShardedDaemonProcessSettings;
import akka.cluster.sharding.typed.javadsl.ShardedDaemonProcess;
import akka.persistence.jdbc.query.javadsl.JdbcReadJournal;
import akka.persistence.query.Offset;
import akka.projection.ProjectionBehavior;
import akka.projection.ProjectionId;
import akka.projection.eventsourced.EventEnvelope;
import akka.projection.eventsourced.javadsl.EventSourcedProvider;
import akka.projection.javadsl.ExactlyOnceProjection;
import akka.projection.javadsl.SourceProvider;
import akka.projection.jdbc.javadsl.JdbcProjection;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Optional;
import org.coursebatch.core.batch.BatchEvent;
import org.coursebatch.core.batch.CourseBatchEntity;
import org.coursebatch.persistence.db.Database;
import org.coursebatch.persistence.db.JsonDocuments;
import org.coursebatch.persistence.db.PlainJdbcSession;

/**
 * Runs the {@code course_batch} read model: one exactly-once projection per event tag, spread
 * over the cluster by a sharded daemon process. Offsets are stored in the same transaction as
 * the read-model rows.
 */
public final class BatchProjection {

  public static final String NAME = "course-batch-read-model";

  private BatchProjection() {}

  public static void init(ActorSystem<?> system, Database db) {
    List<String> tags = CourseBatchEntity.tags();
    ObjectMapper mapper = JsonDocuments.mapper(system);
    ShardedDaemonProcess.get(system).init(
        ProjectionBehavior.Command.class,
        NAME,
        tags.size(),
        i -> ProjectionBehavior.create(projection(system, db, mapper, tags.get(i))),
        ShardedDaemonProcessSettings.create(system),
        Optional.of(ProjectionBehavior.stopMessage()));
  }

  static ExactlyOnceProjection<Offset, EventEnvelope<BatchEvent>> projection(ActorSystem<?> system, Database db,
      ObjectMapper mapper, String tag) {
    SourceProvider<Offset, EventEnvelope<BatchEvent>> source =
        EventSourcedProvider.eventsByTag(system, JdbcReadJournal.Identifier(), tag);
    return JdbcProjection.exactlyOnce(
        ProjectionId.of(NAME, tag),
        source,
        () -> new PlainJdbcSession(db.dataSource()),
        () -> new BatchReadModelHandler(mapper),
        system);
  }
}
