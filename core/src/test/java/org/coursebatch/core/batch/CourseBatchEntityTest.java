package org.coursebatch.core.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.ManualTime;
import akka.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import akka.persistence.testkit.javadsl.EventSourcedBehaviorTestKit.CommandResultWithReply;
import akka.persistence.typed.PersistenceId;
import akka.serialization.Serialization;
import akka.serialization.SerializationExtension;
import akka.serialization.jackson.JacksonCborSerializer;
import akka.serialization.jackson.JacksonJsonSerializer;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.coursebatch.core.JournalEvent;
import org.coursebatch.core.batch.BatchCommand.AddCertificateTemplate;
import org.coursebatch.core.batch.BatchCommand.CreateBatch;
import org.coursebatch.core.batch.BatchCommand.GetBatch;
import org.coursebatch.core.batch.BatchCommand.RemoveCertificateTemplate;
import org.coursebatch.core.batch.BatchCommand.UpdateBatch;
import org.coursebatch.core.batch.BatchEvent.BatchCreated;
import org.coursebatch.core.batch.BatchEvent.BatchEnded;
import org.coursebatch.core.batch.BatchEvent.BatchReopened;
import org.coursebatch.core.batch.BatchEvent.BatchStarted;
import org.coursebatch.core.batch.BatchEvent.BatchUpdated;
import org.coursebatch.core.batch.BatchEvent.CertificateTemplateAdded;
import org.coursebatch.core.batch.BatchEvent.CertificateTemplateRemoved;
import org.coursebatch.core.batch.BatchEvent.EndDateBroughtForward;
import org.coursebatch.core.batch.BatchEvent.EndDateExtended;
import org.coursebatch.core.batch.BatchReply.Accepted;
import org.coursebatch.core.batch.BatchReply.Rejected;
import org.coursebatch.core.certificate.CertificateCriteria;
import org.coursebatch.core.certificate.CertificateTemplate;
import org.coursebatch.core.certificate.Signatory;
import org.coursebatch.core.error.ErrorCode;
import org.coursebatch.core.journal.ChainedEvent;
import org.coursebatch.core.error.ResponseCode;
import org.coursebatch.core.identity.Caller;
import org.coursebatch.core.request.RequestKey;
import org.coursebatch.core.testing.MutableClock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The batch entity through {@link EventSourcedBehaviorTestKit}: every command, event, reply and
 * state goes through the serializers of core's reference.conf (with equality checked after the
 * round trip). Time is moved twice in step: the entity's {@link MutableClock} (what "now" is) and
 * Akka's {@link ManualTime} (when its timers fire).
 */
class CourseBatchEntityTest {

  private static final Instant T0 = Instant.parse("2030-03-10T10:00:00Z");
  private static final LocalDate TODAY = LocalDate.of(2030, 3, 10);
  private static final String COURSE = "do_course_1";
  private static final String OTHER_COURSE = "do_course_2";
  private static final Caller CREATOR = Caller.of("user-creator", "CONTENT_CREATOR");
  private static final Caller MENTOR = Caller.of("user-mentor");
  private static final Caller STRANGER = Caller.of("user-stranger", "CONTENT_CREATOR");
  private static final AtomicInteger IDS = new AtomicInteger();

  /**
   * The journal's call and replay timeouts run on the (manual) scheduler: a time step of days could
   * fire the 10 s timeout of a write the wake-up just started, failing it. Push them out of reach.
   */
  private static final Config MANUAL_TIME_SAFE_PERSISTENCE = ConfigFactory.parseString("""
      akka.persistence.journal-plugin-fallback.circuit-breaker.call-timeout = 3650d
      akka.persistence.journal-plugin-fallback.recovery-event-timeout = 3650d
      akka.persistence.snapshot-store-plugin-fallback.circuit-breaker.call-timeout = 3650d
      """);

  private static ActorTestKit testKit;
  private static ManualTime manualTime;

  private MutableClock clock;
  private String batchId;
  private EventSourcedBehaviorTestKit<BatchCommand, BatchEvent, BatchState> kit;

  @BeforeAll
  static void startSystem() {
    Config config = MANUAL_TIME_SAFE_PERSISTENCE
        .withFallback(ManualTime.config())
        .withFallback(EventSourcedBehaviorTestKit.config())
        .withFallback(ConfigFactory.load());
    testKit = ActorTestKit.create("CourseBatchEntityTest", config);
    manualTime = ManualTime.get(testKit.system());
  }

  @AfterAll
  static void stopSystem() {
    testKit.shutdownTestKit();
  }

  @BeforeEach
  void newEntity() {
    clock = new MutableClock(T0);
    kit = entity("UTC");
  }

  private EventSourcedBehaviorTestKit<BatchCommand, BatchEvent, BatchState> entity(String timeZone) {
    batchId = "0131" + IDS.incrementAndGet();
    return EventSourcedBehaviorTestKit.create(testKit.system(), CourseBatchEntity.create(batchId, clock, timeZone),
        EventSourcedBehaviorTestKit.enabledSerializationSettings().withVerifyEquality(true));
  }

  // ---------------------------------------------------------------- helpers

  private static NewBatch newBatch(LocalDate start, LocalDate end, LocalDate enrollmentEnd) {
    return new NewBatch(COURSE, "Batch A", "A batch", "terms", EnrollmentType.OPEN, start, end, enrollmentEnd,
        List.of("org-1"), List.of(MENTOR.userId()));
  }

  private CommandResultWithReply<BatchCommand, BatchEvent, BatchState, BatchReply> create(NewBatch b) {
    return create(b, CREATOR);
  }

