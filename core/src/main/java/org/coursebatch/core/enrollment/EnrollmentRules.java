package org.coursebatch.core.enrollment;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import org.coursebatch.core.batch.BatchStatus;
import org.coursebatch.core.certificate.CertificateCriteria;
import org.coursebatch.core.certificate.CertificateTemplate;
import org.coursebatch.core.enrollment.EnrollmentEvent.*;
import org.coursebatch.core.error.ErrorCode;
import org.coursebatch.core.error.Rejection;

/**
 * The enrolment rules as pure functions of the enrolment, the batch's terms and the clock. Checks
 * run in Sunbird's order (batch, type, completed batch, enrolment end date, already enrolled), so
 * the first error a client sees is Sunbird's.
 */
public final class EnrollmentRules {

  private EnrollmentRules() {}

  /** A rejection, or the events to record; {@code needsSeat}: ask the batch for a seat first. */
  public record Decision(Rejection rejection, List<EnrollmentEvent> events, boolean needsSeat) {
    static Decision reject(Rejection r) {
      return new Decision(r, List.of(), false);
    }

    static Decision accept(List<EnrollmentEvent> events) {
      return new Decision(null, List.copyOf(events), false);
    }

    static Decision seatFirst() {
      return new Decision(null, List.of(), true);
    }

    public boolean rejected() {
      return rejection != null;
    }
  }

  /**
   * Enrol. An admin's enrolment needs no invitation (and records one, so the learner stays a
   * participant); a batch with a capacity is asked for a seat before anything is recorded.
   */
  public static Decision enrol(Enrollment current, BatchTerms batch, boolean byAdmin, String actor, Instant now) {
    return enrol(current, batch, byAdmin, actor, now, null);
  }

  /** {@link #enrol}, with the bulk form it comes with ({@code formId}, null for none): a used form is refused first. */
  public static Decision enrol(Enrollment current, BatchTerms batch, boolean byAdmin, String actor, Instant now, String formId) {
    if (current.usedForm(formId)) {
      return Decision.reject(ErrorCode.FORM_ALREADY_USED.reject(formId));
    }
    if (batch.inviteOnly() && !byAdmin && !current.invited()) {
      return Decision.reject(ErrorCode.BATCH_INVITE_ONLY.reject());
    }
    if (batch.status() == BatchStatus.ENDED) {
      return Decision.reject(ErrorCode.COURSE_BATCH_ALREADY_COMPLETED.reject());
    }
    if (batch.enrollmentEndsAt() != null && !now.isBefore(batch.enrollmentEndsAt())) {
      return Decision.reject(ErrorCode.COURSE_BATCH_ENROLLMENT_DATE_ENDED.reject());
    }
    if (current.participation() == Participation.ACTIVE) {
      return Decision.reject(ErrorCode.USER_ALREADY_ENROLLED_COURSE.reject());
    }
    if (current.participation() == Participation.WAITLISTED) {
      // The position is the batch's to tell; the service fills it in.
      return Decision.reject(ErrorCode.USER_ALREADY_WAITLISTED.reject("?"));
    }
    if (batch.limitedSeats()) {
      return Decision.seatFirst();
    }
    return Decision.accept(enrolled(current, batch, byAdmin, false, actor, now, formId));
  }

  /** The events of an enrolment that has its seat (or needs none). */
  static List<EnrollmentEvent> enrolled(Enrollment current, BatchTerms batch, boolean byAdmin, boolean seat,
      String actor, Instant now, String formId) {
    return admittedBy(current, batch, byAdmin, actor, now,
        new Enrolled(batch.batchId(), current.userId(), batch.courseId(), seat, actor, now, formId));
  }

  static List<EnrollmentEvent> waitlisted(Enrollment current, BatchTerms batch, boolean byAdmin, long ticket,
      String actor, Instant now, String formId) {
    return admittedBy(current, batch, byAdmin, actor, now,
        new Waitlisted(batch.batchId(), current.userId(), batch.courseId(), ticket, actor, now, formId));
  }

  /** {@code admission}, preceded by an invitation when an admin admits someone into an invite-only batch. */
  private static List<EnrollmentEvent> admittedBy(Enrollment current, BatchTerms batch, boolean byAdmin, String actor,
      Instant now, EnrollmentEvent admission) {
    List<EnrollmentEvent> events = new ArrayList<>(2);
    if (byAdmin && batch.inviteOnly() && !current.invited()) {
      events.add(new ParticipantInvited(batch.batchId(), current.userId(), batch.courseId(), actor, now));
    }
    events.add(admission);
    return events;
  }

  /** Unenrol (or leave the waitlist); refused once the batch or the learner's course is completed. */
  public static Decision unenrol(Enrollment current, BatchTerms batch, String actor, Instant now) {
    return unenrol(current, batch, actor, now, null);
  }

