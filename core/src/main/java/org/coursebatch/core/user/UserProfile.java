package org.coursebatch.core.user;

/** What the built-in directory records of a user; {@code rootOrgId} may be null. */
public record UserProfile(String userId, String rootOrgId) {}
