package org.coursebatch.core.enrollment.bulk;

import akka.actor.typed.ActorSystem;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.coursebatch.core.access.AccessPolicy;
import org.coursebatch.core.batch.BatchService;
import org.coursebatch.core.enrollment.Enrollment;
import org.coursebatch.core.enrollment.EnrollmentId;
import org.coursebatch.core.enrollment.EnrollmentQueries;
import org.coursebatch.core.enrollment.EnrollmentService;
import org.coursebatch.core.error.ErrorCode;
import org.coursebatch.core.identity.Caller;
import org.coursebatch.core.metrics.NodeMeters;
import org.coursebatch.core.request.ClientRequest;
import org.coursebatch.core.request.EntityAsks;

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
 *
 * <p>This class only wires the parts: forms ({@link EnrollmentForms}), ids and aliases
 * ({@link EnrollmentResolver}), the caller's scope ({@link AdminScope}), the per-item fan-out
 * ({@link ItemFanOut}), deletions ({@link EnrollmentDeletions}) and a request's session
 * ({@link CallerSession}).
 */
public final class EnrollmentBatchAdmin {

  /** The record type that adds an enrolment's progress to its create response. */
  public static final String PROGRESS_RECORD = "enrollment:progress@coursebatch";

  public static final List<String> SUPPORTED_RECORD_TYPES = List.of(PROGRESS_RECORD);

  /**
   * @param parallelism items in flight at once
   * @param maxItems the most items (forms, ids, peers, alias requests) one request may carry
   * @param formTtl how long a form stays valid after it is issued
   */
  public record Settings(int parallelism, int maxItems, Duration formTtl) {}

  /** An enrolment found by id or alias, with the primary id. */
  public record FoundEnrollment(EnrollmentId id, Enrollment enrollment) {}

  /** What every session of this node shares; a session adds its caller. */
  record Parts(ActorSystem<?> system, EnrollmentService enrollments, BatchService batches, EnrollmentQueries queries,
      EnrollmentForms forms, EnrollmentResolver resolver, ItemFanOut fanOut, InputLimits limits, EntityAsks asks) {

    AdminScope scopeOf(Caller caller) {
      return new AdminScope(system, enrollments.access(), batches, fanOut.parallelism(), caller);
    }
  }

  private final Parts parts;
  private final MeteredAdminSession.ItemCounters itemCounters;

  public EnrollmentBatchAdmin(ActorSystem<?> system, EnrollmentService enrollments, BatchService batches,
      EnrollmentQueries queries, FormTokens tokens, Settings settings, Duration askTimeout, Clock clock) {
    EntityAsks asks = new EntityAsks(system, clock, askTimeout);
    InputLimits limits = new InputLimits(settings.maxItems());
    this.parts = new Parts(system, enrollments, batches, queries,
        new EnrollmentForms(tokens, clock, settings.formTtl(), limits),
        new EnrollmentResolver(ClusterSharding.get(system), asks, enrollments),
        new ItemFanOut(enrollments.access(), batches, settings.parallelism()), limits, asks);
    this.itemCounters = new MeteredAdminSession.ItemCounters(NodeMeters.registry(system));
  }

  /**
   * A session for {@code caller}'s request. Its items run after the response has started, so they
   * wait the ask timeout each, not the request's answer-by instant; with the request's
   * idempotency key, a retry of the request answers each item it applied as the first time did
   * (instead of FORM_ALREADY_USED or NOT_FOUND).
   */
  public EnrollmentBatchAdminSession session(Caller caller, ClientRequest request) {
    return new MeteredAdminSession(new CallerSession(parts, caller, request.keyOnly()), itemCounters);
  }

  /** An enrolment by primary id or alias, for the learner and those who administer its batch. */
  public CompletionStage<FoundEnrollment> getEnrollment(String idOrAlias, Caller caller) {
    return BulkFailures.guarded(() -> {
      InputLimits.requireText(idOrAlias, "enrollmentId");
      return parts.resolver().find(idOrAlias).thenCompose(found -> {
        if (found.isEmpty()) {
          throw ErrorCode.ENROLLMENT_NOT_FOUND.reject(idOrAlias).asException();
        }
        return parts.scopeOf(caller).readable(found.get());
      });
    });
  }

  /** The enrolment an id or alias names, when it is of the enrolment id form or an alias names one. */
  public CompletionStage<Optional<EnrollmentId>> resolve(String idOrAlias) {
    return parts.resolver().resolve(idOrAlias);
  }
}
