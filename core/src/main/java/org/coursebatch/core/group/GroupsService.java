package org.coursebatch.core.group;

import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * Where groups and their members come from: the built-in store (tables of the service's own,
 * filled through the API) or a Sunbird-style groups service over HTTP.
 *
 * <p>An unknown group is an empty result. A service that cannot answer (down, slow, failing, or
 * its circuit breaker open) fails the stage with the rejection
 * {@link org.coursebatch.core.error.ErrorCode#GROUPS_SERVICE_UNAVAILABLE}, within its own time limit.
 */
public interface GroupsService {

  CompletionStage<Optional<Group>> group(String groupId);

  /**
   * The same, on behalf of the user whose token is given: a remote groups service may check who
   * asks (Sunbird's reads the {@code x-authenticated-user-token}). The built-in store ignores it.
   */
  default CompletionStage<Optional<Group>> group(String groupId, Optional<String> userToken) {
    return group(groupId);
  }
}