  /** {@link #unenrol}, with the bulk form it comes with ({@code formId}, null for none): a used form is refused first. */
  public static Decision unenrol(Enrollment current, BatchTerms batch, String actor, Instant now, String formId) {
    if (current.usedForm(formId)) {
      return Decision.reject(ErrorCode.FORM_ALREADY_USED.reject(formId));
    }
    if (batch.status() == BatchStatus.ENDED) {
      return Decision.reject(ErrorCode.COURSE_BATCH_ALREADY_COMPLETED.reject());
    }
    if (current.participation() != Participation.ACTIVE && current.participation() != Participation.WAITLISTED) {
      return Decision.reject(ErrorCode.USER_NOT_ENROLLED_COURSE.reject());
    }
    if (current.completed()) {
      return Decision.reject(ErrorCode.COURSE_BATCH_ALREADY_COMPLETED.reject());
    }
    return Decision.accept(List.of(new Unenrolled(batch.batchId(), current.userId(), actor, now, formId)));
  }

  /**
   * Why certificates cannot be issued from {@code batch} (null: there is none) for {@code courseId},
   * if they cannot, in lms-service's order (CertificateActor.issueCertificate): the batch exists,
   * belongs to the course, and has templates. Its answers are CLIENT_ERROR with its texts.
   */
  public static Rejection certificateIssueRefusal(org.coursebatch.core.batch.Batch batch, String courseId) {
    if (batch == null) {
      return ErrorCode.NO_SUCH_BATCH.reject();
    }
    if (!batch.courseId().equals(courseId)) {
      return ErrorCode.BATCH_NOT_LINKED_TO_COURSE.reject();
    }
    if (batch.certTemplates().isEmpty()) {
      return ErrorCode.NO_CERTIFICATE_TEMPLATES.reject(batch.batchId());
    }
    return null;
  }

  /** The enrolment {@code incarnation} names, or NOT_FOUND when it does not exist (any more). */
  public static Rejection notThisEnrollment(Enrollment current, int incarnation) {
    if (current.participation().exists() && current.incarnation() == incarnation) {
      return null;
    }
    return ErrorCode.ENROLLMENT_NOT_FOUND.reject(new EnrollmentId(current.batchId(), current.userId(), Math.max(1, incarnation)));
  }

  /** Delete enrolment {@code incarnation}: whatever its state, it leaves the read side; the journal keeps it. */
  public static Decision delete(Enrollment current, int incarnation, String actor, Instant now) {
    Rejection missing = notThisEnrollment(current, incarnation);
    if (missing != null) {
      return Decision.reject(missing);
    }
    return Decision.accept(List.of(new EnrollmentDeleted(current.batchId(), current.userId(), incarnation, actor, now)));
  }

  /** Add to the participants of the batch; already invited: nothing changes. */
  public static Decision invite(Enrollment current, BatchTerms batch, String actor, Instant now) {
    if (batch.status() == BatchStatus.ENDED) {
      return Decision.reject(ErrorCode.COURSE_BATCH_ALREADY_COMPLETED.reject());
    }
    if (current.invited()) {
      return Decision.accept(List.of());
    }
    return Decision.accept(List.of(new ParticipantInvited(batch.batchId(), current.userId(), batch.courseId(), actor, now)));
  }

  /**
   * Remove from the participants: the invitation is withdrawn and an enrolment still under way
   * ends. A completed enrolment, or one of an ended batch, stays (it is history, and may carry
   * certificates).
   */
  public static Decision removeParticipant(Enrollment current, BatchTerms batch, String actor, Instant now) {
    List<EnrollmentEvent> events = new ArrayList<>(2);
    if (current.invited()) {
      events.add(new ParticipantRemoved(batch.batchId(), current.userId(), actor, now));
    }
    boolean underWay = current.participation() == Participation.ACTIVE || current.participation() == Participation.WAITLISTED;
    // Like unenrolling: an ended batch's enrolments are history and stay.
    if (underWay && !current.completed() && batch.status() != BatchStatus.ENDED) {
      events.add(new Unenrolled(batch.batchId(), current.userId(), actor, now));
    }
    return Decision.accept(events);
  }

