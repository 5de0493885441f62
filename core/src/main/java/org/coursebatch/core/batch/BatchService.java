package org.coursebatch.core.batch;

import akka.actor.typed.ActorSystem;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.coursebatch.core.batch.BatchCommand.*;
import org.coursebatch.core.catalog.Course;
import org.coursebatch.core.catalog.CourseCatalog;
import org.coursebatch.core.certificate.CertificateTemplate;
import org.coursebatch.core.error.ErrorCode;
import org.coursebatch.core.error.RejectedException;
import org.coursebatch.core.error.Rejections;
import org.coursebatch.core.identity.Caller;
import org.coursebatch.core.identity.EntityIds;
import org.coursebatch.core.request.ClientRequest;
import org.coursebatch.core.request.EntityAsks;
import org.coursebatch.core.request.DeadlinePassedException;
import org.coursebatch.core.request.RequestKey;

/**
 * The batch use cases: checks that need the outside world (the course catalog), then asks the
 * batch entity. Results complete with the batch view, or fail with a {@link RejectedException}
 * (nothing changed) or an ask timeout ({@link DeadlinePassedException} when the entity came to the
 * command after its deadline: nothing changed either).
 */
public final class BatchService {

  private static final int ID_ATTEMPTS = 3;

  private final ClusterSharding sharding;
  private final CourseCatalog catalog;
  private final EntityAsks asks;
  private final Clock clock;
  private final String timeZone;
  private final HostedBatches hosted;

  /** @param timeZone the zone new batches get (the entity records it; here it dates the early checks) */
  public BatchService(ActorSystem<?> system, CourseCatalog catalog, Duration askTimeout, Clock clock, String timeZone) {
    this.sharding = ClusterSharding.get(system);
    this.catalog = catalog;
    this.asks = new EntityAsks(system, clock, askTimeout);
    this.clock = clock;
    this.timeZone = timeZone;
    this.hosted = HostedBatches.of(system);
  }

  /**
   * Creates a batch of a known, trackable, published course; the caller becomes its creator. The
   * dates are checked first, as Sunbird does, so a request with bad dates gets the date error.
   *
   * <p>With an idempotency key the batch's id is derived from the request (caller, key, fields):
   * a retry finds the batch the first attempt created, whenever it comes, and gets it back
   * without the checks (which the first attempt passed, and which a later day may no longer).
   */
  public CompletionStage<BatchView> create(NewBatch batch, Caller caller, ClientRequest request) {
    RequestKey key = request.key(caller.userId(), "batch.create", batch);
    if (key == null) {
      return checkedCreate(batch, caller, request, null);
    }
    String id = BatchIds.forRequest(key);
    return find(id).thenCompose(found -> {
      if (found.isPresent() && found.get().batch().createdBy().equals(caller.userId())) {
        return CompletableFuture.completedFuture(found.get());
      }
      // Another caller's batch under the derived id (digests practically never meet): a fresh id then.
      return checkedCreate(batch, caller, request, found.isPresent() ? null : key);
    });
  }

  private CompletionStage<BatchView> checkedCreate(NewBatch batch, Caller caller, ClientRequest request, RequestKey key) {
    var badDates = BatchRules.checkNewDates(batch, timeZone, clock.instant());
    if (badDates.isPresent()) {
      return CompletableFuture.failedFuture(badDates.get().asException());
    }
    return catalog.findCourse(batch.courseId()).thenCompose(found -> {
      Course course = found.orElseThrow(() -> ErrorCode.INVALID_COURSE_ID.reject().asException());
      if (!course.trackable()) {
        throw ErrorCode.COURSE_NOT_TRACKABLE.reject(course.identifier()).asException();
      }
      if (!course.acceptsBatches()) {
        throw ErrorCode.COURSE_NOT_PUBLISHED.reject(course.identifier(), course.status()).asException();
      }
      if (key != null) {
        return write(BatchIds.forRequest(key), request, (deadline, replyTo) -> new CreateBatch(batch, caller, deadline, key, replyTo));
      }
      return createWithFreshId(batch, caller, request, ID_ATTEMPTS);
    });
  }

  private CompletionStage<BatchView> createWithFreshId(NewBatch batch, Caller caller, ClientRequest request, int attemptsLeft) {
    String id = BatchIds.fresh(clock);
    return write(id, request, (deadline, replyTo) -> new CreateBatch(batch, caller, deadline, null, replyTo))
        .exceptionallyCompose(e -> {
          if (attemptsLeft > 1 && Rejections.hasCode(e, ErrorCode.BATCH_ID_TAKEN)) {
            return createWithFreshId(batch, caller, request, attemptsLeft - 1);
          }
          return CompletableFuture.failedFuture(Rejections.unwrap(e));
        });
  }

  /** Updates are idempotent by nature: the same changes again change nothing, and answer the same. */
  public CompletionStage<BatchView> update(String batchId, BatchChanges changes, Caller caller, ClientRequest request) {
    var badDates = BatchRules.checkUpdateDates(changes, timeZone, clock.instant());
    if (badDates.isPresent()) {
      return CompletableFuture.failedFuture(badDates.get().asException());
    }
    return write(batchId, request, (deadline, replyTo) -> new UpdateBatch(changes, caller, deadline, replyTo));
  }

