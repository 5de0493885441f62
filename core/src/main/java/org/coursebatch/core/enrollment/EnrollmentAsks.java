package org.coursebatch.core.enrollment;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import akka.cluster.sharding.typed.javadsl.EntityRef;
import akka.japi.function.Function;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import org.coursebatch.core.error.ErrorCode;
import org.coursebatch.core.error.RejectedException;
import org.coursebatch.core.identity.EntityIds;
import org.coursebatch.core.request.ClientRequest;
import org.coursebatch.core.request.DeadlinePassedException;
import org.coursebatch.core.request.EntityAsks;

/**
 * Asks a learner's enrolment entity in a batch ({@link EntityAsks}) and turns its reply into a
 * stage: {@link EnrollmentReply.Accepted} completes it, a rejection fails it with its
 * {@link RejectedException}, an expired write with a {@link DeadlinePassedException}. Ids no
 * entity could have are refused without asking.
 */
final class EnrollmentAsks {

  private final ClusterSharding sharding;
  private final EntityAsks asks;

  EnrollmentAsks(ActorSystem<?> system, Clock clock, Duration askTimeout) {
    this.sharding = ClusterSharding.get(system);
    this.asks = new EntityAsks(system, clock, askTimeout);
  }

  CompletionStage<EnrollmentReply.Accepted> read(String batchId, String userId,
      Function<ActorRef<EnrollmentReply>, EnrollmentCommand> command) {
    Optional<RejectedException> impossible = impossibleIds(batchId, userId);
    if (impossible.isPresent()) {
      return CompletableFuture.failedFuture(impossible.get());
    }
    return asks.read(entity(batchId, userId), command).thenApply(EnrollmentAsks::accepted);
  }

  /** A write with the request's deadline ({@link EntityAsks}). */
  CompletionStage<EnrollmentReply.Accepted> write(String batchId, String userId, ClientRequest request,
      EntityAsks.Command<EnrollmentCommand, EnrollmentReply> command) {
    Optional<RejectedException> impossible = impossibleIds(batchId, userId);
    if (impossible.isPresent()) {
      return CompletableFuture.failedFuture(impossible.get());
    }
    return asks.write(entity(batchId, userId), request, command).thenApply(EnrollmentAsks::accepted);
  }

  private EntityRef<EnrollmentCommand> entity(String batchId, String userId) {
    return sharding.entityRefFor(EnrollmentEntity.ENTITY_KEY, EnrollmentEntity.entityId(batchId, userId));
  }

  private static Optional<RejectedException> impossibleIds(String batchId, String userId) {
    if (!EntityIds.canExist(batchId)) {
      return Optional.of(ErrorCode.BATCH_NOT_FOUND.reject(EntityIds.quoted(batchId)).asException());
    }
    if (!EntityIds.canExist(userId)) {
      return Optional.of(ErrorCode.INVALID_PARAMETER_VALUE.reject(EntityIds.quoted(userId), "userId").asException());
    }
    return Optional.empty();
  }

  private static EnrollmentReply.Accepted accepted(EnrollmentReply reply) {
    if (reply instanceof EnrollmentReply.Accepted a) {
      return a;
    }
    if (reply instanceof EnrollmentReply.Expired e) {
      throw new CompletionException(new DeadlinePassedException("An enrolment command", e.deadline()));
    }
    throw ((EnrollmentReply.Rejected) reply).rejection().asException();
  }
}