  private CommandResultWithReply<BatchCommand, BatchEvent, BatchState, BatchReply> create(NewBatch b, Caller caller) {
    return kit.runCommand(replyTo -> new CreateBatch(b, caller, replyTo));
  }

  /** Creates an upcoming batch starting in {@code startInDays} days and ending {@code endInDays} days from today. */
  private Batch createBatch(int startInDays, int endInDays) {
    var result = create(newBatch(TODAY.plusDays(startInDays), TODAY.plusDays(endInDays), null));
    accepted(result);
    return (Batch) result.state();
  }

  private CommandResultWithReply<BatchCommand, BatchEvent, BatchState, BatchReply> update(BatchChanges c, Caller caller) {
    return kit.runCommand(replyTo -> new UpdateBatch(c, caller, replyTo));
  }

  private CommandResultWithReply<BatchCommand, BatchEvent, BatchState, BatchReply> get() {
    return kit.runCommand(GetBatch::new);
  }

  private static BatchView accepted(CommandResultWithReply<BatchCommand, BatchEvent, BatchState, BatchReply> result) {
    Object reply = result.reply();
    if (reply instanceof Rejected r) {
      throw new AssertionError("Expected Accepted but was rejected with " + r.rejection());
    }
    return assertInstanceOf(Accepted.class, reply).view();
  }

  private static void assertRejected(ErrorCode expected,
      CommandResultWithReply<BatchCommand, BatchEvent, BatchState, BatchReply> result) {
    Rejected rejected = assertInstanceOf(Rejected.class, result.reply(), () -> "reply " + result.reply());
    assertEquals(expected, rejected.rejection().code(), () -> "rejection " + rejected.rejection());
    assertTrue(result.hasNoEvents(), () -> "a rejected command persists nothing, but got " + result.events());
  }

  /** Moves the entity's clock and Akka's timers forward together, then waits for the entity to be idle. */
  private void passTime(Duration d) {
    clock.advance(d);
    manualTime.timePasses(d);
    // GetState is queued after any timer message the time step delivered, and is stashed while the
    // entity persists: when it answers, the wake-up (and the timer it re-armed) is done.
    kit.getState();
  }

  private void passTimeTo(Instant target) {
    passTime(Duration.between(clock.instant(), target));
  }

  private String persistenceId() {
    return PersistenceId.of(CourseBatchEntity.ENTITY_KEY.name(), batchId).id();
  }

  /** The batch's events as stored, unwrapped from their hash chain. */
  private List<Object> journal() {
    return kit.persistenceTestKit().persistedInStorage(persistenceId()).stream().<Object>map(ChainedEvent::unwrap).toList();
  }

  private Batch state() {
    return assertInstanceOf(Batch.class, kit.getState());
  }

  private static Instant startOf(LocalDate date) {
    return date.atStartOfDay(ZoneId.of("UTC")).toInstant();
  }

  /**
   * A template with every JSON part given. (Absent parts do not survive the serializers unchanged:
   * see JournalEventGoldenTest#absentJsonPartsOfATemplateStayAbsent.)
   */
  private static CertificateTemplate template(String id) {
    ObjectNode issuer = JsonNodeFactory.instance.objectNode().put("name", "Gov of Karnataka").put("url", "https://gov.example");
    issuer.putArray("publicKey").add("key-1").add("key-2");
    ObjectNode notify = JsonNodeFactory.instance.objectNode().put("emailTemplateType", "defaultCertTemp")
        .put("subject", "Course completion certificate");
    return new CertificateTemplate(id, "Completion certificate", "https://cdn.example/" + id + ".svg",
        new CertificateCriteria(2, Map.of(">=", 70.0), "org-root"), issuer,
        List.of(new Signatory("Jane Doe", "jane", "CEO", "https://cdn.example/sign.png")), notify,
        JsonNodeFactory.instance.objectNode().put("badgeClass", "gold"));
  }

  // ---------------------------------------------------------------- set-up sanity

  @Test
  void serializationBindingsOfCoreAreActive() {
    Serialization serialization = SerializationExtension.get(testKit.system().classicSystem());
    var event = new BatchReopened("b", "u", T0);
    var eventSerializer = serialization.findSerializerFor(event);
    assertInstanceOf(JacksonJsonSerializer.class, eventSerializer);
    assertEquals(7301, eventSerializer.identifier(), "journal events use the journal-json serializer");
    assertInstanceOf(JacksonCborSerializer.class, serialization.findSerializerFor(BatchCommand.WakeUp.INSTANCE));
    assertInstanceOf(JacksonCborSerializer.class, serialization.findSerializerFor(BatchState.empty()));
    assertInstanceOf(JacksonCborSerializer.class,
        serialization.findSerializerFor(new Rejected(ErrorCode.NO_SUCH_BATCH.reject())));
    assertEquals(false, testKit.system().settings().config().getBoolean("akka.actor.allow-java-serialization"));
  }

  @Test
  void eventsAreTaggedWithOneOfTheFixedTags() {
    assertEquals(CourseBatchEntity.TAG_COUNT, CourseBatchEntity.tags().size());
    for (String id : List.of("0131", "01315728917531852810", "x", "")) {
      assertTrue(CourseBatchEntity.tags().contains(CourseBatchEntity.tagFor(id)), id);
      assertEquals(CourseBatchEntity.tagFor(id), CourseBatchEntity.tagFor(new String(id)), "stable per id");
    }
  }

  // ---------------------------------------------------------------- create

  @Nested
  class Create {

    @Test
    void startDateBeforeTodayIsRefused() {
      var result = create(newBatch(TODAY.minusDays(1), TODAY.plusDays(5), null));
      assertRejected(ErrorCode.COURSE_BATCH_START_DATE_INVALID, result);
      assertInstanceOf(BatchState.NoBatch.class, result.state());
    }

