package org.coursebatch.core.enrollment.bulk;

import static org.coursebatch.core.enrollment.bulk.BulkFailures.guarded;
import static org.coursebatch.core.enrollment.bulk.BulkFailures.itemRejection;
import static org.coursebatch.core.enrollment.bulk.EnrollmentResolver.invalidAlias;
import static org.coursebatch.core.enrollment.bulk.EnrollmentResolver.primaryBatches;
import static org.coursebatch.core.enrollment.bulk.InputLimits.listed;
import static org.coursebatch.core.enrollment.bulk.InputLimits.requireText;

import akka.NotUsed;
import akka.actor.typed.ActorSystem;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import akka.japi.Pair;
import akka.japi.pf.PFBuilder;
import akka.stream.Graph;
import akka.stream.SourceShape;
import akka.stream.javadsl.Source;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.coursebatch.core.concurrent.Continuations;
import org.coursebatch.core.batch.BatchService;
import org.coursebatch.core.batch.BatchView;
import org.coursebatch.core.enrollment.BatchTerms;
import org.coursebatch.core.enrollment.Enrollment;
import org.coursebatch.core.enrollment.EnrollmentCommand;
import org.coursebatch.core.enrollment.EnrollmentId;
import org.coursebatch.core.enrollment.EnrollmentQueries;
import org.coursebatch.core.enrollment.EnrollmentSelection;
import org.coursebatch.core.enrollment.EnrollmentService;
import org.coursebatch.core.enrollment.bulk.EnrollmentForm.Kind;
import org.coursebatch.core.enrollment.bulk.EnrollmentForms.SubmittedForm;
import org.coursebatch.core.enrollment.bulk.EnrollmentResolver.Named;
import org.coursebatch.core.error.ErrorCode;
import org.coursebatch.core.error.RejectedException;
import org.coursebatch.core.error.Rejection;
import org.coursebatch.core.access.AccessPolicy;
import org.coursebatch.core.access.Learner;
import org.coursebatch.core.access.Operation;
import org.coursebatch.core.access.Requester;
import org.coursebatch.core.identity.Caller;
import org.coursebatch.core.request.ClientRequest;
import org.coursebatch.core.metrics.NodeMeters;
import org.coursebatch.core.request.EntityAsks;
import org.coursebatch.core.request.RequestKey;

/**
 * Bulk enrolment administration ({@link EnrollmentBatchAdminSession}) over the enrolment entities:
 * each item is one command to one learner's enrolment, so it is all-or-nothing on its own and
 * obeys exactly the rules of single enrolment. Items run {@link Settings#parallelism} at a time.
 *
 * <p>Who may do what ({@link AccessPolicy}; docs/security.md): those who administer a batch (its
 * creator, its mentors, the org admins of an organisation it was created for, system admins)
 * administer its enrolments, and each item also needs authority over its learner, as for single
 * enrolment. The <em>catalog</em> of a caller, which the delete-all, per-student and by-date
 * deletions range over, is the batches they created or mentor, plus, for an org admin, the
 * batches created for their root organisation (user directory) and, for a system admin, every
 * batch.
 */
public final class EnrollmentBatchAdmin {

  /** The record type that adds an enrolment's progress to its create response. */
  public static final String PROGRESS_RECORD = "enrollment:progress@coursebatch";

  public static final List<String> SUPPORTED_RECORD_TYPES = List.of(PROGRESS_RECORD);

  /** Items whose learners one directory lookup asks for. */
  static final int LOOKUP_CHUNK = 1_000;

  /**
   * @param parallelism items in flight at once
   * @param maxItems the most items (forms, ids, peers, alias requests) one request may carry
   * @param formTtl how long a form stays valid after it is issued
   */
  public record Settings(int parallelism, int maxItems, Duration formTtl) {}

  /** An enrolment found by id or alias, with the primary id. */
  public record FoundEnrollment(EnrollmentId id, Enrollment enrollment) {}

  private final ActorSystem<?> system;
  private final EnrollmentService enrollments;
  private final BatchService batches;
  private final EnrollmentQueries queries;
  private final EnrollmentForms enrollmentForms;
  private final EnrollmentResolver resolver;
  private final Settings settings;
  private final InputLimits limits;
  private final EntityAsks asks;
  private final MeteredAdminSession.ItemCounters itemCounters;

