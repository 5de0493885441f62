package org.coursebatch.core.user;

import akka.Done;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/** Maintains the built-in user directory (standalone mode). */
public interface UserDirectoryAdmin {

  /** Records the profile, or replaces the one of the same user (fields it lacks are cleared). */
  CompletionStage<Done> putProfile(UserProfile profile, String actor);

  CompletionStage<Optional<UserProfile>> findProfile(String userId);

  /**
   * Erases what the directory holds of the user: the profile and every consent record. The
   * journal keeps the user's id only, so nothing personal remains. Erasing an unknown user erases
   * nothing and succeeds.
   */
  CompletionStage<Erasure> erase(String userId);

  /** What {@link #erase} deleted: whether there was a profile, and how many consent records. */
  record Erasure(boolean profile, int consents) {}

  /**
   * Records the learner's consent status for the course and the consumer organisation, replacing
   * the previous one for that course and organisation (those given to other organisations stay);
   * the first answer's instant is kept as {@link Consent#givenAt}. Returns the stored record.
   */
  CompletionStage<Consent> putConsent(ConsentUpdate update, String actor);

  /**
   * A consent status to record; {@code consumerId} null (or empty) records the consent that names
   * no organisation, which no report lists.
   */
  record ConsentUpdate(String userId, String courseId, String objectType, String consumerId, Consent.Status status) {
    public ConsentUpdate {
      consumerId = consumerId == null || consumerId.isEmpty() ? null : consumerId;
    }
  }

  /**
   * The user's consent records, ordered by course, then consumer organisation (none first);
   * {@code courseId} and {@code consumerId}, when not null, narrow them to that course or that
   * consumer organisation.
   */
  CompletionStage<List<Consent>> findConsents(String userId, String courseId, String consumerId);
}
