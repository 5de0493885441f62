package org.coursebatch.persistence.enrollment;

import akka.actor.typed.ActorSystem;
import akka.actor.typed.DispatcherSelector;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import org.coursebatch.core.enrollment.ContentState;
import org.coursebatch.core.enrollment.EnrollmentQueries;
import org.coursebatch.core.enrollment.EnrollmentRecord;
import org.coursebatch.core.enrollment.IssuedCertificate;
import org.coursebatch.core.enrollment.Participation;
import org.coursebatch.core.enrollment.QuestionResponse;
import org.coursebatch.persistence.db.Database;
import org.coursebatch.persistence.db.JsonDocuments;

/**
 * Look-ups over the enrolment read model (see {@link EnrollmentReadModelHandler}). All values are
 * bound as statement parameters; only fixed column names and placeholders are put into the SQL text.
 */
public final class JdbcEnrollmentQueries implements EnrollmentQueries {

  private static final TypeReference<List<QuestionResponse>> RESPONSES = new TypeReference<>() {};

  // The position is counted over the (batch_id, participation, waitlist_ticket) index.
  private static final String ENROLLMENTS_OF = "SELECT e.batch_id, e.user_id, e.course_id, e.participation, e.invited,"
      + " e.enrolled_date, e.added_by, e.progress, e.completion_percentage, e.status, e.completed_on,"
      + " e.last_read_content_id, e.last_read_content_status, e.last_content_access_time, e.updated_at,"
      + " CASE WHEN e.participation = 'WAITLISTED' THEN (SELECT COUNT(*) FROM enrollment w"
      + "   WHERE w.batch_id = e.batch_id AND w.participation = 'WAITLISTED' AND w.waitlist_ticket <= e.waitlist_ticket)"
      + " END AS waitlist_position"
      + " FROM enrollment e WHERE e.user_id = ? AND e.participation IN ('ACTIVE', 'WAITLISTED')"
      + " ORDER BY e.last_content_access_time DESC NULLS LAST, e.enrolled_date DESC NULLS LAST, e.batch_id";

  private final Database db;
  private final ObjectMapper mapper;
  private final Executor executor;

  public JdbcEnrollmentQueries(ActorSystem<?> system, Database db) {
    this.db = db;
    this.mapper = JsonDocuments.mapper(system);
    this.executor = system.dispatchers().lookup(DispatcherSelector.fromConfig("course-batch.jdbc-dispatcher"));
  }

  @Override
  public CompletionStage<List<EnrollmentRecord>> enrollmentsOf(String userId) {
    return db.runAsync(executor, connection -> {
      List<EnrollmentRecord> rows = rows(connection, ENROLLMENTS_OF, JdbcEnrollmentQueries::enrollment, userId);
      Map<String, List<IssuedCertificate>> certificates = certificates(connection, userId,
          rows.stream().map(EnrollmentRecord::batchId).toList());
      return rows.stream().map(r -> withCertificates(r, certificates.getOrDefault(r.batchId(), List.of()))).toList();
    });
  }

  @Override
  public CompletionStage<List<String>> participants(String batchId, boolean active) {
    String sql = "SELECT user_id FROM enrollment WHERE batch_id = ? AND participation = ?"
        + " ORDER BY enrolled_date NULLS LAST, user_id";
    Participation participation = active ? Participation.ACTIVE : Participation.INACTIVE;
    return list(sql, rs -> rs.getString(1), batchId, participation.name());
  }

  /** A learner's recorded content states in a batch, by content id. */
  public CompletionStage<List<ContentState>> contentStates(String batchId, String userId) {
    String sql = "SELECT content_id, status, progress, view_count, completed_count, last_access_time,"
        + " last_completed_time, progress_details FROM content_state WHERE batch_id = ? AND user_id = ? ORDER BY content_id";
    return list(sql, rs -> {
      String details = rs.getString("progress_details");
      return new ContentState(rs.getString(1), rs.getInt(2), rs.getInt(3), rs.getInt(4), rs.getInt(5),
          instant(rs, "last_access_time"), instant(rs, "last_completed_time"),
          details == null ? null : mapper.readTree(details));
    }, batchId, userId);
  }

  /** A learner's assessment attempts in a batch, by assessment, then in the order they were taken. */
  public CompletionStage<List<RecordedAttempt>> attempts(String batchId, String userId) {
    String sql = "SELECT content_id, attempt_id, assessment_ts, total_score, total_max_score, responses"
        + " FROM assessment_attempt WHERE batch_id = ? AND user_id = ?"
        + " ORDER BY content_id, assessment_ts NULLS LAST, attempt_id";
    return list(sql, rs -> new RecordedAttempt(rs.getString(1), rs.getString(2), instant(rs, "assessment_ts"),
        rs.getDouble(4), rs.getDouble(5), mapper.readValue(rs.getString(6), RESPONSES)), batchId, userId);
  }

