package org.coursebatch.core.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import com.typesafe.config.ConfigFactory;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.coursebatch.core.batch.BatchCommand.ClaimSeat;
import org.coursebatch.core.batch.BatchCommand.CreateBatch;
import org.coursebatch.core.batch.BatchCommand.PromotionAnswered;
import org.coursebatch.core.batch.BatchCommand.ReleaseSeat;
import org.coursebatch.core.batch.BatchEvent.SeatReleased;
import org.coursebatch.core.batch.BatchEvent.SeatTaken;
import org.coursebatch.core.batch.BatchEvent.SeatWaitlisted;
import org.coursebatch.core.error.ErrorCode;
import org.coursebatch.core.identity.Caller;
import org.coursebatch.core.testing.MutableClock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The seat commands of the batch entity through {@link EventSourcedBehaviorTestKit}: the batch
 * state with its seats goes through the serializers (it is snapshotted every 100 events, and a
 * popular batch gets there fast). Promotions need the enrolment shard: see
 * {@code EnrollmentSeatsClusterTest}; here no seat is freed while someone waits.
 */
class CourseBatchSeatsTest {

  private static final Instant T0 = Instant.parse("2030-03-10T10:00:00Z");
  private static final LocalDate TODAY = LocalDate.of(2030, 3, 10);
  private static final Caller CREATOR = Caller.of("user-creator");
  private static final AtomicInteger IDS = new AtomicInteger();

  private static ActorTestKit testKit;

  private String batchId;
  private EventSourcedBehaviorTestKit<BatchCommand, BatchEvent, BatchState> kit;

  @BeforeAll
  static void startSystem() {
    testKit = ActorTestKit.create("CourseBatchSeatsTest", EventSourcedBehaviorTestKit.config().withFallback(ConfigFactory.load()));
  }

  @AfterAll
  static void stopSystem() {
    testKit.shutdownTestKit();
  }

  @BeforeEach
  void newEntity() {
    batchId = "0139" + IDS.incrementAndGet();
    kit = EventSourcedBehaviorTestKit.create(testKit.system(), CourseBatchEntity.create(batchId, new MutableClock(T0), "UTC"),
        EventSourcedBehaviorTestKit.enabledSerializationSettings().withVerifyEquality(true));
  }

  private void create(Integer maxParticipants) {
    var nb = new NewBatch("do_course_1", "Batch", null, null, EnrollmentType.OPEN, TODAY, TODAY.plusDays(9), null,
        List.of(), List.of(), maxParticipants);
    assertInstanceOf(BatchReply.Accepted.class, kit.<BatchReply>runCommand(r -> new CreateBatch(nb, CREATOR, r)).reply());
  }

  private EventSourcedBehaviorTestKit.CommandResultWithReply<BatchCommand, BatchEvent, BatchState, SeatReply> claim(String userId) {
    return kit.runCommand(r -> new ClaimSeat(userId, userId, r));
  }

  private Seats seats() {
    return ((Batch) kit.getState()).seats();
  }

  @Test
  void claimsAndReleasesAreRecordedAndSurviveARestart() {
    create(1);
    var first = claim("u1");
    assertInstanceOf(SeatReply.Granted.class, first.reply());
    assertEquals(List.of(new SeatTaken(batchId, "u1", "u1", T0)), first.events());
    var second = claim("u2");
    assertEquals(new SeatReply.Waitlisted(1, 1), second.reply());
    assertEquals(List.of(new SeatWaitlisted(batchId, "u2", 1, "u2", T0)), second.events());
    var third = claim("u3");
    assertEquals(new SeatReply.Waitlisted(2, 2), third.reply());

    var repeated = claim("u3");
    assertEquals(new SeatReply.Waitlisted(2, 2), repeated.reply());
    assertTrue(repeated.hasNoEvents());

    var left = kit.<SeatReply>runCommand(r -> new ReleaseSeat("u2", "u2", r));
    assertInstanceOf(SeatReply.Released.class, left.reply());
    assertEquals(List.of(new SeatReleased(batchId, "u2", "u2", T0)), left.events());
    var again = kit.<SeatReply>runCommand(r -> new ReleaseSeat("u2", "u2", r));
    assertInstanceOf(SeatReply.Released.class, again.reply());
    assertTrue(again.hasNoEvents(), "a repeated release changes nothing");

    Seats before = seats();
    assertEquals(Set.of("u1"), before.holders());
    assertEquals(List.of(new Seats.Waiting("u3", 2)), before.waitlist());
    var restarted = kit.restart();
    assertEquals(before, ((Batch) restarted.state()).seats());
    assertEquals(3, ((Batch) restarted.state()).seats().nextTicket());
    assertEquals(new SeatReply.Waitlisted(3, 2), claim("u4").reply(), "tickets go on growing after a restart");
  }

  @Test
  void aBatchWithoutCapacityGrantsEveryClaimWithoutRecordingIt() {
    create(null);
    var result = claim("u1");
    assertInstanceOf(SeatReply.Granted.class, result.reply());
    assertTrue(result.hasNoEvents());
    assertEquals(Seats.NONE, seats());
  }

  @Test
  void seatCommandsForAnUnknownBatch() {
    var claim = claim("u1");
    assertEquals(ErrorCode.INVALID_COURSE_BATCH_ID, assertInstanceOf(SeatReply.Rejected.class, claim.reply()).rejection().code());
    assertInstanceOf(SeatReply.Released.class, kit.<SeatReply>runCommand(r -> new ReleaseSeat("u1", "u1", r)).reply(),
        "nothing to give back: released");
    assertTrue(kit.runCommand(new PromotionAnswered("u1", true)).hasNoEvents());
  }
}