  public EnrollmentBatchAdmin(ActorSystem<?> system, EnrollmentService enrollments, BatchService batches,
      EnrollmentQueries queries, FormTokens tokens, Settings settings, Duration askTimeout, Clock clock) {
    this.system = system;
    this.enrollments = enrollments;
    this.batches = batches;
    this.queries = queries;
    this.settings = settings;
    this.limits = new InputLimits(settings.maxItems());
    this.asks = new EntityAsks(system, clock, askTimeout);
    this.enrollmentForms = new EnrollmentForms(tokens, clock, settings.formTtl(), limits);
    this.resolver = new EnrollmentResolver(ClusterSharding.get(system), asks, enrollments);
    this.itemCounters = new MeteredAdminSession.ItemCounters(NodeMeters.registry(system));
  }

  /**
   * A session for {@code caller}'s request. Its items run after the response has started, so they
   * wait the ask timeout each, not the request's answer-by instant; with the request's
   * idempotency key, a retry of the request answers each item it applied as the first time did
   * (instead of FORM_ALREADY_USED or NOT_FOUND).
   */
  public EnrollmentBatchAdminSession session(Caller caller, ClientRequest request) {
    return new MeteredAdminSession(new Session(caller, request.keyOnly()), itemCounters);
  }

  /** An enrolment by primary id or alias, for the learner and those who administer its batch. */
  public CompletionStage<FoundEnrollment> getEnrollment(String idOrAlias, Caller caller) {
    return guarded(() -> {
      requireText(idOrAlias, "enrollmentId");
      return resolver.find(idOrAlias).thenCompose(found -> {
        if (found.isEmpty()) {
          throw ErrorCode.ENROLLMENT_NOT_FOUND.reject(idOrAlias).asException();
        }
        EnrollmentId id = found.get().id();
        return batches.find(id.batchId()).thenCombine(enrollments.access().requester(caller), (view, who) -> {
          var target = AccessPolicy.Target.learnerIn(view.map(BatchView::batch).orElse(null),
              new Learner(id.userId(), Optional.empty()), Optional.empty());
          if (!enrollments.access().policy().decide(Operation.ENROLMENT_READ, who, target).allowed()) {
            throw permissionDenied(List.of(id.batchId())).asException();
          }
          return found.get();
        });
      });
    });
  }

  /** Who has authority over a learner, as the access policy decides (docs/security.md). */
  private static final String WHO_HAS_AUTHORITY = ": a system admin, an org admin of the user's organisation, or the batch's"
      + " creator or a mentor for users of the creator's organisation that the batch was created for, has.";

  private final class Session implements EnrollmentBatchAdminSession {
    private final Caller caller;
    private final ClientRequest items;

    private CompletionStage<Requester> requester;

    Session(Caller caller, ClientRequest items) {
      this.caller = caller;
      this.items = items;
    }

    /** The caller with their organisation, looked up once for the whole request. */
    private synchronized CompletionStage<Requester> requester() {
      if (requester == null) {
        requester = enrollments.access().requester(caller);
      }
      return requester;
    }

    /** The root organisation of each batch's creator, looked up once a batch for the whole request. */
    private final Map<String, CompletionStage<Optional<String>>> creatorOrgs = new java.util.concurrent.ConcurrentHashMap<>();

    private CompletionStage<Optional<String>> creatorOrg(BatchView view) {
      return creatorOrgs.computeIfAbsent(view.batch().batchId(), id -> enrollments.access().creatorOrg(view.batch()));
    }

    /**
     * Runs {@code action} on the learner's enrolment in the batch when the caller has authority
     * over the learner (docs/security.md), else answers {@code failed} with PERMISSION_DENIED. The
     * learner is taken from {@code learners}, their chunk's directory lookup: one the directory
     * does not know fails with USER_NOT_FOUND when {@code mustBeKnown} (enrolling), and is
     * otherwise decided without an organisation; a lookup that failed fails the item with its error.
     */
    private <T> CompletionStage<T> onLearner(BatchView view, String userId, Learners learners, boolean mustBeKnown,
        Supplier<CompletionStage<T>> action, Function<Rejection, T> failed) {
      if (learners.failure() != null) {
        return CompletableFuture.completedFuture(failed.apply(learners.failure()));
      }
      Learner learner = learners.known().get(userId);
      if (learner == null && mustBeKnown) {
        return CompletableFuture.completedFuture(failed.apply(ErrorCode.USER_NOT_FOUND.reject(userId)));
      }
      Learner decided = learner != null ? learner : new Learner(userId, Optional.empty());
      return requester().thenCombine(creatorOrg(view), (who, creator) -> enrollments.access().onLearner(who, view.batch(), decided,
              creator))
          .thenCompose(decision -> decision.allowed() ? action.get() : CompletableFuture.completedFuture(failed.apply(
              ErrorCode.PERMISSION_DENIED.reject("You have no authority over user " + userId + " in batch "
                  + view.batch().batchId() + WHO_HAS_AUTHORITY))));
    }

