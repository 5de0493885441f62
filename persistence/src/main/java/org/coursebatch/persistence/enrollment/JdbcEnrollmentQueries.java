package org.coursebatch.persistence.enrollment;

import akka.NotUsed;
import akka.actor.typed.ActorSystem;
import akka.japi.Pair;
import akka.stream.javadsl.Source;
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
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import org.coursebatch.core.enrollment.ContentState;
import org.coursebatch.core.enrollment.EnrollmentId;
import org.coursebatch.core.enrollment.EnrollmentQueries;
import org.coursebatch.core.enrollment.EnrollmentRecord;
import org.coursebatch.core.enrollment.EnrollmentSelection;
import org.coursebatch.core.enrollment.IssuedCertificate;
import org.coursebatch.core.enrollment.Participation;
import org.coursebatch.core.enrollment.QuestionResponse;
import org.coursebatch.persistence.db.Database;
import org.coursebatch.persistence.db.JsonDocuments;
import org.coursebatch.persistence.db.SqlParameters;

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

  /** Enrolments that exist: enrolled, waiting or left (not merely invited, not deleted). */
  private static final String EXISTING = "e.participation IN ('ACTIVE', 'WAITLISTED', 'INACTIVE')";

  static final int ID_PAGE_SIZE = 500;

  private final Database db;
  private final ObjectMapper mapper;
  private final Executor executor;
  private final int idPageSize;

  public JdbcEnrollmentQueries(ActorSystem<?> system, Database db) {
    this(system, db, ID_PAGE_SIZE);
  }

  /** {@code idPageSize}: how many enrolment ids {@link #enrollmentIds} reads a query. */
  JdbcEnrollmentQueries(ActorSystem<?> system, Database db, int idPageSize) {
    if (idPageSize < 1) {
      throw new IllegalArgumentException("idPageSize must be positive: " + idPageSize);
    }
    this.db = db;
    this.mapper = JsonDocuments.mapper(system);
    this.executor = Database.jdbcExecutor(system);
    this.idPageSize = idPageSize;
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

  /**
   * How many learners of a batch stand where: every participation but {@link Participation#DELETED}
   * is present, with 0 when none (deleted enrolments are counted nowhere).
   */
  public CompletionStage<Map<Participation, Long>> countByParticipation(String batchId) {
    String sql = "SELECT participation, COUNT(*) FROM enrollment WHERE batch_id = ? AND participation <> 'DELETED'"
        + " GROUP BY participation";
    return list(sql, rs -> Map.entry(Participation.valueOf(rs.getString(1)), rs.getLong(2)), batchId).thenApply(found -> {
      Map<Participation, Long> counts = new EnumMap<>(Participation.class);
      for (Participation p : Participation.values()) {
        if (p != Participation.DELETED) {
          counts.put(p, 0L);
        }
      }
      found.forEach(e -> counts.put(e.getKey(), e.getValue()));
      return Collections.unmodifiableMap(counts);
    });
  }

  /**
   * Keyset pagination over the primary key: each page is one query for the ids after the last one
   * read, on the JDBC dispatcher, and the next page is read only when the stream wants more.
   */
  @Override
  public Source<EnrollmentId, NotUsed> enrollmentIds(EnrollmentSelection selection) {
    Where where = where(selection);
    String first = "SELECT e.batch_id, e.user_id, e.incarnation FROM enrollment e WHERE " + where.sql
        + " ORDER BY e.batch_id, e.user_id LIMIT ?";
    // (batch_id, user_id) > (?, ?), spelled out for H2 and PostgreSQL alike; the leading batch_id >= ?
    // lets either start a range scan of the primary key there
    String next = "SELECT e.batch_id, e.user_id, e.incarnation FROM enrollment e WHERE " + where.sql
        + " AND e.batch_id >= ? AND (e.batch_id > ? OR (e.batch_id = ? AND e.user_id > ?))"
        + " ORDER BY e.batch_id, e.user_id LIMIT ?";
    RowReader<EnrollmentId> reader = rs -> new EnrollmentId(rs.getString(1), rs.getString(2), rs.getInt(3));
    return Source.unfoldAsync(IdPage.START, page -> {
      if (page.last) {
        return CompletableFuture.completedFuture(Optional.<Pair<IdPage, List<EnrollmentId>>>empty());
      }
      List<Object> params = new ArrayList<>(where.params);
      EnrollmentId after = page.after;
      if (after != null) {
        params.addAll(List.of(after.batchId(), after.batchId(), after.batchId(), after.userId()));
      }
      params.add(idPageSize);
      return db.runAsync(executor, connection -> rows(connection, after == null ? first : next, reader, params.toArray()))
          .thenApply(ids -> ids.isEmpty() ? Optional.<Pair<IdPage, List<EnrollmentId>>>empty()
              : Optional.of(Pair.create(new IdPage(ids.get(ids.size() - 1), ids.size() < idPageSize), ids)));
    }).mapConcat(ids -> ids);
  }

  /** Where a read of enrolment ids stands: after which id ({@code null} at the start), and whether that was the last page. */
  private record IdPage(EnrollmentId after, boolean last) {
    static final IdPage START = new IdPage(null, false);
  }

  /** A condition on {@code enrollment e} and the values for its placeholders, in order. */
  private record Where(String sql, List<Object> params) {}

  private static Where where(EnrollmentSelection selection) {
    StringBuilder sql = new StringBuilder(EXISTING);
    List<Object> params = new ArrayList<>();
    if (selection.batchId() != null) {
      sql.append(" AND e.batch_id = ?");
      params.add(selection.batchId());
    }
    if (selection.userId() != null) {
      sql.append(" AND e.user_id = ?");
      params.add(selection.userId());
    }
    if (selection.administeredBy() != null) {
      sql.append(" AND e.batch_id IN (SELECT b.batch_id FROM course_batch b WHERE b.created_by = ?"
          + " UNION SELECT m.batch_id FROM course_batch_mentor m WHERE m.user_id = ?");
      params.add(selection.administeredBy());
      params.add(selection.administeredBy());
      if (selection.organisation() != null) {
        sql.append(" UNION SELECT o.batch_id FROM course_batch_org o WHERE o.org_id = ?");
        params.add(selection.organisation());
      }
      sql.append(")");
    }
    if (selection.ineffectiveAt() != null) {
      long at = selection.ineffectiveAt().toEpochMilli();
      sql.append(" AND ((e.participation = 'INACTIVE' AND e.left_on <= ?) OR EXISTS (SELECT 1 FROM course_batch b"
          + " WHERE b.batch_id = e.batch_id AND b.ends_at IS NOT NULL AND b.ends_at <= ?))");
      params.add(at);
      params.add(at);
    }
    return new Where(sql.toString(), Collections.unmodifiableList(params));
  }

  @FunctionalInterface
  private interface RowReader<T> {
    T read(ResultSet rs) throws Exception;
  }

  private <T> CompletionStage<List<T>> list(String sql, RowReader<T> reader, Object... params) {
    return db.runAsync(executor, connection -> rows(connection, sql, reader, params));
  }

  private static <T> List<T> rows(Connection connection, String sql, RowReader<T> reader, Object... params)
      throws Exception {
    try (PreparedStatement ps = connection.prepareStatement(sql)) {
      SqlParameters.bindAll(ps, params);
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
        + " WHERE user_id = ? AND batch_id IN (" + SqlParameters.placeholders(batchIds.size()) + ")"
        + " ORDER BY issued_at, template_id, reissue, certificate_id";
    List<Object> params = new ArrayList<>();
    params.add(userId);
    params.addAll(batchIds);
    RowReader<Map.Entry<String, IssuedCertificate>> reader = rs -> Map.entry(rs.getString(1),
        new IssuedCertificate(rs.getString(2), rs.getString(3), Instant.ofEpochMilli(rs.getLong(4)), rs.getBoolean(5)));
    for (var row : rows(connection, sql, reader, params.toArray())) {
      byBatch.computeIfAbsent(row.getKey(), b -> new ArrayList<>()).add(row.getValue());
    }
    return byBatch;
  }

  private static Instant instant(ResultSet rs, String column) throws SQLException {
    long millis = rs.getLong(column);
    return rs.wasNull() ? null : Instant.ofEpochMilli(millis);
  }
}