    @Test
    void endDateEqualToStartIsRefused() {
      assertRejected(ErrorCode.END_DATE_ERROR, create(newBatch(TODAY.plusDays(2), TODAY.plusDays(2), null)));
    }

    @Test
    void endDateBeforeStartIsRefused() {
      assertRejected(ErrorCode.END_DATE_ERROR, create(newBatch(TODAY.plusDays(2), TODAY.plusDays(1), null)));
    }

    @Test
    void enrollmentEndBeforeStartIsRefused() {
      assertRejected(ErrorCode.ENROLLMENT_END_DATE_START_ERROR,
          create(newBatch(TODAY.plusDays(2), TODAY.plusDays(9), TODAY.plusDays(1))));
    }

    @Test
    void enrollmentEndAfterEndIsRefused() {
      assertRejected(ErrorCode.ENROLLMENT_END_DATE_END_ERROR,
          create(newBatch(TODAY.plusDays(2), TODAY.plusDays(9), TODAY.plusDays(10))));
    }

    @Test
    void batchStartingTodayIsInProgressFromCreation() {
      var result = create(newBatch(TODAY, TODAY.plusDays(9), null));
      BatchView view = accepted(result);
      assertEquals(BatchStatus.IN_PROGRESS, view.status());
      assertEquals(1, BatchStatus.IN_PROGRESS.code());
      assertEquals(List.of(new BatchCreated(batchId, COURSE, "Batch A", "A batch", "terms", EnrollmentType.OPEN,
          TODAY, TODAY.plusDays(9), null, "UTC", List.of("org-1"), List.of(MENTOR.userId()), BatchStatus.IN_PROGRESS,
          CREATOR.userId(), T0)), result.events());
      assertEquals(BatchStatus.IN_PROGRESS, state().status());
    }

    @Test
    void batchStartingInTheFutureIsUpcoming() {
      var result = create(newBatch(TODAY.plusDays(1), TODAY.plusDays(9), null));
      BatchView view = accepted(result);
      assertEquals(BatchStatus.UPCOMING, view.status());
      assertEquals(0, view.status().code());
      assertEquals(1L, view.daysToGo());
      assertEquals(BatchStatus.UPCOMING, result.eventOfType(BatchCreated.class).status());
    }

    @Test
    void mentorsAreDeduplicated() {
      var b = new NewBatch(COURSE, "Batch A", null, null, EnrollmentType.INVITE_ONLY, TODAY.plusDays(1), null, null,
          null, List.of("m-1", "m-2", "m-1", "m-2", "m-3"));
      var result = create(b);
      accepted(result);
      assertEquals(List.of("m-1", "m-2", "m-3"), result.eventOfType(BatchCreated.class).mentors());
      assertEquals(List.of("m-1", "m-2", "m-3"), state().mentors());
      assertEquals(List.of(), state().createdFor());
    }

    @Test
    void creatorIsTheCaller() {
      var result = create(newBatch(TODAY.plusDays(1), null, null), STRANGER);
      accepted(result);
      assertEquals(STRANGER.userId(), result.eventOfType(BatchCreated.class).actor());
      Batch batch = state();
      assertEquals(STRANGER.userId(), batch.createdBy());
      assertEquals(T0, batch.createdDate());
      assertNull(batch.updatedBy());
      assertTrue(batch.isAdministeredBy(STRANGER.userId()));
    }

    @Test
    void creatingTwiceIsRefused() {
      accepted(create(newBatch(TODAY.plusDays(1), TODAY.plusDays(5), null)));
      var second = create(newBatch(TODAY.plusDays(2), TODAY.plusDays(6), null), STRANGER);
      assertRejected(ErrorCode.BATCH_ID_TAKEN, second);
      Rejected rejected = (Rejected) second.reply();
      assertEquals("INVALID_REQUESTED_DATA", rejected.rejection().code().code());
      assertTrue(rejected.rejection().message().contains(batchId), rejected.rejection().message());
      assertEquals(TODAY.plusDays(1), state().startDate(), "the stored batch is untouched");
    }

    @Test
    void enrollmentEndDefaultsToTheDayBeforeTheEndDate() {
      var result = create(newBatch(TODAY.plusDays(1), TODAY.plusDays(5), null));
      accepted(result);
      assertNull(result.eventOfType(BatchCreated.class).enrollmentEndDate(), "the record keeps null");
      Batch batch = state();
      assertNull(batch.enrollmentEndDate());
      assertEquals(Optional.of(TODAY.plusDays(4)), batch.effectiveEnrollmentEndDate());
      assertEquals(Optional.of(startOf(TODAY.plusDays(5))), batch.enrollmentEndsAt());
    }

    @Test
    void openEndedBatchHasNoEnrollmentEnd() {
      var result = create(newBatch(TODAY.plusDays(1), null, null));
      accepted(result);
      assertEquals(Optional.empty(), state().effectiveEnrollmentEndDate());
      assertEquals(Optional.empty(), state().endsAt());
    }

    @Test
    void enrollmentEndMayEqualTheStartDate() {
      var result = create(newBatch(TODAY.plusDays(1), TODAY.plusDays(5), TODAY.plusDays(1)));
      accepted(result);
      assertEquals(Optional.of(TODAY.plusDays(1)), state().effectiveEnrollmentEndDate());
    }

    @Test
    void enrollmentEndMayEqualTheEndDate() {
      var result = create(newBatch(TODAY.plusDays(1), TODAY.plusDays(5), TODAY.plusDays(5)));
      accepted(result);
      assertEquals(Optional.of(TODAY.plusDays(5)), state().effectiveEnrollmentEndDate());
    }