  /**
   * The batch as its entity last stored it: from {@link HostedBatches} when the entity runs on this
   * node, else by asking it. Either way the view is dated now, as the entity's answer would be.
   */
  public CompletionStage<BatchView> get(String batchId) {
    Instant now = clock.instant();
    return hosted.current(batchId)
        .filter(batch -> BatchRules.dueTransitions(batch, now).isEmpty())
        .<CompletionStage<BatchView>>map(batch -> CompletableFuture.completedFuture(BatchView.of(batch, now)))
        // Not hosted here, or a status transition is due, which the entity records before it answers.
        .orElseGet(() -> ask(batchId, GetBatch::new));
  }

  /**
   * Attaches a template: the batch must exist and belong to {@code courseId}, and the template must
   * be a catalog asset; name and url come from the asset, as do issuer and signatories unless the
   * request gives them. {@code requestNamesIssuerAndSignatories}: the request has both fields,
   * even empty (lms-service then takes them as they are).
   */
  public CompletionStage<BatchView> addTemplate(String batchId, String courseId, CertificateTemplate requested,
      boolean requestNamesIssuerAndSignatories, Caller caller, ClientRequest request) {
    return existingBatchOfCourse(batchId, courseId)
        .thenCompose(view -> catalog.findCertificateTemplate(requested.identifier()))
        .thenCompose(found -> {
          var asset = found.orElseThrow(() -> ErrorCode.INVALID_TEMPLATE_ID.reject(requested.identifier()).asException());
          var template = requested.completedFrom(asset);
          if (!CertificateTemplate.issuerAndSignatoriesKnown(asset, requestNamesIssuerAndSignatories)) {
            throw ErrorCode.TEMPLATE_ISSUER_MISSING.reject(requested.identifier()).asException();
          }
          return write(batchId, request, (deadline, replyTo) -> new AddCertificateTemplate(courseId, template, caller, deadline, replyTo));
        });
  }

  /**
   * Detaches a template, as lms-service checks it: the batch exists and belongs to {@code courseId},
   * and the template is a catalog asset ("Invalid template Id"); one not attached is no change.
   */
  public CompletionStage<BatchView> removeTemplate(String batchId, String courseId, String templateId, Caller caller,
      ClientRequest request) {
    return existingBatchOfCourse(batchId, courseId)
        .thenCompose(view -> catalog.findCertificateTemplate(templateId))
        .thenCompose(asset -> {
          if (asset.isEmpty()) {
            throw ErrorCode.INVALID_TEMPLATE_ID.reject(templateId).asException();
          }
          return write(batchId, request, (deadline, replyTo) -> new RemoveCertificateTemplate(courseId, templateId, caller, deadline, replyTo));
        });
  }

  /** The batch, or empty when there is no batch with this id. */
  public CompletionStage<Optional<BatchView>> find(String batchId) {
    return get(batchId).thenApply(Optional::of).exceptionally(e -> {
      if (Rejections.hasCode(e, ErrorCode.BATCH_NOT_FOUND)) {
        return Optional.empty();
      }
      throw Rejections.propagate(e);
    });
  }

  private CompletionStage<BatchView> existingBatchOfCourse(String batchId, String courseId) {
    return find(batchId).thenApply(found -> {
      BatchView view = found.orElseThrow(() -> ErrorCode.NO_SUCH_BATCH.reject().asException());
      if (!view.batch().courseId().equals(courseId)) {
        throw ErrorCode.BATCH_NOT_LINKED_TO_COURSE.reject().asException();
      }
      return view;
    });
  }

  private CompletionStage<BatchView> ask(String batchId, Function<akka.actor.typed.ActorRef<BatchReply>, BatchCommand> command) {
    if (!EntityIds.canExist(batchId)) {
      return CompletableFuture.failedFuture(ErrorCode.BATCH_NOT_FOUND.reject(EntityIds.quoted(batchId)).asException());
    }
    return asks.read(sharding.entityRefFor(CourseBatchEntity.ENTITY_KEY, batchId), command::apply)
        .thenApply(BatchService::viewOf);
  }

  /** Asks a write, with its deadline (see {@link EntityAsks}). */
  private CompletionStage<BatchView> write(String batchId, ClientRequest request, EntityAsks.Command<BatchCommand, BatchReply> command) {
    if (!EntityIds.canExist(batchId)) {
      return CompletableFuture.failedFuture(ErrorCode.BATCH_NOT_FOUND.reject(EntityIds.quoted(batchId)).asException());
    }
    return asks.write(sharding.entityRefFor(CourseBatchEntity.ENTITY_KEY, batchId), request, command)
        .thenApply(BatchService::viewOf);
  }

  private static BatchView viewOf(BatchReply reply) {
    if (reply instanceof BatchReply.Accepted a) {
      return a.view();
    }
    if (reply instanceof BatchReply.Expired e) {
      throw new CompletionException(new DeadlinePassedException("A batch command", e.deadline()));
    }
    throw ((BatchReply.Rejected) reply).rejection().asException();
  }
}