  /**
   * Record reported content states and assessment attempts of an active enrolment, then the
   * completion they cause and the certificates that then become due. An attempt already recorded
   * (same assessment and attempt id) is skipped, so a retried report changes nothing twice.
   * States and attempts of content ids that are not leaves of the course are ignored: nothing
   * would ever read them, and a learner could otherwise store any number of them.
   */
  public static Decision recordProgress(Enrollment current, BatchTerms batch, CourseOutline outline,
      List<ContentUpdate> reported, List<AssessmentAttempt> reportedAttempts, String rootOrgId, String actor, Instant now,
      Supplier<String> newCertificateId) {
    if (!current.active()) {
      return Decision.reject(ErrorCode.USER_NOT_ENROLLED_COURSE.reject());
    }
    List<ContentUpdate> updates = reported.stream().filter(u -> outline.hasLeaf(u.contentId())).toList();
    List<AssessmentAttempt> attempts = reportedAttempts.stream().filter(a -> outline.hasLeaf(a.contentId())).toList();
    List<EnrollmentEvent> events = new ArrayList<>();
    Enrollment after = current;
    if (!updates.isEmpty()) {
      Map<String, ContentState> merged = new LinkedHashMap<>();
      for (ContentUpdate u : updates) {
        ContentState before = merged.containsKey(u.contentId()) ? merged.get(u.contentId()) : current.contents().get(u.contentId());
        merged.put(u.contentId(), merge(before, u, now));
      }
      Map<String, ContentState> all = new LinkedHashMap<>(current.contents());
      all.putAll(merged);
      int completedLeaves = (int) outline.leafIds().stream().filter(id -> all.containsKey(id) && all.get(id).completed()).count();
      int percentage = outline.leafNodesCount() <= 0 ? 0 : Math.min(100, completedLeaves * 100 / outline.leafNodesCount());
      events.add(new ContentProgressRecorded(batch.batchId(), current.userId(), batch.courseId(),
          List.copyOf(merged.values()), completedLeaves, percentage, actor, now));
    }
    for (EnrollmentEvent e : events) {
      after = after.apply(e);
    }
    // Checked against the attempts recorded so far, this report's included: a report may repeat one.
    for (AssessmentAttempt a : attempts) {
      if (!after.hasAttempt(a.contentId(), a.attemptId())) {
        EnrollmentEvent attempted = new AssessmentAttempted(batch.batchId(), current.userId(), batch.courseId(),
            a.contentId(), a.attemptId(), a.assessmentTs(), a.totalScore(), a.totalMaxScore(), a.responses(), actor, now);
        events.add(attempted);
        after = after.apply(attempted);
      }
    }
    if (!after.completed() && outline.leafNodesCount() > 0 && after.completionPercentage() >= 100) {
      EnrollmentEvent done = new EnrollmentCompleted(batch.batchId(), current.userId(), batch.courseId(), actor, now);
      events.add(done);
      after = after.apply(done);
    }
    events.addAll(certificatesDue(after, batch, rootOrgId, false, actor, now, newCertificateId));
    return Decision.accept(events);
  }

  /** Merges a report into the recorded state: status never goes down, progress is the maximum. */
  static ContentState merge(ContentState before, ContentUpdate u, Instant now) {
    int status = Math.max(before == null ? 0 : before.status(), u.status());
    int progress = Math.max(before == null ? 0 : before.progress(), u.progress() == null ? 0 : Math.min(100, u.progress()));
    if (status == ContentState.COMPLETED) {
      progress = 100;
    }
    Instant lastCompleted = before == null ? null : before.lastCompletedTime();
    if (u.status() == ContentState.COMPLETED) {
      lastCompleted = u.lastCompletedTime() != null ? u.lastCompletedTime() : (lastCompleted != null ? lastCompleted : now);
    }
    return new ContentState(u.contentId(), status, progress,
        (before == null ? 0 : before.viewCount()) + 1,
        (before == null ? 0 : before.completedCount()) + (u.status() == ContentState.COMPLETED ? 1 : 0),
        u.lastAccessTime() != null ? u.lastAccessTime() : now,
        lastCompleted,
        u.progressDetails() != null ? u.progressDetails() : (before == null ? null : before.progressDetails()));
  }

  /**
   * The certificates an enrolment is due: one per template whose criteria it meets and that it
   * does not hold yet, or, on {@code reissue}, again for every template whose criteria it meets.
   */
  public static List<EnrollmentEvent> certificatesDue(Enrollment e, BatchTerms batch, String rootOrgId, boolean reissue,
      String actor, Instant now, Supplier<String> newCertificateId) {
    if (!e.active()) {
      return List.of();
    }
    List<EnrollmentEvent> events = new ArrayList<>();
    for (CertificateTemplate t : batch.certTemplates().values()) {
      boolean held = e.certificateFor(t.identifier()).isPresent();
      if ((held && !reissue) || !meets(e, t.criteria(), rootOrgId)) {
        continue;
      }
      events.add(new CertificateIssued(batch.batchId(), e.userId(), batch.courseId(), t.identifier(),
          newCertificateId.get(), held, actor, now));
    }
    return events;
  }

  /**
   * Whether an enrolment meets a template's criteria: its status is at least the one required (2:
   * completed), its course score (best attempts) satisfies every score bound, and its learner is
   * of the required root organisation.
   */
  public static boolean meets(Enrollment e, CertificateCriteria criteria, String rootOrgId) {
    if (criteria == null) {
      return false;
    }
    if (criteria.enrollmentStatus() != null && e.progressStatus() < criteria.enrollmentStatus()) {
      return false;
    }
    if (criteria.assessmentScore() != null) {
      var score = e.scorePercentage();
      if (score.isEmpty() || !criteria.scoreSatisfied(score.get())) {
        return false;
      }
    }
    return criteria.userRootOrgId() == null || Objects.equals(criteria.userRootOrgId(), rootOrgId);
  }
}