    @Test
    void startDateIsJudgedInTheBatchTimeZone() {
      clock.set(Instant.parse("2030-03-10T20:00:00Z")); // 2030-03-11 01:30 in Kolkata
      kit = entity("Asia/Kolkata");
      assertRejected(ErrorCode.COURSE_BATCH_START_DATE_INVALID, create(newBatch(TODAY, TODAY.plusDays(5), null)));
      var result = create(newBatch(TODAY.plusDays(1), TODAY.plusDays(5), null));
      assertEquals(BatchStatus.IN_PROGRESS, accepted(result).status(), "2030-03-11 is today in Kolkata");
      assertEquals("Asia/Kolkata", result.eventOfType(BatchCreated.class).timeZone());
    }
  }

  // ---------------------------------------------------------------- update

  @Nested
  class Update {

    @Test
    void strangerMayNotUpdate() {
      createBatch(2, 10);
      assertRejected(ErrorCode.UNAUTHORIZED_USER, update(BatchChanges.none(COURSE).withName("Renamed"), STRANGER));
      assertEquals(ResponseCode.UNAUTHORIZED, ErrorCode.UNAUTHORIZED_USER.responseCode());
      assertEquals("Batch A", state().name());
    }

    @Test
    void creatorMayUpdate() {
      createBatch(2, 10);
      clock.advance(Duration.ofMinutes(5));
      var result = update(BatchChanges.none(COURSE).withName("Renamed"), CREATOR);
      assertEquals("Renamed", accepted(result).batch().name());
      assertEquals(List.of(new BatchUpdated(batchId, "Renamed", "A batch", "terms", EnrollmentType.OPEN,
          TODAY.plusDays(2), null, List.of("org-1"), List.of(MENTOR.userId()), CREATOR.userId(),
          T0.plus(Duration.ofMinutes(5)))), result.events());
      assertEquals(CREATOR.userId(), state().updatedBy());
    }

    @Test
    void mentorMayUpdate() {
      createBatch(2, 10);
      var result = update(BatchChanges.none(COURSE).withName("By mentor"), MENTOR);
      accepted(result);
      assertEquals(MENTOR.userId(), result.eventOfType(BatchUpdated.class).actor());
    }

    @Test
    void wrongCourseIsRefused() {
      createBatch(2, 10);
      assertRejected(ErrorCode.INVALID_COURSE_BATCH_ID, update(BatchChanges.none(OTHER_COURSE).withName("x"), CREATOR));
    }

    @Test
    void unknownBatchIsRefused() {
      assertRejected(ErrorCode.INVALID_COURSE_BATCH_ID, update(BatchChanges.none(COURSE).withName("x"), CREATOR));
    }

    @Test
    void startDateIsFrozenOnceInProgress() {
      createBatch(1, 10);
      passTime(Duration.ofDays(1));
      assertEquals(BatchStatus.IN_PROGRESS, state().status());
      assertRejected(ErrorCode.INVALID_BATCH_START_DATE_ERROR,
          update(BatchChanges.none(COURSE).withStartDate(TODAY.plusDays(3)), CREATOR));
      // Sending the stored start date again is not a change.
      var same = update(BatchChanges.none(COURSE).withStartDate(TODAY.plusDays(1)), CREATOR);
      accepted(same);
      assertTrue(same.hasNoEvents());
    }

    @Test
    void startDateMayNotMoveIntoThePast() {
      createBatch(2, 10);
      assertRejected(ErrorCode.INVALID_BATCH_START_DATE_ERROR,
          update(BatchChanges.none(COURSE).withStartDate(TODAY.minusDays(1)), CREATOR));
    }

    @Test
    void startDateOfUpcomingBatchMayMoveLater() {
      createBatch(2, 10);
      var result = update(BatchChanges.none(COURSE).withStartDate(TODAY.plusDays(4)), CREATOR);
      accepted(result);
      assertEquals(TODAY.plusDays(4), result.eventOfType(BatchUpdated.class).startDate());
      assertEquals(1, result.events().size());
    }

    @Test
    void startDateMovedToTodayStartsTheBatch() {
      createBatch(2, 10);
      var result = update(BatchChanges.none(COURSE).withStartDate(TODAY), MENTOR);
      assertEquals(BatchStatus.IN_PROGRESS, accepted(result).status());
      assertEquals(2, result.events().size(), () -> "events " + result.events());
      assertEquals(TODAY, result.eventOfType(BatchUpdated.class).startDate());
      assertEquals(new BatchStarted(batchId, startOf(TODAY), MENTOR.userId(), T0), result.events().get(1));
      assertEquals(BatchStatus.IN_PROGRESS, state().status());
    }

    @Test
    void endDateBeforeTodayIsRefused() {
      createBatch(1, 10);
      passTime(Duration.ofDays(5)); // in progress, today = start + 4
      assertRejected(ErrorCode.INVALID_BATCH_END_DATE_ERROR,
          update(BatchChanges.none(COURSE).withEndDate(TODAY.plusDays(3)), CREATOR));
    }

    @Test
    void endDateBeforeTodayOnAnEndedBatchSaysTheBatchIsClosed() {
      createBatch(1, 5);
      passTime(Duration.ofDays(10));
      assertEquals(BatchStatus.ENDED, state().status());
      assertRejected(ErrorCode.COURSE_BATCH_END_DATE_ERROR,
          update(BatchChanges.none(COURSE).withEndDate(TODAY.plusDays(3)), CREATOR));
    }

