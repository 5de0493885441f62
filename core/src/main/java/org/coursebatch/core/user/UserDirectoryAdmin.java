package org.coursebatch.core.user;

import akka.Done;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/** Maintains the built-in user directory (standalone mode). */
public interface UserDirectoryAdmin {

  /** Records the profile, or replaces the one of the same user. */
  CompletionStage<Done> putProfile(UserProfile profile, String actor);

  CompletionStage<Optional<UserProfile>> findProfile(String userId);
}