  /** How many learners of a batch stand where; every participation is present, with 0 when none. */
  public CompletionStage<Map<Participation, Long>> countByParticipation(String batchId) {
    String sql = "SELECT participation, COUNT(*) FROM enrollment WHERE batch_id = ? GROUP BY participation";
    return list(sql, rs -> Map.entry(Participation.valueOf(rs.getString(1)), rs.getLong(2)), batchId).thenApply(found -> {
      Map<Participation, Long> counts = new EnumMap<>(Participation.class);
      for (Participation p : Participation.values()) {
        counts.put(p, 0L);
      }
      found.forEach(e -> counts.put(e.getKey(), e.getValue()));
      return Collections.unmodifiableMap(counts);
    });
  }

  @FunctionalInterface
  private interface RowReader<T> {
    T read(ResultSet rs) throws Exception;
  }

  private <T> CompletionStage<List<T>> list(String sql, RowReader<T> reader, String... params) {
    return db.runAsync(executor, connection -> rows(connection, sql, reader, params));
  }

  private static <T> List<T> rows(Connection connection, String sql, RowReader<T> reader, String... params)
      throws Exception {
    try (PreparedStatement ps = connection.prepareStatement(sql)) {
      for (int i = 0; i < params.length; i++) {
        ps.setString(i + 1, params[i]);
      }
      List<T> rows = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          rows.add(reader.read(rs));
        }
      }
      return Collections.unmodifiableList(rows);
    }
  }

  private static EnrollmentRecord enrollment(ResultSet rs) throws SQLException {
    long position = rs.getLong("waitlist_position");
    Integer waitlistPosition = rs.wasNull() ? null : Math.toIntExact(position);
    int readStatus = rs.getInt("last_read_content_status");
    Integer lastReadContentStatus = rs.wasNull() ? null : readStatus;
    return new EnrollmentRecord(rs.getString("batch_id"), rs.getString("user_id"), rs.getString("course_id"),
        Participation.valueOf(rs.getString("participation")), rs.getBoolean("invited"), instant(rs, "enrolled_date"),
        rs.getString("added_by"), rs.getInt("progress"), rs.getInt("completion_percentage"), rs.getInt("status"),
        instant(rs, "completed_on"), rs.getString("last_read_content_id"), lastReadContentStatus,
        instant(rs, "last_content_access_time"), waitlistPosition, List.of(), instant(rs, "updated_at"));
  }

  private static EnrollmentRecord withCertificates(EnrollmentRecord r, List<IssuedCertificate> certificates) {
    return new EnrollmentRecord(r.batchId(), r.userId(), r.courseId(), r.participation(), r.invited(), r.enrolledDate(),
        r.addedBy(), r.progress(), r.completionPercentage(), r.status(), r.completedOn(), r.lastReadContentId(),
        r.lastReadContentStatus(), r.lastContentAccessTime(), r.waitlistPosition(), certificates, r.updatedAt());
  }

  /** The certificates of one user in the given batches, by batch, oldest first: one query for all. */
  private static Map<String, List<IssuedCertificate>> certificates(Connection connection, String userId,
      List<String> batchIds) throws Exception {
    Map<String, List<IssuedCertificate>> byBatch = new LinkedHashMap<>();
    if (batchIds.isEmpty()) {
      return byBatch;
    }
    String sql = "SELECT batch_id, certificate_id, template_id, issued_at, reissue FROM enrollment_certificate"
        + " WHERE user_id = ? AND batch_id IN (" + String.join(", ", Collections.nCopies(batchIds.size(), "?")) + ")"
        + " ORDER BY issued_at, template_id, reissue, certificate_id";
    List<String> params = new ArrayList<>();
    params.add(userId);
    params.addAll(batchIds);
    RowReader<Map.Entry<String, IssuedCertificate>> reader = rs -> Map.entry(rs.getString(1),
        new IssuedCertificate(rs.getString(2), rs.getString(3), Instant.ofEpochMilli(rs.getLong(4)), rs.getBoolean(5)));
    for (var row : rows(connection, sql, reader, params.toArray(String[]::new))) {
      byBatch.computeIfAbsent(row.getKey(), b -> new ArrayList<>()).add(row.getValue());
    }
    return byBatch;
  }

  private static Instant instant(ResultSet rs, String column) throws SQLException {
    long millis = rs.getLong(column);
    return rs.wasNull() ? null : Instant.ofEpochMilli(millis);
  }
}