    @Test
    void endDateNotAfterStartIsRefused() {
      createBatch(2, 10);
      assertRejected(ErrorCode.END_DATE_ERROR, update(BatchChanges.none(COURSE).withEndDate(TODAY.plusDays(2)), CREATOR));
      assertRejected(ErrorCode.END_DATE_ERROR, update(BatchChanges.none(COURSE).withStartDate(TODAY.plusDays(10)), CREATOR));
    }

    @Test
    void enrollmentEndBeforeStartIsRefused() {
      createBatch(2, 10);
      assertRejected(ErrorCode.ENROLLMENT_END_DATE_START_ERROR,
          update(BatchChanges.none(COURSE).withEnrollmentEndDate(TODAY.plusDays(1)), CREATOR));
    }

    @Test
    void enrollmentEndAfterEndIsRefused() {
      createBatch(2, 10);
      assertRejected(ErrorCode.ENROLLMENT_END_DATE_END_ERROR,
          update(BatchChanges.none(COURSE).withEnrollmentEndDate(TODAY.plusDays(11)), CREATOR));
    }

    @Test
    void endDateMayNotMoveBeforeTheStoredEnrollmentEnd() {
      createBatch(2, 10);
      accepted(update(BatchChanges.none(COURSE).withEnrollmentEndDate(TODAY.plusDays(8)), CREATOR));
      assertRejected(ErrorCode.ENROLLMENT_END_DATE_END_ERROR,
          update(BatchChanges.none(COURSE).withEndDate(TODAY.plusDays(7)), CREATOR));
    }

    @Test
    void enrollmentEndMayNotChangeToAPastDate() {
      createBatch(1, 10);
      passTime(Duration.ofDays(5)); // today = TODAY + 5, start = TODAY + 1
      assertRejected(ErrorCode.ENROLLMENT_END_DATE_UPDATE_ERROR,
          update(BatchChanges.none(COURSE).withEnrollmentEndDate(TODAY.plusDays(3)), CREATOR));
      var ok = update(BatchChanges.none(COURSE).withEnrollmentEndDate(TODAY.plusDays(5)), CREATOR);
      accepted(ok);
      assertEquals(TODAY.plusDays(5), ok.eventOfType(BatchUpdated.class).enrollmentEndDate());
    }

    @Test
    void noOpUpdatePersistsNothing() {
      Batch before = createBatch(2, 10);
      var changes = BatchChanges.none(COURSE).withName("Batch A").withStartDate(TODAY.plusDays(2))
          .withEndDate(TODAY.plusDays(10)).withMentors(List.of(MENTOR.userId(), MENTOR.userId()));
      var result = update(changes, CREATOR);
      assertEquals(before, accepted(result).batch());
      assertTrue(result.hasNoEvents(), () -> "events " + result.events());
      assertTrue(update(BatchChanges.none(COURSE), MENTOR).hasNoEvents());
    }

    @Test
    void extendingTheEndDatePersistsEndDateExtended() {
      createBatch(2, 10);
      var result = update(BatchChanges.none(COURSE).withEndDate(TODAY.plusDays(20)), CREATOR);
      accepted(result);
      assertEquals(List.of(new EndDateExtended(batchId, TODAY.plusDays(10), TODAY.plusDays(20), CREATOR.userId(), T0)),
          result.events());
      assertEquals(TODAY.plusDays(20), state().endDate());
    }

    @Test
    void bringingTheEndDateForwardPersistsEndDateBroughtForward() {
      createBatch(2, 10);
      var result = update(BatchChanges.none(COURSE).withEndDate(TODAY.plusDays(6)), MENTOR);
      accepted(result);
      assertEquals(List.of(new EndDateBroughtForward(batchId, TODAY.plusDays(10), TODAY.plusDays(6), MENTOR.userId(), T0)),
          result.events());
      assertEquals(TODAY.plusDays(6), state().endDate());
    }

    @Test
    void extendingTheEndOfAnEndedBatchReopensIt() {
      createBatch(1, 3);
      passTime(Duration.ofDays(5)); // today = TODAY + 5: ended after TODAY + 3
      assertEquals(BatchStatus.ENDED, state().status());
      assertEquals(List.of(BatchCreated.class, BatchStarted.class, BatchEnded.class),
          journal().stream().map(Object::getClass).toList());

      Instant now = clock.instant();
      var result = update(BatchChanges.none(COURSE).withEndDate(TODAY.plusDays(8)), CREATOR);
      BatchView view = accepted(result);
      assertEquals(List.of(
          new EndDateExtended(batchId, TODAY.plusDays(3), TODAY.plusDays(8), CREATOR.userId(), now),
          new BatchReopened(batchId, CREATOR.userId(), now)), result.events());
      assertEquals(BatchStatus.IN_PROGRESS, view.status());
      assertEquals(3L, view.daysToGo());
      assertEquals(BatchStatus.IN_PROGRESS, state().status());

      // The timer is armed for the new end.
      passTimeTo(startOf(TODAY.plusDays(9)).plusSeconds(1));
      Object last = journal().get(journal().size() - 1);
      assertEquals(new BatchEnded(batchId, startOf(TODAY.plusDays(9)), JournalEvent.SYSTEM, clock.instant()), last);
    }
  }

  // ---------------------------------------------------------------- status transitions

  @Nested
  class StatusTimers {

