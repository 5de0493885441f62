package org.coursebatch.persistence.user;

import akka.Done;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.DispatcherSelector;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import org.coursebatch.core.user.UserDirectory;
import org.coursebatch.core.user.UserDirectoryAdmin;
import org.coursebatch.core.user.UserProfile;
import org.coursebatch.persistence.db.Database;
import org.coursebatch.persistence.db.SqlParameters;
import org.coursebatch.persistence.db.Upsert;

/** The built-in user directory: profiles in the {@code user_profile} table. */
public final class JdbcUserDirectory implements UserDirectory, UserDirectoryAdmin {

  static final int KNOWN_USERS_CHUNK = 500;

  private final Database db;
  private final Executor executor;
  private final Clock clock;
  private final String putSql;

  public JdbcUserDirectory(ActorSystem<?> system, Database db, Clock clock) {
    this.db = db;
    this.executor = system.dispatchers().lookup(DispatcherSelector.fromConfig("course-batch.jdbc-dispatcher"));
    this.clock = clock;
    this.putSql = Upsert.sql(db.settings().vendor(), "user_profile", "user_id", "user_id, root_org_id, updated_by, updated_at");
  }

  @Override
  public CompletionStage<Optional<String>> rootOrgId(String userId) {
    return findProfile(userId).thenApply(p -> p.map(UserProfile::rootOrgId));
  }

  /** Looked up {@value #KNOWN_USERS_CHUNK} ids a statement, all on one connection. */
  @Override
  public CompletionStage<Set<String>> knownUsers(Collection<String> userIds) {
    List<String> ids = userIds.stream().distinct().toList();
    if (ids.isEmpty()) {
      return CompletableFuture.completedFuture(Set.of());
    }
    return db.runAsync(executor, connection -> {
      Set<String> known = new HashSet<>();
      for (int from = 0; from < ids.size(); from += KNOWN_USERS_CHUNK) {
        List<String> chunk = ids.subList(from, Math.min(ids.size(), from + KNOWN_USERS_CHUNK));
        String sql = "SELECT user_id FROM user_profile WHERE user_id IN (" + SqlParameters.placeholders(chunk.size()) + ")";
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
          SqlParameters.bindAll(ps, chunk);
          try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              known.add(rs.getString(1));
            }
          }
        }
      }
      return Collections.unmodifiableSet(known);
    });
  }

  @Override
  public CompletionStage<Done> putProfile(UserProfile profile, String actor) {
    return db.runAsync(executor, connection -> {
      try (PreparedStatement ps = connection.prepareStatement(putSql)) {
        ps.setString(1, profile.userId());
        ps.setString(2, profile.rootOrgId());
        ps.setString(3, actor);
        ps.setLong(4, clock.millis());
        ps.executeUpdate();
      }
      return Done.getInstance();
    });
  }

  @Override
  public CompletionStage<Optional<UserProfile>> findProfile(String userId) {
    return db.runAsync(executor, connection -> {
      try (PreparedStatement ps = connection.prepareStatement("SELECT root_org_id FROM user_profile WHERE user_id = ?")) {
        ps.setString(1, userId);
        try (ResultSet rs = ps.executeQuery()) {
          return rs.next() ? Optional.of(new UserProfile(userId, rs.getString(1))) : Optional.empty();
        }
      }
    });
  }
}
