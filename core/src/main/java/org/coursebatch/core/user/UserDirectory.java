package org.coursebatch.core.user;

import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionStage;

/**
 * What the service knows of users beyond their ids. Kept apart from the journal, which holds ids
 * only, so personal data can be erased without rewriting history.
 *
 * <p>The lookups by many ids are meant for reports over large batches: callers pass the ids of
 * one page of learners at a time (a few hundred to a few thousand), and implementations look them
 * up in chunks, so no call holds a whole batch's personal data.
 */
public interface UserDirectory {

  /** The user's root organisation (certificate criteria may require one), if known. */
  CompletionStage<Optional<String>> rootOrgId(String userId);

  /** Those of {@code userIds} the directory knows (has a profile of). */
  CompletionStage<Set<String>> knownUsers(Collection<String> userIds);

  /** The profiles of those of {@code userIds} the directory knows, by user id; others are left out. */
  CompletionStage<Map<String, UserProfile>> profiles(Collection<String> userIds);

  /**
   * The consent records of {@code userIds} for the course that name the consumer organisation
   * {@code consumerOrg}, by user id; users who never answered the course for that organisation
   * are left out (they have not given it consent; a consent to another organisation, or to none,
   * is not one to this). A revoked consent is included with status {@link Consent.Status#REVOKED}.
   */
  CompletionStage<Map<String, Consent>> consents(String courseId, String consumerOrg, Collection<String> userIds);
}
