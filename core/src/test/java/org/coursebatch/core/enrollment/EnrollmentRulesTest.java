package org.coursebatch.core.enrollment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.coursebatch.core.batch.BatchStatus;
import org.coursebatch.core.batch.EnrollmentType;
import org.coursebatch.core.certificate.CertificateCriteria;
import org.coursebatch.core.certificate.CertificateTemplate;
import org.coursebatch.core.enrollment.EnrollmentEvent.AssessmentAttempted;
import org.coursebatch.core.enrollment.EnrollmentEvent.CertificateIssued;
import org.coursebatch.core.enrollment.EnrollmentEvent.ContentProgressRecorded;
import org.coursebatch.core.enrollment.EnrollmentEvent.Enrolled;
import org.coursebatch.core.enrollment.EnrollmentEvent.EnrollmentCompleted;
import org.coursebatch.core.enrollment.EnrollmentEvent.ParticipantInvited;
import org.coursebatch.core.enrollment.EnrollmentEvent.ParticipantRemoved;
import org.coursebatch.core.enrollment.EnrollmentEvent.PromotedFromWaitlist;
import org.coursebatch.core.enrollment.EnrollmentEvent.SeatReturned;
import org.coursebatch.core.enrollment.EnrollmentEvent.Unenrolled;
import org.coursebatch.core.enrollment.EnrollmentEvent.Waitlisted;
import org.coursebatch.core.enrollment.EnrollmentRules.Decision;
import org.coursebatch.core.error.ErrorCode;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The enrolment rules as pure functions. Decisions are applied with {@link Enrollment#apply}, the
 * way the entity and the read side do, so each test follows an enrolment through its events.
 */
class EnrollmentRulesTest {

  private static final Instant NOW = Instant.parse("2030-03-10T10:00:00Z");
  private static final String B = "b-1";
  private static final String COURSE = "do_course_1";
  private static final String USER = "user-1";
  private static final String ADMIN = "user-admin";
  private static final String ORG = "org-root";

  private final AtomicInteger certIds = new AtomicInteger();
  private final Supplier<String> newCertId = () -> "cert-" + certIds.incrementAndGet();

  // ---------------------------------------------------------------- fixtures

  private static BatchTerms terms(EnrollmentType type, BatchStatus status, Instant enrollmentEndsAt, boolean limitedSeats,
      CertificateTemplate... templates) {
    Map<String, CertificateTemplate> byId = new LinkedHashMap<>();
    Arrays.stream(templates).forEach(t -> byId.put(t.identifier(), t));
    return new BatchTerms(B, COURSE, type, status, enrollmentEndsAt, limitedSeats, byId);
  }

  private static BatchTerms open() {
    return terms(EnrollmentType.OPEN, BatchStatus.IN_PROGRESS, null, false);
  }

  private static BatchTerms open(CertificateTemplate... templates) {
    return terms(EnrollmentType.OPEN, BatchStatus.IN_PROGRESS, null, false, templates);
  }

  private static BatchTerms inviteOnly() {
    return terms(EnrollmentType.INVITE_ONLY, BatchStatus.IN_PROGRESS, null, false);
  }

  private static Enrollment fresh() {
    return Enrollment.empty(B, USER);
  }

  private static Enrollment apply(Enrollment e, List<EnrollmentEvent> events) {
    for (EnrollmentEvent event : events) {
      e = e.apply(event);
    }
    return e;
  }

  private static Enrollment accepted(Enrollment e, Decision d) {
    assertFalse(d.rejected(), () -> "rejected: " + d.rejection());
    assertFalse(d.needsSeat(), "no seat needed");
    return apply(e, d.events());
  }

  private static void assertRejected(ErrorCode code, Decision d) {
    assertTrue(d.rejected(), () -> "expected " + code + " but accepted " + d.events());
    assertEquals(code, d.rejection().code(), () -> "rejection " + d.rejection());
    assertEquals(List.of(), d.events());
    assertFalse(d.needsSeat());
  }

  private static Enrollment enrolled() {
    return accepted(fresh(), EnrollmentRules.enrol(fresh(), open(), false, USER, NOW));
  }

  /** Outline of leaves c1..cN (leafNodesCount N). */
  private static CourseOutline outline(int leaves) {
    Set<String> ids = new java.util.LinkedHashSet<>();
    for (int i = 1; i <= leaves; i++) {
      ids.add("c" + i);
    }
    return new CourseOutline(COURSE, ids, leaves);
  }

  private static ContentUpdate update(String contentId, int status, Integer progress) {
    return new ContentUpdate(contentId, status, progress, null, null, null);
  }

  private Decision progress(Enrollment e, BatchTerms batch, CourseOutline outline, List<ContentUpdate> updates,
      List<AssessmentAttempt> attempts, String rootOrg) {
    return EnrollmentRules.recordProgress(e, batch, outline, updates, attempts, rootOrg, USER, NOW, newCertId);
  }

  private Decision progress(Enrollment e, CourseOutline outline, ContentUpdate... updates) {
    return progress(e, open(), outline, List.of(updates), List.of(), ORG);
  }

  private static AssessmentAttempt attempt(String contentId, String attemptId, double score, double max) {
    return new AssessmentAttempt(contentId, attemptId, NOW,
        List.of(new QuestionResponse("q1", "mcq", "Q1", score, max, null, null, 1.5)));
  }

  private static CertificateTemplate template(String id, CertificateCriteria criteria) {
    ObjectNode issuer = JsonNodeFactory.instance.objectNode().put("name", "Issuer");
    return new CertificateTemplate(id, "Template " + id, "https://cdn.example/" + id + ".svg", criteria, issuer,
        List.of(), null, null);
  }

  private static CertificateCriteria completion() {
    return new CertificateCriteria(2, null, null);
  }

  private static <T> List<T> ofType(Class<T> type, List<EnrollmentEvent> events) {
    return events.stream().filter(type::isInstance).map(type::cast).toList();
  }

  // ---------------------------------------------------------------- enrol

  @Nested
  class Enrol {

    @Test
    void openBatchEnrolsAtOnce() {
      Decision d = EnrollmentRules.enrol(fresh(), open(), false, USER, NOW);
      assertEquals(List.of(new Enrolled(B, USER, COURSE, false, USER, NOW)), d.events());
      Enrollment e = apply(fresh(), d.events());
      assertEquals(Participation.ACTIVE, e.participation());
      assertTrue(e.active());
      assertEquals(COURSE, e.courseId());
      assertEquals(NOW, e.enrolledDate());
      assertEquals(USER, e.addedBy());
      assertEquals(SeatClaim.NONE, e.seatClaim());
      assertEquals(0, e.progressStatus());
    }

    @Test
    void inviteOnlyBatchRefusesTheUninvited() {
      Decision d = EnrollmentRules.enrol(fresh(), inviteOnly(), false, USER, NOW);
      assertRejected(ErrorCode.BATCH_INVITE_ONLY, d);
      assertEquals("INVITE_ONLY_BATCH", d.rejection().code().code());
    }

    @Test
    void inviteOnlyBatchAdmitsTheInvited() {
      Enrollment invited = accepted(fresh(), EnrollmentRules.invite(fresh(), inviteOnly(), ADMIN, NOW));
      assertTrue(invited.invited());
      assertEquals(Participation.NONE, invited.participation());
      Decision d = EnrollmentRules.enrol(invited, inviteOnly(), false, USER, NOW);
      assertEquals(List.of(new Enrolled(B, USER, COURSE, false, USER, NOW)), d.events());
    }

    @Test
    void anAdminEnrolsTheUninvitedAndRecordsTheInvitation() {
      Decision d = EnrollmentRules.enrol(fresh(), inviteOnly(), true, ADMIN, NOW);
      assertEquals(List.of(new ParticipantInvited(B, USER, COURSE, ADMIN, NOW),
          new Enrolled(B, USER, COURSE, false, ADMIN, NOW)), d.events());
      Enrollment e = apply(fresh(), d.events());
      assertTrue(e.invited());
      assertTrue(e.active());
      assertEquals(ADMIN, e.addedBy());
    }

    @Test
    void anAdminEnrollingSomeoneAlreadyInvitedRecordsNoSecondInvitation() {
      Enrollment invited = accepted(fresh(), EnrollmentRules.invite(fresh(), inviteOnly(), ADMIN, NOW));
      Decision d = EnrollmentRules.enrol(invited, inviteOnly(), true, ADMIN, NOW);
      assertEquals(List.of(new Enrolled(B, USER, COURSE, false, ADMIN, NOW)), d.events());
    }

    @Test
    void anAdminEnrollingInAnOpenBatchRecordsNoInvitation() {
      Decision d = EnrollmentRules.enrol(fresh(), open(), true, ADMIN, NOW);
      assertEquals(List.of(new Enrolled(B, USER, COURSE, false, ADMIN, NOW)), d.events());
    }

    @Test
    void inviteOnlyIsCheckedBeforeTheBatchEnded() {
      var ended = terms(EnrollmentType.INVITE_ONLY, BatchStatus.ENDED, NOW.minusSeconds(60), false);
      assertRejected(ErrorCode.BATCH_INVITE_ONLY, EnrollmentRules.enrol(fresh(), ended, false, USER, NOW));
      // The admin passes the invitation check and meets the next one.
      assertRejected(ErrorCode.COURSE_BATCH_ALREADY_COMPLETED, EnrollmentRules.enrol(fresh(), ended, true, ADMIN, NOW));
    }

    @Test
    void anEndedBatchRefusesBeforeTheEnrolmentEndDate() {
      var ended = terms(EnrollmentType.OPEN, BatchStatus.ENDED, NOW.minusSeconds(60), false);
      assertRejected(ErrorCode.COURSE_BATCH_ALREADY_COMPLETED, EnrollmentRules.enrol(fresh(), ended, false, USER, NOW));
    }

    @Test
    void enrolmentClosesAtTheEnrolmentEndInstant() {
      Instant endsAt = NOW.plusSeconds(3600);
      var batch = terms(EnrollmentType.OPEN, BatchStatus.IN_PROGRESS, endsAt, false);
      assertRejected(ErrorCode.COURSE_BATCH_ENROLLMENT_DATE_ENDED, EnrollmentRules.enrol(fresh(), batch, false, USER, endsAt));
      assertRejected(ErrorCode.COURSE_BATCH_ENROLLMENT_DATE_ENDED,
          EnrollmentRules.enrol(fresh(), batch, true, ADMIN, endsAt.plusSeconds(1)));
      Decision justBefore = EnrollmentRules.enrol(fresh(), batch, false, USER, endsAt.minusMillis(1));
      assertEquals(List.of(new Enrolled(B, USER, COURSE, false, USER, endsAt.minusMillis(1))), justBefore.events());
    }

    @Test
    void theEnrolmentEndDateIsCheckedBeforeAnExistingEnrolment() {
      var closed = terms(EnrollmentType.OPEN, BatchStatus.IN_PROGRESS, NOW, false);
      assertRejected(ErrorCode.COURSE_BATCH_ENROLLMENT_DATE_ENDED, EnrollmentRules.enrol(enrolled(), closed, false, USER, NOW));
    }

    @Test
    void anActiveLearnerIsAlreadyEnrolled() {
      assertRejected(ErrorCode.USER_ALREADY_ENROLLED_COURSE, EnrollmentRules.enrol(enrolled(), open(), false, USER, NOW));
      var limited = terms(EnrollmentType.OPEN, BatchStatus.IN_PROGRESS, null, true);
      assertRejected(ErrorCode.USER_ALREADY_ENROLLED_COURSE, EnrollmentRules.enrol(enrolled(), limited, false, USER, NOW));
    }

    @Test
    void aWaitingLearnerIsAlreadyWaitlisted() {
      var limited = terms(EnrollmentType.OPEN, BatchStatus.IN_PROGRESS, null, true);
      Enrollment waiting = apply(fresh(), EnrollmentRules.waitlisted(fresh(), limited, false, 7, USER, NOW, null));
      assertEquals(Participation.WAITLISTED, waiting.participation());
      assertEquals(SeatClaim.WAITING, waiting.seatClaim());
      assertEquals(7L, waiting.waitlistTicket());
      assertRejected(ErrorCode.USER_ALREADY_WAITLISTED, EnrollmentRules.enrol(waiting, limited, false, USER, NOW));
    }

    @Test
    void aBatchWithACapacityIsAskedForASeatFirst() {
      var limited = terms(EnrollmentType.OPEN, BatchStatus.IN_PROGRESS, null, true);
      Decision d = EnrollmentRules.enrol(fresh(), limited, false, USER, NOW);
      assertFalse(d.rejected());
      assertTrue(d.needsSeat());
      assertEquals(List.of(), d.events(), "nothing is recorded before the batch answers");
      // The checks before the seat still apply.
      var limitedInviteOnly = terms(EnrollmentType.INVITE_ONLY, BatchStatus.IN_PROGRESS, null, true);
      assertRejected(ErrorCode.BATCH_INVITE_ONLY, EnrollmentRules.enrol(fresh(), limitedInviteOnly, false, USER, NOW));
    }

    @Test
    void grantedAndWaitlistedSeatsAreRecorded() {
      var limited = terms(EnrollmentType.INVITE_ONLY, BatchStatus.IN_PROGRESS, null, true);
      assertEquals(List.of(new ParticipantInvited(B, USER, COURSE, ADMIN, NOW), new Enrolled(B, USER, COURSE, true, ADMIN, NOW)),
          EnrollmentRules.enrolled(fresh(), limited, true, true, ADMIN, NOW, null));
      assertEquals(List.of(new ParticipantInvited(B, USER, COURSE, ADMIN, NOW), new Waitlisted(B, USER, COURSE, 3, ADMIN, NOW)),
          EnrollmentRules.waitlisted(fresh(), limited, true, 3, ADMIN, NOW, null));
      Enrollment seated = apply(fresh(), EnrollmentRules.enrolled(fresh(), limited, true, true, ADMIN, NOW, null));
      assertEquals(SeatClaim.HELD, seated.seatClaim());
    }

    @Test
    void aPromotionEnrolsTheWaitingLearner() {
      var limited = terms(EnrollmentType.OPEN, BatchStatus.IN_PROGRESS, null, true);
      Enrollment waiting = apply(fresh(), EnrollmentRules.waitlisted(fresh(), limited, false, 1, USER, NOW, null));
      Instant later = NOW.plusSeconds(600);
      Enrollment promoted = waiting.apply(new PromotedFromWaitlist(B, USER, "system", later));
      assertEquals(Participation.ACTIVE, promoted.participation());
      assertEquals(SeatClaim.HELD, promoted.seatClaim());
      assertNull(promoted.waitlistTicket());
      assertEquals(later, promoted.enrolledDate());
      assertEquals(USER, promoted.addedBy(), "who asked to enrol stays the one who added them");
    }

    @Test
    void reEnrollingAfterUnenrollingEnrolsAgain() {
      Enrollment left = accepted(enrolled(), EnrollmentRules.unenrol(enrolled(), open(), USER, NOW));
      assertEquals(Participation.INACTIVE, left.participation());
      Instant later = NOW.plus(Duration.ofDays(2));
      Decision again = EnrollmentRules.enrol(left, open(), false, USER, later);
      assertEquals(List.of(new Enrolled(B, USER, COURSE, false, USER, later)), again.events());
      Enrollment back = apply(left, again.events());
      assertTrue(back.active());
      assertEquals(later, back.enrolledDate());
    }

    @Test
    void progressSurvivesUnenrollingAndEnrollingAgain() {
      Enrollment e = accepted(enrolled(), progress(enrolled(), outline(2), update("c1", 2, null)));
      e = accepted(e, EnrollmentRules.unenrol(e, open(), USER, NOW));
      e = accepted(e, EnrollmentRules.enrol(e, open(), false, USER, NOW));
      assertEquals(1, e.completedLeaves());
      assertEquals(50, e.completionPercentage());
      assertTrue(e.contents().get("c1").completed());
    }
  }

  // ---------------------------------------------------------------- unenrol, invite, remove

  @Nested
  class Unenrol {

    @Test
    void anActiveLearnerUnenrols() {
      Decision d = EnrollmentRules.unenrol(enrolled(), open(), USER, NOW);
      assertEquals(List.of(new Unenrolled(B, USER, USER, NOW)), d.events());
      Enrollment e = apply(enrolled(), d.events());
      assertEquals(Participation.INACTIVE, e.participation());
      assertFalse(e.seatToReturn(), "no capacity, no seat");
    }

    @Test
    void neverEnrolledOrAlreadyGoneIsNotEnrolled() {
      assertRejected(ErrorCode.USER_NOT_ENROLLED_COURSE, EnrollmentRules.unenrol(fresh(), open(), USER, NOW));
      Enrollment left = accepted(enrolled(), EnrollmentRules.unenrol(enrolled(), open(), USER, NOW));
      assertRejected(ErrorCode.USER_NOT_ENROLLED_COURSE, EnrollmentRules.unenrol(left, open(), USER, NOW));
      Enrollment invited = accepted(fresh(), EnrollmentRules.invite(fresh(), inviteOnly(), ADMIN, NOW));
      assertRejected(ErrorCode.USER_NOT_ENROLLED_COURSE, EnrollmentRules.unenrol(invited, inviteOnly(), USER, NOW));
    }

    @Test
    void aCompletedEnrolmentCannotBeLeft() {
      Enrollment done = accepted(enrolled(), progress(enrolled(), outline(1), update("c1", 2, 100)));
      assertTrue(done.completed());
      assertRejected(ErrorCode.COURSE_BATCH_ALREADY_COMPLETED, EnrollmentRules.unenrol(done, open(), USER, NOW));
    }

    @Test
    void anEndedBatchCannotBeLeft() {
      var ended = terms(EnrollmentType.OPEN, BatchStatus.ENDED, null, false);
      assertRejected(ErrorCode.COURSE_BATCH_ALREADY_COMPLETED, EnrollmentRules.unenrol(enrolled(), ended, USER, NOW));
      assertRejected(ErrorCode.COURSE_BATCH_ALREADY_COMPLETED, EnrollmentRules.unenrol(fresh(), ended, USER, NOW));
    }

    @Test
    void leavingTheWaitlistKeepsThePlaceToReturn() {
      var limited = terms(EnrollmentType.OPEN, BatchStatus.IN_PROGRESS, null, true);
      Enrollment waiting = apply(fresh(), EnrollmentRules.waitlisted(fresh(), limited, false, 4, USER, NOW, null));
      Enrollment left = accepted(waiting, EnrollmentRules.unenrol(waiting, limited, USER, NOW));
      assertEquals(Participation.INACTIVE, left.participation());
      assertNull(left.waitlistTicket());
      assertEquals(SeatClaim.WAITING, left.seatClaim());
      assertTrue(left.seatToReturn());
      Enrollment returned = left.apply(new SeatReturned(B, USER, "system", NOW));
      assertEquals(SeatClaim.NONE, returned.seatClaim());
      assertFalse(returned.seatToReturn());
    }

    @Test
    void aHeldSeatIsToReturnAfterUnenrolling() {
      var limited = terms(EnrollmentType.OPEN, BatchStatus.IN_PROGRESS, null, true);
      Enrollment seated = apply(fresh(), EnrollmentRules.enrolled(fresh(), limited, false, true, USER, NOW, null));
      assertFalse(seated.seatToReturn(), "an active learner keeps the seat");
      Enrollment left = accepted(seated, EnrollmentRules.unenrol(seated, limited, USER, NOW));
      assertTrue(left.seatToReturn());
    }

    @Test
    void invitingTwiceRecordsOnce() {
      Enrollment invited = accepted(fresh(), EnrollmentRules.invite(fresh(), inviteOnly(), ADMIN, NOW));
      assertEquals(COURSE, invited.courseId());
      Decision again = EnrollmentRules.invite(invited, inviteOnly(), ADMIN, NOW);
      assertFalse(again.rejected());
      assertEquals(List.of(), again.events());
    }

    @Test
    void noInvitationsToAnEndedBatch() {
      var ended = terms(EnrollmentType.INVITE_ONLY, BatchStatus.ENDED, null, false);
      assertRejected(ErrorCode.COURSE_BATCH_ALREADY_COMPLETED, EnrollmentRules.invite(fresh(), ended, ADMIN, NOW));
    }

    @Test
    void removingAnEnrolledParticipantWithdrawsTheInvitationAndUnenrols() {
      Enrollment e = accepted(fresh(), EnrollmentRules.enrol(fresh(), inviteOnly(), true, ADMIN, NOW));
      Decision d = EnrollmentRules.removeParticipant(e, inviteOnly(), ADMIN, NOW);
      assertEquals(List.of(new ParticipantRemoved(B, USER, ADMIN, NOW), new Unenrolled(B, USER, ADMIN, NOW)), d.events());
      Enrollment removed = apply(e, d.events());
      assertFalse(removed.invited());
      assertEquals(Participation.INACTIVE, removed.participation());
      assertRejected(ErrorCode.BATCH_INVITE_ONLY, EnrollmentRules.enrol(removed, inviteOnly(), false, USER, NOW));
    }

    @Test
    void removingAnInvitedParticipantWhoNeverEnrolledOnlyWithdrawsTheInvitation() {
      Enrollment invited = accepted(fresh(), EnrollmentRules.invite(fresh(), inviteOnly(), ADMIN, NOW));
      assertEquals(List.of(new ParticipantRemoved(B, USER, ADMIN, NOW)),
          EnrollmentRules.removeParticipant(invited, inviteOnly(), ADMIN, NOW).events());
    }

    @Test
    void removingAnUninvitedLearnerOfAnOpenBatchUnenrolsThem() {
      assertEquals(List.of(new Unenrolled(B, USER, ADMIN, NOW)),
          EnrollmentRules.removeParticipant(enrolled(), open(), ADMIN, NOW).events());
    }

    @Test
    void removingAWaitingLearnerTakesThemOffTheWaitlist() {
      var limited = terms(EnrollmentType.OPEN, BatchStatus.IN_PROGRESS, null, true);
      Enrollment waiting = apply(fresh(), EnrollmentRules.waitlisted(fresh(), limited, false, 1, USER, NOW, null));
      assertEquals(List.of(new Unenrolled(B, USER, ADMIN, NOW)),
          EnrollmentRules.removeParticipant(waiting, limited, ADMIN, NOW).events());
    }

    @Test
    void removingKeepsACompletedEnrolment() {
      Enrollment e = accepted(fresh(), EnrollmentRules.enrol(fresh(), inviteOnly(), true, ADMIN, NOW));
      e = accepted(e, progress(e, inviteOnly(), outline(1), List.of(update("c1", 2, null)), List.of(), ORG));
      assertTrue(e.completed());
      Decision d = EnrollmentRules.removeParticipant(e, inviteOnly(), ADMIN, NOW);
      assertEquals(List.of(new ParticipantRemoved(B, USER, ADMIN, NOW)), d.events());
      assertTrue(apply(e, d.events()).active(), "history stays");
    }

    @Test
    void removingFromAnEndedBatchOnlyWithdrawsTheInvitation() {
      Enrollment e = accepted(fresh(), EnrollmentRules.enrol(fresh(), inviteOnly(), true, ADMIN, NOW));
      var ended = terms(EnrollmentType.INVITE_ONLY, BatchStatus.ENDED, null, false);
      Decision d = EnrollmentRules.removeParticipant(e, ended, ADMIN, NOW);
      assertEquals(List.of(new ParticipantRemoved(B, USER, ADMIN, NOW)), d.events());
      assertTrue(apply(e, d.events()).active(), "an ended batch's enrolments are history, as for unenrol");
    }

    @Test
    void removingSomeoneWhoIsNoParticipantChangesNothing() {
      Decision d = EnrollmentRules.removeParticipant(fresh(), inviteOnly(), ADMIN, NOW);
      assertFalse(d.rejected());
      assertEquals(List.of(), d.events());
      Enrollment left = accepted(enrolled(), EnrollmentRules.unenrol(enrolled(), open(), USER, NOW));
      assertEquals(List.of(), EnrollmentRules.removeParticipant(left, open(), ADMIN, NOW).events());
    }
  }

  // ---------------------------------------------------------------- progress

  @Nested
  class Progress {

    @Test
    void onlyAnActiveEnrolmentRecordsProgress() {
      assertRejected(ErrorCode.USER_NOT_ENROLLED_COURSE, progress(fresh(), outline(2), update("c1", 1, 10)));
      Enrollment left = accepted(enrolled(), EnrollmentRules.unenrol(enrolled(), open(), USER, NOW));
      assertRejected(ErrorCode.USER_NOT_ENROLLED_COURSE, progress(left, outline(2), update("c1", 1, 10)));
    }

    @Test
    void aFirstReportIsRecordedAsSent() {
      Instant accessed = NOW.minusSeconds(30);
      ObjectNode details = JsonNodeFactory.instance.objectNode().put("page", 3);
      var u = new ContentUpdate("c1", 1, 40, accessed, null, details);
      Decision d = progress(enrolled(), outline(2), u);
      var recorded = assertInstanceOf(ContentProgressRecorded.class, d.events().get(0));
      assertEquals(1, d.events().size());
      assertEquals(List.of(new ContentState("c1", 1, 40, 1, 0, accessed, null, details)), recorded.contents());
      assertEquals(0, recorded.completedLeaves());
      assertEquals(0, recorded.completionPercentage());
      Enrollment e = apply(enrolled(), d.events());
      assertEquals(1, e.progressStatus(), "in progress");
      assertEquals("c1", e.lastReadContentId());
      assertEquals(1, e.lastReadContentStatus());
      assertEquals(accessed, e.lastContentAccessTime());
    }

    @Test
    void statusNeverGoesDownAndProgressIsTheMaximum() {
      Enrollment e = accepted(enrolled(), progress(enrolled(), outline(2), update("c1", 1, 60)));
      e = accepted(e, progress(e, outline(2), update("c1", 0, 20)));
      ContentState c1 = e.contents().get("c1");
      assertEquals(1, c1.status());
      assertEquals(60, c1.progress());
      assertEquals(2, c1.viewCount());
      assertEquals(0, c1.completedCount());
      e = accepted(e, progress(e, outline(2), update("c1", 1, null)));
      assertEquals(60, e.contents().get("c1").progress(), "no progress sent keeps the recorded one");
      e = accepted(e, progress(e, outline(2), update("c1", 1, 250)));
      assertEquals(100, e.contents().get("c1").progress(), "capped at 100");
    }

    @Test
    void completionSetsProgressTo100AndTheCompletionTime() {
      Enrollment e = accepted(enrolled(), progress(enrolled(), outline(2), update("c1", 2, 10)));
      ContentState c1 = e.contents().get("c1");
      assertEquals(2, c1.status());
      assertEquals(100, c1.progress());
      assertEquals(NOW, c1.lastCompletedTime(), "none sent: now");
      assertEquals(1, c1.completedCount());
      // A later in-progress report does not undo it, and keeps the completion time.
      e = accepted(e, progress(e, outline(2), update("c1", 1, 30)));
      c1 = e.contents().get("c1");
      assertEquals(2, c1.status());
      assertEquals(100, c1.progress());
      assertEquals(NOW, c1.lastCompletedTime());
      assertEquals(2, c1.viewCount());
      assertEquals(1, c1.completedCount());
      // Completing again counts again and takes the time the client sent.
      Instant sent = NOW.plusSeconds(99);
      e = accepted(e, progress(e, outline(2), new ContentUpdate("c1", 2, null, null, sent, null)));
      assertEquals(sent, e.contents().get("c1").lastCompletedTime());
      assertEquals(2, e.contents().get("c1").completedCount());
      assertEquals(3, e.contents().get("c1").viewCount());
    }

    @Test
    void progressDetailsAreKeptWhenNotSent() {
      ObjectNode details = JsonNodeFactory.instance.objectNode().put("page", 3);
      Enrollment e = accepted(enrolled(), progress(enrolled(), outline(2), new ContentUpdate("c1", 1, 10, null, null, details)));
      e = accepted(e, progress(e, outline(2), update("c1", 1, 20)));
      assertEquals(details, e.contents().get("c1").progressDetails());
    }

    /** Between nodes and from the journal, Jackson turns an absent JsonNode into NullNode: still "not sent". */
    @Test
    void aJsonNullForDetailsIsNotSent() {
      ObjectNode details = JsonNodeFactory.instance.objectNode().put("page", 3);
      Enrollment e = accepted(enrolled(), progress(enrolled(), outline(2), new ContentUpdate("c1", 1, 10, null, null, details)));
      var nullNode = JsonNodeFactory.instance.nullNode();
      e = accepted(e, progress(e, outline(2), new ContentUpdate("c1", 1, 20, null, null, nullNode)));
      assertEquals(details, e.contents().get("c1").progressDetails());
      assertNull(new ContentState("c2", 1, 0, 1, 0, NOW, null, nullNode).progressDetails());
      var response = new QuestionResponse("q", "mcq", "Q", 1, 1, nullNode, com.fasterxml.jackson.databind.node.MissingNode.getInstance(), null);
      assertNull(response.options());
      assertNull(response.response());
    }

    @Test
    void theSameContentTwiceInOneReportMergesInOrder() {
      Decision d = progress(enrolled(), outline(2), update("c1", 1, 30), update("c1", 2, null));
      var recorded = assertInstanceOf(ContentProgressRecorded.class, d.events().get(0));
      assertEquals(1, recorded.contents().size());
      ContentState c1 = recorded.contents().get(0);
      assertEquals(2, c1.status());
      assertEquals(2, c1.viewCount());
      assertEquals(1, c1.completedCount());
    }

    @Test
    void completionCountsOnlyTheOutlinesLeaves() {
      Enrollment e = accepted(enrolled(), progress(enrolled(), outline(4),
          update("c1", 2, null), update("unknown", 2, null), update("c2", 1, 50)));
      assertEquals(1, e.completedLeaves(), "the unknown content is neither recorded nor counted");
      assertEquals(25, e.completionPercentage());
      assertFalse(e.contents().containsKey("unknown"));
      e = accepted(e, progress(e, outline(4), update("c2", 2, null), update("c3", 2, null)));
      assertEquals(3, e.completedLeaves());
      assertEquals(75, e.completionPercentage());
      assertFalse(e.completed());
      assertEquals(1, e.progressStatus());
    }

    @Test
    void percentagesRoundDown() {
      Enrollment e = accepted(enrolled(), progress(enrolled(), outline(3), update("c1", 2, null), update("c2", 2, null)));
      assertEquals(66, e.completionPercentage());
    }

    @Test
    void completingEveryLeafCompletesTheEnrolmentOnce() {
      Enrollment e = accepted(enrolled(), progress(enrolled(), outline(2), update("c1", 2, null)));
      Instant later = NOW.plusSeconds(60);
      Decision d = EnrollmentRules.recordProgress(e, open(), outline(2), List.of(update("c2", 2, null)), List.of(), ORG,
          USER, later, newCertId);
      assertEquals(List.of(new EnrollmentCompleted(B, USER, COURSE, USER, later)), ofType(EnrollmentCompleted.class, d.events()));
      assertInstanceOf(EnrollmentCompleted.class, d.events().get(d.events().size() - 1), "after the progress");
      e = apply(e, d.events());
      assertTrue(e.completed());
      assertEquals(later, e.completedOn());
      assertEquals(2, e.progressStatus());
      assertEquals(100, e.completionPercentage());
      // Reporting again (completed content viewed again) does not complete it twice.
      Decision again = progress(e, outline(2), update("c1", 2, null));
      assertEquals(List.of(), ofType(EnrollmentCompleted.class, again.events()));
      assertEquals(later, apply(e, again.events()).completedOn());
    }

    @Test
    void anOutlineWithoutLeavesNeverCompletes() {
      Decision d = progress(enrolled(), new CourseOutline(COURSE, Set.of("c1"), 0), update("c1", 2, null));
      assertEquals(List.of(), ofType(EnrollmentCompleted.class, d.events()));
      assertEquals(0, ((ContentProgressRecorded) d.events().get(0)).completionPercentage());
    }

    @Test
    void contentsAndAttemptsThatAreNotLeavesOfTheCourseAreIgnored() {
      var unit = new AssessmentAttempt("unit-1", "att-1", NOW.minusSeconds(5), List.of());
      Decision d = progress(enrolled(), open(), outline(2), List.of(update("unit-1", 2, null), update("other-course-c1", 1, 10)),
          List.of(unit), ORG);
      assertFalse(d.rejected());
      assertEquals(List.of(), d.events(), "nothing of a content id that names no leaf is recorded");
      d = progress(enrolled(), open(), outline(2), List.of(update("unit-1", 2, null), update("c1", 2, null)), List.of(unit), ORG);
      var recorded = ofType(ContentProgressRecorded.class, d.events());
      assertEquals(List.of("c1"), recorded.get(0).contents().stream().map(ContentState::contentId).toList());
      assertEquals(List.of(), ofType(AssessmentAttempted.class, d.events()));
    }

    @Test
    void nothingReportedRecordsNothing() {
      Decision d = progress(enrolled(), open(), outline(2), List.of(), List.of(), ORG);
      assertFalse(d.rejected());
      assertEquals(List.of(), d.events());
    }
  }

  // ---------------------------------------------------------------- assessments

  @Nested
  class Assessments {

    @Test
    void anAttemptIsRecordedWithItsResponsesAndTotals() {
      var a = new AssessmentAttempt("c2", "att-1", NOW.minusSeconds(5), List.of(
          new QuestionResponse("q1", "mcq", "Q1", 1, 1, null, null, 2.0),
          new QuestionResponse("q2", "mcq", "Q2", 0.5, 2, null, null, null)));
      Decision d = progress(enrolled(), open(), outline(2), List.of(), List.of(a), ORG);
      assertEquals(List.of(new AssessmentAttempted(B, USER, COURSE, "c2", "att-1", NOW.minusSeconds(5), 1.5, 3.0,
          a.responses(), USER, NOW)), d.events());
      Enrollment e = apply(enrolled(), d.events());
      assertEquals(new BestScore("c2", "att-1", 1.5, 3.0, 1), e.bestScores().get("c2"));
      assertTrue(e.hasAttempt("c2", "att-1"));
      assertEquals(Optional.of(50.0), e.scorePercentage());
    }

    @Test
    void aRetriedAttemptIsRecordedOnce() {
      Enrollment e = accepted(enrolled(), progress(enrolled(), open(), outline(2), List.of(),
          List.of(attempt("c2", "att-1", 3, 5)), ORG));
      Decision retried = progress(e, open(), outline(2), List.of(), List.of(attempt("c2", "att-1", 3, 5)), ORG);
      assertEquals(List.of(), retried.events());
      assertEquals(1, e.bestScores().get("c2").attempts());
    }

    @Test
    void theSameAttemptTwiceInOneReportIsRecordedOnce() {
      Decision d = progress(enrolled(), open(), outline(2), List.of(),
          List.of(attempt("c2", "att-1", 3, 5), attempt("c2", "att-1", 3, 5)), ORG);
      assertEquals(1, ofType(AssessmentAttempted.class, d.events()).size(), () -> "events " + d.events());
      assertEquals(1, apply(enrolled(), d.events()).bestScores().get("c2").attempts());
    }

    @Test
    void attemptsAreKeyedByAssessmentAndAttemptId() {
      Decision d = progress(enrolled(), open(), outline(3), List.of(),
          List.of(attempt("c2", "att-1", 1, 5), attempt("c3", "att-1", 2, 5)), ORG);
      assertEquals(2, ofType(AssessmentAttempted.class, d.events()).size(), "same attempt id, other assessment");
      Enrollment e = apply(enrolled(), d.events());
      assertEquals(Set.of("c2", "c3"), e.bestScores().keySet());
      assertEquals(Optional.of(30.0), e.scorePercentage(), "(1 + 2) / (5 + 5)");
    }

    @Test
    void theBestAttemptCountsAndTiesGoToTheLaterOne() {
      Enrollment e = accepted(enrolled(), progress(enrolled(), open(), outline(2), List.of(),
          List.of(attempt("c2", "a1", 3, 5), attempt("c2", "a2", 4, 5), attempt("c2", "a3", 2, 5)), ORG));
      assertEquals(new BestScore("c2", "a2", 4, 5, 3), e.bestScores().get("c2"));
      e = accepted(e, progress(e, open(), outline(2), List.of(), List.of(attempt("c2", "a4", 4, 5)), ORG));
      assertEquals(new BestScore("c2", "a4", 4, 5, 4), e.bestScores().get("c2"), "a tie: the later attempt");
      assertEquals(Optional.of(80.0), e.scorePercentage());
    }

    @Test
    void noScoreBeforeAnyAttemptOrWithoutMaximum() {
      assertEquals(Optional.empty(), enrolled().scorePercentage());
      Enrollment e = accepted(enrolled(), progress(enrolled(), open(), outline(2), List.of(),
          List.of(attempt("c2", "a1", 0, 0)), ORG));
      assertEquals(Optional.empty(), e.scorePercentage(), "no maximum: no percentage");
    }

    @Test
    void attemptsAndContentsInOneReportAreRecordedTogether() {
      Decision d = progress(enrolled(), open(), outline(2), List.of(update("c1", 2, null), update("c2", 2, null)),
          List.of(attempt("c2", "a1", 4, 5)), ORG);
      assertEquals(List.of(ContentProgressRecorded.class, AssessmentAttempted.class, EnrollmentCompleted.class),
          d.events().stream().map(Object::getClass).toList());
    }
  }

  // ---------------------------------------------------------------- certificates

  @Nested
  class Certificates {

    private Enrollment completedWithScore(double score, double max) {
      Decision d = progress(enrolled(), open(), outline(1), List.of(update("c1", 2, null)),
          List.of(attempt("c1", "a1", score, max)), ORG);
      return accepted(enrolled(), d);
    }

    @Test
    void completionIssuesTheCertificateOnce() {
      var t = template("t1", completion());
      Enrollment e = accepted(enrolled(), progress(enrolled(), open(t), outline(2), List.of(update("c1", 2, null)), List.of(), ORG));
      assertTrue(e.certificates().isEmpty(), "not completed yet");
      Decision d = progress(e, open(t), outline(2), List.of(update("c2", 2, null)), List.of(), ORG);
      assertEquals(List.of(new CertificateIssued(B, USER, COURSE, "t1", "cert-1", false, USER, NOW)),
          ofType(CertificateIssued.class, d.events()));
      assertInstanceOf(CertificateIssued.class, d.events().get(d.events().size() - 1), "after the completion");
      e = apply(e, d.events());
      assertEquals(List.of(new IssuedCertificate("cert-1", "t1", NOW, false)), e.certificates());
      assertEquals(Optional.of(new IssuedCertificate("cert-1", "t1", NOW, false)), e.certificateFor("t1"));
      Decision again = progress(e, open(t), outline(2), List.of(update("c1", 2, null)), List.of(), ORG);
      assertEquals(List.of(), ofType(CertificateIssued.class, again.events()), "held: not issued again");
      assertEquals(List.of(), EnrollmentRules.certificatesDue(e, open(t), ORG, false, ADMIN, NOW, newCertId));
    }

    @Test
    void reissueIssuesHeldCertificatesAgain() {
      var t = template("t1", completion());
      Enrollment e = accepted(enrolled(), progress(enrolled(), open(t), outline(1), List.of(update("c1", 2, null)), List.of(), ORG));
      assertEquals(1, e.certificates().size());
      Instant later = NOW.plusSeconds(3600);
      List<EnrollmentEvent> reissued = EnrollmentRules.certificatesDue(e, open(t), ORG, true, ADMIN, later, newCertId);
      assertEquals(List.of(new CertificateIssued(B, USER, COURSE, "t1", "cert-2", true, ADMIN, later)), reissued);
      e = apply(e, reissued);
      assertEquals(List.of(new IssuedCertificate("cert-1", "t1", NOW, false), new IssuedCertificate("cert-2", "t1", later, true)),
          e.certificates());
    }

    @Test
    void reissueIssuesForTheFirstTimeWhatIsNotHeldYet() {
      var t = template("t1", completion());
      Enrollment e = completedWithScore(1, 1);
      assertEquals(List.of(new CertificateIssued(B, USER, COURSE, "t1", "cert-1", false, ADMIN, NOW)),
          EnrollmentRules.certificatesDue(e, open(t), ORG, true, ADMIN, NOW, newCertId));
    }

    @Test
    void aTemplateAddedLaterAppliesWhenCertificatesAreEvaluated() {
      Enrollment e = completedWithScore(4, 5);
      assertTrue(e.certificates().isEmpty(), "no template at completion");
      var t1 = template("t1", completion());
      var t2 = template("t2", new CertificateCriteria(2, Map.of(">=", 90.0), null));
      List<EnrollmentEvent> due = EnrollmentRules.certificatesDue(e, open(t1, t2), ORG, false, ADMIN, NOW, newCertId);
      assertEquals(List.of(new CertificateIssued(B, USER, COURSE, "t1", "cert-1", false, ADMIN, NOW)), due,
          "only the template whose criteria are met");
    }

    @Test
    void onlyActiveEnrolmentsAreDue() {
      var t = template("t1", completion());
      Enrollment done = completedWithScore(1, 1);
      Enrollment left = done.apply(new Unenrolled(B, USER, ADMIN, NOW));
      assertEquals(List.of(), EnrollmentRules.certificatesDue(left, open(t), ORG, false, ADMIN, NOW, newCertId));
      assertEquals(List.of(), EnrollmentRules.certificatesDue(left, open(t), ORG, true, ADMIN, NOW, newCertId));
    }

    @Test
    void enrolmentStatusCriterion() {
      Enrollment started = accepted(enrolled(), progress(enrolled(), outline(2), update("c1", 1, 10)));
      assertFalse(EnrollmentRules.meets(enrolled(), new CertificateCriteria(1, null, null), ORG), "not started");
      assertTrue(EnrollmentRules.meets(started, new CertificateCriteria(1, null, null), ORG));
      assertFalse(EnrollmentRules.meets(started, completion(), ORG));
      assertTrue(EnrollmentRules.meets(completedWithScore(1, 1), completion(), ORG));
      assertTrue(EnrollmentRules.meets(enrolled(), new CertificateCriteria(0, null, null), ORG));
      assertFalse(EnrollmentRules.meets(completedWithScore(1, 1), null, ORG), "no criteria: never");
    }

    @Test
    void scoreBoundsAllHold() {
      Enrollment seventy = completedWithScore(7, 10);
      assertTrue(EnrollmentRules.meets(seventy, new CertificateCriteria(2, Map.of(">=", 70.0), null), ORG));
      assertFalse(EnrollmentRules.meets(seventy, new CertificateCriteria(2, Map.of(">=", 70.1), null), ORG));
      assertTrue(EnrollmentRules.meets(seventy, new CertificateCriteria(2, Map.of("<=", 70.0), null), ORG));
      assertFalse(EnrollmentRules.meets(seventy, new CertificateCriteria(2, Map.of("<=", 69.9), null), ORG));
      assertTrue(EnrollmentRules.meets(seventy, new CertificateCriteria(2, Map.of("eq", 70.0), null), ORG));
      assertFalse(EnrollmentRules.meets(seventy, new CertificateCriteria(2, Map.of("eq", 60.0), null), ORG));
      assertTrue(EnrollmentRules.meets(seventy, new CertificateCriteria(2, Map.of(">=", 60.0, "<=", 80.0), null), ORG));
      assertFalse(EnrollmentRules.meets(seventy, new CertificateCriteria(2, Map.of(">=", 60.0, "<=", 65.0), null), ORG));
      // Score-only criteria need no completion.
      assertTrue(EnrollmentRules.meets(seventy, new CertificateCriteria(null, Map.of(">=", 50.0), null), ORG));
    }

    @Test
    void scoreCriteriaNeedAnAttempt() {
      Enrollment done = accepted(enrolled(), progress(enrolled(), outline(1), update("c1", 2, null)));
      assertTrue(done.completed());
      assertFalse(EnrollmentRules.meets(done, new CertificateCriteria(2, Map.of(">=", 0.0), null), ORG));
    }

    @Test
    void rootOrganisationCriterion() {
      Enrollment done = completedWithScore(1, 1);
      var ofOrg = new CertificateCriteria(2, null, ORG);
      assertTrue(EnrollmentRules.meets(done, ofOrg, ORG));
      assertFalse(EnrollmentRules.meets(done, ofOrg, "org-other"));
      assertFalse(EnrollmentRules.meets(done, ofOrg, null), "unknown organisation");
      assertTrue(EnrollmentRules.meets(done, completion(), null), "no organisation required");
    }

    @Test
    void eachTemplateIsIssuedOnItsOwn() {
      var forAll = template("t1", completion());
      var forOrg = template("t2", new CertificateCriteria(2, null, "org-other"));
      Decision d = progress(enrolled(), open(forAll, forOrg), outline(1), List.of(update("c1", 2, null)), List.of(), ORG);
      assertEquals(List.of("t1"), ofType(CertificateIssued.class, d.events()).stream().map(CertificateIssued::templateId).toList());
    }
  }
}
