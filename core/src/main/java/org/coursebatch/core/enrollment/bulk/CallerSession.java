package org.coursebatch.core.enrollment.bulk;

import static org.coursebatch.core.enrollment.bulk.BulkFailures.guarded;
import static org.coursebatch.core.enrollment.bulk.BulkFailures.itemRejection;
import static org.coursebatch.core.enrollment.bulk.EnrollmentBatchAdmin.PROGRESS_RECORD;
import static org.coursebatch.core.enrollment.bulk.EnrollmentBatchAdmin.SUPPORTED_RECORD_TYPES;

import akka.NotUsed;
import akka.stream.javadsl.Source;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.BiFunction;
import java.util.stream.Collectors;
import org.coursebatch.core.concurrent.Continuations;
import org.coursebatch.core.enrollment.BatchTerms;
import org.coursebatch.core.enrollment.Enrollment;
import org.coursebatch.core.enrollment.EnrollmentCommand;
import org.coursebatch.core.enrollment.EnrollmentId;
import org.coursebatch.core.enrollment.WaitlistPositions;
import org.coursebatch.core.enrollment.bulk.EnrollmentBatchAdmin.FoundEnrollment;
import org.coursebatch.core.enrollment.bulk.EnrollmentBatchAdmin.Parts;
import org.coursebatch.core.enrollment.bulk.EnrollmentForm.Kind;
import org.coursebatch.core.enrollment.bulk.EnrollmentForms.SubmittedForm;
import org.coursebatch.core.enrollment.bulk.ItemFanOut.Learners;
import org.coursebatch.core.error.ErrorCode;
import org.coursebatch.core.error.Rejection;
import org.coursebatch.core.identity.Caller;
import org.coursebatch.core.request.ClientRequest;
import org.coursebatch.core.request.RequestKey;

/**
 * One caller's request: checks the whole request against the caller's {@link AdminScope}, then
 * applies its items one command each, as single enrolment would. Deletions are
 * {@link EnrollmentDeletions}'.
 */
final class CallerSession implements EnrollmentBatchAdminSession {

  private final Parts parts;
  private final Caller caller;
  private final ClientRequest items;
  private final AdminScope scope;
  private final EnrollmentDeletions deletions;

  CallerSession(Parts parts, Caller caller, ClientRequest items) {
    this.parts = parts;
    this.caller = caller;
    this.items = items;
    this.scope = parts.scopeOf(caller);
    this.deletions = new EnrollmentDeletions(parts.enrollments(), parts.queries(), parts.resolver(), parts.fanOut(),
        parts.limits(), scope, caller, items);
  }

  @Override
  public CompletionStage<List<EnrollmentForm>> getEnrollmentFormsForCreate(List<EnrollmentPeer> peers,
      List<String> enrollmentRecordTypes) {
    return guarded(() -> {
      parts.limits().requireItems(peers, "peers");
      if (enrollmentRecordTypes == null) {
        throw ErrorCode.NULL_ARGUMENT.reject("recordTypes").asException();
      }
      for (int i = 0; i < peers.size(); i++) {
        EnrollmentPeer p = peers.get(i);
        InputLimits.requireText(p.batchId(), "peers[" + i + "].batchId");
        InputLimits.requireText(p.userId(), "peers[" + i + "].userId");
      }
      List<String> unsupported = enrollmentRecordTypes.stream().filter(t -> !SUPPORTED_RECORD_TYPES.contains(t)).toList();
      if (!unsupported.isEmpty()) {
        throw ErrorCode.UNSUPPORTED_RECORD_TYPES.reject(unsupported, SUPPORTED_RECORD_TYPES).asException();
      }
      Set<String> batchIds = peers.stream().map(EnrollmentPeer::batchId).collect(Collectors.toCollection(LinkedHashSet::new));
      Set<String> userIds = peers.stream().map(EnrollmentPeer::userId).collect(Collectors.toCollection(LinkedHashSet::new));
      return scope.administered(batchIds, true)
          .thenCompose(views -> parts.enrollments().access().knownLearners(userIds)
              .thenCompose(known -> scope.withAuthorityOver(peers, views, known)))
          .thenApply(views -> {
            Instant expires = parts.forms().expiry();
            List<String> types = List.copyOf(new LinkedHashSet<>(enrollmentRecordTypes));
            return peers.stream().map(p -> parts.forms().createForm(p, types, expires)).toList();
          });
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
      List<SubmittedForm> submitted = parts.forms().read(forms, kind);
      return scope.administered(EnrollmentForms.batchesOf(submitted), false).thenApply(views ->
          parts.fanOut().apply(Source.from(submitted), f -> f.claims() == null ? null : f.claims().userId(), item));
    });
  }

