package org.coursebatch.core.enrollment.bulk;

import akka.actor.typed.ActorSystem;
import akka.stream.javadsl.Source;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Supplier;
import org.coursebatch.core.access.AccessChecks;
import org.coursebatch.core.access.AccessPolicy;
import org.coursebatch.core.access.Learner;
import org.coursebatch.core.access.Operation;
import org.coursebatch.core.access.Requester;
import org.coursebatch.core.batch.BatchService;
import org.coursebatch.core.batch.BatchView;
import org.coursebatch.core.concurrent.Continuations;
import org.coursebatch.core.enrollment.EnrollmentId;
import org.coursebatch.core.enrollment.EnrollmentSelection;
import org.coursebatch.core.enrollment.bulk.ItemFanOut.Learners;
import org.coursebatch.core.error.ErrorCode;
import org.coursebatch.core.error.Rejection;
import org.coursebatch.core.identity.Caller;

/**
 * What one caller may do in bulk: which batches they administer, over which learners they have
 * authority, and which enrolments their catalog holds. Every decision is the access policy's
 * ({@link AccessPolicy}, docs/security.md); this class only asks it and words the refusals.
 */
final class AdminScope {

  /** Who has authority over a learner, as the access policy decides (docs/security.md). */
  private static final String WHO_HAS_AUTHORITY = ": a system admin, an org admin of the user's organisation, or the batch's"
      + " creator or a mentor for users of the creator's organisation that the batch was created for, has.";

  private final ActorSystem<?> system;
  private final AccessChecks access;
  private final BatchService batches;
  private final int parallelism;
  private final Caller caller;

  private CompletionStage<Requester> requester;

  /** The root organisation of each batch's creator, looked up once a batch for the whole request. */
  private final Map<String, CompletionStage<Optional<String>>> creatorOrgs = new ConcurrentHashMap<>();

  AdminScope(ActorSystem<?> system, AccessChecks access, BatchService batches, int parallelism, Caller caller) {
    this.system = system;
    this.access = access;
    this.batches = batches;
    this.parallelism = parallelism;
    this.caller = caller;
  }

  /** The caller with their organisation, looked up once for the whole request. */
  synchronized CompletionStage<Requester> requester() {
    if (requester == null) {
      requester = access.requester(caller);
    }
    return requester;
  }

  private CompletionStage<Optional<String>> creatorOrg(BatchView view) {
    return creatorOrgs.computeIfAbsent(view.batch().batchId(), id -> access.creatorOrg(view.batch()));
  }

  /** The enrolment, when the caller may read it: its learner and those who administer its batch. */
  CompletionStage<EnrollmentBatchAdmin.FoundEnrollment> readable(EnrollmentBatchAdmin.FoundEnrollment found) {
    EnrollmentId id = found.id();
    return batches.find(id.batchId()).thenCombine(access.requester(caller), (view, who) -> {
      var target = AccessPolicy.Target.learnerIn(view.map(BatchView::batch).orElse(null),
          new Learner(id.userId(), Optional.empty()), Optional.empty());
      if (!access.policy().decide(Operation.ENROLMENT_READ, who, target).allowed()) {
        throw permissionDenied(List.of(id.batchId())).asException();
      }
      return found;
    });
  }

  /**
   * The batches, failing the whole operation with PERMISSION_DENIED when the caller does not
   * administer one of them, and ({@code mustExist}) with NOT_FOUND when one does not exist;
   * otherwise a missing batch is left to the items that name it.
   */
  CompletionStage<Map<String, BatchView>> administered(Collection<String> batchIds, boolean mustExist) {
    CompletionStage<Requester> who = access.requester(caller);
    return Continuations.toList(Source.from(List.copyOf(batchIds))
        .mapAsync(parallelism, id -> batches.find(id).thenApply(view -> Map.entry(id, view))), system)
        .thenCombine(who, (found, requester) -> {
          List<String> missing = found.stream().filter(f -> f.getValue().isEmpty()).map(Map.Entry::getKey).toList();
          if (mustExist && !missing.isEmpty()) {
            throw ErrorCode.UNKNOWN_IDS.reject("batches " + InputLimits.listed(missing)).asException();
          }
          Map<String, BatchView> views = new LinkedHashMap<>();
          found.forEach(f -> f.getValue().ifPresent(v -> views.put(f.getKey(), v)));
          List<String> denied = views.values().stream().filter(v -> !administers(requester, v))
              .map(v -> v.batch().batchId()).toList();
          if (!denied.isEmpty()) {
            throw permissionDenied(denied).asException();
          }
          return views;
        });
  }

