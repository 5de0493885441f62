package org.coursebatch.persistence.group;

import akka.actor.typed.ActorSystem;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import org.coursebatch.core.enrollment.BestScore;
import org.coursebatch.core.group.GroupActivityQueries;
import org.coursebatch.core.group.MemberActivity;
import org.coursebatch.persistence.db.Database;
import org.coursebatch.persistence.db.SqlParameters;

/**
 * Group activity over the enrolment read model: for a chunk of users, one statement gathers their
 * active enrolments in the course's batches ({@code enrollment}) and, from those enrolments'
 * attempts ({@code assessment_attempt}), the best attempt at each assessment asked about. Users
 * are read {@value #USERS_CHUNK} a statement, all on one connection.
 */
public final class JdbcGroupActivityQueries implements GroupActivityQueries {

  static final int USERS_CHUNK = 500;

  private final Database db;
  private final Executor executor;
  private final int usersChunk;

  public JdbcGroupActivityQueries(ActorSystem<?> system, Database db) {
    this(system, db, USERS_CHUNK);
  }

  /** {@code usersChunk}: how many users one statement reads. */
  JdbcGroupActivityQueries(ActorSystem<?> system, Database db, int usersChunk) {
    if (usersChunk < 1) {
      throw new IllegalArgumentException("usersChunk must be positive: " + usersChunk);
    }
    this.db = db;
    this.executor = Database.jdbcExecutor(system);
    this.usersChunk = usersChunk;
  }

  @Override
  public CompletionStage<List<MemberActivity>> courseActivity(String courseId, Collection<String> userIds,
      Collection<String> assessmentIds) {
    List<String> users = userIds.stream().distinct().toList();
    List<String> assessments = assessmentIds.stream().distinct().toList();
    if (users.isEmpty()) {
      return CompletableFuture.completedFuture(List.of());
    }
    return db.runAsync(executor, connection -> {
      List<MemberActivity> out = new ArrayList<>();
      for (int from = 0; from < users.size(); from += usersChunk) {
        out.addAll(chunk(connection, courseId, users.subList(from, Math.min(users.size(), from + usersChunk)), assessments));
      }
      return Collections.unmodifiableList(out);
    });
  }

  /**
   * {@code m}: the users' totals over their active enrolments in the course; {@code r}: those
   * enrolments' attempts at the assessments, best first per user and assessment (ties to the later
   * attempt, as the enrolment entity decides). A user without attempts has one row with null
   * attempt columns, one with attempts a row per assessment attempted. (Derived tables rather than
   * a WITH clause: H2 2.1.214 finds no rows when a parameter sits in a common table expression
   * that another one reads.)
   */
  static String sql(int users, int assessments) {
    String active = "e.course_id = ? AND e.participation = 'ACTIVE' AND e.user_id IN (" + SqlParameters.placeholders(users) + ")";
    String members = "SELECT e.user_id, COUNT(*) AS enrolments, MAX(e.progress) AS completed,"
        + " MAX(e.completion_percentage) AS percentage, MAX(e.updated_at) AS updated_at"
        + " FROM enrollment e WHERE " + active + " GROUP BY e.user_id";
    if (assessments == 0) {
      return members + " ORDER BY e.user_id";
    }
    String ranked = "SELECT a.user_id, a.content_id, a.attempt_id, a.total_score, a.total_max_score,"
        + " COUNT(*) OVER (PARTITION BY a.user_id, a.content_id) AS attempts,"
        + " ROW_NUMBER() OVER (PARTITION BY a.user_id, a.content_id"
        + "   ORDER BY a.total_score DESC, a.recorded_at DESC, a.attempt_id DESC) AS n"
        + " FROM assessment_attempt a JOIN enrollment e ON e.batch_id = a.batch_id AND e.user_id = a.user_id"
        + " WHERE " + active + " AND a.content_id IN (" + SqlParameters.placeholders(assessments) + ")";
    return "SELECT m.user_id, m.enrolments, m.completed, m.percentage, m.updated_at,"
        + " r.content_id, r.attempt_id, r.total_score, r.total_max_score, r.attempts"
        + " FROM (" + members + ") m LEFT JOIN (" + ranked + ") r ON r.user_id = m.user_id AND r.n = 1"
        + " ORDER BY m.user_id, r.content_id";
  }

  private static List<MemberActivity> chunk(Connection connection, String courseId, List<String> users,
      List<String> assessments) throws Exception {
    List<Object> params = new ArrayList<>();
    params.add(courseId);
    params.addAll(users);
    if (!assessments.isEmpty()) {
      params.add(courseId);
      params.addAll(users);
      params.addAll(assessments);
    }
    Map<String, Totals> byUser = new LinkedHashMap<>();
    try (PreparedStatement ps = connection.prepareStatement(sql(users.size(), assessments.size()))) {
      SqlParameters.bindAll(ps, params);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          Totals t = byUser.computeIfAbsent(rs.getString("user_id"), u -> new Totals());
          t.enrolments = rs.getInt("enrolments");
          t.completed = rs.getInt("completed");
          t.percentage = rs.getInt("percentage");
          t.updatedAt = rs.getLong("updated_at");
          if (!assessments.isEmpty() && rs.getString("content_id") != null) {
            t.best.add(new BestScore(rs.getString("content_id"), rs.getString("attempt_id"), rs.getDouble("total_score"),
                rs.getDouble("total_max_score"), rs.getInt("attempts")));
          }
        }
      }
    }
    List<MemberActivity> out = new ArrayList<>();
    byUser.forEach((userId, t) -> out.add(new MemberActivity(userId, t.enrolments, t.completed, t.percentage, t.best,
        Instant.ofEpochMilli(t.updatedAt))));
    return out;
  }

  /** One user's columns while their rows are read. */
  private static final class Totals {
    int enrolments;
    int completed;
    int percentage;
    long updatedAt;
    final List<BestScore> best = new ArrayList<>();
  }
}
