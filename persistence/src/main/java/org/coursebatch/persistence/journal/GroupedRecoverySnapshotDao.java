package org.coursebatch.persistence.journal;

import akka.persistence.SnapshotMetadata;
import akka.persistence.jdbc.config.SnapshotConfig;
import akka.persistence.jdbc.snapshot.dao.DefaultSnapshotDao;
import akka.serialization.Serialization;
import akka.stream.Materializer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import scala.Option;
import scala.Tuple2;
import scala.concurrent.ExecutionContext;
import scala.concurrent.Future;
import scala.jdk.javaapi.FutureConverters;
import slick.jdbc.JdbcBackend;
import slick.jdbc.JdbcProfile;

/**
 * The snapshot store's DAO: the plugin's, but an entity's recovery asks for its latest snapshot in a
 * query shared with the other entities recovering at the same time (ADR 25). Snapshots chosen by
 * other criteria, saves and deletes are the plugin's.
 *
 * <p>Same answer as the plugin's: the snapshot with the highest sequence number of the id, with its
 * metadata if it has any, or none. Rows are read on the journal's executor and deserialized on the
 * store's dispatcher.
 */
public class GroupedRecoverySnapshotDao extends DefaultSnapshotDao {

  static final String LATEST_SNAPSHOTS = "SELECT s.\"persistence_id\", s.\"sequence_number\", s.\"created\","
      + " s.\"snapshot_ser_id\", s.\"snapshot_ser_manifest\", s.\"snapshot_payload\","
      + " s.\"meta_ser_id\", s.\"meta_ser_manifest\", s.\"meta_payload\""
      + " FROM \"snapshot\" s WHERE s.\"persistence_id\" = ANY(?) AND s.\"sequence_number\" ="
      + " (SELECT MAX(m.\"sequence_number\") FROM \"snapshot\" m WHERE m.\"persistence_id\" = s.\"persistence_id\")";

  /** A snapshot's row, not yet deserialized; {@code metaPayload} null when it has no metadata. */
  record Row(String persistenceId, long sequenceNr, long created, int serId, String serManifest, byte[] payload,
      Integer metaSerId, String metaSerManifest, byte[] metaPayload) {}

  private final GroupedLookups<Row> latest;
  private final Serialization serialization;
  private final ExecutionContext ec;

  /** The constructor the snapshot store looks up for {@code jdbc-snapshot-store.dao}. */
  public GroupedRecoverySnapshotDao(JdbcBackend.DatabaseDef db, JdbcProfile profile, SnapshotConfig snapshotConfig,
      Serialization serialization, ExecutionContext ec, Materializer mat) {
    super(db, profile, snapshotConfig, serialization, ec, mat);
    this.serialization = serialization;
    this.ec = ec;
    this.latest = RecoveryQueries.grouped(db, mat.system(), "snapshot", GroupedRecoverySnapshotDao::latestSnapshots);
  }

  @Override
  public Future<Option<Tuple2<SnapshotMetadata, Object>>> latestSnapshot(String persistenceId) {
    if (!RecoveryQueries.shareable(persistenceId)) {
      return super.latestSnapshot(persistenceId);
    }
    return FutureConverters.asScala(latest.lookUp(persistenceId)
        .thenApplyAsync(row -> Option.apply(row.map(this::deserialize).orElse(null)), ec::execute));
  }

  /** The latest snapshot's row of each id that has one. */
  static Map<String, Row> latestSnapshots(Connection connection, List<String> ids) throws SQLException {
    Map<String, Row> found = new HashMap<>();
    try (PreparedStatement st = RecoveryQueries.withIds(connection, LATEST_SNAPSHOTS, ids);
        ResultSet rs = st.executeQuery()) {
      while (rs.next()) {
        Row row = new Row(rs.getString(1), rs.getLong(2), rs.getLong(3), rs.getInt(4), rs.getString(5),
            rs.getBytes(6), rs.getObject(7, Integer.class), rs.getString(8), rs.getBytes(9));
        found.put(row.persistenceId(), row);
      }
    }
    return found;
  }

  /** The snapshot and its metadata; a payload that does not deserialize fails the recovery, as in the plugin. */
  private Tuple2<SnapshotMetadata, Object> deserialize(Row row) {
    Object snapshot = serialization.deserialize(row.payload(), row.serId(), row.serManifest()).get();
    Optional<Object> meta = row.metaPayload() == null || row.metaSerId() == null
        ? Optional.empty()
        : Optional.of(serialization.deserialize(row.metaPayload(), row.metaSerId(),
            row.metaSerManifest() == null ? "" : row.metaSerManifest()).get());
    SnapshotMetadata metadata = new SnapshotMetadata(row.persistenceId(), row.sequenceNr(), row.created(),
        Option.apply(meta.orElse(null)));
    return new Tuple2<>(metadata, snapshot);
  }
}
