package org.coursebatch.core.access;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.coursebatch.core.batch.Batch;
import org.coursebatch.core.identity.Caller;
import org.coursebatch.core.user.UserDirectory;

/**
 * The {@link AccessPolicy} over facts looked up in the user directory: the root organisations of
 * the caller, of the learners acted on and of a batch's creator. Services ask here; only the
 * decisions that need an organisation cost a lookup.
 */
public final class AccessChecks {

  private final AccessPolicy policy;
  private final UserDirectory users;

  public AccessChecks(AccessPolicy policy, UserDirectory users) {
    this.policy = policy;
    this.users = users;
  }

  public AccessPolicy policy() {
    return policy;
  }

  /** The caller, acting as {@code actingAs}, with their root organisation. */
  public CompletionStage<Requester> requester(Caller caller, String actingAs) {
    return users.rootOrgId(caller.userId()).thenApply(org -> new Requester(caller, actingAs, org));
  }

  public CompletionStage<Requester> requester(Caller caller) {
    return requester(caller, caller.userId());
  }

  public CompletionStage<Learner> learner(String userId) {
    return users.rootOrgId(userId).thenApply(org -> new Learner(userId, org));
  }

  /** Throws the denial unless {@code who} may do {@code op} to the batch (an org-free decision costs no lookup). */
  public CompletionStage<Requester> requireOnBatch(Operation op, Caller caller, Batch batch) {
    Requester orgless = Requester.of(caller, Optional.empty());
    if (policy.decide(op, orgless, AccessPolicy.Target.batch(batch)).allowed()) {
      return CompletableFuture.completedFuture(orgless);
    }
    return requester(caller).thenApply(who -> {
      policy.require(op, who, AccessPolicy.Target.batch(batch));
      return who;
    });
  }

  /** Throws the denial unless {@code who} may do {@code op} to the user's data (profile, consents, enrolments). */
  public CompletionStage<Void> requireOnUser(Operation op, Caller caller, String actingAs, String userId) {
    if (actingAs.equals(userId)) {
      policy.require(op, new Requester(caller, actingAs, Optional.empty()), AccessPolicy.Target.learner(new Learner(userId, Optional.empty())));
      return CompletableFuture.completedFuture(null);
    }
    return requester(caller, actingAs).thenCombine(learner(userId), (who, learner) -> {
      policy.require(op, who, AccessPolicy.Target.learner(learner));
      return null;
    });
  }

  /** Throws the denial unless the caller may write the user's profile giving them {@code newRootOrg}. */
  public CompletionStage<Void> requireProfileWrite(Caller caller, String userId, Optional<String> newRootOrg) {
    return requester(caller).thenCombine(learner(userId), (who, learner) -> {
      policy.require(Operation.LEARNER_WRITE, who, AccessPolicy.Target.profileWrite(learner, newRootOrg));
      return null;
    });
  }

  /** Throws the denial unless the caller may erase what the directory holds of the user. */
  public CompletionStage<Void> requireProfileErasure(Caller caller, String userId) {
    return requester(caller).thenCombine(learner(userId), (who, learner) -> {
      policy.require(Operation.LEARNER_WRITE, who, AccessPolicy.Target.profileErasure(learner));
      return null;
    });
  }

  /**
   * The learners among {@code userIds} the directory knows, with their root organisations: one
   * lookup of many (the directory asks in chunks); users it does not know are left out.
   */
  public CompletionStage<Map<String, Learner>> knownLearners(Collection<String> userIds) {
    return users.profiles(userIds.stream().distinct().toList()).thenApply(found -> {
      Map<String, Learner> known = new LinkedHashMap<>();
      found.forEach((id, p) -> known.put(id, new Learner(id, Optional.ofNullable(p.rootOrgId()))));
      return known;
    });
  }

  /**
   * The decision on enrolling, unenrolling or inviting each of {@code userIds} into the batch, by
   * user id in the order given: one directory lookup for all of them.
   */
  public CompletionStage<Map<String, Decision>> onLearners(Caller caller, Batch batch, Collection<String> userIds) {
    List<String> ids = userIds.stream().distinct().toList();
    return knownLearners(ids).thenCompose(known -> onLearners(caller, batch,
        ids.stream().map(id -> known.getOrDefault(id, new Learner(id, Optional.empty()))).toList()));
  }

  /** The decision on acting on each of {@code learners} (already looked up) in the batch, by user id in the order given. */
  public CompletionStage<Map<String, Decision>> onLearners(Caller caller, Batch batch, List<Learner> learners) {
    return requester(caller).thenCombine(creatorOrg(batch), (who, creator) -> {
      Map<String, Decision> out = new LinkedHashMap<>();
      for (Learner learner : learners) {
        out.put(learner.userId(), policy.decide(Operation.LEARNER_ENROL, who, AccessPolicy.Target.learnerIn(batch, learner, creator)));
      }
      return out;
    });
  }

  /** The decision on {@code who} (already looked up) enrolling, updating or deleting the enrolment of {@code userId} in the batch. */
  public CompletionStage<Decision> onLearner(Requester who, Batch batch, String userId) {
    return learner(userId).thenCompose(learner -> onLearner(who, batch, learner));
  }

  /** The same for a learner already looked up. */
  public CompletionStage<Decision> onLearner(Requester who, Batch batch, Learner learner) {
    return creatorOrg(batch).thenApply(creator -> onLearner(who, batch, learner, creator));
  }

  /** The same with the root organisation of the batch's creator already looked up ({@link #creatorOrg}). */
  public Decision onLearner(Requester who, Batch batch, Learner learner, Optional<String> creatorOrg) {
    return policy.decide(Operation.LEARNER_ENROL, who, AccessPolicy.Target.learnerIn(batch, learner, creatorOrg));
  }

  /** The root organisation of the batch's creator, which bounds the creator's and mentors' authority. */
  public CompletionStage<Optional<String>> creatorOrg(Batch batch) {
    return users.rootOrgId(batch.createdBy() == null ? "" : batch.createdBy());
  }

  /** Throws the first denial unless the caller may act on every one of {@code userIds} in the batch. */
  public CompletionStage<Void> requireOnLearners(Caller caller, Batch batch, Collection<String> userIds) {
    return onLearners(caller, batch, userIds).thenAccept(decisions -> decisions.values().forEach(Decision::orThrow));
  }
}
