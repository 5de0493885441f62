package org.coursebatch.http.group;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.coursebatch.core.group.Group;
import org.coursebatch.core.group.GroupActivity;
import org.coursebatch.core.group.GroupActivity.Metric;
import org.coursebatch.core.group.GroupMember;
import org.coursebatch.http.api.Envelope;
import org.coursebatch.http.enrollment.EnrollmentJson;

/** Group activity aggregates (sunbird-api.md §6) and built-in store groups, in Sunbird's shapes. */
public final class GroupJson {

  private GroupJson() {}

  /**
   * {@code {groupId, activity: {id, type, agg}, members: [{userId, name, role, status, createdBy, agg}]}};
   * each agg is a list of {@code {metric, value, lastUpdatedOn}} (epoch millis). The activity's
   * values are whole numbers, the members' numbers with a fraction (Sunbird keeps them as doubles).
   */
  public static ObjectNode activity(GroupActivity a) {
    ObjectNode result = Envelope.JSON.createObjectNode();
    result.put("groupId", a.groupId());
    ObjectNode activity = result.putObject("activity");
    activity.put("id", a.activityId());
    activity.put("type", a.activityType());
    ArrayNode agg = activity.putArray("agg");
    a.agg().forEach(m -> metric(agg, m, true));
    ArrayNode members = result.putArray("members");
    for (GroupActivity.MemberAggregates m : a.members()) {
      ObjectNode member = member(members.addObject(), m.member());
      ArrayNode memberAgg = member.putArray("agg");
      m.agg().forEach(metric -> metric(memberAgg, metric, false));
    }
    return result;
  }

  private static void metric(ArrayNode agg, Metric m, boolean whole) {
    ObjectNode out = agg.addObject();
    out.put("metric", m.metric());
    if (whole) {
      out.put("value", Math.round(m.value()));
    } else {
      out.put("value", m.value());
    }
    out.put("lastUpdatedOn", m.lastUpdatedOn().toEpochMilli());
  }

  private static ObjectNode member(ObjectNode out, GroupMember m) {
    out.put("userId", m.userId());
    out.put("name", m.name());
    out.put("role", m.role());
    out.put("status", m.status());
    out.put("createdBy", m.createdBy());
    return out;
  }

  /** A stored group as Sunbird's groups service reads it: {@code {id, name, members: [...]}}. */
  public static ObjectNode group(Group g) {
    ObjectNode result = Envelope.JSON.createObjectNode();
    result.put("id", g.groupId());
    result.put("name", g.name());
    ArrayNode members = result.putArray("members");
    g.members().forEach(m -> member(members.addObject(), m));
    return result;
  }

  public static ObjectNode stored(String groupId) {
    return EnrollmentJson.success().put("groupId", groupId);
  }
}