    @Test
    void upcomingBatchStartsAndEndsOnItsOwn() {
      createBatch(2, 4);
      Instant startsAt = startOf(TODAY.plusDays(2));
      Instant endsAt = startOf(TODAY.plusDays(5)); // the end date is inclusive

      passTimeTo(startsAt.minusSeconds(1));
      assertEquals(1, journal().size(), () -> "only BatchCreated before the start, got " + journal());
      assertEquals(BatchStatus.UPCOMING, state().status());

      passTime(Duration.ofSeconds(2));
      assertEquals(new BatchStarted(batchId, startsAt, JournalEvent.SYSTEM, startsAt.plusSeconds(1)), journal().get(1));
      assertEquals(2, journal().size());
      assertEquals(BatchStatus.IN_PROGRESS, state().status());

      passTimeTo(endsAt.minusSeconds(1));
      assertEquals(2, journal().size(), () -> "nothing during the last day, got " + journal());

      passTime(Duration.ofSeconds(2));
      assertEquals(new BatchEnded(batchId, endsAt, JournalEvent.SYSTEM, endsAt.plusSeconds(1)), journal().get(2));
      assertEquals(3, journal().size());
      assertEquals(BatchStatus.ENDED, state().status());

      // Nothing further is scheduled for an ended batch.
      passTime(Duration.ofDays(3));
      assertEquals(3, journal().size());
      var read = get();
      assertEquals(BatchStatus.ENDED, accepted(read).status());
      assertTrue(read.hasNoEvents());
    }

    @Test
    void transitionsFollowTheBatchTimeZone() {
      kit = entity("Asia/Kolkata");
      accepted(create(newBatch(TODAY.plusDays(2), TODAY.plusDays(4), null)));
      Instant startsAt = Instant.parse("2030-03-11T18:30:00Z"); // 2030-03-12 00:00 +05:30
      Instant endsAt = Instant.parse("2030-03-14T18:30:00Z"); // 2030-03-15 00:00 +05:30
      assertEquals(startsAt, state().startsAt());

      passTimeTo(startsAt.minusSeconds(1));
      assertEquals(1, journal().size(), () -> "still upcoming, got " + journal());

      passTime(Duration.ofSeconds(2)); // still 2030-03-11 in UTC
      assertEquals(new BatchStarted(batchId, startsAt, JournalEvent.SYSTEM, startsAt.plusSeconds(1)), journal().get(1));

      passTimeTo(endsAt.minusSeconds(1));
      assertEquals(2, journal().size());
      passTime(Duration.ofSeconds(2));
      assertEquals(new BatchEnded(batchId, endsAt, JournalEvent.SYSTEM, endsAt.plusSeconds(1)), journal().get(2));
    }

    @Test
    void transitionDueDuringDowntimeIsRecordedAfterRecovery() {
      createBatch(2, 10);
      Instant startsAt = startOf(TODAY.plusDays(2));
      clock.set(startsAt.plus(Duration.ofHours(3))); // the clock moves while the entity's timers do not fire

      // The recovered state is UPCOMING, but the zero-delay timer armed on recovery may already have
      // recorded the start by the time restart() hands it over: check the journal instead.
      kit.restart();

      // RecoveryCompleted arms a zero-delay timer, possibly only after restart() returned: let manual
      // time pass until it has fired. GetState reads the recorded state without running any rule, so
      // only the timer can have moved it.
      long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
      do {
        manualTime.timePasses(Duration.ofMillis(1));
      } while (state().status() != BatchStatus.IN_PROGRESS && System.nanoTime() < deadline);
      assertEquals(BatchStatus.IN_PROGRESS, state().status(), "recorded by the timer, before any read");
      List<Object> journal = journal();
      assertEquals(2, journal.size(), () -> "journal " + journal);
      assertEquals(new BatchStarted(batchId, startsAt, JournalEvent.SYSTEM, clock.instant()), journal.get(1));

      var read = get();
      assertEquals(BatchStatus.IN_PROGRESS, accepted(read).status());
      assertTrue(read.hasNoEvents(), "already recorded");
    }

    @Test
    void readRecordsAPassedTransitionBeforeAnswering() {
      createBatch(1, 10);
      clock.advance(Duration.ofDays(1)); // no timer fired yet
      assertEquals(BatchStatus.UPCOMING, state().status());

      var read = get();
      BatchView view = accepted(read);
      assertEquals(BatchStatus.IN_PROGRESS, view.status());
      assertEquals(BatchStatus.IN_PROGRESS, view.batch().status(), "the reply carries the recorded state");
      assertEquals(List.of(new BatchStarted(batchId, startOf(TODAY.plusDays(1)), JournalEvent.SYSTEM, clock.instant())),
          read.events());
      assertEquals(BatchStatus.IN_PROGRESS, state().status());
    }

    @Test
    void readAfterBothInstantsPassedRecordsStartAndEnd() {
      createBatch(1, 2);
      clock.advance(Duration.ofDays(5));
      var read = get();
      assertEquals(BatchStatus.ENDED, accepted(read).status());
      assertEquals(List.of(BatchStarted.class, BatchEnded.class), read.events().stream().map(Object::getClass).toList());
    }
  }

  // ---------------------------------------------------------------- reads

  @Test
  void getOnUnknownBatchIsNotFound() {
    var read = get();
    assertRejected(ErrorCode.BATCH_NOT_FOUND, read);
    var rejection = ((Rejected) read.reply()).rejection();
    assertEquals(ResponseCode.RESOURCE_NOT_FOUND, rejection.code().responseCode());
    assertTrue(rejection.message().contains(batchId), rejection.message());
  }

  @Test
  void wakeUpOnUnknownBatchDoesNothing() {
    var result = kit.runCommand(BatchCommand.WakeUp.INSTANCE);
    assertTrue(result.hasNoEvents());
    assertInstanceOf(BatchState.NoBatch.class, result.state());
  }

  // ---------------------------------------------------------------- certificate templates

  @Nested
  class CertificateTemplates {

    private CommandResultWithReply<BatchCommand, BatchEvent, BatchState, BatchReply> add(String course, CertificateTemplate t,
        Caller caller) {
      return kit.runCommand(replyTo -> new AddCertificateTemplate(course, t, caller, replyTo));
    }