    @Override
    public CompletionStage<List<EnrollmentForm>> getEnrollmentFormsForCreate(List<EnrollmentPeer> peers,
        List<String> enrollmentRecordTypes) {
      return guarded(() -> {
        limits.requireItems(peers, "peers");
        if (enrollmentRecordTypes == null) {
          throw ErrorCode.NULL_ARGUMENT.reject("recordTypes").asException();
        }
        for (int i = 0; i < peers.size(); i++) {
          EnrollmentPeer p = peers.get(i);
          requireText(p.batchId(), "peers[" + i + "].batchId");
          requireText(p.userId(), "peers[" + i + "].userId");
        }
        List<String> unsupported = enrollmentRecordTypes.stream().filter(t -> !SUPPORTED_RECORD_TYPES.contains(t)).toList();
        if (!unsupported.isEmpty()) {
          throw ErrorCode.UNSUPPORTED_RECORD_TYPES.reject(unsupported, SUPPORTED_RECORD_TYPES).asException();
        }
        Set<String> batchIds = peers.stream().map(EnrollmentPeer::batchId).collect(Collectors.toCollection(LinkedHashSet::new));
        Set<String> userIds = peers.stream().map(EnrollmentPeer::userId).collect(Collectors.toCollection(LinkedHashSet::new));
        return administered(batchIds, caller, true)
            .thenCompose(views -> enrollments.access().knownLearners(userIds)
                .thenCompose(known -> withAuthorityOver(peers, views, known)))
            .thenApply(views -> {
              Instant expires = enrollmentForms.expiry();
              List<String> types = List.copyOf(new LinkedHashSet<>(enrollmentRecordTypes));
              return peers.stream().map(p -> enrollmentForms.createForm(p, types, expires)).toList();
            });
      });
    }

    /**
     * The views, when the caller has authority over every peer's learner the directory knows in
     * the peer's batch; else PERMISSION_DENIED naming the learners. A learner the directory does
     * not know gets a form all the same, whose item fails alone with USER_NOT_FOUND when it is
     * applied (the directory is asked again then): one unknown id does not refuse a whole list.
     */
    private CompletionStage<Map<String, BatchView>> withAuthorityOver(List<EnrollmentPeer> peers, Map<String, BatchView> views,
        Map<String, Learner> known) {
      CompletionStage<List<String>> denied = CompletableFuture.completedFuture(List.of());
      for (BatchView view : views.values()) {
        List<Learner> learners = peers.stream().filter(p -> p.batchId().equals(view.batch().batchId()))
            .map(EnrollmentPeer::userId).distinct().map(known::get).filter(java.util.Objects::nonNull).toList();
        denied = denied.thenCombine(enrollments.access().onLearners(caller, view.batch(), learners), (so, decisions) -> {
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
          throw ErrorCode.PERMISSION_DENIED.reject("You have no authority over users " + listed(new LinkedHashSet<>(users))
              + WHO_HAS_AUTHORITY).asException();
        }
        return views;
      });
    }

    @Override
    public CompletionStage<Source<CreateResponse, NotUsed>> createEnrollments(List<EnrollmentForm> forms) {
      return applyForms(forms, Kind.CREATE, this::create);
    }

    /**
     * Reads the submitted forms of {@code kind}, checks the caller administers every batch they
     * name, then applies them item by item, a bounded number at a time.
     */
    private <R> CompletionStage<Source<R, NotUsed>> applyForms(List<EnrollmentForm> forms, Kind kind,
        BiFunction<SubmittedForm, Learners, CompletionStage<R>> item) {
      return guarded(() -> {
        List<SubmittedForm> submitted = enrollmentForms.read(forms, kind);
        return administered(EnrollmentForms.batchesOf(submitted), caller, false).thenApply(views ->
            withLearners(Source.from(submitted), f -> f.claims() == null ? null : f.claims().userId())
                .mapAsyncUnordered(settings.parallelism(), p -> item.apply(p.first(), p.second())));
      });
    }

