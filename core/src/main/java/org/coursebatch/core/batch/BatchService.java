package org.coursebatch.core.batch;

import akka.actor.typed.ActorSystem;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
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

/**
 * The batch use cases: checks that need the outside world (the course catalog), then asks the
 * batch entity. Results complete with the batch view, or fail with a {@link RejectedException}
 * (nothing changed) or an ask timeout.
 */
public final class BatchService {

  private static final int ID_ATTEMPTS = 3;

  private final ClusterSharding sharding;
  private final CourseCatalog catalog;
  private final Duration askTimeout;
  private final Clock clock;
  private final String timeZone;
  private final SecureRandom random = new SecureRandom();

  /** @param timeZone the zone new batches get (the entity records it; here it dates the early checks) */
  public BatchService(ActorSystem<?> system, CourseCatalog catalog, Duration askTimeout, Clock clock, String timeZone) {
    this.sharding = ClusterSharding.get(system);
    this.catalog = catalog;
    this.askTimeout = askTimeout;
    this.clock = clock;
    this.timeZone = timeZone;
  }

  /**
   * Creates a batch of a known, trackable, published course; the caller becomes its creator. The
   * dates are checked first, as Sunbird does, so a request with bad dates gets the date error.
   */
  public CompletionStage<BatchView> create(NewBatch batch, Caller caller) {
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
      return createWithFreshId(batch, caller, ID_ATTEMPTS);
    });
  }

  private CompletionStage<BatchView> createWithFreshId(NewBatch batch, Caller caller, int attemptsLeft) {
    String id = newBatchId();
    return ask(id, replyTo -> new CreateBatch(batch, caller, replyTo)).exceptionallyCompose(e -> {
      if (attemptsLeft > 1 && Rejections.hasCode(e, ErrorCode.BATCH_ID_TAKEN)) {
        return createWithFreshId(batch, caller, attemptsLeft - 1);
      }
      return CompletableFuture.failedFuture(Rejections.unwrap(e));
    });
  }

  public CompletionStage<BatchView> update(String batchId, BatchChanges changes, Caller caller) {
    return ask(batchId, replyTo -> new UpdateBatch(changes, caller, replyTo));
  }

  public CompletionStage<BatchView> get(String batchId) {
    return ask(batchId, GetBatch::new);
  }

  /**
   * Attaches a template: the batch must exist and belong to {@code courseId}, and the template must
   * be a catalog asset; name and url come from the asset, as do issuer and signatories unless the
   * request gives them.
   */
  public CompletionStage<BatchView> addTemplate(String batchId, String courseId, CertificateTemplate requested, Caller caller) {
    return existingBatchOfCourse(batchId, courseId)
        .thenCompose(view -> catalog.findCertificateTemplate(requested.identifier()))
        .thenCompose(asset -> {
          var template = requested.completedFrom(
              asset.orElseThrow(() -> ErrorCode.INVALID_TEMPLATE_ID.reject(requested.identifier()).asException()));
          if (!template.hasIssuerAndSignatories()) {
            throw ErrorCode.TEMPLATE_ISSUER_MISSING.reject(requested.identifier()).asException();
          }
          return ask(batchId, replyTo -> new AddCertificateTemplate(courseId, template, caller, replyTo));
        });
  }

  public CompletionStage<BatchView> removeTemplate(String batchId, String courseId, String templateId, Caller caller) {
    return ask(batchId, replyTo -> new RemoveCertificateTemplate(courseId, templateId, caller, replyTo));
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
    return sharding.entityRefFor(CourseBatchEntity.ENTITY_KEY, batchId)
        .<BatchReply>ask(command::apply, askTimeout)
        .thenApply(reply -> {
          if (reply instanceof BatchReply.Accepted a) {
            return a.view();
          }
          throw ((BatchReply.Rejected) reply).rejection().asException();
        });
  }

  /** Numeric, time-ordered ids like Sunbird's ("01" + epoch millis + 5 random digits). */
  private String newBatchId() {
    return "01" + clock.millis() + String.format("%05d", random.nextInt(100_000));
  }
}