  /** Null when the caller administers the batch's enrolments, else why not. */
  CompletionStage<Rejection> mayAdminister(String batchId) {
    return batches.find(batchId).thenCombine(access.requester(caller),
        (view, who) -> view.isPresent() && administers(who, view.get()) ? null : permissionDenied(List.of(batchId)));
  }

  private boolean administers(Requester who, BatchView view) {
    return access.policy().decide(Operation.BATCH_ADMINISTER, who, AccessPolicy.Target.batch(view.batch())).allowed();
  }

  private static Rejection permissionDenied(List<String> batchIds) {
    return ErrorCode.PERMISSION_DENIED.reject("You do not administer the enrolments of batch " + InputLimits.listed(batchIds)
        + ": only its creator, its mentors, org admins of an organisation it was created for and system admins do.");
  }

  /**
   * Runs {@code action} on the learner's enrolment in the batch when the caller has authority
   * over the learner (docs/security.md), else answers {@code failed} with PERMISSION_DENIED. The
   * learner is taken from {@code learners}, their chunk's directory lookup: one the directory
   * does not know fails with USER_NOT_FOUND when {@code mustBeKnown} (enrolling), and is
   * otherwise decided without an organisation; a lookup that failed fails the item with its error.
   */
  <T> CompletionStage<T> onLearner(BatchView view, String userId, Learners learners, boolean mustBeKnown,
      Supplier<CompletionStage<T>> action, Function<Rejection, T> failed) {
    if (learners.failure() != null) {
      return CompletableFuture.completedFuture(failed.apply(learners.failure()));
    }
    Learner learner = learners.known().get(userId);
    if (learner == null && mustBeKnown) {
      return CompletableFuture.completedFuture(failed.apply(ErrorCode.USER_NOT_FOUND.reject(userId)));
    }
    Learner decided = learner != null ? learner : new Learner(userId, Optional.empty());
    return requester().thenCombine(creatorOrg(view), (who, creator) -> access.onLearner(who, view.batch(), decided, creator))
        .thenCompose(decision -> decision.allowed() ? action.get() : CompletableFuture.completedFuture(failed.apply(
            ErrorCode.PERMISSION_DENIED.reject("You have no authority over user " + userId + " in batch "
                + view.batch().batchId() + WHO_HAS_AUTHORITY))));
  }

  /**
   * The views, when the caller has authority over every peer's learner the directory knows in
   * the peer's batch; else PERMISSION_DENIED naming the learners. A learner the directory does
   * not know gets a form all the same, whose item fails alone with USER_NOT_FOUND when it is
   * applied (the directory is asked again then): one unknown id does not refuse a whole list.
   */
  CompletionStage<Map<String, BatchView>> withAuthorityOver(List<EnrollmentPeer> peers, Map<String, BatchView> views,
      Map<String, Learner> known) {
    CompletionStage<List<String>> denied = CompletableFuture.completedFuture(List.of());
    for (BatchView view : views.values()) {
      List<Learner> learners = peers.stream().filter(p -> p.batchId().equals(view.batch().batchId()))
          .map(EnrollmentPeer::userId).distinct().map(known::get).filter(Objects::nonNull).toList();
      denied = denied.thenCombine(access.onLearners(caller, view.batch(), learners), (so, decisions) -> {
        List<String> more = new ArrayList<>(so);
        decisions.forEach((userId, d) -> {
          if (!d.allowed()) {
            more.add(userId);
          }
        });
        return more;
      });
    }
    return denied.thenApply(users -> {
      if (!users.isEmpty()) {
        throw ErrorCode.PERMISSION_DENIED.reject("You have no authority over users "
            + InputLimits.listed(new LinkedHashSet<>(users)) + WHO_HAS_AUTHORITY).asException();
      }
      return views;
    });
  }

  /**
   * The enrolments of the caller's catalog that the other arguments (when not null) select: every
   * batch for a system admin; else the batches they created or mentor and, for an org admin,
   * those created for their organisation.
   */
  EnrollmentSelection catalogOf(Requester who, String batchId, String userId, Instant ineffectiveAt) {
    AccessPolicy policy = access.policy();
    if (policy.administersEveryBatch(who)) {
      return new EnrollmentSelection(batchId, userId, null, null, ineffectiveAt);
    }
    return new EnrollmentSelection(batchId, userId, who.userId(), policy.administeredOrg(who).orElse(null), ineffectiveAt);
  }
}