    private CompletionStage<CreateResponse> create(SubmittedForm form, Learners learners) {
      if (form.rejection() != null) {
        return CompletableFuture.completedFuture(CreateResponse.failed(form.formId(), form.rejection()));
      }
      FormClaims c = form.claims();
      boolean withProgress = c.recordTypes().contains(PROGRESS_RECORD);
      RequestKey key = items.key(caller.userId(), "bulk.create", c.id());
      return onBatch(c.batchId(), view -> onLearner(view, c.userId(), learners, true,
          () -> enrollments.write(c.batchId(), c.userId(), items,
              (deadline, r) -> new EnrollmentCommand.Enrol(BatchTerms.of(view), true, caller.userId(), c.id(), deadline, key, r))
          .thenApply(a -> {
            Enrollment e = a.enrollment();
            return new CreateResponse(c.id(), e.id().map(EnrollmentId::toString).orElse(null), e.participation(),
                EnrollmentService.waitlistPosition(a, view, c.userId()), withProgress ? progressOf(e) : null, null);
          })
          .exceptionally(e -> {
            throw EnrollmentService.withWaitlistPosition(e, view, c.userId());
          }), denied -> CreateResponse.failed(c.id(), denied)))
          .exceptionally(e -> CreateResponse.failed(c.id(), itemRejection(e, c.batchId(), c.userId())));
    }

    @Override
    public CompletionStage<List<EnrollmentForm>> getEnrollmentFormsForUpdate(List<String> enrollmentIds) {
      return guarded(() -> {
        limits.requireIds(enrollmentIds, "enrollmentIds");
        Set<String> checked = primaryBatches(enrollmentIds);
        return administered(checked, caller, false)
            .thenCompose(views -> Continuations.toList(Source.from(enrollmentIds)
                .mapAsync(settings.parallelism(), id -> resolver.find(id)
                    .thenApply(found -> Map.<String, Optional<FoundEnrollment>>entry(id, found))), system))
            .thenCompose(found -> {
              List<String> unknown = found.stream().filter(f -> f.getValue().isEmpty()).map(Map.Entry::getKey).toList();
              if (!unknown.isEmpty()) {
                throw ErrorCode.UNKNOWN_IDS.reject("enrollments " + listed(unknown)).asException();
              }
              List<FoundEnrollment> all = found.stream().map(f -> f.getValue().get()).toList();
              // Only the batches reached through aliases are left to check.
              Set<String> aliased = all.stream().map(f -> f.id().batchId()).filter(b -> !checked.contains(b))
                  .collect(Collectors.toCollection(LinkedHashSet::new));
              Instant expires = enrollmentForms.expiry();
              return administered(aliased, caller, false).thenApply(views -> all.stream().map(f -> enrollmentForms.updateForm(f, expires)).toList());
            });
      });
    }

    @Override
    public CompletionStage<Source<UpdateResponse, NotUsed>> updateEnrollments(List<EnrollmentForm> forms) {
      return applyForms(forms, Kind.UPDATE, this::update);
    }

    private CompletionStage<UpdateResponse> update(SubmittedForm form, Learners learners) {
      if (form.rejection() != null) {
        return CompletableFuture.completedFuture(UpdateResponse.failed(form.formId(), null, form.rejection()));
      }
      FormClaims c = form.claims();
      String enrollmentId = new EnrollmentId(c.batchId(), c.userId(), c.incarnation()).toString();
      if (form.active() == null) {
        return CompletableFuture.completedFuture(
            UpdateResponse.failed(c.id(), enrollmentId, ErrorCode.NULL_ARGUMENT.reject("active")));
      }
      RequestKey key = items.key(caller.userId(), "bulk.update", c.id(), form.active());
      return onBatch(c.batchId(), view -> onLearner(view, c.userId(), learners, false,
          () -> enrollments.write(c.batchId(), c.userId(), items,
              (deadline, r) -> new EnrollmentCommand.UpdateEnrollment(BatchTerms.of(view), c.incarnation(), form.active(), c.id(),
                  caller.userId(), deadline, key, r))
          .thenApply(a -> new UpdateResponse(c.id(), enrollmentId, a.enrollment().participation(),
              EnrollmentService.waitlistPosition(a, view, c.userId()), null)), denied -> UpdateResponse.failed(c.id(), enrollmentId, denied)))
          .exceptionally(e -> UpdateResponse.failed(c.id(), enrollmentId, itemRejection(e, c.batchId(), c.userId())));
    }

