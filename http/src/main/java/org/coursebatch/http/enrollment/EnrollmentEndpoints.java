package org.coursebatch.http.enrollment;

import org.coursebatch.core.access.AccessChecks;
import org.coursebatch.core.access.Operation;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.coursebatch.core.batch.BatchService;
import org.coursebatch.core.batch.BatchView;
import org.coursebatch.core.catalog.Course;
import org.coursebatch.core.catalog.CourseCatalog;
import org.coursebatch.core.enrollment.EnrollmentQueries;
import org.coursebatch.core.enrollment.EnrollmentRecord;
import org.coursebatch.core.enrollment.EnrollmentService;
import org.coursebatch.core.enrollment.ProgressReport;
import org.coursebatch.core.error.ErrorCode;
import org.coursebatch.http.api.ApiRequest;
import org.coursebatch.http.api.Endpoint;

/**
 * Enrolment, progress and certificate issue on Sunbird's backend and gateway paths. Self-service
 * routes act for the effective user (the managed user of {@code x-authenticated-for}, else the
 * caller); a {@code userId} in their body is ignored or must name that user.
 */
public final class EnrollmentEndpoints {

  /** The lists of a content-state update whose items are recorded or left out one by one. */
  private static final String[] STATE_ITEMS = {"contents", "assessments"};

  private final EnrollmentService enrollments;
  private final EnrollmentQueries queries;
  private final BatchService batches;
  private final CourseCatalog catalog;
  private final AccessChecks access;

  /** @param access who may read which user's enrolments (the service checks the batch's own rules) */
  public EnrollmentEndpoints(EnrollmentService enrollments, EnrollmentQueries queries, BatchService batches, CourseCatalog catalog,
      AccessChecks access) {
    this.access = access;
    this.enrollments = enrollments;
    this.queries = queries;
    this.batches = batches;
    this.catalog = catalog;
  }

  public List<Endpoint> endpoints() {
    return List.of(
        Endpoint.post("/v1/course/enroll", "api.course.enroll", this::enrol),
        Endpoint.post("/api/course/v1/enroll", "api.course.enroll", this::enrol),
        Endpoint.post("/api/course/v1/enrol", "api.course.enroll", this::enrol),
        Endpoint.post("/v1/course/unenroll", "api.course.unenroll", this::unenrol),
        Endpoint.post("/api/course/v1/unenroll", "api.course.unenroll", this::unenrol),
        Endpoint.post("/api/course/v1/unenrol", "api.course.unenroll", this::unenrol),
        Endpoint.post("/v1/course/admin/enroll", "api.course.admin.enroll", this::adminEnrol),
        Endpoint.post("/api/course/v1/admin/enroll", "api.course.admin.enroll", this::adminEnrol),
        Endpoint.post("/v1/course/admin/unenroll", "api.course.admin.unenroll", this::adminUnenrol),
        Endpoint.post("/api/course/v1/admin/unenroll", "api.course.admin.unenroll", this::adminUnenrol),
        Endpoint.post("/v1/course/batch/participants/add", "api.course.batch.participants.add", this::addParticipants),
        Endpoint.post("/api/course/v1/batch/participants/add", "api.course.batch.participants.add", this::addParticipants),
        Endpoint.post("/v1/course/batch/participants/remove", "api.course.batch.participants.remove", this::removeParticipants),
        Endpoint.post("/api/course/v1/batch/participants/remove", "api.course.batch.participants.remove", this::removeParticipants),
        Endpoint.post("/v1/batch/participants/list", "api.course.batch.participants.list", this::listParticipants),
        Endpoint.post("/api/course/v1/batch/participants/list", "api.course.batch.participants.list", this::listParticipants),
        Endpoint.get("/v1/user/courses/list/{uid}", "api.user.courses.list", this::userEnrollments),
        Endpoint.get("/api/course/v1/user/enrollment/list/{uid}", "api.user.courses.list", this::userEnrollments),
        Endpoint.patch("/v1/content/state/update", "api.content.state.update", this::updateState).withItemsCheckedApart(STATE_ITEMS),
        Endpoint.patch("/api/course/v1/content/state/update", "api.content.state.update", this::updateState).withItemsCheckedApart(STATE_ITEMS),
        Endpoint.patch("/v1/user/content/state", "api.content.state.update", this::updateState).withItemsCheckedApart(STATE_ITEMS),
        Endpoint.post("/v1/content/state/read", "api.content.state.read", this::readState),
        Endpoint.post("/api/course/v1/content/state/read", "api.content.state.read", this::readState),
        Endpoint.post("/v1/course/batch/cert/issue", "api.course.batch.cert.issue", this::issueCertificates),
        Endpoint.post("/api/course/batch/cert/v1/issue", "api.course.batch.cert.issue", this::issueCertificates));
  }

  private CompletionStage<EnrolResult> enrol(ApiRequest req) {
    var r = EnrollmentRequests.self(req.request(), req.effectiveUserId());
    return enrollments.enrol(r.courseId(), r.batchId(), r.userId(), req.requireCaller(), false, req.client()).thenApply(EnrolResult::of);
  }

  private CompletionStage<EnrolResult> unenrol(ApiRequest req) {
    var r = EnrollmentRequests.self(req.request(), req.effectiveUserId());
    return enrollments.unenrol(r.courseId(), r.batchId(), r.userId(), req.requireCaller(), false, req.client()).thenApply(e -> EnrolResult.SUCCESS);
  }

  private CompletionStage<EnrolResult> adminEnrol(ApiRequest req) {
    var r = EnrollmentRequests.onBehalf(req.request());
    return enrollments.enrol(r.courseId(), r.batchId(), r.userId(), req.requireCaller(), true, req.client()).thenApply(EnrolResult::of);
  }

