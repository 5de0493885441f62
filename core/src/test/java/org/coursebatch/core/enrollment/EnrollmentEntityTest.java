package org.coursebatch.core.enrollment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import akka.persistence.testkit.javadsl.EventSourcedBehaviorTestKit.CommandResultWithReply;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.typesafe.config.ConfigFactory;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.coursebatch.core.batch.BatchStatus;
import org.coursebatch.core.batch.EnrollmentType;
import org.coursebatch.core.batch.SeatReply;
import org.coursebatch.core.certificate.CertificateCriteria;
import org.coursebatch.core.certificate.CertificateTemplate;
import org.coursebatch.core.certificate.Signatory;
import org.coursebatch.core.enrollment.EnrollmentCommand.DeleteEnrollment;
import org.coursebatch.core.enrollment.EnrollmentCommand.Enrol;
import org.coursebatch.core.enrollment.EnrollmentCommand.GetEnrollment;
import org.coursebatch.core.enrollment.EnrollmentCommand.Invite;
import org.coursebatch.core.enrollment.EnrollmentCommand.IssueCertificates;
import org.coursebatch.core.enrollment.EnrollmentCommand.PromoteFromWaitlist;
import org.coursebatch.core.enrollment.EnrollmentCommand.RecordProgress;
import org.coursebatch.core.enrollment.EnrollmentCommand.RemoveParticipant;
import org.coursebatch.core.enrollment.EnrollmentCommand.SeatClaimAnswered;
import org.coursebatch.core.enrollment.EnrollmentCommand.Unenrol;
import org.coursebatch.core.enrollment.EnrollmentCommand.UpdateEnrollment;
import org.coursebatch.core.enrollment.EnrollmentEvent.AssessmentAttempted;
import org.coursebatch.core.enrollment.EnrollmentEvent.CertificateIssued;
import org.coursebatch.core.enrollment.EnrollmentEvent.ContentProgressRecorded;
import org.coursebatch.core.enrollment.EnrollmentEvent.Enrolled;
import org.coursebatch.core.enrollment.EnrollmentEvent.EnrollmentCompleted;
import org.coursebatch.core.enrollment.EnrollmentEvent.EnrollmentDeleted;
import org.coursebatch.core.enrollment.EnrollmentEvent.ParticipantInvited;
import org.coursebatch.core.enrollment.EnrollmentEvent.ParticipantRemoved;
import org.coursebatch.core.enrollment.EnrollmentEvent.PromotedFromWaitlist;
import org.coursebatch.core.enrollment.EnrollmentEvent.Unenrolled;
import org.coursebatch.core.enrollment.EnrollmentEvent.Waitlisted;
import org.coursebatch.core.enrollment.EnrollmentReply.Accepted;
import org.coursebatch.core.enrollment.EnrollmentReply.Rejected;
import org.coursebatch.core.error.ErrorCode;
import org.coursebatch.core.metrics.EntityRecoveryMeter;
import org.coursebatch.core.metrics.NodeMeters;
import org.coursebatch.core.request.RememberedRequests;
import org.coursebatch.core.request.RequestKey;
import org.coursebatch.core.testing.MutableClock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The enrolment entity through {@link EventSourcedBehaviorTestKit}, on a plain local actor system:
 * every command, event, reply and state goes through the serializers (with equality checked after
 * the round trip). Batches without a capacity never talk to the batch; the seat answers of batches
 * with one are fed in as the batch would send them (the real round trip is in
 * {@link EnrollmentSeatsClusterTest}).
 */
class EnrollmentEntityTest {

  private static final Instant T0 = Instant.parse("2030-03-10T10:00:00Z");
  private static final String COURSE = "do_course_1";
  private static final String USER = "user-1";
  private static final String ADMIN = "user-admin";
  private static final String ORG = "org-root";
  private static final AtomicInteger IDS = new AtomicInteger();

  private static ActorTestKit testKit;

  private MutableClock clock;
  private String batchId;
  private EventSourcedBehaviorTestKit<EnrollmentCommand, EnrollmentEvent, Enrollment> kit;

  @BeforeAll
  static void startSystem() {
    testKit = ActorTestKit.create("EnrollmentEntityTest",
        EventSourcedBehaviorTestKit.config().withFallback(ConfigFactory.load()));
  }

  @AfterAll
  static void stopSystem() {
    testKit.shutdownTestKit();
  }

  @BeforeEach
  void newEntity() {
    clock = new MutableClock(T0);
    kit = entity(true);
  }

  /**
   * A fresh entity. Seat answers ({@link SeatClaimAnswered}) are messages the entity pipes to
   * itself, never serialized, and their abstract {@link SeatReply} field carries no type id: tests
   * that feed them turn off the check of commands (events and state are still checked).
   */
  private EventSourcedBehaviorTestKit<EnrollmentCommand, EnrollmentEvent, Enrollment> entity(boolean verifyCommands) {
    batchId = "0131" + IDS.incrementAndGet();
    return EventSourcedBehaviorTestKit.create(testKit.system(),
        EnrollmentEntity.create(EnrollmentEntity.entityId(batchId, USER), clock),
        EventSourcedBehaviorTestKit.enabledSerializationSettings().withVerifyEquality(true).withVerifyCommands(verifyCommands));
  }