    @Override
    public CompletionStage<Source<DeleteResponse, NotUsed>> deleteAllEnrollments() {
      return deleteSelected(null, null, null);
    }

    @Override
    public CompletionStage<Source<DeleteResponse, NotUsed>> deleteEnrollments(List<String> enrollmentIds) {
      return guarded(() -> {
        limits.requireIds(enrollmentIds, "enrollmentIds");
        return administered(primaryBatches(enrollmentIds), caller, false).thenApply(views ->
            withLearners(Source.from(enrollmentIds).mapAsync(settings.parallelism(),
                    id -> resolver.resolve(id).handle((found, e) -> new Named(id, found, e))), Named::userId)
                .mapAsyncUnordered(settings.parallelism(), p -> deleteNamed(p.first(), p.second())));
      });
    }

    private CompletionStage<DeleteResponse> deleteNamed(Named named, Learners learners) {
      String requested = named.requested();
      if (named.failure() != null) {
        return CompletableFuture.completedFuture(new DeleteResponse(requested, null, itemRejection(named.failure(), null, null)));
      }
      if (named.found().isEmpty()) {
        return CompletableFuture.completedFuture(new DeleteResponse(requested, null, ErrorCode.ENROLLMENT_NOT_FOUND.reject(requested)));
      }
      return checkedDelete(requested, named.found().get(), learners);
    }

    /** Deletes an enrolment named by a request: one found through an alias is checked on its own. */
    private CompletionStage<DeleteResponse> checkedDelete(String requested, EnrollmentId id, Learners learners) {
      if (EnrollmentId.parse(requested).isPresent()) {
        return delete(requested, id, learners);
      }
      return mayAdminister(id.batchId(), caller).thenCompose(denied -> denied == null
          ? delete(requested, id, learners)
          : CompletableFuture.completedFuture(new DeleteResponse(requested, id.toString(), denied)));
    }

    private CompletionStage<DeleteResponse> delete(String requested, EnrollmentId id, Learners learners) {
      RequestKey key = items.key(caller.userId(), "bulk.delete", id.toString());
      return onBatch(id.batchId(), view -> onLearner(view, id.userId(), learners, false, () -> enrollments.write(id.batchId(), id.userId(), items,
              (deadline, r) -> new EnrollmentCommand.DeleteEnrollment(id.incarnation(), caller.userId(), deadline, key, r))
          .thenApply(a -> new DeleteResponse(requested, id.toString(), null)),
          denied -> new DeleteResponse(requested, id.toString(), denied)))
          .exceptionally(e -> new DeleteResponse(requested, id.toString(), itemRejection(e, id.batchId(), id.userId())));
    }

    @Override
    public CompletionStage<Source<DeleteResponse, NotUsed>> deleteEnrollmentsForProgramOffering(String programOfferingId) {
      return guarded(() -> {
        requireText(programOfferingId, "batchId");
        return administered(Set.of(programOfferingId), caller, true).thenApply(views ->
            deleteAll(queries.enrollmentIds(EnrollmentSelection.ofBatch(programOfferingId))));
      });
    }

    @Override
    public CompletionStage<Source<DeleteResponse, NotUsed>> deleteEnrollmentsForStudent(String resourceId) {
      return guarded(() -> {
        requireText(resourceId, "userId");
        return deleteSelected(resourceId, null, null);
      });
    }

    @Override
    public CompletionStage<Source<DeleteResponse, NotUsed>> deleteIneffectiveEnrollmentsByDate(Instant date) {
      return guarded(() -> {
        if (date == null) {
          throw ErrorCode.NULL_ARGUMENT.reject("date").asException();
        }
        return deleteSelected(null, date, null);
      });
    }

