package org.coursebatch.http.group;

import static org.coursebatch.http.api.JsonElements.element;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.coursebatch.core.error.ErrorCode;
import org.coursebatch.core.group.Group;
import org.coursebatch.core.group.GroupActivityAggregator;
import org.coursebatch.core.group.GroupMember;
import org.coursebatch.core.json.FieldLimits;
import org.coursebatch.core.json.JsonFields;

/** Reads group activity aggregate requests and built-in store groups, with Sunbird's checks. */
final class GroupRequests {

  /** The longest id (group, user) the store keeps, and the longest name. */
  static final int MAX_ID_LENGTH = FieldLimits.ID;
  static final int MAX_NAME_LENGTH = FieldLimits.LABEL;
  /** Sunbird's groups-service member roles and statuses; the first of each is the default. */
  static final List<String> ROLES = List.of("member", "admin");
  static final List<String> STATUSES = List.of("active", "inactive");

  private GroupRequests() {}

  /**
   * {@code groupId}, {@code activityId}, {@code activityType}, checked in that order (Sunbird's);
   * a {@code request} with nothing in it is INVALID_REQUESTED_DATA first, as lms-service's
   * mandatory-field check answers an empty map.
   */
  static GroupActivityAggregator.Request activity(JsonFields r) {
    if (r.node().isEmpty()) {
      throw ErrorCode.INVALID_REQUESTED_DATA.reject().asException();
    }
    String groupId = present(r, "groupId", ErrorCode.GROUP_ID_MISSING);
    String activityId = present(r, "activityId", ErrorCode.ACTIVITY_ID_MISSING);
    String activityType = present(r, "activityType", ErrorCode.ACTIVITY_TYPE_MISSING);
    return new GroupActivityAggregator.Request(groupId, activityId, activityType);
  }

  private static String present(JsonFields r, String field, ErrorCode missing) {
    return r.string(field).map(String::trim).filter(s -> !s.isEmpty())
        .orElseThrow(() -> missing.reject().asException());
  }

  /**
   * A group to store: {@code name} (optional) and {@code members} (a list, possibly empty) of
   * {@code {userId, name?, role? (member | admin), status? (active | inactive), createdBy?}};
   * {@code createdBy} defaults to {@code actor}. Each user may be listed once.
   */
  static Group group(String groupId, JsonFields r, String actor) {
    checkLength(groupId, "groupId", MAX_ID_LENGTH);
    String name = r.string("name").map(String::trim).filter(s -> !s.isEmpty()).orElse(null);
    checkLength(name, "name", MAX_NAME_LENGTH);
    List<JsonNode> items = r.array("members").orElseThrow(() -> ErrorCode.MANDATORY_PARAMETER_MISSING.reject("members").asException());
    List<GroupMember> members = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < items.size(); i++) {
      String at = "members[" + i + "]";
      JsonFields m = element(items.get(i), at);
      String userId = m.requiredString("userId").trim();
      checkLength(userId, at + ".userId", MAX_ID_LENGTH);
      if (!seen.add(userId)) {
        throw ErrorCode.INVALID_PARAMETER_VALUE.reject(userId, at + ".userId (each user is listed once)").asException();
      }
      String memberName = m.string("name").map(String::trim).filter(s -> !s.isEmpty()).orElse(null);
      checkLength(memberName, at + ".name", MAX_NAME_LENGTH);
      String createdBy = m.string("createdBy").map(String::trim).filter(s -> !s.isEmpty()).orElse(actor);
      checkLength(createdBy, at + ".createdBy", MAX_ID_LENGTH);
      members.add(new GroupMember(userId, memberName, oneOf(m, "role", ROLES, at), oneOf(m, "status", STATUSES, at), createdBy));
    }
    return new Group(groupId, name, members);
  }

  /** A value of {@code allowed} in any case, written as listed; absent: the first. */
  private static String oneOf(JsonFields m, String field, List<String> allowed, String at) {
    return m.string(field).map(v -> {
      String lower = v.trim().toLowerCase(Locale.ROOT);
      if (!allowed.contains(lower)) {
        throw ErrorCode.INVALID_PARAMETER_VALUE.reject(v, at + "." + field + " (one of " + String.join(", ", allowed) + ")").asException();
      }
      return lower;
    }).orElse(allowed.get(0));
  }

  private static void checkLength(String value, String name, int max) {
    FieldLimits.requireWithin(value, name, max);
  }
}
