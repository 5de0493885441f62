package org.coursebatch.core.enrollment;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.coursebatch.core.batch.BatchStatus;
import org.coursebatch.core.catalog.CourseCatalog;
import org.coursebatch.core.enrollment.EnrollmentCommand.RecordProgress;
import org.coursebatch.core.enrollment.EnrollmentService.ProgressItem;
import org.coursebatch.core.error.ErrorCode;
import org.coursebatch.core.error.RejectedException;
import org.coursebatch.core.error.Rejections;
import org.coursebatch.core.identity.Caller;
import org.coursebatch.core.request.ClientRequest;
import org.coursebatch.core.request.RequestKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
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
final class ProgressRecording {

  // Logged under the service's name, as before the split, so log filters keep working.
  private static final Logger log = LoggerFactory.getLogger(EnrollmentService.class);

  private final EnrollmentBatches batches;
  private final CourseCatalog catalog;
  private final EnrollmentAsks asks;

  ProgressRecording(EnrollmentBatches batches, CourseCatalog catalog, EnrollmentAsks asks) {
    this.batches = batches;
    this.catalog = catalog;
    this.asks = asks;
  }

  CompletionStage<ProgressReport> record(String userId, List<ProgressItem> items, Caller caller, ClientRequest request) {
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
    return batches.ofCourse(courseId, batchId)
        .thenCompose(view -> catalog.findCourse(courseId).thenCombine(batches.rootOrgIfNeeded(view, userId), (course, org) -> {
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
          return asks.write(batchId, userId, request, (deadline, r) -> new RecordProgress(BatchTerms.of(view),
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
}