    /**
     * The enrolments of the caller's catalog that the other arguments (when not null) select: every
     * batch for a system admin; else the batches they created or mentor and, for an org admin,
     * those created for their organisation.
     */
    private EnrollmentSelection catalogOf(Requester who, String batchId, String userId, Instant ineffectiveAt) {
      AccessPolicy policy = enrollments.access().policy();
      if (policy.administersEveryBatch(who)) {
        return new EnrollmentSelection(batchId, userId, null, null, ineffectiveAt);
      }
      return new EnrollmentSelection(batchId, userId, who.userId(), policy.administeredOrg(who).orElse(null), ineffectiveAt);
    }

    /** Deletes the enrolments of the caller's catalog that the other arguments (when not null) select. */
    private CompletionStage<Source<DeleteResponse, NotUsed>> deleteSelected(String userId, Instant ineffectiveAt, String batchId) {
      return guarded(() -> requester().thenApply(who -> deleteAll(queries.enrollmentIds(catalogOf(who, batchId, userId, ineffectiveAt)))));
    }

    /**
     * Deletes the enrolments the read side lists. One it lists but that is already gone (deleted a
     * moment ago; the read side trails the journal) was not asked for by name and is left out. If
     * the listing breaks off, the deletions under way are still reported before the stream fails.
     */
    private Source<DeleteResponse, NotUsed> deleteAll(Source<EnrollmentId, NotUsed> ids) {
      AtomicReference<Throwable> listingFailed = new AtomicReference<>();
      Source<EnrollmentId, NotUsed> listed = ids
          .recoverWithRetries(1, new PFBuilder<Throwable, Graph<SourceShape<EnrollmentId>, NotUsed>>()
              .match(Throwable.class, e -> {
                listingFailed.set(e);
                return Source.empty();
              }).build());
      return withLearners(listed, EnrollmentId::userId)
          .mapAsyncUnordered(settings.parallelism(), p -> delete(p.first().toString(), p.first(), p.second()))
          .filter(r -> r.error() == null || r.error().code() != ErrorCode.ENROLLMENT_NOT_FOUND)
          .concat(Source.lazySource(() -> listingFailed.get() == null
              ? Source.<DeleteResponse>empty()
              : Source.<DeleteResponse>failed(listingFailed.get())));
    }

    /**
     * Pairs each item with the learners of its chunk: the directory is asked for the users of
     * {@value #LOOKUP_CHUNK} items at a time (it asks in pages of its own), never once per item.
     */
    private <E> Source<Pair<E, Learners>, NotUsed> withLearners(Source<E, NotUsed> items, Function<E, String> userIdOf) {
      return items.grouped(LOOKUP_CHUNK)
          .mapAsync(1, chunk -> learners(chunk.stream().map(userIdOf).filter(java.util.Objects::nonNull).toList())
              .thenApply(found -> chunk.stream().map(e -> Pair.create(e, found)).toList()))
          .mapConcat(pairs -> pairs);
    }

    /** The learners among {@code userIds} the directory knows, or, when it cannot tell, the error each of their items gets. */
    private CompletionStage<Learners> learners(List<String> userIds) {
      return enrollments.access().knownLearners(userIds).handle((known, e) -> e == null
          ? new Learners(known, null)
          : new Learners(Map.of(), itemRejection(e, null, null)));
    }

    @Override
    public CompletionStage<Source<AliasResponse, NotUsed>> aliasEnrollments(List<AliasRequest> aliasRequests) {
      return guarded(() -> {
        limits.requireItems(aliasRequests, "aliases");
        List<String> targets = new ArrayList<>();
        for (int i = 0; i < aliasRequests.size(); i++) {
          requireText(aliasRequests.get(i).enrollmentId(), "aliases[" + i + "].enrollmentId");
          targets.add(aliasRequests.get(i).enrollmentId());
        }
        return administered(primaryBatches(targets), caller, false).thenApply(views ->
            Source.from(aliasRequests).mapAsyncUnordered(settings.parallelism(), this::alias));
      });
    }