    private CommandResultWithReply<BatchCommand, BatchEvent, BatchState, BatchReply> remove(String course, String templateId,
        Caller caller) {
      return kit.runCommand(replyTo -> new RemoveCertificateTemplate(course, templateId, caller, replyTo));
    }

    @Test
    void addPersistsTemplateAdded() {
      createBatch(1, 10);
      var t = template("tmpl-1");
      var result = add(COURSE, t, CREATOR);
      BatchView view = accepted(result);
      assertEquals(List.of(new CertificateTemplateAdded(batchId, t, CREATOR.userId(), T0)), result.events());
      assertEquals(Map.of("tmpl-1", t), view.batch().certTemplates());
      assertEquals(Map.of("tmpl-1", t), state().certTemplates());
    }

    @Test
    void mentorMayAddAndReplace() {
      createBatch(1, 10);
      accepted(add(COURSE, template("tmpl-1"), MENTOR));
      var original = template("tmpl-1");
      var replacement = new CertificateTemplate("tmpl-1", "Renamed", "https://cdn.example/x.svg",
          new CertificateCriteria(null, Map.of("eq", 100.0), null), original.issuer(), original.signatoryList(),
          original.notifyTemplate(), original.additionalProps());
      var result = add(COURSE, replacement, MENTOR);
      accepted(result);
      assertEquals(Map.of("tmpl-1", replacement), state().certTemplates());
    }

    @Test
    void nonAdministratorMayNotAdd() {
      createBatch(1, 10);
      assertRejected(ErrorCode.UNAUTHORIZED_USER, add(COURSE, template("tmpl-1"), STRANGER));
      assertEquals(Map.of(), state().certTemplates());
    }

    @Test
    void batchOfAnotherCourseIsRefused() {
      createBatch(1, 10);
      var result = add(OTHER_COURSE, template("tmpl-1"), CREATOR);
      assertRejected(ErrorCode.BATCH_NOT_LINKED_TO_COURSE, result);
      assertEquals("CLIENT_ERROR", ((Rejected) result.reply()).rejection().code().code());
      assertEquals("batchId is not linked with courseId", ((Rejected) result.reply()).rejection().message());
      assertRejected(ErrorCode.BATCH_NOT_LINKED_TO_COURSE, remove(OTHER_COURSE, "tmpl-1", CREATOR));
    }

    @Test
    void removePersistsTemplateRemoved() {
      createBatch(1, 10);
      accepted(add(COURSE, template("tmpl-1"), CREATOR));
      accepted(add(COURSE, template("tmpl-2"), CREATOR));
      clock.advance(Duration.ofMinutes(1));
      var result = remove(COURSE, "tmpl-1", MENTOR);
      accepted(result);
      assertEquals(List.of(new CertificateTemplateRemoved(batchId, "tmpl-1", MENTOR.userId(), clock.instant())),
          result.events());
      assertEquals(Map.of("tmpl-2", template("tmpl-2")), state().certTemplates());
    }

    @Test
    void removingAnUnknownTemplateSucceedsWithoutEvents() {
      createBatch(1, 10);
      var result = remove(COURSE, "tmpl-unknown", CREATOR);
      accepted(result);
      assertTrue(result.hasNoEvents());
    }

    @Test
    void nonAdministratorMayNotRemove() {
      createBatch(1, 10);
      accepted(add(COURSE, template("tmpl-1"), CREATOR));
      assertRejected(ErrorCode.UNAUTHORIZED_USER, remove(COURSE, "tmpl-1", STRANGER));
    }

    @Test
    void unknownBatchIsNoSuchBatch() {
      var added = add(COURSE, template("tmpl-1"), CREATOR);
      assertRejected(ErrorCode.NO_SUCH_BATCH, added);
      assertEquals("CLIENT_ERROR", ((Rejected) added.reply()).rejection().code().code());
      assertRejected(ErrorCode.NO_SUCH_BATCH, remove(COURSE, "tmpl-1", CREATOR));
    }

    @Test
    void addOnABatchWhoseStartPassedRecordsTheStartFirst() {
      createBatch(1, 10);
      clock.advance(Duration.ofDays(1));
      var result = add(COURSE, template("tmpl-1"), CREATOR);
      accepted(result);
      assertEquals(List.of(BatchStarted.class, CertificateTemplateAdded.class),
          result.events().stream().map(Object::getClass).toList());
      assertEquals(JournalEvent.SYSTEM, result.eventOfType(BatchStarted.class).actor());
    }
  }

  // ---------------------------------------------------------------- daysToGo

  @Nested
  class DaysToGo {

    private Batch batch(LocalDate start, LocalDate end, BatchStatus recorded) {
      return new Batch("b-1", COURSE, "n", null, null, EnrollmentType.OPEN, start, end, null, "UTC", null, null,
          CREATOR.userId(), T0, null, null, recorded, null, null, null);
    }

    @Test
    void upcomingCountsDaysUntilTheStart() {
      var view = BatchView.of(batch(TODAY.plusDays(3), TODAY.plusDays(10), BatchStatus.UPCOMING), T0);
      assertEquals(BatchStatus.UPCOMING, view.status());
      assertEquals(3L, view.daysToGo());
    }

    @Test
    void inProgressCountsDaysUntilTheEnd() {
      var view = BatchView.of(batch(TODAY.minusDays(1), TODAY.plusDays(7), BatchStatus.IN_PROGRESS), T0);
      assertEquals(BatchStatus.IN_PROGRESS, view.status());
      assertEquals(7L, view.daysToGo());
      assertEquals(0L, BatchView.of(batch(TODAY.minusDays(1), TODAY, BatchStatus.IN_PROGRESS), T0).daysToGo(),
          "the last (inclusive) day");
    }