  private CompletionStage<CreateResponse> create(SubmittedForm form, Learners learners) {
    if (form.rejection() != null) {
      return CompletableFuture.completedFuture(CreateResponse.failed(form.formId(), form.rejection()));
    }
    FormClaims c = form.claims();
    boolean withProgress = c.recordTypes().contains(PROGRESS_RECORD);
    RequestKey key = items.key(caller.userId(), "bulk.create", c.id());
    return parts.fanOut().onBatch(c.batchId(), view -> scope.onLearner(view, c.userId(), learners, true,
        () -> parts.enrollments().write(c.batchId(), c.userId(), items,
            (deadline, r) -> new EnrollmentCommand.Enrol(BatchTerms.of(view), true, caller.userId(), c.id(), deadline, key, r))
        .thenApply(a -> {
          Enrollment e = a.enrollment();
          return new CreateResponse(c.id(), e.id().map(EnrollmentId::toString).orElse(null), e.participation(),
              WaitlistPositions.waitlistPosition(a, view, c.userId()), withProgress ? progressOf(e) : null, null);
        })
        .exceptionally(e -> {
          throw WaitlistPositions.withWaitlistPosition(e, view, c.userId());
        }), denied -> CreateResponse.failed(c.id(), denied)))
        .exceptionally(e -> CreateResponse.failed(c.id(), itemRejection(e, c.batchId(), c.userId())));
  }

  private static EnrollmentProgress progressOf(Enrollment e) {
    return new EnrollmentProgress(e.progressStatus(), e.completedLeaves(), e.completionPercentage());
  }

