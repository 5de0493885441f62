package org.coursebatch.core.group;

/**
 * A member of a group as the groups service lists it: {@code role} is Sunbird's {@code admin} or
 * {@code member}, {@code status} {@code active} or {@code inactive}; {@code name} and
 * {@code createdBy} may be null.
 */
public record GroupMember(String userId, String name, String role, String status, String createdBy) {}