  private void entityFedSeatAnswers() {
    kit = entity(false);
  }

  // ---------------------------------------------------------------- helpers

  private BatchTerms terms(EnrollmentType type, boolean limitedSeats, CertificateTemplate... templates) {
    Map<String, CertificateTemplate> byId = new java.util.LinkedHashMap<>();
    for (CertificateTemplate t : templates) {
      byId.put(t.identifier(), t);
    }
    return new BatchTerms(batchId, COURSE, type, BatchStatus.IN_PROGRESS, T0.plus(Duration.ofDays(10)), limitedSeats, byId);
  }

  private BatchTerms open(CertificateTemplate... templates) {
    return terms(EnrollmentType.OPEN, false, templates);
  }

  private CommandResultWithReply<EnrollmentCommand, EnrollmentEvent, Enrollment, EnrollmentReply> enrol(BatchTerms b,
      boolean byAdmin, String actor) {
    return kit.runCommand(r -> new Enrol(b, byAdmin, actor, r));
  }

  private CommandResultWithReply<EnrollmentCommand, EnrollmentEvent, Enrollment, EnrollmentReply> progress(BatchTerms b,
      CourseOutline outline, List<ContentUpdate> contents, List<AssessmentAttempt> attempts) {
    return kit.runCommand(r -> new RecordProgress(b, outline, contents, attempts, ORG, USER, r));
  }

  private static Accepted accepted(CommandResultWithReply<EnrollmentCommand, EnrollmentEvent, Enrollment, EnrollmentReply> result) {
    if (result.reply() instanceof Rejected r) {
      throw new AssertionError("Expected Accepted but was rejected with " + r.rejection());
    }
    return assertInstanceOf(Accepted.class, result.reply());
  }

  private static void assertRejected(ErrorCode expected,
      CommandResultWithReply<EnrollmentCommand, EnrollmentEvent, Enrollment, EnrollmentReply> result) {
    Rejected rejected = assertInstanceOf(Rejected.class, result.reply(), () -> "reply " + result.reply());
    assertEquals(expected, rejected.rejection().code(), () -> "rejection " + rejected.rejection());
    assertTrue(result.hasNoEvents(), () -> "a rejected command persists nothing, but got " + result.events());
  }

  /** The one event of {@code type} the command recorded. */
  private static <T> T only(Class<T> type,
      CommandResultWithReply<EnrollmentCommand, EnrollmentEvent, Enrollment, EnrollmentReply> result) {
    List<T> found = result.events().stream().filter(type::isInstance).map(type::cast).toList();
    assertEquals(1, found.size(), () -> "one " + type.getSimpleName() + " in " + result.events());
    return found.get(0);
  }

  private static CourseOutline outline() {
    return new CourseOutline(COURSE, Set.of("c1", "c2"), 2);
  }

  private static CertificateTemplate template(String id) {
    ObjectNode issuer = JsonNodeFactory.instance.objectNode().put("name", "Gov of Karnataka");
    return new CertificateTemplate(id, "Completion", "https://cdn.example/" + id + ".svg",
        new CertificateCriteria(2, null, ORG), issuer, List.of(new Signatory("Jane Doe", "jane", "CEO", "https://cdn.example/s.png")),
        JsonNodeFactory.instance.objectNode().put("subject", "Well done"), JsonNodeFactory.instance.objectNode());
  }

  // ---------------------------------------------------------------- tests

  @Test
  void anEntityStartAfterTheFirstOfItsTypeRegistersNoMeter() {
    kit.getState(); // this one has started
    MeterRegistry registry = NodeMeters.registry(testKit.system());
    registry.remove(registry.get(EntityRecoveryMeter.NAME).tag("entity", "Enrollment").timer());
    registry.remove(registry.get(EntityRecoveryMeter.FAILURES).tag("entity", "Enrollment").counter());
    // Taken out of the registry, the meters would come back with any start that registers them.
    kit = entity(true);
    kit.getState();
    assertNull(registry.find(EntityRecoveryMeter.NAME).tag("entity", "Enrollment").timer());
    assertNull(registry.find(EntityRecoveryMeter.FAILURES).tag("entity", "Enrollment").counter());
  }

  @Test
  void entityIdsAndTags() {
    assertEquals("0131:user-1", EnrollmentEntity.entityId("0131", "user-1"));
    assertEquals(EnrollmentEntity.TAG_COUNT, EnrollmentEntity.tags().size());
    assertTrue(EnrollmentEntity.tags().contains(EnrollmentEntity.tagFor(batchId)));
    assertEquals(EnrollmentEntity.tagFor(batchId), EnrollmentEntity.tagFor(new String(batchId)), "stable per batch");
  }