    private CompletionStage<AliasResponse> alias(AliasRequest request) {
      String alias = request.aliasId();
      Rejection invalid = invalidAlias(alias);
      if (invalid != null) {
        return CompletableFuture.completedFuture(new AliasResponse(alias, null, null, invalid));
      }
      String target = request.enrollmentId();
      return resolver.find(target).thenCompose(found -> {
        if (found.isEmpty()) {
          return CompletableFuture.completedFuture(new AliasResponse(alias, null, null, ErrorCode.ENROLLMENT_NOT_FOUND.reject(target)));
        }
        EnrollmentId id = found.get().id();
        CompletionStage<Rejection> allowed = EnrollmentId.parse(target).isPresent()
            ? CompletableFuture.completedFuture(null)
            : mayAdminister(id.batchId(), caller);
        return allowed.thenCompose(denied -> denied != null
            ? CompletableFuture.completedFuture(new AliasResponse(alias, id.toString(), null, denied))
            : asks.<EnrollmentAliasEntity.Command, EnrollmentAliasEntity.Assigned>write(resolver.aliasRef(alias), items,
                    (deadline, r) -> new EnrollmentAliasEntity.Assign(id.toString(), caller.userId(), deadline, r))
                .thenApply(a -> new AliasResponse(alias, id.toString(), a.previousEnrollmentId(), null)));
      }).exceptionally(e -> new AliasResponse(alias, null, null, itemRejection(e, null, null)));
    }
  }

  /** The learners of a chunk of items as the directory knows them (by user id), or why it could not tell. */
  private record Learners(Map<String, Learner> known, Rejection failure) {}

  /**
   * The batches, failing the whole operation with PERMISSION_DENIED when the caller does not
   * administer one of them, and ({@code mustExist}) with NOT_FOUND when one does not exist;
   * otherwise a missing batch is left to the items that name it.
   */
  private CompletionStage<Map<String, BatchView>> administered(Collection<String> batchIds, Caller caller, boolean mustExist) {
    CompletionStage<Requester> requester = enrollments.access().requester(caller);
    return Continuations.toList(Source.from(List.copyOf(batchIds))
        .mapAsync(settings.parallelism(), id -> batches.find(id).thenApply(view -> Map.entry(id, view))), system)
        .thenCombine(requester, (found, who) -> {
          List<String> missing = found.stream().filter(f -> f.getValue().isEmpty()).map(Map.Entry::getKey).toList();
          if (mustExist && !missing.isEmpty()) {
            throw ErrorCode.UNKNOWN_IDS.reject("batches " + listed(missing)).asException();
          }
          Map<String, BatchView> views = new LinkedHashMap<>();
          found.forEach(f -> f.getValue().ifPresent(v -> views.put(f.getKey(), v)));
          List<String> denied = views.values().stream().filter(v -> !administers(who, v))
              .map(v -> v.batch().batchId()).toList();
          if (!denied.isEmpty()) {
            throw permissionDenied(denied).asException();
          }
          return views;
        });
  }

  /** Null when the caller administers the batch's enrolments, else why not. */
  private CompletionStage<Rejection> mayAdminister(String batchId, Caller caller) {
    return batches.find(batchId).thenCombine(enrollments.access().requester(caller),
        (view, who) -> view.isPresent() && administers(who, view.get()) ? null : permissionDenied(List.of(batchId)));
  }

  private boolean administers(Requester who, BatchView view) {
    return enrollments.access().policy().decide(Operation.BATCH_ADMINISTER, who, AccessPolicy.Target.batch(view.batch())).allowed();
  }

  private static Rejection permissionDenied(List<String> batchIds) {
    return ErrorCode.PERMISSION_DENIED.reject("You do not administer the enrolments of batch " + listed(batchIds)
        + ": only its creator, its mentors, org admins of an organisation it was created for and system admins do.");
  }

  /** Runs {@code item} on the batch as it is now (its terms decide); a batch that is gone fails the item. */
  private <T> CompletionStage<T> onBatch(String batchId, Function<BatchView, CompletionStage<T>> item) {
    return batches.find(batchId).thenCompose(view -> item.apply(view.orElseThrow(
        () -> ErrorCode.UNKNOWN_IDS.reject("batch " + batchId).asException())));
  }

  /** The enrolment an id or alias names, when it is of the enrolment id form or an alias names one. */
  public CompletionStage<Optional<EnrollmentId>> resolve(String idOrAlias) {
    return resolver.resolve(idOrAlias);
  }


  private static EnrollmentProgress progressOf(Enrollment e) {
    return new EnrollmentProgress(e.progressStatus(), e.completedLeaves(), e.completionPercentage());
  }

}
