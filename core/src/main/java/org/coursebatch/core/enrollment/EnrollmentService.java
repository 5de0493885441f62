package org.coursebatch.core.enrollment;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import akka.japi.function.Function;
import akka.stream.javadsl.Sink;
import akka.stream.javadsl.Source;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.coursebatch.core.batch.BatchService;
import org.coursebatch.core.batch.BatchStatus;
import org.coursebatch.core.batch.BatchView;
import org.coursebatch.core.catalog.CourseCatalog;
import org.coursebatch.core.enrollment.EnrollmentCommand.*;
import org.coursebatch.core.error.ErrorCode;
import org.coursebatch.core.error.RejectedException;
import org.coursebatch.core.error.Rejection;
import org.coursebatch.core.error.Rejections;
import org.coursebatch.core.identity.Caller;
import org.coursebatch.core.identity.EntityIds;
import org.coursebatch.core.user.UserDirectory;

/**
 * The enrolment use cases: read the batch (and the course, the learner's organisation) where the
 * rules need them, check who may act, then ask the learner's enrolment entity. Results complete
 * with the outcome, or fail with a {@link RejectedException} (nothing changed) or an ask timeout.
 */
public final class EnrollmentService {

  /** How many learners of one request (participants, certificates) are handled at once. */
  private static final int PARALLELISM = 16;

  private final ActorSystem<?> system;
  private final ClusterSharding sharding;
  private final BatchService batches;
  private final CourseCatalog catalog;
  private final UserDirectory users;
  private final Duration askTimeout;
  private final List<String> adminRoles;