  @Test
  void aNeverEnrolledLearnerReadsAsAnEmptyEnrolment() {
    var result = kit.<EnrollmentReply>runCommand(GetEnrollment::new);
    Enrollment e = accepted(result).enrollment();
    assertEquals(Enrollment.empty(batchId, USER), e);
    assertEquals(Participation.NONE, e.participation());
    assertTrue(result.hasNoEvents());
  }

  @Test
  void enrolAndUnenrol() {
    var enrolled = enrol(open(), false, USER);
    Accepted a = accepted(enrolled);
    assertEquals(List.of(new Enrolled(batchId, USER, COURSE, false, USER, T0)), enrolled.events());
    assertEquals(Participation.ACTIVE, a.enrollment().participation());
    assertNull(a.waitlistPosition());
    assertEquals(List.of(), a.issued());

    assertRejected(ErrorCode.USER_ALREADY_ENROLLED_COURSE, enrol(open(), false, USER));

    clock.advance(Duration.ofHours(1));
    var unenrolled = kit.<EnrollmentReply>runCommand(r -> new Unenrol(open(), USER, r));
    assertEquals(Participation.INACTIVE, accepted(unenrolled).enrollment().participation());
    assertEquals(List.of(new Unenrolled(batchId, USER, USER, T0.plus(Duration.ofHours(1)))), unenrolled.events());
    assertRejected(ErrorCode.USER_NOT_ENROLLED_COURSE, kit.runCommand(r -> new Unenrol(open(), USER, r)));

    clock.advance(Duration.ofHours(1));
    var again = enrol(open(), false, USER);
    assertEquals(T0.plus(Duration.ofHours(2)), accepted(again).enrollment().enrolledDate());
  }

  @Test
  void enrolmentEndIsJudgedByTheEntitysClock() {
    BatchTerms b = open();
    clock.set(b.enrollmentEndsAt());
    assertRejected(ErrorCode.COURSE_BATCH_ENROLLMENT_DATE_ENDED, enrol(b, false, USER));
    clock.set(b.enrollmentEndsAt().minusMillis(1));
    accepted(enrol(b, false, USER));
  }

  @Test
  void invitationsAdmitToInviteOnlyBatches() {
    BatchTerms inviteOnly = terms(EnrollmentType.INVITE_ONLY, false);
    assertRejected(ErrorCode.BATCH_INVITE_ONLY, enrol(inviteOnly, false, USER));
    var invited = kit.<EnrollmentReply>runCommand(r -> new Invite(inviteOnly, ADMIN, r));
    assertEquals(List.of(new ParticipantInvited(batchId, USER, COURSE, ADMIN, T0)), invited.events());
    assertTrue(accepted(invited).enrollment().invited());
    var twice = kit.<EnrollmentReply>runCommand(r -> new Invite(inviteOnly, ADMIN, r));
    accepted(twice);
    assertTrue(twice.hasNoEvents());
    accepted(enrol(inviteOnly, false, USER));

    var removed = kit.<EnrollmentReply>runCommand(r -> new RemoveParticipant(inviteOnly, ADMIN, r));
    assertEquals(List.of(new ParticipantRemoved(batchId, USER, ADMIN, T0), new Unenrolled(batchId, USER, ADMIN, T0)),
        removed.events());
    Enrollment after = accepted(removed).enrollment();
    assertFalse(after.invited());
    assertEquals(Participation.INACTIVE, after.participation());
    assertRejected(ErrorCode.BATCH_INVITE_ONLY, enrol(inviteOnly, false, USER));
  }

  @Test
  void anAdminEnrolsIntoAnInviteOnlyBatch() {
    var result = enrol(terms(EnrollmentType.INVITE_ONLY, false), true, ADMIN);
    assertEquals(List.of(new ParticipantInvited(batchId, USER, COURSE, ADMIN, T0), new Enrolled(batchId, USER, COURSE, false, ADMIN, T0)),
        result.events());
    assertEquals(ADMIN, accepted(result).enrollment().addedBy());
  }