  @Override
  public CompletionStage<List<EnrollmentForm>> getEnrollmentFormsForUpdate(List<String> enrollmentIds) {
    return guarded(() -> {
      parts.limits().requireIds(enrollmentIds, "enrollmentIds");
      Set<String> checked = EnrollmentResolver.primaryBatches(enrollmentIds);
      return scope.administered(checked, false)
          .thenCompose(views -> Continuations.toList(Source.from(enrollmentIds)
              .mapAsync(parts.fanOut().parallelism(), id -> parts.resolver().find(id)
                  .thenApply(found -> Map.<String, Optional<FoundEnrollment>>entry(id, found))), parts.system()))
          .thenCompose(found -> {
            List<String> unknown = found.stream().filter(f -> f.getValue().isEmpty()).map(Map.Entry::getKey).toList();
            if (!unknown.isEmpty()) {
              throw ErrorCode.UNKNOWN_IDS.reject("enrollments " + InputLimits.listed(unknown)).asException();
            }
            List<FoundEnrollment> all = found.stream().map(f -> f.getValue().get()).toList();
            // Only the batches reached through aliases are left to check.
            Set<String> aliased = all.stream().map(f -> f.id().batchId()).filter(b -> !checked.contains(b))
                .collect(Collectors.toCollection(LinkedHashSet::new));
            Instant expires = parts.forms().expiry();
            return scope.administered(aliased, false)
                .thenApply(views -> all.stream().map(f -> parts.forms().updateForm(f, expires)).toList());
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
    return parts.fanOut().onBatch(c.batchId(), view -> scope.onLearner(view, c.userId(), learners, false,
        () -> parts.enrollments().write(c.batchId(), c.userId(), items,
            (deadline, r) -> new EnrollmentCommand.UpdateEnrollment(BatchTerms.of(view), c.incarnation(), form.active(), c.id(),
                caller.userId(), deadline, key, r))
        .thenApply(a -> new UpdateResponse(c.id(), enrollmentId, a.enrollment().participation(),
            WaitlistPositions.waitlistPosition(a, view, c.userId()), null)), denied -> UpdateResponse.failed(c.id(), enrollmentId, denied)))
        .exceptionally(e -> UpdateResponse.failed(c.id(), enrollmentId, itemRejection(e, c.batchId(), c.userId())));
  }

  @Override
  public CompletionStage<Source<DeleteResponse, NotUsed>> deleteAllEnrollments() {
    return deletions.all();
  }

  @Override
  public CompletionStage<Source<DeleteResponse, NotUsed>> deleteEnrollments(List<String> enrollmentIds) {
    return deletions.named(enrollmentIds);
  }

  @Override
  public CompletionStage<Source<DeleteResponse, NotUsed>> deleteEnrollmentsForProgramOffering(String programOfferingId) {
    return deletions.ofBatch(programOfferingId);
  }

  @Override
  public CompletionStage<Source<DeleteResponse, NotUsed>> deleteEnrollmentsForStudent(String resourceId) {
    return deletions.ofStudent(resourceId);
  }

  @Override
  public CompletionStage<Source<DeleteResponse, NotUsed>> deleteIneffectiveEnrollmentsByDate(Instant date) {
    return deletions.ineffectiveAt(date);
  }

  @Override
  public CompletionStage<Source<AliasResponse, NotUsed>> aliasEnrollments(List<AliasRequest> aliasRequests) {
    return guarded(() -> {
      parts.limits().requireItems(aliasRequests, "aliases");
      List<String> targets = new ArrayList<>();
      for (int i = 0; i < aliasRequests.size(); i++) {
        InputLimits.requireText(aliasRequests.get(i).enrollmentId(), "aliases[" + i + "].enrollmentId");
        targets.add(aliasRequests.get(i).enrollmentId());
      }
      return scope.administered(EnrollmentResolver.primaryBatches(targets), false).thenApply(views ->
          Source.from(aliasRequests).mapAsyncUnordered(parts.fanOut().parallelism(), this::alias));
    });
  }

  private CompletionStage<AliasResponse> alias(AliasRequest request) {
    String alias = request.aliasId();
    Rejection invalid = EnrollmentResolver.invalidAlias(alias);
    if (invalid != null) {
      return CompletableFuture.completedFuture(new AliasResponse(alias, null, null, invalid));
    }
    String target = request.enrollmentId();
    return parts.resolver().find(target).thenCompose(found -> {
      if (found.isEmpty()) {
        return CompletableFuture.completedFuture(new AliasResponse(alias, null, null, ErrorCode.ENROLLMENT_NOT_FOUND.reject(target)));
      }
      EnrollmentId id = found.get().id();
      // A primary id's batch was checked with the whole request; one reached through an alias is checked here.
      CompletionStage<Rejection> allowed = EnrollmentId.parse(target).isPresent()
          ? CompletableFuture.completedFuture(null)
          : scope.mayAdminister(id.batchId());
      return allowed.thenCompose(denied -> denied != null
          ? CompletableFuture.completedFuture(new AliasResponse(alias, id.toString(), null, denied))
          : parts.asks().<EnrollmentAliasEntity.Command, EnrollmentAliasEntity.Assigned>write(parts.resolver().aliasRef(alias), items,
                  (deadline, r) -> new EnrollmentAliasEntity.Assign(id.toString(), caller.userId(), deadline, r))
              .thenApply(a -> new AliasResponse(alias, id.toString(), a.previousEnrollmentId(), null)));
    }).exceptionally(e -> new AliasResponse(alias, null, null, itemRejection(e, null, null)));
  }
}
