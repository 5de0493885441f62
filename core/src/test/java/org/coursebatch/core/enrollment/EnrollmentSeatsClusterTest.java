package org.coursebatch.core.enrollment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import akka.japi.function.Function;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.coursebatch.core.batch.BatchCommand;
import org.coursebatch.core.batch.BatchReply;
import org.coursebatch.core.batch.BatchView;
import org.coursebatch.core.batch.CourseBatchEntity;
import org.coursebatch.core.batch.EnrollmentType;
import org.coursebatch.core.batch.NewBatch;
import org.coursebatch.core.batch.Seats;
import org.coursebatch.core.enrollment.EnrollmentCommand.Enrol;
import org.coursebatch.core.enrollment.EnrollmentCommand.GetEnrollment;
import org.coursebatch.core.enrollment.EnrollmentCommand.Unenrol;
import org.coursebatch.core.enrollment.EnrollmentReply.Accepted;
import org.coursebatch.core.enrollment.EnrollmentReply.Rejected;
import org.coursebatch.core.error.ErrorCode;
import org.coursebatch.core.identity.Caller;
import org.coursebatch.core.testing.MutableClock;
import org.coursebatch.core.testing.SingleNodeCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Seats of a batch with a capacity, end to end through real cluster sharding on a single-node
 * cluster with the in-memory journal: enrolments ask the batch for seats, unenrolling gives the
 * seat back, and the batch delivers the promotion to the first waiting learner's enrolment until
 * it confirms. Asynchronous outcomes are awaited by polling, never by sleeping and hoping.
 */
class EnrollmentSeatsClusterTest {

  private static final Instant T0 = Instant.parse("2030-03-10T10:00:00Z");
  private static final LocalDate TODAY = LocalDate.of(2030, 3, 10);
  private static final String COURSE = "do_course_1";
  private static final Caller CREATOR = Caller.of("user-creator", "CONTENT_CREATOR");
  private static final Duration ASK = Duration.ofSeconds(10);
  private static final Duration AWAIT = Duration.ofSeconds(20);

  private static ActorTestKit testKit;
  private static ClusterSharding sharding;
  private static final MutableClock clock = new MutableClock(T0);

  @BeforeAll
  static void startCluster() {
    testKit = SingleNodeCluster.start("EnrollmentSeatsClusterTest", AWAIT);
    CourseBatchEntity.init(testKit.system(), clock, "UTC");
    EnrollmentEntity.init(testKit.system(), clock);
    sharding = ClusterSharding.get(testKit.system());
  }

  @AfterAll
  static void stopCluster() {
    if (testKit != null) {
      testKit.shutdownTestKit();
    }
  }

  // ---------------------------------------------------------------- asks

