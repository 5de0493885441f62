package org.coursebatch.persistence.user;

import akka.Done;
import akka.actor.typed.ActorSystem;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.coursebatch.core.user.Consent;
import org.coursebatch.core.user.UserDirectory;
import org.coursebatch.core.user.UserDirectoryAdmin;
import org.coursebatch.core.user.UserProfile;
import org.coursebatch.persistence.db.Database;
import org.coursebatch.persistence.db.SqlParameters;
import org.coursebatch.persistence.db.Upsert;

/**
 * The built-in user directory: profiles in the {@code user_profile} table, consent records in
 * {@code user_consent}, one per user, course and consumer organisation ({@value #NO_CONSUMER} for
 * a consent that names none). A profile field's column is its API name in snake case
 * ({@code schoolId}: {@code school_id}).
 */
public final class JdbcUserDirectory implements UserDirectory, UserDirectoryAdmin {

  /** Ids looked up by one statement of the lookups by many ids. */
  static final int KNOWN_USERS_CHUNK = 500;

  /** The {@code consumer_id} of a consent that names no organisation (part of the key, so never null). */
  static final String NO_CONSUMER = "";

  /** The SQLState of a unique-key violation, the same on H2 and PostgreSQL. */
  private static final String UNIQUE_VIOLATION = "23505";

  private static final List<UserProfile.Field> FIELDS = List.of(UserProfile.Field.values());
  private static final String PROFILE_COLUMNS = Stream.concat(Stream.of("user_id"), FIELDS.stream().map(JdbcUserDirectory::column))
      .collect(Collectors.joining(", "));
  private static final String CONSENT_COLUMNS = "user_id, object_id, object_type, consumer_id, status, given_at, updated_at";

  private final Database db;
  private final Executor executor;
  private final Clock clock;
  private final String putSql;

  public JdbcUserDirectory(ActorSystem<?> system, Database db, Clock clock) {
    this.db = db;
    this.executor = Database.jdbcExecutor(system);
    this.clock = clock;
    this.putSql = Upsert.sql(db.settings().vendor(), "user_profile", "user_id", PROFILE_COLUMNS + ", updated_by, updated_at");
  }

  static String column(UserProfile.Field field) {
    return field.key().replaceAll("([A-Z])", "_$1").toLowerCase(Locale.ROOT);
  }

  @Override
  public CompletionStage<Optional<String>> rootOrgId(String userId) {
    return findProfile(userId).thenApply(p -> p.map(UserProfile::rootOrgId));
  }

  @Override
  public CompletionStage<Set<String>> knownUsers(Collection<String> userIds) {
    return byUserId("SELECT user_id FROM user_profile WHERE", List.of(), userIds, rs -> rs.getString(1))
        .thenApply(known -> Collections.unmodifiableSet(known.keySet()));
  }

  @Override
  public CompletionStage<Map<String, UserProfile>> profiles(Collection<String> userIds) {
    return byUserId("SELECT " + PROFILE_COLUMNS + " FROM user_profile WHERE", List.of(), userIds, JdbcUserDirectory::profile);
  }

  @Override
  public CompletionStage<Map<String, Consent>> consents(String courseId, String consumerOrg, Collection<String> userIds) {
    return byUserId("SELECT " + CONSENT_COLUMNS + " FROM user_consent WHERE object_id = ? AND consumer_id = ? AND",
        List.of(courseId, consumerOrg), userIds, JdbcUserDirectory::consent);
  }

  @FunctionalInterface
  private interface Row<T> {
    T read(ResultSet rs) throws SQLException;
  }