  @Test
  void progressCompletionAndCertificates() {
    var t = template("tmpl-1");
    BatchTerms b = open(t);
    accepted(enrol(b, false, USER));
    ObjectNode details = JsonNodeFactory.instance.objectNode().put("page", 4);
    var first = progress(b, outline(), List.of(new ContentUpdate("c1", 2, 100, T0.minusSeconds(5), null, details),
        new ContentUpdate("c2", 1, 30, null, null, null)), List.of());
    assertEquals(List.of(ContentProgressRecorded.class), first.events().stream().map(Object::getClass).toList());
    Enrollment e = accepted(first).enrollment();
    assertEquals(1, e.completedLeaves());
    assertEquals(50, e.completionPercentage());
    assertEquals("c2", e.lastReadContentId());

    clock.advance(Duration.ofMinutes(10));
    var attempt = new AssessmentAttempt("c2", "att-1", T0, List.of(
        new QuestionResponse("q1", "mcq", "Question 1", 1, 1, JsonNodeFactory.instance.arrayNode().add("a").add("b"),
            JsonNodeFactory.instance.arrayNode().add("a"), 3.5),
        new QuestionResponse("q2", "mcq", "Question 2", 0, 1, null, null, null)));
    var second = progress(b, outline(), List.of(new ContentUpdate("c2", 2, null, null, null, null)), List.of(attempt));
    assertEquals(List.of(ContentProgressRecorded.class, AssessmentAttempted.class, EnrollmentCompleted.class,
        CertificateIssued.class), second.events().stream().map(Object::getClass).toList());
    Accepted done = accepted(second);
    CertificateIssued issued = only(CertificateIssued.class, second);
    assertEquals("tmpl-1", issued.templateId());
    assertFalse(issued.reissue());
    assertEquals(List.of(new IssuedCertificate(issued.certificateId(), "tmpl-1", clock.instant(), false)), done.issued());
    assertTrue(done.enrollment().completed());
    assertEquals(Map.of("c2", new BestScore("c2", "att-1", 1, 2, 1)), done.enrollment().bestScores());

    // The same report again: the attempt is not recorded twice, nothing completes or issues again.
    var retried = progress(b, outline(), List.of(), List.of(attempt));
    assertTrue(retried.hasNoEvents(), () -> "events " + retried.events());
    assertEquals(List.of(), accepted(retried).issued());
  }

  @Test
  void certificatesAreIssuedAndReissuedOnRequest() {
    BatchTerms without = open();
    accepted(enrol(without, false, USER));
    accepted(progress(without, outline(), List.of(new ContentUpdate("c1", 2, null, null, null, null),
        new ContentUpdate("c2", 2, null, null, null, null)), List.of()));
    assertTrue(kit.getState().completed());
    assertTrue(kit.getState().certificates().isEmpty());

    BatchTerms with = open(template("tmpl-late"));
    var late = kit.<EnrollmentReply>runCommand(r -> new IssueCertificates(with, ORG, false, ADMIN, r));
    assertEquals(1, accepted(late).issued().size());
    assertEquals(ADMIN, only(CertificateIssued.class, late).actor());

    var notAgain = kit.<EnrollmentReply>runCommand(r -> new IssueCertificates(with, ORG, false, ADMIN, r));
    assertTrue(notAgain.hasNoEvents());
    assertEquals(List.of(), accepted(notAgain).issued());

    var wrongOrg = kit.<EnrollmentReply>runCommand(r -> new IssueCertificates(with, "org-other", true, ADMIN, r));
    assertTrue(wrongOrg.hasNoEvents(), "criteria are checked on reissue too");

    var reissued = kit.<EnrollmentReply>runCommand(r -> new IssueCertificates(with, ORG, true, ADMIN, r));
    CertificateIssued again = only(CertificateIssued.class, reissued);
    assertTrue(again.reissue());
    assertEquals(2, accepted(reissued).enrollment().certificates().size());
    assertTrue(accepted(reissued).issued().get(0).reissue());
  }

  @Test
  void certificatesNeedAnActiveEnrolment() {
    assertRejected(ErrorCode.USER_NOT_ENROLLED_COURSE,
        kit.runCommand(r -> new IssueCertificates(open(template("t")), ORG, false, ADMIN, r)));
    assertRejected(ErrorCode.USER_NOT_ENROLLED_COURSE,
        progress(open(), outline(), List.of(new ContentUpdate("c1", 1, 5, null, null, null)), List.of()));
  }

  @Test
  void restartKeepsTheState() {
    var t = template("tmpl-1");
    BatchTerms b = open(t);
    accepted(enrol(b, false, USER));
    accepted(progress(b, outline(), List.of(new ContentUpdate("c1", 2, null, null, null,
        JsonNodeFactory.instance.objectNode().put("k", "v")), new ContentUpdate("c2", 1, 20, null, null, null)),
        List.of(new AssessmentAttempt("c1", "att-1", T0, List.of(new QuestionResponse("q1", "sa", "Q", 2, 4, null, null, null))))));
    Enrollment before = kit.getState();
    var restarted = kit.restart();
    assertEquals(before, restarted.state());
    assertEquals(Participation.ACTIVE, restarted.state().participation());
    // And it goes on from there: the recorded attempt is still known.
    var retried = progress(b, outline(), List.of(),
        List.of(new AssessmentAttempt("c1", "att-1", T0, List.of(new QuestionResponse("q1", "sa", "Q", 2, 4, null, null, null)))));
    assertTrue(retried.hasNoEvents());
  }