    @Test
    void openEndedInProgressHasNoDaysToGo() {
      var view = BatchView.of(batch(TODAY, null, BatchStatus.IN_PROGRESS), T0);
      assertEquals(BatchStatus.IN_PROGRESS, view.status());
      assertNull(view.daysToGo());
    }

    @Test
    void endedIsZero() {
      var view = BatchView.of(batch(TODAY.minusDays(10), TODAY.minusDays(1), BatchStatus.IN_PROGRESS), T0);
      assertEquals(BatchStatus.ENDED, view.status(), "the clock decides, not the recorded status");
      assertEquals(0L, view.daysToGo());
    }

    @Test
    void viewFromTheEntityCountsDown() {
      createBatch(3, 10);
      assertEquals(3L, accepted(get()).daysToGo());
      passTime(Duration.ofDays(3));
      assertEquals(10L - 3L, accepted(get()).daysToGo());
    }
  }

  /**
   * Writes carry the instant their caller stops waiting: one the entity comes to later (it waited in
   * a shard's buffer or in the stash while the entity recovered) changes nothing. A create with an
   * idempotency key goes to the id derived from the request, and its retry gets the same batch.
   */
  @Nested
  class DeadlinesAndRetries {

    private final NewBatch fields = newBatch(TODAY.plusDays(1), TODAY.plusDays(30), null);

    @Test
    void aCreateComingAfterItsDeadlineChangesNothing() {
      Instant deadline = T0.plusSeconds(4);
      clock.set(deadline);
      var result = kit.<BatchReply>runCommand(r -> new CreateBatch(fields, CREATOR, deadline, null, r));
      assertEquals(new BatchReply.Expired(deadline), result.reply());
      assertTrue(result.hasNoEvents());
      assertInstanceOf(BatchState.NoBatch.class, result.state());
      assertRejected(ErrorCode.BATCH_NOT_FOUND, get());
    }

    @Test
    void aCreateBeforeItsDeadlineIsApplied() {
      var result = kit.<BatchReply>runCommand(r -> new CreateBatch(fields, CREATOR, T0.plusMillis(1), null, r));
      accepted(result);
      assertInstanceOf(BatchCreated.class, result.event());
    }

    @Test
    void expiredUpdatesAndTemplatesChangeNothing() {
      createBatch(1, 30);
      Instant deadline = T0.plusSeconds(4);
      clock.set(deadline.plusMillis(1));
      var renamed = kit.<BatchReply>runCommand(r -> new UpdateBatch(BatchChanges.none(COURSE).withName("Renamed"), CREATOR,
          deadline, r));
      assertEquals(new BatchReply.Expired(deadline), renamed.reply());
      assertTrue(renamed.hasNoEvents());
      var added = kit.<BatchReply>runCommand(r -> new AddCertificateTemplate(COURSE, template("tmpl-late"), CREATOR, deadline, r));
      assertInstanceOf(BatchReply.Expired.class, added.reply());
      assertTrue(added.hasNoEvents());
      assertEquals("Batch A", state().name());
      assertTrue(state().certTemplates().isEmpty());
    }

    @Test
    void aRetryOfAKeyedCreateGetsTheBatchItCreatedEvenAfterARestart() {
      var key = RequestKey.of("key-1", CREATOR.userId(), "batch.create", fields);
      batchId = BatchIds.forRequest(key);
      kit = EventSourcedBehaviorTestKit.create(testKit.system(), CourseBatchEntity.create(batchId, clock, "UTC"),
          EventSourcedBehaviorTestKit.enabledSerializationSettings().withVerifyEquality(true));
      var first = kit.<BatchReply>runCommand(r -> new CreateBatch(fields, CREATOR, T0.plusSeconds(4), key, r));
      assertEquals(batchId, accepted(first).batch().batchId());

      kit.restart();
      clock.advance(Duration.ofDays(3)); // the start date is in the past now: a new create would be refused
      var retry = kit.<BatchReply>runCommand(r -> new CreateBatch(fields, CREATOR, clock.instant().plusSeconds(4), key, r));
      assertEquals(batchId, accepted(retry).batch().batchId());
      assertTrue(retry.hasNoEvents(), "the retry created nothing: " + retry.events());

      // The same id asked for by another caller, or without the key: taken.
      assertRejected(ErrorCode.BATCH_ID_TAKEN, kit.runCommand(r -> new CreateBatch(fields, STRANGER, null, key, r)));
      assertRejected(ErrorCode.BATCH_ID_TAKEN, create(fields));
    }

    @Test
    void derivedIdsDependOnCallerKeyAndFields() {
      var key = RequestKey.of("key-1", CREATOR.userId(), "batch.create", fields);
      String id = BatchIds.forRequest(key);
      assertTrue(id.matches("02[0-9]{24}"), id);
      assertEquals(id, BatchIds.forRequest(RequestKey.of("key-1", CREATOR.userId(), "batch.create",
          newBatch(TODAY.plusDays(1), TODAY.plusDays(30), null))));
      for (var other : List.of(
          RequestKey.of("key-2", CREATOR.userId(), "batch.create", fields),
          RequestKey.of("key-1", STRANGER.userId(), "batch.create", fields),
          RequestKey.of("key-1", CREATOR.userId(), "batch.create",
              newBatch(TODAY.plusDays(2), TODAY.plusDays(30), null)))) {
        assertTrue(!BatchIds.forRequest(other).equals(id), other.toString());
      }
      assertTrue(BatchIds.fresh(clock).startsWith("01"));
    }
  }
}
