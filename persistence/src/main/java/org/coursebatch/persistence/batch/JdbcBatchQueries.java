package org.coursebatch.persistence.batch;

import akka.actor.typed.ActorSystem;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import org.coursebatch.core.batch.Batch;
import org.coursebatch.core.batch.BatchQueries;
import org.coursebatch.core.batch.BatchSearch;
import org.coursebatch.core.batch.BatchStatus;
import org.coursebatch.core.batch.BatchView;
import org.coursebatch.core.batch.EnrollmentType;
import org.coursebatch.core.schedule.TransitionSchedule;
import org.coursebatch.persistence.db.Database;
import org.coursebatch.persistence.db.JsonDocuments;
import org.coursebatch.persistence.db.SqlParameters;

/**
 * Searches and transition look-ups over the {@code course_batch} read model. All values are bound
 * as statement parameters; only fixed column names and placeholders are put into the SQL text.
 */
public final class JdbcBatchQueries implements BatchQueries, TransitionSchedule {

  private final Database db;
  private final ObjectMapper mapper;
  private final Executor executor;

  public JdbcBatchQueries(ActorSystem<?> system, Database db) {
    this.db = db;
    this.mapper = JsonDocuments.mapper(system);
    this.executor = Database.jdbcExecutor(system);
  }

  @Override
  public CompletionStage<BatchSearch.Page> search(BatchSearch search, Instant now) {
    if (search.limit() < 0 || search.offset() < 0) {
      return CompletableFuture.failedFuture(new IllegalArgumentException(
          "limit and offset must not be negative: " + search.limit() + ", " + search.offset()));
    }
    Where where = where(search, now.toEpochMilli());
    String select = "SELECT b.document FROM course_batch b" + where.sql + " ORDER BY " + orderBy(search.sort())
        + " LIMIT ? OFFSET ?";
    String count = "SELECT COUNT(*) FROM course_batch b" + where.sql;
    return db.runAsync(executor, connection -> {
      long total;
      try (PreparedStatement ps = connection.prepareStatement(count)) {
        where.bind(ps);
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          total = rs.getLong(1);
        }
      }
      List<BatchView> views = new ArrayList<>();
      try (PreparedStatement ps = connection.prepareStatement(select)) {
        int next = where.bind(ps);
        ps.setInt(next, search.limit());
        ps.setInt(next + 1, search.offset());
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            views.add(BatchView.of(mapper.readValue(rs.getString(1), Batch.class), now));
          }
        }
      }
      return new BatchSearch.Page(total, Collections.unmodifiableList(views));
    });
  }

  /** Batches whose recorded status is behind the clock, the longest overdue first. */
  @Override
  public CompletionStage<List<String>> dueBatchIds(Instant now, int limit) {
    // Two index range scans, (status, starts_at) and (status, ends_at), rather than one OR.
    String sql = "SELECT batch_id FROM ("
        + " SELECT batch_id, starts_at AS due FROM course_batch WHERE status = 0 AND starts_at <= ?"
        + " UNION ALL"
        + " SELECT batch_id, ends_at AS due FROM course_batch WHERE status = 1 AND ends_at <= ?"
        + ") d ORDER BY due, batch_id LIMIT ?";
    long millis = now.toEpochMilli();
    return db.runAsync(executor, connection -> {
      try (PreparedStatement ps = connection.prepareStatement(sql)) {
        ps.setLong(1, millis);
        ps.setLong(2, millis);
        ps.setInt(3, Math.max(0, limit));
        List<String> ids = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            ids.add(rs.getString(1));
          }
        }
        return Collections.unmodifiableList(ids);
      }
    });
  }

  @Override
  public CompletionStage<Optional<Instant>> nextTransitionAfter(Instant now) {
    String sql = "SELECT MIN(t) FROM ("
        + " SELECT MIN(starts_at) AS t FROM course_batch WHERE status = 0 AND starts_at > ?"
        + " UNION ALL"
        + " SELECT MIN(ends_at) AS t FROM course_batch WHERE status = 1 AND ends_at > ?"
        + ") n";
    long millis = now.toEpochMilli();
    return db.runAsync(executor, connection -> {
      try (PreparedStatement ps = connection.prepareStatement(sql)) {
        ps.setLong(1, millis);
        ps.setLong(2, millis);
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          long next = rs.getLong(1);
          return rs.wasNull() ? Optional.<Instant>empty() : Optional.of(Instant.ofEpochMilli(next));
        }
      }
    });
  }

  /** A WHERE clause (or nothing) and the values for its placeholders, in order. */
  private record Where(String sql, List<Object> params) {
    int bind(PreparedStatement ps) throws SQLException {
      return SqlParameters.bindAll(ps, params);
    }
  }

  private static Where where(BatchSearch s, long now) {
    List<String> clauses = new ArrayList<>();
    List<Object> params = new ArrayList<>();
    in(clauses, params, "b.batch_id", s.batchIds());
    in(clauses, params, "b.course_id", s.courseIds());
    in(clauses, params, "b.enrollment_type", s.enrollmentTypes().stream().map(EnrollmentType::wireName).toList());
    in(clauses, params, "b.created_by", s.createdBy());
    if (!s.mentors().isEmpty()) {
      clauses.add("EXISTS (SELECT 1 FROM course_batch_mentor m WHERE m.batch_id = b.batch_id AND m.user_id IN ("
          + SqlParameters.placeholders(s.mentors().size()) + "))");
      params.addAll(s.mentors());
    }
    if (!s.createdFor().isEmpty()) {
      clauses.add("EXISTS (SELECT 1 FROM course_batch_org o WHERE o.batch_id = b.batch_id AND o.org_id IN ("
          + SqlParameters.placeholders(s.createdFor().size()) + "))");
      params.addAll(s.createdFor());
    }
    if (!s.statuses().isEmpty()) {
      // The status the clock gives each batch at `now`, as Batch.statusAt computes it.
      List<String> any = new ArrayList<>();
      for (BatchStatus status : s.statuses().stream().distinct().toList()) {
        switch (status) {
          case UPCOMING -> {
            any.add("b.starts_at > ?");
            params.add(now);
          }
          case IN_PROGRESS -> {
            any.add("(b.starts_at <= ? AND (b.ends_at IS NULL OR b.ends_at > ?))");
            params.add(now);
            params.add(now);
          }
          case ENDED -> {
            any.add("b.ends_at <= ?");
            params.add(now);
          }
        }
      }
      clauses.add("(" + String.join(" OR ", any) + ")");
    }
    String sql = clauses.isEmpty() ? "" : " WHERE " + String.join(" AND ", clauses);
    return new Where(sql, params);
  }

  private static void in(List<String> clauses, List<Object> params, String column, List<String> values) {
    if (!values.isEmpty()) {
      clauses.add(column + " IN (" + SqlParameters.placeholders(values.size()) + ")");
      params.addAll(values);
    }
  }

  /** Requested sort keys, then batch_id so pages are stable. Missing values sort last either way (as in Elasticsearch). */
  private static String orderBy(List<BatchSearch.Sort> sort) {
    List<String> keys = new ArrayList<>();
    if (sort.isEmpty()) {
      keys.add("b.created_at DESC NULLS LAST");
    }
    for (BatchSearch.Sort s : sort) {
      keys.add(column(s.field()) + (s.descending() ? " DESC" : " ASC") + " NULLS LAST");
    }
    keys.add("b.batch_id ASC");
    return String.join(", ", keys);
  }

  private static String column(BatchSearch.SortField field) {
    return switch (field) {
      case CREATED_DATE -> "b.created_at";
      case UPDATED_DATE -> "b.updated_at";
      case START_DATE -> "b.start_date";
      case END_DATE -> "b.end_date";
      case ENROLLMENT_END_DATE -> "b.enrollment_end_date";
      case NAME -> "b.name";
    };
  }
}
