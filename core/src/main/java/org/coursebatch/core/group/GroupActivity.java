package org.coursebatch.core.group;

import java.time.Instant;
import java.util.List;

/**
 * The aggregates of one activity over a group's members (Sunbird's group activity aggregates):
 * the activity's own metrics and, for each member taking part, theirs. Members not taking part
 * are left out.
 */
public record GroupActivity(String groupId, String activityId, String activityType, List<Metric> agg,
    List<MemberAggregates> members) {

  public GroupActivity {
    agg = List.copyOf(agg);
    members = List.copyOf(members);
  }

  /** One aggregate: its name (e.g. {@code completedCount}, {@code score:<contentId>}), value and when it last changed. */
  public record Metric(String metric, double value, Instant lastUpdatedOn) {}

  /** A member as the groups service lists them, with their aggregates. */
  public record MemberAggregates(GroupMember member, List<Metric> agg) {
    public MemberAggregates {
      agg = List.copyOf(agg);
    }
  }
}
