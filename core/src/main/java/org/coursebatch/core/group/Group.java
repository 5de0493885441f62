package org.coursebatch.core.group;

import java.util.List;

/** A group and its members, in the order the groups service lists them. */
public record Group(String groupId, String name, List<GroupMember> members) {

  public Group {
    members = members == null ? List.of() : List.copyOf(members);
  }

  /** Whether {@code userId} is listed among the members (whatever their role or status). */
  public boolean hasMember(String userId) {
    return members.stream().anyMatch(m -> m.userId().equals(userId));
  }
}