  /**
   * The rows of {@code select} (a query ending in {@code WHERE} or {@code AND}, its placeholders
   * bound to {@code leading}) whose {@code user_id} is one of {@code userIds}, by user id: looked
   * up {@value #KNOWN_USERS_CHUNK} ids a statement, all on one connection.
   */
  private <T> CompletionStage<Map<String, T>> byUserId(String select, List<Object> leading, Collection<String> userIds, Row<T> row) {
    List<String> ids = userIds.stream().distinct().toList();
    if (ids.isEmpty()) {
      return CompletableFuture.completedFuture(Map.of());
    }
    return db.runAsync(executor, connection -> {
      Map<String, T> found = new HashMap<>();
      for (int from = 0; from < ids.size(); from += KNOWN_USERS_CHUNK) {
        List<String> chunk = ids.subList(from, Math.min(ids.size(), from + KNOWN_USERS_CHUNK));
        List<Object> values = new ArrayList<>(leading);
        values.addAll(chunk);
        try (PreparedStatement ps = connection.prepareStatement(select + " user_id IN (" + SqlParameters.placeholders(chunk.size()) + ")")) {
          SqlParameters.bindAll(ps, values);
          try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              found.put(rs.getString("user_id"), row.read(rs));
            }
          }
        }
      }
      return Collections.unmodifiableMap(found);
    });
  }

  private static UserProfile profile(ResultSet rs) throws SQLException {
    Map<UserProfile.Field, String> values = new HashMap<>();
    for (int i = 0; i < FIELDS.size(); i++) {
      values.put(FIELDS.get(i), rs.getString(i + 2));
    }
    return UserProfile.of(rs.getString(1), values);
  }

  private static Consent consent(ResultSet rs) throws SQLException {
    String consumer = rs.getString(4);
    return new Consent(rs.getString(1), rs.getString(2), rs.getString(3), NO_CONSUMER.equals(consumer) ? null : consumer,
        Consent.Status.valueOf(rs.getString(5)), Instant.ofEpochMilli(rs.getLong(6)), Instant.ofEpochMilli(rs.getLong(7)));
  }

  private static String consumerKey(ConsentUpdate update) {
    return update.consumerId() == null ? NO_CONSUMER : update.consumerId();
  }

  @Override
  public CompletionStage<Done> putProfile(UserProfile profile, String actor) {
    return db.runAsync(executor, connection -> {
      try (PreparedStatement ps = connection.prepareStatement(putSql)) {
        List<Object> values = new ArrayList<>();
        values.add(profile.userId());
        FIELDS.forEach(f -> values.add(f.of(profile)));
        values.add(actor);
        values.add(clock.millis());
        SqlParameters.bindAll(ps, values);
        ps.executeUpdate();
      }
      return Done.getInstance();
    });
  }

  @Override
  public CompletionStage<Optional<UserProfile>> findProfile(String userId) {
    return db.runAsync(executor, connection -> {
      try (PreparedStatement ps = connection.prepareStatement("SELECT " + PROFILE_COLUMNS + " FROM user_profile WHERE user_id = ?")) {
        ps.setString(1, userId);
        try (ResultSet rs = ps.executeQuery()) {
          return rs.next() ? Optional.of(profile(rs)) : Optional.empty();
        }
      }
    });
  }

  /** Deletes the consent records and the profile in one transaction. */
  @Override
  public CompletionStage<Erasure> erase(String userId) {
    return db.runAsync(executor, connection -> {
      connection.setAutoCommit(false);
      try {
        int consents = delete(connection, "DELETE FROM user_consent WHERE user_id = ?", userId);
        int profiles = delete(connection, "DELETE FROM user_profile WHERE user_id = ?", userId);
        connection.commit();
        return new Erasure(profiles > 0, consents);
      } catch (SQLException | RuntimeException e) {
        connection.rollback();
        throw e;
      } finally {
        connection.setAutoCommit(true);
      }
    });
  }

  private static int delete(Connection connection, String sql, String userId) throws SQLException {
    try (PreparedStatement ps = connection.prepareStatement(sql)) {
      ps.setString(1, userId);
      return ps.executeUpdate();
    }
  }

  /**
   * Updates the record of the user, course and consumer, or inserts it: an insert that loses the
   * race to another writer of the same record (a unique-key violation) becomes an update, so the
   * first answer's {@code given_at} always survives.
   */
  @Override
  public CompletionStage<Consent> putConsent(ConsentUpdate update, String actor) {
    return db.runAsync(executor, connection -> {
      long now = clock.millis();
      if (updateConsent(connection, update, actor, now) == 0) {
        try (PreparedStatement ps = connection.prepareStatement("INSERT INTO user_consent (" + CONSENT_COLUMNS
            + ", updated_by) VALUES (" + SqlParameters.placeholders(8) + ")")) {
          SqlParameters.bindAll(ps, update.userId(), update.courseId(), update.objectType(), consumerKey(update),
              update.status().name(), now, now, actor);
          ps.executeUpdate();
        } catch (SQLException e) {
          if (!UNIQUE_VIOLATION.equals(e.getSQLState())) {
            throw e;
          }
          updateConsent(connection, update, actor, now);
        }
      }
      List<Consent> stored = selectConsents(connection, update.userId(), update.courseId(), consumerKey(update));
      return stored.stream().findFirst().orElseThrow(() -> new IllegalStateException("Consent of " + update.userId() + " was not stored"));
    });
  }

  private static int updateConsent(Connection connection, ConsentUpdate update, String actor, long now) throws SQLException {
    try (PreparedStatement ps = connection.prepareStatement("UPDATE user_consent SET object_type = ?, status = ?, "
        + "updated_at = ?, updated_by = ? WHERE user_id = ? AND object_id = ? AND consumer_id = ?")) {
      SqlParameters.bindAll(ps, update.objectType(), update.status().name(), now, actor, update.userId(), update.courseId(),
          consumerKey(update));
      return ps.executeUpdate();
    }
  }

  @Override
  public CompletionStage<List<Consent>> findConsents(String userId, String courseId, String consumerId) {
    return db.runAsync(executor, connection -> selectConsents(connection, userId, courseId, consumerId));
  }

  private static List<Consent> selectConsents(Connection connection, String userId, String courseId, String consumerId)
      throws SQLException {
    StringBuilder sql = new StringBuilder("SELECT " + CONSENT_COLUMNS + " FROM user_consent WHERE user_id = ?");
    List<Object> values = new ArrayList<>(List.of(userId));
    if (courseId != null) {
      sql.append(" AND object_id = ?");
      values.add(courseId);
    }
    if (consumerId != null) {
      sql.append(" AND consumer_id = ?");
      values.add(consumerId);
    }
    sql.append(" ORDER BY object_id, consumer_id");
    try (PreparedStatement ps = connection.prepareStatement(sql.toString())) {
      SqlParameters.bindAll(ps, values);
      try (ResultSet rs = ps.executeQuery()) {
        List<Consent> out = new ArrayList<>();
        while (rs.next()) {
          out.add(consent(rs));
        }
        return List.copyOf(out);
      }
    }
  }
}
