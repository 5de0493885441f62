package org.coursebatch.core.enrollment.bulk;

import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import akka.cluster.sharding.typed.javadsl.EntityRef;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.stream.Collectors;
import org.coursebatch.core.enrollment.EnrollmentId;
import org.coursebatch.core.enrollment.EnrollmentService;
import org.coursebatch.core.enrollment.bulk.EnrollmentBatchAdmin.FoundEnrollment;
import org.coursebatch.core.error.ErrorCode;
import org.coursebatch.core.error.Rejection;
import org.coursebatch.core.identity.EntityIds;
import org.coursebatch.core.request.EntityAsks;

/**
 * Tells which enrolment a request names: a primary id names itself, anything else is an alias
 * ({@link EnrollmentAliasEntity}) that may name one; and whether that enrolment exists now.
 */
final class EnrollmentResolver {

  static final int MAX_ALIAS_LENGTH = 200;

  /** An enrolment id or alias of a request, with the enrolment it names (empty: none), or why that could not be told. */
  record Named(String requested, Optional<EnrollmentId> found, Throwable failure) {
    /** The learner of the enrolment it names; null when it names none. */
    String userId() {
      return found == null ? null : found.map(EnrollmentId::userId).orElse(null);
    }
  }

  private final ClusterSharding sharding;
  private final EntityAsks asks;
  private final EnrollmentService enrollments;

  EnrollmentResolver(ClusterSharding sharding, EntityAsks asks, EnrollmentService enrollments) {
    this.sharding = sharding;
    this.asks = asks;
    this.enrollments = enrollments;
  }

  /** The enrolment an id or alias names, when it is of the enrolment id form or an alias names one. */
  CompletionStage<Optional<EnrollmentId>> resolve(String idOrAlias) {
    Optional<EnrollmentId> primary = EnrollmentId.parse(idOrAlias);
    // A text no alias entity could be keyed by names nothing: no need to ask.
    if (primary.isPresent() || !EntityIds.canExist(idOrAlias, MAX_ALIAS_LENGTH)) {
      return CompletableFuture.completedFuture(primary);
    }
    return asks.<EnrollmentAliasEntity.Command, EnrollmentAliasEntity.Resolved>read(aliasRef(idOrAlias), EnrollmentAliasEntity.Resolve::new)
        .thenApply(r -> EnrollmentId.parse(r.enrollmentId()));
  }

  /** The enrolment an id or alias names when it exists now. */
  CompletionStage<Optional<FoundEnrollment>> find(String idOrAlias) {
    return resolve(idOrAlias).thenCompose(this::existing);
  }

  /** The enrolment when {@code id} names one that exists now (not deleted, not replaced by a later incarnation). */
  private CompletionStage<Optional<FoundEnrollment>> existing(Optional<EnrollmentId> named) {
    if (named.isEmpty()) {
      return CompletableFuture.completedFuture(Optional.empty());
    }
    EnrollmentId id = named.get();
    return enrollments.enrollment(id.batchId(), id.userId()).thenApply(e -> e.id().filter(id::equals)
        .map(found -> new FoundEnrollment(found, e)));
  }

  EntityRef<EnrollmentAliasEntity.Command> aliasRef(String aliasId) {
    return sharding.entityRefFor(EnrollmentAliasEntity.ENTITY_KEY, aliasId);
  }

  /** The batches named by those of {@code ids} that are primary ids (aliases are checked item by item). */
  static Set<String> primaryBatches(List<String> ids) {
    return ids.stream().map(EnrollmentId::parse).flatMap(Optional::stream).map(EnrollmentId::batchId)
        .collect(Collectors.toCollection(LinkedHashSet::new));
  }

  /** Why {@code alias} cannot be an alias, or null when it can. */
  static Rejection invalidAlias(String alias) {
    if (alias == null || alias.isBlank()) {
      return ErrorCode.ALIAS_INVALID.reject("aliasId is required.");
    }
    if (alias.length() > MAX_ALIAS_LENGTH) {
      return ErrorCode.ALIAS_INVALID.reject("An alias is at most " + MAX_ALIAS_LENGTH + " characters.");
    }
    if (!EntityIds.canExist(alias, MAX_ALIAS_LENGTH)) {
      return ErrorCode.ALIAS_INVALID.reject("An alias holds no control characters; " + EntityIds.quoted(alias) + " does.");
    }
    // An alias shaped like a primary id would be taken for one and never resolved.
    if (EnrollmentId.parse(alias).isPresent()) {
      return ErrorCode.ALIAS_INVALID.reject("Alias " + alias + " has the form of an enrolment id (batchId:userId:number);"
          + " choose one that does not.");
    }
    return null;
  }
}
