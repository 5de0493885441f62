package org.coursebatch.core.user;

import java.util.Collection;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionStage;

/**
 * What the service knows of users beyond their ids. Kept apart from the journal, which holds ids
 * only, so personal data can be erased without rewriting history.
 */
public interface UserDirectory {

  /** The user's root organisation (certificate criteria may require one), if known. */
  CompletionStage<Optional<String>> rootOrgId(String userId);

  /** Those of {@code userIds} the directory knows (has a profile of). */
  CompletionStage<Set<String>> knownUsers(Collection<String> userIds);
}