  private static <R> R await(java.util.concurrent.CompletionStage<R> stage) {
    try {
      return stage.toCompletableFuture().get(ASK.toSeconds() + 5, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("ask failed", e);
    }
  }

  private static BatchView batchAsk(String batchId, Function<ActorRef<BatchReply>, BatchCommand> command) {
    BatchReply reply = await(sharding.entityRefFor(CourseBatchEntity.ENTITY_KEY, batchId).ask(command, ASK));
    if (reply instanceof BatchReply.Rejected r) {
      throw new AssertionError("batch rejected: " + r.rejection());
    }
    return ((BatchReply.Accepted) reply).view();
  }

  private static BatchView createBatch(String batchId, Integer maxParticipants) {
    var nb = new NewBatch(COURSE, "Small batch", null, null, EnrollmentType.OPEN, TODAY, TODAY.plusDays(30), null,
        List.of(), List.of(), maxParticipants);
    return batchAsk(batchId, r -> new BatchCommand.CreateBatch(nb, CREATOR, r));
  }

  private static Seats seats(String batchId) {
    return batchAsk(batchId, BatchCommand.GetBatch::new).batch().seats();
  }

  private static EnrollmentReply enrollmentAsk(String batchId, String userId,
      Function<ActorRef<EnrollmentReply>, EnrollmentCommand> command) {
    return await(sharding.entityRefFor(EnrollmentEntity.ENTITY_KEY, EnrollmentEntity.entityId(batchId, userId))
        .ask(command, ASK));
  }

  private static Accepted accepted(EnrollmentReply reply) {
    if (reply instanceof Rejected r) {
      throw new AssertionError("Expected Accepted but was rejected with " + r.rejection());
    }
    return assertInstanceOf(Accepted.class, reply);
  }

  private static Accepted enrol(BatchTerms terms, String userId) {
    return accepted(enrollmentAsk(terms.batchId(), userId, r -> new Enrol(terms, false, userId, r)));
  }

  private static Enrollment enrollment(String batchId, String userId) {
    return accepted(enrollmentAsk(batchId, userId, GetEnrollment::new)).enrollment();
  }

  private static void eventually(Runnable check) {
    TestProbe<Object> probe = testKit.createTestProbe();
    probe.awaitAssert(AWAIT, Duration.ofMillis(50), () -> {
      check.run();
      return null;
    });
  }

  // ---------------------------------------------------------------- tests

  @Test
  void aFreedSeatGoesToTheFirstWaitingLearner() {
    String batchId = "0131" + System.nanoTime();
    BatchTerms terms = BatchTerms.of(createBatch(batchId, 2));
    assertEquals(true, terms.limitedSeats());

    Accepted u1 = enrol(terms, "u1");
    Accepted u2 = enrol(terms, "u2");
    Accepted u3 = enrol(terms, "u3");
    Accepted u4 = enrol(terms, "u4");
    assertEquals(Participation.ACTIVE, u1.enrollment().participation());
    assertEquals(SeatClaim.HELD, u1.enrollment().seatClaim());
    assertNull(u1.waitlistPosition());
    assertEquals(Participation.ACTIVE, u2.enrollment().participation());
    assertEquals(Participation.WAITLISTED, u3.enrollment().participation());
    assertEquals(1, u3.waitlistPosition());
    assertEquals(Participation.WAITLISTED, u4.enrollment().participation());
    assertEquals(2, u4.waitlistPosition());

    Seats full = seats(batchId);
    assertEquals(Set.of("u1", "u2"), full.holders());
    assertEquals(List.of("u3", "u4"), full.waitlist().stream().map(Seats.Waiting::userId).toList());

    // Asking again changes nothing: the same place in the queue.
    var again = enrollmentAsk(batchId, "u4", r -> new Enrol(terms, false, "u4", r));
    assertEquals(ErrorCode.USER_ALREADY_WAITLISTED, assertInstanceOf(Rejected.class, again).rejection().code());

    // A holder leaves: the seat goes back to the batch, which promotes u3 and delivers the promotion.
    Accepted left = accepted(enrollmentAsk(batchId, "u1", r -> new Unenrol(terms, "u1", r)));
    assertEquals(Participation.INACTIVE, left.enrollment().participation());

    eventually(() -> assertEquals(Participation.ACTIVE, enrollment(batchId, "u3").participation()));
    Enrollment promoted = enrollment(batchId, "u3");
    assertEquals(SeatClaim.HELD, promoted.seatClaim());
    assertNull(promoted.waitlistTicket());
    eventually(() -> {
      Seats s = seats(batchId);
      assertEquals(Set.of("u2", "u3"), s.holders());
      assertEquals(Set.of(), s.promotionsPending(), "the promotion is confirmed");
      assertEquals(List.of("u4"), s.waitlist().stream().map(Seats.Waiting::userId).toList());
    });
    eventually(() -> assertEquals(SeatClaim.NONE, enrollment(batchId, "u1").seatClaim(), "the batch confirmed the release"));
    assertEquals(Participation.WAITLISTED, enrollment(batchId, "u4").participation());

    // Coming back, u1 queues behind u4.
    Accepted back = enrol(terms, "u1");
    assertEquals(Participation.WAITLISTED, back.enrollment().participation());
    assertEquals(2, back.waitlistPosition());

    // u4 leaves the waitlist: u1 moves up, nobody is promoted (no seat is free).
    accepted(enrollmentAsk(batchId, "u4", r -> new Unenrol(terms, "u4", r)));
    eventually(() -> assertEquals(List.of("u1"), seats(batchId).waitlist().stream().map(Seats.Waiting::userId).toList()));
    eventually(() -> assertEquals(SeatClaim.NONE, enrollment(batchId, "u4").seatClaim()));
    assertEquals(Set.of("u2", "u3"), seats(batchId).holders());
  }

  @Test
  void raisingTheCapacityPromotesTheWaitingLearners() {
    String batchId = "0132" + System.nanoTime();
    BatchTerms terms = BatchTerms.of(createBatch(batchId, 1));
    enrol(terms, "a");
    assertEquals(1, enrol(terms, "b").waitlistPosition());
    assertEquals(2, enrol(terms, "c").waitlistPosition());

    var changes = org.coursebatch.core.batch.BatchChanges.none(COURSE).withMaxParticipants(3);
    batchAsk(batchId, r -> new BatchCommand.UpdateBatch(changes, CREATOR, r));

    eventually(() -> {
      assertEquals(Participation.ACTIVE, enrollment(batchId, "b").participation());
      assertEquals(Participation.ACTIVE, enrollment(batchId, "c").participation());
    });
    eventually(() -> {
      Seats s = seats(batchId);
      assertEquals(Set.of("a", "b", "c"), s.holders());
      assertEquals(Set.of(), s.promotionsPending());
    });
  }

  @Test
  void aSeatClaimForAnUnknownBatchIsRefused() {
    String batchId = "0133" + System.nanoTime();
    var terms = new BatchTerms(batchId, COURSE, EnrollmentType.OPEN, org.coursebatch.core.batch.BatchStatus.IN_PROGRESS,
        null, true, null);
    var reply = enrollmentAsk(batchId, "u1", r -> new Enrol(terms, false, "u1", r));
    assertEquals(ErrorCode.INVALID_COURSE_BATCH_ID, assertInstanceOf(Rejected.class, reply).rejection().code());
    assertEquals(Participation.NONE, enrollment(batchId, "u1").participation());
  }

  @Test
  void aBatchWithoutCapacityIsNeverAsked() {
    String batchId = "0134" + System.nanoTime();
    BatchTerms terms = BatchTerms.of(createBatch(batchId, null));
    assertEquals(false, terms.limitedSeats());
    for (String u : List.of("x1", "x2", "x3")) {
      assertEquals(SeatClaim.NONE, enrol(terms, u).enrollment().seatClaim());
    }
    assertEquals(Seats.NONE, seats(batchId), "the batch keeps no learners");
  }
}
