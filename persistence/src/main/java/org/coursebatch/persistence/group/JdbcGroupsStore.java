package org.coursebatch.persistence.group;

import akka.Done;
import akka.actor.typed.ActorSystem;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import org.coursebatch.core.group.Group;
import org.coursebatch.core.group.GroupMember;
import org.coursebatch.core.group.GroupsAdmin;
import org.coursebatch.core.group.GroupsService;
import org.coursebatch.persistence.db.Database;
import org.coursebatch.persistence.db.SqlParameters;
import org.coursebatch.persistence.db.Upsert;

/**
 * The built-in groups store (standalone mode): groups in {@code learner_group}, their members in
 * {@code learner_group_member}. A put replaces the group and all its members in one transaction,
 * so a read sees the old group or the new one, never a mix.
 */
public final class JdbcGroupsStore implements GroupsService, GroupsAdmin {

  private static final String READ = "SELECT g.name, m.user_id, m.name, m.role, m.status, m.created_by"
      + " FROM learner_group g LEFT JOIN learner_group_member m ON m.group_id = g.group_id"
      + " WHERE g.group_id = ? ORDER BY m.member_index";
  private static final String INSERT_MEMBER = "INSERT INTO learner_group_member"
      + " (group_id, user_id, member_index, name, role, status, created_by) VALUES (" + SqlParameters.placeholders(7) + ")";

  private final Database db;
  private final Executor executor;
  private final Clock clock;
  private final String putGroupSql;

  public JdbcGroupsStore(ActorSystem<?> system, Database db, Clock clock) {
    this.db = db;
    this.executor = Database.jdbcExecutor(system);
    this.clock = clock;
    this.putGroupSql = Upsert.sql(db.settings().vendor(), "learner_group", "group_id", "group_id, name, updated_by, updated_at");
  }

  @Override
  public CompletionStage<Optional<Group>> group(String groupId) {
    return db.runAsync(executor, connection -> {
      try (PreparedStatement ps = connection.prepareStatement(READ)) {
        ps.setString(1, groupId);
        try (ResultSet rs = ps.executeQuery()) {
          if (!rs.next()) {
            return Optional.empty();
          }
          String name = rs.getString(1);
          List<GroupMember> members = new ArrayList<>();
          do {
            if (rs.getString(2) != null) { // null: a group without members (the outer join's one row)
              members.add(new GroupMember(rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6)));
            }
          } while (rs.next());
          return Optional.of(new Group(groupId, name, members));
        }
      }
    });
  }

  /** Member user ids must be distinct (the members' key). */
  @Override
  public CompletionStage<Done> putGroup(Group group, String actor) {
    return db.runAsync(executor, connection -> {
      connection.setAutoCommit(false);
      try {
        write(connection, group, actor);
        connection.commit();
      } catch (Exception e) {
        connection.rollback();
        throw e;
      } finally {
        connection.setAutoCommit(true);
      }
      return Done.getInstance();
    });
  }

  private void write(Connection connection, Group group, String actor) throws Exception {
    try (PreparedStatement ps = connection.prepareStatement(putGroupSql)) {
      SqlParameters.bindAll(ps, group.groupId(), group.name(), actor, clock.millis());
      ps.executeUpdate();
    }
    try (PreparedStatement ps = connection.prepareStatement("DELETE FROM learner_group_member WHERE group_id = ?")) {
      ps.setString(1, group.groupId());
      ps.executeUpdate();
    }
    if (group.members().isEmpty()) {
      return;
    }
    try (PreparedStatement ps = connection.prepareStatement(INSERT_MEMBER)) {
      int index = 0;
      for (GroupMember m : group.members()) {
        SqlParameters.bindAll(ps, group.groupId(), m.userId(), index++, m.name(), m.role(), m.status(), m.createdBy());
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }
}