  /** What the batch and the enrolments send each other crosses nodes: it must survive the serializers. */
  @Test
  void messagesBetweenBatchAndEnrolmentsSurviveTheSerializers() {
    var serialization = testKit.serializationTestKit();
    var seatProbe = testKit.<SeatReply>createTestProbe();
    var boolProbe = testKit.<Boolean>createTestProbe();
    var replyProbe = testKit.<EnrollmentReply>createTestProbe();
    List<Object> messages = List.of(
        new SeatReply.Granted(), new SeatReply.Waitlisted(4, 2), new SeatReply.Released(),
        new SeatReply.Rejected(ErrorCode.INVALID_COURSE_BATCH_ID.reject()),
        new org.coursebatch.core.batch.BatchCommand.ClaimSeat(USER, ADMIN, seatProbe.getRef()),
        new org.coursebatch.core.batch.BatchCommand.ReleaseSeat(USER, "system", seatProbe.getRef()),
        new org.coursebatch.core.batch.BatchCommand.PromotionAnswered(USER, true),
        new org.coursebatch.core.batch.BatchCommand.PromotionAnswered(USER, null),
        org.coursebatch.core.batch.BatchCommand.DeliverPromotions.INSTANCE,
        new PromoteFromWaitlist(boolProbe.getRef()),
        new Enrol(terms(EnrollmentType.INVITE_ONLY, true, template("t")), true, ADMIN, replyProbe.getRef()),
        new RecordProgress(open(), outline(), List.of(new ContentUpdate("c1", 1, 5, T0, null, null)),
            List.of(new AssessmentAttempt("c2", "a", T0, List.of(new QuestionResponse("q", "mcq", "Q", 1, 1, null, null, null)))),
            ORG, USER, replyProbe.getRef()),
        new Accepted(Enrollment.empty(batchId, USER), 3, List.of(new IssuedCertificate("c", "t", T0, true))),
        new Rejected(ErrorCode.USER_ALREADY_WAITLISTED.reject("2")));
    for (Object m : messages) {
      assertEquals(m, serialization.verifySerialization(m, true), () -> "round trip of " + m);
    }
  }

  // ---------------------------------------------------------------- seat answers (batches with a capacity)

  @Test
  void aGrantedSeatEnrols() {
    entityFedSeatAnswers();
    BatchTerms limited = terms(EnrollmentType.OPEN, true);
    var result = kit.<EnrollmentReply>runCommand(
        r -> new SeatClaimAnswered(new Enrol(limited, false, USER, r), new SeatReply.Granted(), null));
    assertEquals(List.of(new Enrolled(batchId, USER, COURSE, true, USER, T0)), result.events());
    assertEquals(SeatClaim.HELD, accepted(result).enrollment().seatClaim());
  }

  @Test
  void aFullBatchWaitlistsAndAPromotionEnrols() {
    entityFedSeatAnswers();
    BatchTerms limited = terms(EnrollmentType.OPEN, true);
    var result = kit.<EnrollmentReply>runCommand(
        r -> new SeatClaimAnswered(new Enrol(limited, false, USER, r), new SeatReply.Waitlisted(7, 3), null));
    assertEquals(List.of(new Waitlisted(batchId, USER, COURSE, 7, USER, T0)), result.events());
    Accepted a = accepted(result);
    assertEquals(3, a.waitlistPosition());
    assertEquals(Participation.WAITLISTED, a.enrollment().participation());
    assertEquals(7L, a.enrollment().waitlistTicket());
    assertRejected(ErrorCode.USER_ALREADY_WAITLISTED, enrol(limited, false, USER));
    assertRejected(ErrorCode.USER_NOT_ENROLLED_COURSE,
        progress(limited, outline(), List.of(new ContentUpdate("c1", 1, 5, null, null, null)), List.of()));

    clock.advance(Duration.ofMinutes(3));
    var promoted = kit.<Boolean>runCommand(PromoteFromWaitlist::new);
    assertEquals(true, promoted.reply());
    assertEquals(List.of(new PromotedFromWaitlist(batchId, USER, "system", T0.plus(Duration.ofMinutes(3)))), promoted.events());
    Enrollment e = kit.getState();
    assertTrue(e.active());
    assertEquals(SeatClaim.HELD, e.seatClaim());

    var again = kit.<Boolean>runCommand(PromoteFromWaitlist::new);
    assertEquals(true, again.reply(), "already enrolled: the seat is taken");
    assertTrue(again.hasNoEvents());
  }

  @Test
  void aPromotionOfSomeoneNotWaitingIsDeclined() {
    var result = kit.<Boolean>runCommand(PromoteFromWaitlist::new);
    assertEquals(false, result.reply());
    assertTrue(result.hasNoEvents());
  }

  @Test
  void aRefusedOrFailedSeatClaimRecordsNothing() {
    entityFedSeatAnswers();
    BatchTerms limited = terms(EnrollmentType.OPEN, true);
    assertRejected(ErrorCode.INVALID_COURSE_BATCH_ID, kit.runCommand(r -> new SeatClaimAnswered(new Enrol(limited, false, USER, r),
        new SeatReply.Rejected(ErrorCode.INVALID_COURSE_BATCH_ID.reject()), null)));
    assertRejected(ErrorCode.SERVICE_UNAVAILABLE,
        kit.runCommand(r -> new SeatClaimAnswered(new Enrol(limited, false, USER, r), null, "ask timed out")));
    assertEquals(Participation.NONE, kit.getState().participation());
  }

