package org.coursebatch.http.group;

import java.util.List;
import org.coursebatch.core.group.Group;
import org.coursebatch.core.group.GroupActivity;
import org.coursebatch.core.group.GroupMember;

/** The {@code result} of each group operation, in Sunbird's shapes (sunbird-api.md §6). */
public sealed interface GroupResult {

  /**
   * {@code {groupId, activity: {id, type, agg}, members: [{userId, name, role, status, createdBy, agg}]}}.
   * The activity's values are whole numbers, the members' numbers with a fraction (Sunbird keeps them as doubles).
   */
  record Activity(String groupId, ActivityAggregates activity, List<MemberAggregates> members) implements GroupResult {

    public static Activity of(GroupActivity a) {
      return new Activity(a.groupId(),
          new ActivityAggregates(a.activityId(), a.activityType(), a.agg().stream().map(WholeMetric::of).toList()),
          a.members().stream().map(MemberAggregates::of).toList());
    }
  }

  record ActivityAggregates(String id, String type, List<WholeMetric> agg) {}

  /** A metric of the activity; {@code lastUpdatedOn} in epoch milliseconds. */
  record WholeMetric(String metric, long value, long lastUpdatedOn) {
    public static WholeMetric of(GroupActivity.Metric m) {
      return new WholeMetric(m.metric(), Math.round(m.value()), m.lastUpdatedOn().toEpochMilli());
    }
  }

  /** A metric of a member; {@code lastUpdatedOn} in epoch milliseconds. */
  record Metric(String metric, double value, long lastUpdatedOn) {
    public static Metric of(GroupActivity.Metric m) {
      return new Metric(m.metric(), m.value(), m.lastUpdatedOn().toEpochMilli());
    }
  }

  record MemberAggregates(String userId, String name, String role, String status, String createdBy, List<Metric> agg) {
    public static MemberAggregates of(GroupActivity.MemberAggregates m) {
      GroupMember g = m.member();
      return new MemberAggregates(g.userId(), g.name(), g.role(), g.status(), g.createdBy(), m.agg().stream().map(Metric::of).toList());
    }
  }

  /** A stored group as Sunbird's groups service reads it: {@code {id, name, members: [...]}}. */
  record Read(String id, String name, List<Member> members) implements GroupResult {
    public static Read of(Group g) {
      return new Read(g.groupId(), g.name(), g.members().stream().map(Member::of).toList());
    }
  }

  record Member(String userId, String name, String role, String status, String createdBy) {
    public static Member of(GroupMember m) {
      return new Member(m.userId(), m.name(), m.role(), m.status(), m.createdBy());
    }
  }

  /** A group put in the built-in store: {@code {response: "SUCCESS", groupId}}. */
  record Stored(String response, String groupId) implements GroupResult {
    public static Stored of(String groupId) {
      return new Stored("SUCCESS", groupId);
    }
  }
}