  private CompletionStage<EnrolResult> adminUnenrol(ApiRequest req) {
    var r = EnrollmentRequests.onBehalf(req.request());
    return enrollments.unenrol(r.courseId(), r.batchId(), r.userId(), req.requireCaller(), true, req.client()).thenApply(e -> EnrolResult.SUCCESS);
  }

  private CompletionStage<UserOutcomesResult> addParticipants(ApiRequest req) {
    var r = EnrollmentRequests.participants(req.request());
    return enrollments.addParticipants(r.batchId(), r.userIds(), req.requireCaller(), req.client()).thenApply(UserOutcomesResult::of);
  }

  private CompletionStage<UserOutcomesResult> removeParticipants(ApiRequest req) {
    var r = EnrollmentRequests.participants(req.request());
    return enrollments.removeParticipants(r.batchId(), r.userIds(), req.requireCaller(), req.client()).thenApply(UserOutcomesResult::of);
  }

  /** Learners' ids are not public: only those who administer the batch may list them (docs/security.md). */
  private CompletionStage<ParticipantListResult> listParticipants(ApiRequest req) {
    var r = EnrollmentRequests.participantList(req.request());
    return enrollments.administeredBatch(r.batchId(), req.requireCaller())
        .thenCompose(view -> queries.participants(r.batchId(), r.active()))
        .thenApply(ParticipantListResult::of);
  }

  /**
   * The enrolments (active and waitlisted) of {@code uid}, who must be the effective user unless
   * the access policy lets the caller read the user's data. Each course (and batch, with
   * {@code batchDetails}) is read once.
   */
  private CompletionStage<UserEnrollmentListResult> userEnrollments(ApiRequest req) {
    String uid = req.pathParam("uid");
    var query = EnrollmentRequests.listQuery(req.query("fields"), req.query("batchDetails"));
    return access.requireOnUser(Operation.LEARNER_READ, req.requireCaller(), req.effectiveUserId(), uid)
        .thenCompose(allowed -> queries.enrollmentsOf(uid)).thenCompose(records -> {
      var courses = lookUpEach(records.stream().map(EnrollmentRecord::courseId).toList(), catalog::findCourse);
      var views = query.batchFields().isEmpty()
          ? CompletableFuture.completedFuture(Map.<String, Optional<BatchView>>of())
          : lookUpEach(records.stream().map(EnrollmentRecord::batchId).toList(), batches::find);
      return courses.thenCombine(views, (courseById, viewById) -> {
        List<UserEnrollment> list = new ArrayList<>();
        for (EnrollmentRecord record : records) {
          Optional<Course> course = courseById.get(record.courseId());
          if (course.isEmpty()) {
            continue; // the course left the catalog: nothing to show the learner
          }
          BatchDetails batch = viewById.getOrDefault(record.batchId(), Optional.empty())
              .map(view -> BatchDetails.of(view, query.batchFields())).orElse(null);
          list.add(UserEnrollment.of(record, course.get(), query.courseFields(), batch));
        }
        return new UserEnrollmentListResult(list);
      });
    });
  }

  private CompletionStage<ContentStateUpdateResult> updateState(ApiRequest req) {
    String userId = req.effectiveUserId();
    var update = ContentStateRequests.stateUpdate(req.request(), userId);
    var sync = update.sync();
    if (sync != null) {
      return enrollments.enrollment(sync.batchId(), userId).thenApply(e -> {
        if (!e.active() || !sync.courseId().equals(e.courseId())) {
          throw ErrorCode.NO_ENROLMENT_FOUND.reject(userId, sync.batchId(), sync.courseId()).asException();
        }
        return ContentStateUpdateResult.SYNCED;
      });
    }
    if (update.items().isEmpty()) {
      return CompletableFuture.completedFuture(ContentStateUpdateResult.of(ProgressReport.NOTHING, update.invalid()));
    }
    return enrollments.recordProgress(userId, update.items(), req.requireCaller(), req.client())
        .thenApply(report -> ContentStateUpdateResult.of(report, update.invalid()));
  }

  private CompletionStage<ContentStateReadResult> readState(ApiRequest req) {
    var r = ContentStateRequests.stateRead(req.request());
    return enrollments.enrollment(r.batchId(), req.effectiveUserId())
        .thenApply(e -> ContentStateReadResult.of(e, r.courseId(), r.contentIds(), r.withScore()));
  }

  private CompletionStage<CertificateIssueResult> issueCertificates(ApiRequest req) {
    var r = EnrollmentRequests.certificateIssue(req.request(), req.query("reIssue"));
    return enrollments.issueCertificates(r.courseId(), r.batchId(), r.userIds(), r.reissue(), req.requireCaller(), req.client())
        .thenApply(o -> CertificateIssueResult.of(r.courseId(), r.batchId(), o));
  }

  /** Looks each distinct key up once, all at the same time. */
  private static <V> CompletionStage<Map<String, V>> lookUpEach(List<String> keys, Function<String, CompletionStage<V>> lookUp) {
    Map<String, CompletableFuture<V>> pending = new LinkedHashMap<>();
    for (String key : new LinkedHashSet<>(keys)) {
      pending.put(key, lookUp.apply(key).toCompletableFuture());
    }
    return CompletableFuture.allOf(pending.values().toArray(CompletableFuture[]::new)).thenApply(done -> {
      Map<String, V> out = new LinkedHashMap<>();
      pending.forEach((key, future) -> out.put(key, future.join()));
      return out;
    });
  }
}