  // ---------------------------------------------------------------- bulk administration

  private CommandResultWithReply<EnrollmentCommand, EnrollmentEvent, Enrollment, EnrollmentReply> delete(int incarnation) {
    return kit.runCommand(r -> new DeleteEnrollment(incarnation, ADMIN, r));
  }

  private CommandResultWithReply<EnrollmentCommand, EnrollmentEvent, Enrollment, EnrollmentReply> update(int incarnation,
      boolean active, String formId) {
    return kit.runCommand(r -> new UpdateEnrollment(open(), incarnation, active, formId, ADMIN, r));
  }

  @Test
  void aDeletedEnrolmentIsGoneAndEnrollingAgainStartsTheNextIncarnation() {
    var first = accepted(enrol(open(), false, USER)).enrollment();
    assertEquals(new EnrollmentId(batchId, USER, 1), first.id().orElseThrow());
    accepted(progress(open(template("t1")), outline(), List.of(new ContentUpdate("c1", 2, 100, null, null, null), new ContentUpdate("c2", 2, 100, null, null, null)), List.of()));
    assertFalse(kit.getState().certificates().isEmpty(), "completed and certified before the deletion");

    clock.advance(Duration.ofMinutes(1));
    var deleted = delete(1);
    assertEquals(List.of(new EnrollmentDeleted(batchId, USER, 1, ADMIN, T0.plus(Duration.ofMinutes(1)))), deleted.events());
    Enrollment gone = accepted(deleted).enrollment();
    assertEquals(Participation.DELETED, gone.participation());
    assertTrue(gone.id().isEmpty());
    assertTrue(gone.contents().isEmpty() && gone.bestScores().isEmpty() && gone.certificates().isEmpty());
    assertFalse(gone.completed());
    assertEquals(1, gone.incarnation(), "the count outlives the enrolment");

    assertRejected(ErrorCode.ENROLLMENT_NOT_FOUND, delete(1));
    assertRejected(ErrorCode.USER_NOT_ENROLLED_COURSE, kit.runCommand(r -> new Unenrol(open(), USER, r)));

    Enrollment second = accepted(enrol(open(), false, USER)).enrollment();
    assertEquals(new EnrollmentId(batchId, USER, 2), second.id().orElseThrow());
    assertEquals(0, second.completionPercentage());
    assertRejected(ErrorCode.ENROLLMENT_NOT_FOUND, delete(1));
    assertRejected(ErrorCode.ENROLLMENT_NOT_FOUND, update(1, false, "form-x"));

    kit.restart();
    assertEquals(new EnrollmentId(batchId, USER, 2), kit.getState().id().orElseThrow(), "recovered from the journal");
    accepted(delete(2));

    // Invited again after the deletion: a participant without an enrolment, as before any.
    accepted(kit.runCommand(r -> new Invite(open(), ADMIN, r)));
    assertEquals(Participation.NONE, kit.getState().participation());
    assertEquals(new EnrollmentId(batchId, USER, 3), accepted(enrol(open(), false, USER)).enrollment().id().orElseThrow());
  }

  @Test
  void aSnapshotFromBeforeIncarnationsNamesTheFirstEnrolment() {
    Enrollment old = new Enrollment(batchId, USER, COURSE, Participation.ACTIVE, false, SeatClaim.NONE, null, T0, USER,
        Map.of(), Map.of(), Set.of(), 0, 0, null, List.of(), null, null, null, 0, null, null);
    assertEquals(new EnrollmentId(batchId, USER, 1), old.id().orElseThrow());
    assertEquals(0, Enrollment.empty(batchId, USER).incarnation());
  }

  @Test
  void anUnenrolledEnrolmentKeepsItsIdAndIsDeletable() {
    accepted(enrol(open(), false, USER));
    accepted(kit.runCommand(r -> new Unenrol(open(), USER, r)));
    assertEquals(new EnrollmentId(batchId, USER, 1), kit.getState().id().orElseThrow());
    accepted(enrol(open(), false, USER));
    assertEquals(1, kit.getState().incarnation(), "re-enrolling reactivates the same enrolment");
    assertRejected(ErrorCode.ENROLLMENT_NOT_FOUND, delete(2));
    accepted(delete(1));
  }

