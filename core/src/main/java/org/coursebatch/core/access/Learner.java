package org.coursebatch.core.access;

import java.util.Optional;

/**
 * A user an operation acts on or whose data it reads: their id and their root organisation as the
 * user directory knows it (empty when it does not know them: only they themselves and the system
 * admins have authority over them).
 */
public record Learner(String userId, Optional<String> rootOrgId) {

  public Learner {
    rootOrgId = rootOrgId == null ? Optional.empty() : rootOrgId;
  }
}
