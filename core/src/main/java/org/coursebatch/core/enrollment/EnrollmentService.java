package org.coursebatch.core.enrollment;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import akka.japi.function.Function;
import akka.stream.javadsl.Source;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import org.coursebatch.core.concurrent.Continuations;
import org.coursebatch.core.batch.BatchService;
import org.coursebatch.core.batch.BatchStatus;
import org.coursebatch.core.batch.BatchView;
import org.coursebatch.core.catalog.CourseCatalog;
import org.coursebatch.core.enrollment.EnrollmentCommand.*;
import org.coursebatch.core.error.ErrorCode;
import org.coursebatch.core.error.RejectedException;
import org.coursebatch.core.error.Rejection;
import org.coursebatch.core.error.Rejections;
import org.coursebatch.core.access.AccessChecks;
import org.coursebatch.core.access.Operation;
import org.coursebatch.core.identity.Caller;
import org.coursebatch.core.identity.EntityIds;
import org.coursebatch.core.request.ClientRequest;
import org.coursebatch.core.request.EntityAsks;
import org.coursebatch.core.request.DeadlinePassedException;
import org.coursebatch.core.request.RequestKey;
import org.coursebatch.core.user.UserDirectory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The enrolment use cases: read the batch (and the course, the learner's organisation) where the
 * rules need them, check who may act, then ask the learner's enrolment entity. Results complete
 * with the outcome, or fail with a {@link RejectedException} (nothing changed) or an ask timeout
 * (nothing changed either when it is a {@link DeadlinePassedException}). Writes carry the client
 * request's deadline and, where a repeat would not be harmless, its idempotency key.
 *
 * <p>Requests about several learners or batches answer item by item: an item that did not answer
 * in time is reported as unavailable next to those that were applied; only when none was applied
 * does the whole request fail (503), so a 503 always means nothing was applied.
 */
public final class EnrollmentService {

  private static final Logger log = LoggerFactory.getLogger(EnrollmentService.class);

  /** How many learners of one request (participants, certificates) are handled at once. */
  private static final int PARALLELISM = 16;

  private final ActorSystem<?> system;
  private final ClusterSharding sharding;
  private final BatchService batches;
  private final CourseCatalog catalog;
  private final UserDirectory users;
  private final EntityAsks asks;
  private final AccessChecks access;

  /** @param access who may act on a batch's enrolments and on which learners */
  public EnrollmentService(ActorSystem<?> system, BatchService batches, CourseCatalog catalog, UserDirectory users,
      Duration askTimeout, Clock clock, AccessChecks access) {
    this.system = system;
    this.sharding = ClusterSharding.get(system);
    this.batches = batches;
    this.catalog = catalog;
    this.users = users;
    this.asks = new EntityAsks(system, clock, askTimeout);
    this.access = access;
  }

  /** Where a learner stands after enrolling: enrolled, or waiting at a position. */
  public record EnrolOutcome(Participation participation, Integer waitlistPosition) {}

  /** Per-learner outcome of a bulk request: success (with certificates issued, if any) or why not. */
  public record ItemOutcome(Rejection rejection, List<IssuedCertificate> issued) {
    static ItemOutcome ok(List<IssuedCertificate> issued) {
      return new ItemOutcome(null, issued);
    }

    static ItemOutcome failed(Rejection r) {
      return new ItemOutcome(r, List.of());
    }

    public boolean succeeded() {
      return rejection == null;
    }
  }

  /**
   * Enrol {@code userId} in the batch: the learner themself, or ({@code byAdmin}) on their behalf a
   * caller with authority over them (a system admin, an org admin of their organisation, or the
   * batch's creator or a mentor for users of the creator's organisation the batch was created for;
   * docs/security.md). A retry of a keyed enrolment that was recorded answers as the first time
   * did, not USER_ALREADY_ENROLLED_COURSE.
   */
  public CompletionStage<EnrolOutcome> enrol(String courseId, String batchId, String userId, Caller caller, boolean byAdmin,
      ClientRequest request) {
    return batchOfCourse(courseId, batchId).thenCompose(view -> onLearnersIf(byAdmin, view, caller, List.of(userId)).thenCompose(x -> {
      RequestKey key = request.key(caller.userId(), "enrol", courseId, batchId, userId, byAdmin);
      return write(batchId, userId, request, (deadline, r) -> new Enrol(BatchTerms.of(view), byAdmin, caller.userId(), null,
              deadline, key, r))
          .thenApply(a -> new EnrolOutcome(a.enrollment().participation(), waitlistPosition(a, view, userId)))
          .exceptionally(e -> {
            throw withWaitlistPosition(e, view, userId);
          });
    }));
  }

  public CompletionStage<Enrollment> unenrol(String courseId, String batchId, String userId, Caller caller, boolean byAdmin,
      ClientRequest request) {
    return batchOfCourse(courseId, batchId).thenCompose(view -> onLearnersIf(byAdmin, view, caller, List.of(userId)).thenCompose(x -> {
      RequestKey key = request.key(caller.userId(), "unenrol", courseId, batchId, userId);
      return write(batchId, userId, request, (deadline, r) -> new Unenrol(BatchTerms.of(view), caller.userId(), null,
              deadline, key, r))
          .thenApply(EnrollmentReply.Accepted::enrollment);
    }));
  }

  /**
   * Adds users to the participants of a batch (invite-only batches admit only them). Idempotent
   * by nature: an invited user stays invited.
   */
  public CompletionStage<Map<String, ItemOutcome>> addParticipants(String batchId, List<String> userIds, Caller caller,
      ClientRequest request) {
    return existingBatch(batchId).thenCompose(view -> access.requireOnLearners(caller, view.batch(), userIds).thenCompose(x -> forEachUser(userIds,
        userId -> write(batchId, userId, request, (deadline, r) -> new Invite(BatchTerms.of(view), caller.userId(), deadline, null, r)))));
  }

  /**
   * Removes users from the participants; those enrolled and not yet done are unenrolled.
   * Idempotent by nature: a removed user has nothing left to remove.
   */
  public CompletionStage<Map<String, ItemOutcome>> removeParticipants(String batchId, List<String> userIds, Caller caller,
      ClientRequest request) {
    return existingBatch(batchId).thenCompose(view -> access.requireOnLearners(caller, view.batch(), userIds).thenCompose(x -> forEachUser(userIds,
        userId -> write(batchId, userId, request,
            (deadline, r) -> new RemoveParticipant(BatchTerms.of(view), caller.userId(), deadline, null, r)))));
  }

  /** The waitlist position the entity answered, or (a remembered request's answer has none) the batch's. */
  public static Integer waitlistPosition(EnrollmentReply.Accepted a, BatchView view, String userId) {
    if (a.waitlistPosition() != null || a.enrollment().participation() != Participation.WAITLISTED) {
      return a.waitlistPosition();
    }
    return view.batch().seats().positionOf(userId).orElse(null);
  }

  /** A content or assessment item of a progress report, with the batch it is for. */
  public record ProgressItem(String batchId, String courseId, ContentUpdate content, AssessmentAttempt attempt) {}

  /**
   * Records a learner's reported progress, batch by batch: only in-progress batches of the stated
 * Records a learner's reported progress, batch by batch: only in-progress batches of the stated
   * course accept it, only from enrolled learners, and only for leaves of the course (other
   * content ids are listed as not in the course and ignored). Sunbird's result shape, see
   * {@link ProgressReport}.
   *
   * <p>Each batch's items are one command to the learner's enrolment in it, recorded whole or not
   * at all. A batch whose enrolment did not answer in time is listed as unavailable next to those
   * recorded; when none was recorded the request fails with that timeout (503), having recorded
   * nothing.
   */
  public CompletionStage<ProgressReport> recordProgress(String userId, List<ProgressItem> items, Caller caller,
      ClientRequest request) {
    Map<String, List<ProgressItem>> byBatch = new LinkedHashMap<>();
    for (ProgressItem item : items) {
      byBatch.computeIfAbsent(item.batchId() + "\n" + item.courseId(), k -> new ArrayList<>()).add(item);
    }
    List<GroupOutcome> outcomes = new ArrayList<>();
    CompletionStage<Void> all = CompletableFuture.completedFuture(null);
    for (List<ProgressItem> group : byBatch.values()) {
      // One batch after the other (each stage starts when the previous ended): a report rarely spans
      // more than one, the result's order stays stable and only one thread touches the list at a time.
      all = all.thenCompose(x -> recordGroup(userId, group, caller, request)).thenAccept(outcomes::add);
    }
    return all.thenApply(x -> {
      var report = new ReportBuilder();
      outcomes.forEach(o -> o.addTo(report));
      Throwable unavailable = outcomes.stream().map(GroupOutcome::failure).filter(f -> f != null).findFirst().orElse(null);
      if (unavailable != null && report.accepted.isEmpty()) {
        throw Rejections.propagate(unavailable);
      }
      return report.build();
    });
  }

  /**
   * What became of one batch's items: recorded (the contents and attempts accepted, the
   * certificates issued), refused for a reason the report lists, or not known to be recorded
   * ({@code failure}: it did not answer in time, or failed otherwise).
   */
  private record GroupOutcome(String batchId, List<ContentUpdate> contents, boolean attempts,
      List<IssuedCertificate> issued, List<String> notInCourse, Refusal refusal, Throwable failure) {

    static GroupOutcome refused(String batchId, Refusal why) {
      return new GroupOutcome(batchId, List.of(), false, List.of(), List.of(), why, null);
    }

    /** Nothing to record: every content id named something other than a leaf of the course. */
    static GroupOutcome ignored(String batchId, List<String> notInCourse) {
      return new GroupOutcome(batchId, List.of(), false, List.of(), notInCourse, null, null);
    }

    void addTo(ReportBuilder report) {
      report.notInCourse.addAll(notInCourse);
      if (failure != null) {
        report.unavailable.add(batchId);
      } else if (refusal != null) {
        switch (refusal) {
          case NOT_EXISTS -> report.notExists.add(batchId);
          case NOT_ONGOING -> report.notOngoing.add(batchId);
          case NOT_ENROLLED -> report.notEnrolled.add(batchId);
        }
      } else {
        contents.forEach(c -> report.accepted.put(c.contentId(), "SUCCESS"));
        if (attempts) {
          report.accepted.put(batchId, "SUCCESS");
        }
        report.issued.addAll(issued);
      }
    }
  }

  /** Why a batch took none of a report's items: the lists of Sunbird's answer. */
  private enum Refusal { NOT_EXISTS, NOT_ONGOING, NOT_ENROLLED }

  private CompletionStage<GroupOutcome> recordGroup(String userId, List<ProgressItem> group, Caller caller,
      ClientRequest request) {
    String batchId = group.get(0).batchId();
    String courseId = group.get(0).courseId();
    List<ContentUpdate> reported = group.stream().map(ProgressItem::content).filter(c -> c != null).toList();
    List<AssessmentAttempt> reportedAttempts = group.stream().map(ProgressItem::attempt).filter(a -> a != null).toList();
    RequestKey key = request.key(caller.userId(), "progress", userId, batchId, courseId, reported, reportedAttempts);
    return batchOfCourse(courseId, batchId)
        .thenCompose(view -> catalog.findCourse(courseId).thenCombine(rootOrgIfNeeded(view, userId), (course, org) -> {
          if (view.status() != BatchStatus.IN_PROGRESS) {
            return CompletableFuture.completedFuture(GroupOutcome.refused(batchId, Refusal.NOT_ONGOING));
          }
          if (course.isEmpty()) {
            return CompletableFuture.completedFuture(GroupOutcome.refused(batchId, Refusal.NOT_EXISTS));
          }
          CourseOutline outline = CourseOutline.of(course.get());
          List<ContentUpdate> contents = reported.stream().filter(c -> outline.hasLeaf(c.contentId())).toList();
          List<AssessmentAttempt> attempts = reportedAttempts.stream().filter(a -> outline.hasLeaf(a.contentId())).toList();
          List<String> notInCourse = new ArrayList<>();
          reported.stream().map(ContentUpdate::contentId).filter(id -> !outline.hasLeaf(id)).forEach(notInCourse::add);
          reportedAttempts.stream().map(AssessmentAttempt::contentId).filter(id -> !outline.hasLeaf(id)).forEach(notInCourse::add);
          if (contents.isEmpty() && attempts.isEmpty()) {
            return CompletableFuture.completedFuture(GroupOutcome.ignored(batchId, notInCourse));
          }
          return write(batchId, userId, request, (deadline, r) -> new RecordProgress(BatchTerms.of(view),
                  outline, contents, attempts, org.orElse(null), caller.userId(), deadline, key, r))
              .thenApply(a -> new GroupOutcome(batchId, contents, !attempts.isEmpty(), a.issued(), notInCourse, null, null));
        }).thenCompose(x -> x))
        .exceptionally(e -> {
          if (Rejections.hasCode(e, ErrorCode.INVALID_COURSE_BATCH_ID)) {
            return GroupOutcome.refused(batchId, Refusal.NOT_EXISTS);
          }
          if (Rejections.hasCode(e, ErrorCode.USER_NOT_ENROLLED_COURSE)) {
            return GroupOutcome.refused(batchId, Refusal.NOT_ENROLLED);
          }
          if (Rejections.unwrap(e) instanceof RejectedException) {
            throw Rejections.propagate(e);
          }
          log.warn("Progress of {} in batch {} not known to be recorded: {}", userId, batchId, Rejections.unwrap(e).toString());
          return new GroupOutcome(batchId, List.of(), false, List.of(), List.of(), null, Rejections.unwrap(e));
        });
  }

  /** Collects a progress report, in the order of the request's batches. */
  private static final class ReportBuilder {
    final Map<String, String> accepted = new LinkedHashMap<>();
    final LinkedHashSet<String> notExists = new LinkedHashSet<>();
    final LinkedHashSet<String> notOngoing = new LinkedHashSet<>();
    final LinkedHashSet<String> notEnrolled = new LinkedHashSet<>();
    final LinkedHashSet<String> notInCourse = new LinkedHashSet<>();
    final LinkedHashSet<String> unavailable = new LinkedHashSet<>();
    final List<IssuedCertificate> issued = new ArrayList<>();

    ProgressReport build() {
      return new ProgressReport(accepted, List.copyOf(notExists), List.copyOf(notOngoing), List.copyOf(notEnrolled),
          List.copyOf(notInCourse), List.copyOf(unavailable), issued);
    }
  }

  /** The learner's enrolment in a batch as the entity has it (never-enrolled: an empty one). */
  public CompletionStage<Enrollment> enrollment(String batchId, String userId) {
    return ask(batchId, userId, GetEnrollment::new).thenApply(EnrollmentReply.Accepted::enrollment);
  }

  /**
   * Evaluates the batch's certificate templates for each user now (e.g. for a template added
   * after they completed); {@code reissue} issues again the certificates they already hold.
   */
  public CompletionStage<Map<String, ItemOutcome>> issueCertificates(String courseId, String batchId, List<String> userIds,
      boolean reissue, Caller caller, ClientRequest request) {
    return batchToIssueFrom(courseId, batchId).thenCompose(view -> access.requireOnBatch(Operation.BATCH_ADMINISTER, caller, view.batch())
        .thenCompose(who -> forEachUser(userIds, userId -> rootOrgIfNeeded(view, userId).thenCompose(org -> {
          RequestKey key = request.key(caller.userId(), "certificates.issue", courseId, batchId, userId, reissue);
          return write(batchId, userId, request, (deadline, r) -> new IssueCertificates(BatchTerms.of(view), org.orElse(null),
              reissue, caller.userId(), deadline, key, r));
        }))));
  }

  private CompletionStage<BatchView> batchToIssueFrom(String courseId, String batchId) {
    return batches.find(batchId).thenApply(found -> {
      Rejection refused = EnrollmentRules.certificateIssueRefusal(found.map(BatchView::batch).orElse(null), courseId);
      if (refused != null) {
        throw refused.asException();
      }
      return found.get();
    });
  }

  /** The learner's root organisation, looked up only when one of the batch's templates asks for one. */
  private CompletionStage<Optional<String>> rootOrgIfNeeded(BatchView view, String userId) {
    boolean needed = view.batch().certTemplates().values().stream()
        .anyMatch(t -> t.criteria() != null && t.criteria().userRootOrgId() != null);
    return needed ? users.rootOrgId(userId) : CompletableFuture.completedFuture(Optional.empty());
  }

  /**
   * Runs {@code action} for each user: an item that did not answer in time is SERVICE_UNAVAILABLE
   * next to the others; when no item was applied, the first such failure fails the whole request.
   */
  private CompletionStage<Map<String, ItemOutcome>> forEachUser(List<String> userIds,
      java.util.function.Function<String, CompletionStage<EnrollmentReply.Accepted>> action) {
    List<String> distinct = List.copyOf(new LinkedHashSet<>(userIds));
    Map<String, Throwable> unavailable = new java.util.concurrent.ConcurrentHashMap<>();
    return Continuations.toList(Source.from(distinct)
        .mapAsync(PARALLELISM, userId -> action.apply(userId)
            .thenApply(a -> Map.entry(userId, ItemOutcome.ok(a.issued())))
            .exceptionally(e -> {
              if (Rejections.unwrap(e) instanceof RejectedException r) {
                return Map.entry(userId, ItemOutcome.failed(r.rejection()));
              }
              log.warn("Item for user {} not known to be applied: {}", userId, Rejections.unwrap(e).toString());
              unavailable.put(userId, Rejections.unwrap(e));
              return Map.entry(userId, ItemOutcome.failed(ErrorCode.SERVICE_UNAVAILABLE.reject()));
            })), system)
        .thenApply(entries -> {
          Map<String, ItemOutcome> out = new LinkedHashMap<>();
          entries.forEach(e -> out.put(e.getKey(), e.getValue()));
          boolean noneApplied = out.values().stream().noneMatch(ItemOutcome::succeeded);
          if (noneApplied && !unavailable.isEmpty()) {
            throw Rejections.propagate(unavailable.values().iterator().next());
          }
          return out;
        });
  }

  /** The batch, when it exists and belongs to {@code courseId}; else Sunbird's INVALID_COURSE_BATCH_ID. */
  private CompletionStage<BatchView> batchOfCourse(String courseId, String batchId) {
    return existingBatch(batchId).thenApply(view -> {
      if (!view.batch().courseId().equals(courseId)) {
        throw ErrorCode.INVALID_COURSE_BATCH_ID.reject().asException();
      }
      return view;
    });
  }

  /**
   * The batch, when it exists (else INVALID_COURSE_BATCH_ID) and the caller administers its
   * enrolments (else UNAUTHORIZED_USER).
   */
  public CompletionStage<BatchView> administeredBatch(String batchId, Caller caller) {
    return existingBatch(batchId).thenCompose(view -> access.requireOnBatch(Operation.BATCH_ADMINISTER, caller, view.batch())
        .thenApply(who -> view));
  }

  private CompletionStage<BatchView> existingBatch(String batchId) {
    return batches.find(batchId)
        .thenApply(found -> found.orElseThrow(() -> ErrorCode.INVALID_COURSE_BATCH_ID.reject().asException()));
  }

  /** Enrolling someone by an administrator needs authority over each learner; enrolling oneself needs none. */
  private CompletionStage<Void> onLearnersIf(boolean byAdmin, BatchView view, Caller caller, List<String> userIds) {
    return byAdmin ? access.requireOnLearners(caller, view.batch(), userIds) : CompletableFuture.completedFuture(null);
  }

  public AccessChecks access() {
    return access;
  }

  /** USER_ALREADY_WAITLISTED from the entity gets the learner's position, which only the batch knows. */
  public static RuntimeException withWaitlistPosition(Throwable e, BatchView view, String userId) {
    if (Rejections.hasCode(e, ErrorCode.USER_ALREADY_WAITLISTED)) {
      Optional<Integer> position = view.batch().seats().positionOf(userId);
      return ErrorCode.USER_ALREADY_WAITLISTED.reject(position.map(String::valueOf).orElse("unknown")).asException();
    }
    return Rejections.propagate(e);
  }

  /** Asks the learner's enrolment entity a read; a rejection fails the stage with its {@link RejectedException}. */
  private CompletionStage<EnrollmentReply.Accepted> ask(String batchId, String userId,
      Function<ActorRef<EnrollmentReply>, EnrollmentCommand> command) {
    Optional<RejectedException> impossible = impossibleIds(batchId, userId);
    if (impossible.isPresent()) {
      return CompletableFuture.failedFuture(impossible.get());
    }
    return asks.read(sharding.entityRefFor(EnrollmentEntity.ENTITY_KEY, EnrollmentEntity.entityId(batchId, userId)), command)
        .thenApply(EnrollmentService::accepted);
  }

  /**
   * Asks the learner's enrolment entity a write, with its deadline ({@link EntityAsks}); a
   * rejection fails the stage with its {@link RejectedException}, an expiry with a
   * {@link DeadlinePassedException}.
   */
  public CompletionStage<EnrollmentReply.Accepted> write(String batchId, String userId, ClientRequest request,
      EntityAsks.Command<EnrollmentCommand, EnrollmentReply> command) {
    Optional<RejectedException> impossible = impossibleIds(batchId, userId);
    if (impossible.isPresent()) {
      return CompletableFuture.failedFuture(impossible.get());
    }
    var entity = sharding.entityRefFor(EnrollmentEntity.ENTITY_KEY, EnrollmentEntity.entityId(batchId, userId));
    return asks.write(entity, request, command).thenApply(EnrollmentService::accepted);
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