  @Test
  void aFormIsUsedOnceAndAFailedAttemptLeavesItUsable() {
    BatchTerms ended = new BatchTerms(batchId, COURSE, EnrollmentType.OPEN, BatchStatus.ENDED, null, false, Map.of());
    assertRejected(ErrorCode.COURSE_BATCH_ALREADY_COMPLETED, kit.runCommand(r -> new Enrol(ended, true, ADMIN, "form-1", r)));

    var created = kit.<EnrollmentReply>runCommand(r -> new Enrol(open(), true, ADMIN, "form-1", r));
    assertEquals(List.of(new Enrolled(batchId, USER, COURSE, false, ADMIN, T0, "form-1")), created.events());
    assertTrue(accepted(created).enrollment().usedForm("form-1"));

    accepted(kit.runCommand(r -> new Unenrol(open(), USER, r)));
    assertRejected(ErrorCode.FORM_ALREADY_USED, kit.runCommand(r -> new Enrol(open(), true, ADMIN, "form-1", r)));
    accepted(delete(1));
    assertRejected(ErrorCode.FORM_ALREADY_USED, kit.runCommand(r -> new Enrol(open(), true, ADMIN, "form-1", r)));
    kit.restart();
    assertTrue(kit.getState().usedForm("form-1"), "used forms survive deletion and recovery");
  }

  @Test
  void anUpdateUnenrolsOrEnrolsAgainUnderTheSingleEnrolmentRules() {
    accepted(enrol(open(), false, USER));

    var off = update(1, false, "form-a");
    assertEquals(List.of(new Unenrolled(batchId, USER, ADMIN, T0, "form-a")), off.events());
    assertRejected(ErrorCode.FORM_ALREADY_USED, update(1, true, "form-a"));
    assertRejected(ErrorCode.USER_NOT_ENROLLED_COURSE, update(1, false, "form-b"));

    var on = update(1, true, "form-b");
    assertEquals(Participation.ACTIVE, accepted(on).enrollment().participation());
    assertEquals("form-b", only(Enrolled.class, on).formId());
    assertRejected(ErrorCode.USER_ALREADY_ENROLLED_COURSE, update(1, true, "form-c"));
    assertRejected(ErrorCode.ENROLLMENT_NOT_FOUND, update(2, false, "form-c"));
  }

  // ---------------------------------------------------------------- deadlines and retries

  private static RequestKey key(String key, String caller, String operation, Object... parameters) {
    return RequestKey.of(key, caller, operation, parameters);
  }

  private CommandResultWithReply<EnrollmentCommand, EnrollmentEvent, Enrollment, EnrollmentReply> keyedEnrol(RequestKey key) {
    return kit.runCommand(r -> new Enrol(open(), false, USER, null, clock.instant().plusSeconds(4), key, r));
  }

  @Test
  void aWriteComingAfterItsDeadlineChangesNothing() {
    Instant deadline = T0.plusSeconds(4);
    clock.set(deadline);
    var late = kit.<EnrollmentReply>runCommand(r -> new Enrol(open(), false, USER, null, deadline, null, r));
    assertEquals(new EnrollmentReply.Expired(deadline), late.reply());
    assertTrue(late.hasNoEvents());
    assertEquals(Participation.NONE, late.state().participation());

    clock.set(T0);
    accepted(kit.runCommand(r -> new Enrol(open(), false, USER, null, deadline, null, r)));
    clock.set(deadline.plusSeconds(1));
    var progress = kit.<EnrollmentReply>runCommand(r -> new RecordProgress(open(), outline(),
        List.of(new ContentUpdate("c1", 2, 100, null, null, null)), List.of(), ORG, USER, deadline, null, r));
    assertInstanceOf(EnrollmentReply.Expired.class, progress.reply());
    assertTrue(progress.hasNoEvents());
    var unenrol = kit.<EnrollmentReply>runCommand(r -> new Unenrol(open(), USER, null, deadline, null, r));
    assertInstanceOf(EnrollmentReply.Expired.class, unenrol.reply());
    assertTrue(kit.getState().active());
    assertTrue(kit.getState().contents().isEmpty());
  }

  @Test
  void aSeatAnsweredAfterTheDeadlineRecordsNothing() {
    entityFedSeatAnswers();
    BatchTerms limited = terms(EnrollmentType.OPEN, true);
    Instant deadline = T0.plusSeconds(4);
    clock.set(deadline.plusMillis(1));
    var result = kit.<EnrollmentReply>runCommand(r -> new SeatClaimAnswered(
        new Enrol(limited, false, USER, null, deadline, null, r), new SeatReply.Granted(), null));
    assertEquals(new EnrollmentReply.Expired(deadline), result.reply());
    assertTrue(result.hasNoEvents());
    assertEquals(Participation.NONE, kit.getState().participation());
  }