  /** @param adminRoles roles that administer every batch's enrolments (Sunbird: org admins) */
  public EnrollmentService(ActorSystem<?> system, BatchService batches, CourseCatalog catalog, UserDirectory users,
      Duration askTimeout, List<String> adminRoles) {
    this.system = system;
    this.sharding = ClusterSharding.get(system);
    this.batches = batches;
    this.catalog = catalog;
    this.users = users;
    this.askTimeout = askTimeout;
    this.adminRoles = List.copyOf(adminRoles);
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
   * Enrol {@code userId} in the batch: the learner themself, or ({@code byAdmin}) the batch's
   * creator, a mentor or an admin role on their behalf.
   */
  public CompletionStage<EnrolOutcome> enrol(String courseId, String batchId, String userId, Caller caller, boolean byAdmin) {
    return batchOfCourse(courseId, batchId).thenCompose(view -> {
      if (byAdmin) {
        authorize(view, caller);
      }
      return ask(batchId, userId, r -> new Enrol(BatchTerms.of(view), byAdmin, caller.userId(), r))
          .thenApply(a -> new EnrolOutcome(a.enrollment().participation(), a.waitlistPosition()))
          .exceptionally(e -> {
            throw withWaitlistPosition(e, view, userId);
          });
    });
  }

  public CompletionStage<Enrollment> unenrol(String courseId, String batchId, String userId, Caller caller, boolean byAdmin) {
    return batchOfCourse(courseId, batchId).thenCompose(view -> {
      if (byAdmin) {
        authorize(view, caller);
      }
      return ask(batchId, userId, r -> new Unenrol(BatchTerms.of(view), caller.userId(), r))
          .thenApply(EnrollmentReply.Accepted::enrollment);
    });
  }

  /** Adds users to the participants of a batch (invite-only batches admit only them). */
  public CompletionStage<Map<String, ItemOutcome>> addParticipants(String batchId, List<String> userIds, Caller caller) {
    return administeredBatch(batchId, caller).thenCompose(view -> forEachUser(userIds,
        userId -> ask(batchId, userId, r -> new Invite(BatchTerms.of(view), caller.userId(), r))));
  }

  /** Removes users from the participants; those enrolled and not yet done are unenrolled. */
  public CompletionStage<Map<String, ItemOutcome>> removeParticipants(String batchId, List<String> userIds, Caller caller) {
    return administeredBatch(batchId, caller).thenCompose(view -> forEachUser(userIds,
        userId -> ask(batchId, userId, r -> new RemoveParticipant(BatchTerms.of(view), caller.userId(), r))));
  }

  /** A content or assessment item of a progress report, with the batch it is for. */
  public record ProgressItem(String batchId, String courseId, ContentUpdate content, AssessmentAttempt attempt) {}

  /**
   * Records a learner's reported progress, batch by batch: only in-progress batches of the stated
   * course accept it, only from enrolled learners, and only for leaves of the course (other
   * content ids are listed as not in the course and ignored). Sunbird's result shape, see
   * {@link ProgressReport}.
   */
  public CompletionStage<ProgressReport> recordProgress(String userId, List<ProgressItem> items, Caller caller) {
    Map<String, List<ProgressItem>> byBatch = new LinkedHashMap<>();
    for (ProgressItem item : items) {
      byBatch.computeIfAbsent(item.batchId() + "\n" + item.courseId(), k -> new ArrayList<>()).add(item);
    }
    var report = new ReportBuilder();
    CompletionStage<Void> all = CompletableFuture.completedFuture(null);
    for (List<ProgressItem> group : byBatch.values()) {
      // One batch after the other (each stage starts when the previous ended): a report rarely spans
      // more than one, the result's order stays stable and only one thread touches the builder at a time.
      all = all.thenCompose(x -> recordGroup(userId, group, caller, report));
    }
    return all.thenApply(x -> report.build());
  }

  private CompletionStage<Void> recordGroup(String userId, List<ProgressItem> group, Caller caller, ReportBuilder report) {
    String batchId = group.get(0).batchId();
    String courseId = group.get(0).courseId();
    List<ContentUpdate> reported = group.stream().map(ProgressItem::content).filter(c -> c != null).toList();
    List<AssessmentAttempt> reportedAttempts = group.stream().map(ProgressItem::attempt).filter(a -> a != null).toList();
    return batchOfCourse(courseId, batchId)
        .thenCompose(view -> catalog.findCourse(courseId).thenCombine(rootOrgIfNeeded(view, userId), (course, org) -> {
          if (view.status() != BatchStatus.IN_PROGRESS) {
            report.notOngoing.add(batchId);
            return CompletableFuture.<Void>completedFuture(null);
          }
          if (course.isEmpty()) {
            report.notExists.add(batchId);
            return CompletableFuture.<Void>completedFuture(null);
          }
          CourseOutline outline = CourseOutline.of(course.get());
          List<ContentUpdate> contents = reported.stream().filter(c -> outline.hasLeaf(c.contentId())).toList();
          List<AssessmentAttempt> attempts = reportedAttempts.stream().filter(a -> outline.hasLeaf(a.contentId())).toList();
          reported.stream().map(ContentUpdate::contentId).filter(id -> !outline.hasLeaf(id)).forEach(report.notInCourse::add);
          reportedAttempts.stream().map(AssessmentAttempt::contentId).filter(id -> !outline.hasLeaf(id)).forEach(report.notInCourse::add);
          if (contents.isEmpty() && attempts.isEmpty()) {
            return CompletableFuture.<Void>completedFuture(null);
          }
          return ask(batchId, userId, r -> new RecordProgress(BatchTerms.of(view), outline,
              contents, attempts, org.orElse(null), caller.userId(), r))
              .<Void>thenApply(a -> {
                contents.forEach(c -> report.accepted.put(c.contentId(), "SUCCESS"));
                if (!attempts.isEmpty()) {
                  report.accepted.put(batchId, "SUCCESS");
                }
                report.issued.addAll(a.issued());
                return null;
              });
        }).thenCompose(x -> x))
        .exceptionally(e -> {
          if (Rejections.hasCode(e, ErrorCode.INVALID_COURSE_BATCH_ID)) {
            report.notExists.add(batchId);
            return null;
          }
          if (Rejections.hasCode(e, ErrorCode.USER_NOT_ENROLLED_COURSE)) {
            report.notEnrolled.add(batchId);
            return null;
          }
          throw Rejections.propagate(e);
        });
  }

  /** Collects a progress report; used by one stage at a time (see recordProgress). */
  private static final class ReportBuilder {
    final Map<String, String> accepted = new LinkedHashMap<>();
    final LinkedHashSet<String> notExists = new LinkedHashSet<>();
    final LinkedHashSet<String> notOngoing = new LinkedHashSet<>();
    final LinkedHashSet<String> notEnrolled = new LinkedHashSet<>();
    final LinkedHashSet<String> notInCourse = new LinkedHashSet<>();
    final List<IssuedCertificate> issued = new ArrayList<>();

    ProgressReport build() {
      return new ProgressReport(accepted, List.copyOf(notExists), List.copyOf(notOngoing), List.copyOf(notEnrolled),
          List.copyOf(notInCourse), issued);
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
      boolean reissue, Caller caller) {
    return batchOfCourse(courseId, batchId).thenCompose(view -> {
      authorize(view, caller);
      return forEachUser(userIds, userId -> rootOrgIfNeeded(view, userId).thenCompose(org ->
          ask(batchId, userId, r -> new IssueCertificates(BatchTerms.of(view), org.orElse(null), reissue, caller.userId(), r))));
    });
  }

  /** The learner's root organisation, looked up only when one of the batch's templates asks for one. */
  private CompletionStage<Optional<String>> rootOrgIfNeeded(BatchView view, String userId) {
    boolean needed = view.batch().certTemplates().values().stream()
        .anyMatch(t -> t.criteria() != null && t.criteria().userRootOrgId() != null);
    return needed ? users.rootOrgId(userId) : CompletableFuture.completedFuture(Optional.empty());
  }

  private CompletionStage<Map<String, ItemOutcome>> forEachUser(List<String> userIds,
      java.util.function.Function<String, CompletionStage<EnrollmentReply.Accepted>> action) {
    List<String> distinct = List.copyOf(new LinkedHashSet<>(userIds));
    return Source.from(distinct)
        .mapAsync(PARALLELISM, userId -> action.apply(userId)
            .thenApply(a -> Map.entry(userId, ItemOutcome.ok(a.issued())))
            .exceptionally(e -> {
              if (Rejections.unwrap(e) instanceof RejectedException r) {
                return Map.entry(userId, ItemOutcome.failed(r.rejection()));
              }
              throw Rejections.propagate(e);
            }))
        .runWith(Sink.seq(), system)
        .thenApply(entries -> {
          Map<String, ItemOutcome> out = new LinkedHashMap<>();
          entries.forEach(e -> out.put(e.getKey(), e.getValue()));
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
    return existingBatch(batchId).thenApply(view -> {
      authorize(view, caller);
      return view;
    });
  }

  private CompletionStage<BatchView> existingBatch(String batchId) {
    return batches.find(batchId)
        .thenApply(found -> found.orElseThrow(() -> ErrorCode.INVALID_COURSE_BATCH_ID.reject().asException()));
  }

  /** The batch's creator and mentors administer its enrolments, as do the admin roles. */
  public boolean administers(BatchView view, Caller caller) {
    return view.batch().isAdministeredBy(caller.userId()) || isAdmin(caller);
  }

  /** Whether the caller holds one of the roles that administer every batch's enrolments. */
  public boolean isAdmin(Caller caller) {
    return caller.hasAnyRole(adminRoles);
  }

  private void authorize(BatchView view, Caller caller) {
    if (!administers(view, caller)) {
      throw ErrorCode.UNAUTHORIZED_USER.reject().asException();
    }
  }

  /** USER_ALREADY_WAITLISTED from the entity gets the learner's position, which only the batch knows. */
  public static RuntimeException withWaitlistPosition(Throwable e, BatchView view, String userId) {
    if (Rejections.hasCode(e, ErrorCode.USER_ALREADY_WAITLISTED)) {
      Optional<Integer> position = view.batch().seats().positionOf(userId);
      return ErrorCode.USER_ALREADY_WAITLISTED.reject(position.map(String::valueOf).orElse("unknown")).asException();
    }
    return Rejections.propagate(e);
  }

  /** Asks the learner's enrolment entity; a rejection fails the stage with its {@link RejectedException}. */
  public CompletionStage<EnrollmentReply.Accepted> ask(String batchId, String userId,
      Function<ActorRef<EnrollmentReply>, EnrollmentCommand> command) {
    if (!EntityIds.canExist(batchId)) {
      return CompletableFuture.failedFuture(ErrorCode.BATCH_NOT_FOUND.reject(EntityIds.quoted(batchId)).asException());
    }
    if (!EntityIds.canExist(userId)) {
      return CompletableFuture.failedFuture(
          ErrorCode.INVALID_PARAMETER_VALUE.reject(EntityIds.quoted(userId), "userId").asException());
    }
    return sharding.entityRefFor(EnrollmentEntity.ENTITY_KEY, EnrollmentEntity.entityId(batchId, userId))
        .<EnrollmentReply>ask(command, askTimeout)
        .thenApply(reply -> {
          if (reply instanceof EnrollmentReply.Accepted a) {
            return a;
          }
          throw ((EnrollmentReply.Rejected) reply).rejection().asException();
        });
  }
}