  @Test
  void aRetriedEnrolmentAnswersAsTheFirstTimeAlsoAfterARestart() {
    RequestKey k = key("req-1", USER, "enrol", COURSE, batchId, USER, false);
    var first = keyedEnrol(k);
    Enrolled enrolled = only(Enrolled.class, first);
    assertEquals(k, enrolled.request(), "the event records the request");

    var retry = keyedEnrol(k);
    assertTrue(retry.hasNoEvents(), () -> "events " + retry.events());
    assertEquals(Participation.ACTIVE, accepted(retry).enrollment().participation());

    kit.restart();
    var afterRestart = keyedEnrol(k);
    assertTrue(afterRestart.hasNoEvents());
    accepted(afterRestart);

    // Without the key, or with another one, it is a second enrolment.
    assertRejected(ErrorCode.USER_ALREADY_ENROLLED_COURSE, enrol(open(), false, USER));
    assertRejected(ErrorCode.USER_ALREADY_ENROLLED_COURSE, keyedEnrol(key("req-2", USER, "enrol", COURSE, batchId, USER, false)));
    // The same key from another caller is another request.
    assertRejected(ErrorCode.USER_ALREADY_ENROLLED_COURSE,
        kit.runCommand(r -> new Enrol(open(), true, ADMIN, null, null, key("req-1", ADMIN, "enrol", COURSE, batchId, USER, true), r)));
  }

  @Test
  void aKeyUsedAgainForAnotherRequestNamesOnlyTheLatest() {
    RequestKey enrolKey = key("same-id", USER, "enrol", COURSE, batchId, USER, false);
    RequestKey unenrolKey = key("same-id", USER, "unenrol", COURSE, batchId, USER);
    accepted(keyedEnrol(enrolKey));
    var unenrolled = kit.<EnrollmentReply>runCommand(r -> new Unenrol(open(), USER, null, null, unenrolKey, r));
    assertEquals(Participation.INACTIVE, accepted(unenrolled).enrollment().participation());
    // A client that sends one id with every request enrols again: not a retry of the first enrolment.
    var again = keyedEnrol(enrolKey);
    assertEquals(Participation.ACTIVE, accepted(again).enrollment().participation());
    assertEquals(1, again.events().size());
  }

  @Test
  void aRetriedProgressReportIsRecordedOnce() {
    accepted(enrol(open(), false, USER));
    List<ContentUpdate> contents = List.of(new ContentUpdate("c1", 1, 40, null, null, null));
    RequestKey k = key("progress-1", USER, "progress", USER, batchId, COURSE, contents, List.of());
    var first = kit.<EnrollmentReply>runCommand(r -> new RecordProgress(open(), outline(), contents, List.of(), ORG, USER,
        null, k, r));
    assertEquals(k, only(ContentProgressRecorded.class, first).request());
    var retry = kit.<EnrollmentReply>runCommand(r -> new RecordProgress(open(), outline(), contents, List.of(), ORG, USER,
        null, k, r));
    assertTrue(retry.hasNoEvents());
    assertEquals(1, kit.getState().contents().get("c1").viewCount(), "viewed once, not twice");
    // The same report without the key counts as a second view.
    accepted(progress(open(), outline(), contents, List.of()));
    assertEquals(2, kit.getState().contents().get("c1").viewCount());
  }

  @Test
  void aRetriedReissueAnswersTheCertificatesOfTheFirstTime() {
    accepted(enrol(open(), false, USER));
    accepted(progress(open(), outline(), List.of(new ContentUpdate("c1", 2, null, null, null, null),
        new ContentUpdate("c2", 2, null, null, null, null)), List.of()));
    BatchTerms with = open(template("tmpl-1"));
    accepted(kit.runCommand(r -> new IssueCertificates(with, ORG, false, ADMIN, r)));
    clock.advance(Duration.ofMinutes(1));
    RequestKey k = key("reissue-1", ADMIN, "certificates.issue", COURSE, batchId, USER, true);
    var first = kit.<EnrollmentReply>runCommand(r -> new IssueCertificates(with, ORG, true, ADMIN, null, k, r));
    List<IssuedCertificate> issued = accepted(first).issued();
    assertEquals(1, issued.size());
    clock.advance(Duration.ofMinutes(1));
    var retry = kit.<EnrollmentReply>runCommand(r -> new IssueCertificates(with, ORG, true, ADMIN, null, k, r));
    assertTrue(retry.hasNoEvents());
    assertEquals(issued, accepted(retry).issued());
    assertEquals(2, kit.getState().certificates().size());
  }

  @Test
  void requestsAreRememberedForADayAndTheTenLatest() {
    RequestKey k = key("req-old", USER, "enrol", COURSE, batchId, USER, false);
    accepted(keyedEnrol(k));
    clock.advance(RememberedRequests.TTL);
    assertRejected(ErrorCode.USER_ALREADY_ENROLLED_COURSE, keyedEnrol(k));

    clock.set(T0);
    kit = entity(true); // a fresh entity
    accepted(keyedEnrol(k));
    for (int i = 0; i < RememberedRequests.MAX; i++) {
      int n = i;
      accepted(kit.runCommand(r -> new RecordProgress(open(), outline(), List.of(new ContentUpdate("c1", 1, n, null, null, null)),
          List.of(), ORG, USER, null, key("p-" + n, USER, "progress", n), r)));
    }
    assertEquals(RememberedRequests.MAX, kit.getState().requests().entries().size());
    assertRejected(ErrorCode.USER_ALREADY_ENROLLED_COURSE, keyedEnrol(k));
  }
}
