package org.coursebatch.core.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.coursebatch.core.JournalEvent;
import org.coursebatch.core.batch.BatchEvent.BatchCreated;
import org.coursebatch.core.batch.BatchEvent.CapacityChanged;
import org.coursebatch.core.batch.BatchEvent.PromotionConfirmed;
import org.coursebatch.core.batch.BatchEvent.SeatPromoted;
import org.coursebatch.core.batch.BatchEvent.SeatReleased;
import org.coursebatch.core.batch.BatchEvent.SeatTaken;
import org.coursebatch.core.batch.BatchEvent.SeatWaitlisted;
import org.coursebatch.core.error.ErrorCode;
import org.coursebatch.core.identity.Caller;
import org.junit.jupiter.api.Test;

/**
 * Seat allocation of batches with a capacity, as pure functions: each decision is applied to the
 * batch the way the entity does ({@link Batch#apply}), so the state after a sequence of claims and
 * releases is the one the entity would recover.
 */
class SeatRulesTest {

  private static final Instant NOW = Instant.parse("2030-03-10T10:00:00Z");
  private static final LocalDate TODAY = LocalDate.of(2030, 3, 10);
  private static final String COURSE = "do_course_1";
  private static final Caller CREATOR = Caller.of("user-creator");
  private static final String B = "b-1";

  /** A batch created through the rules with the given capacity (null: none). */
  private static Batch batch(Integer maxParticipants) {
    var created = new BatchCreated(B, COURSE, "Batch", null, null, EnrollmentType.OPEN, TODAY.plusDays(1),
        TODAY.plusDays(30), null, "UTC", List.of(), List.of(), BatchStatus.UPCOMING, CREATOR.userId(),
        NOW.minus(Duration.ofDays(1)), maxParticipants);
    return (Batch) BatchState.empty().apply(created);
  }

  private static Batch apply(Batch b, List<BatchEvent> events) {
    BatchState s = b;
    for (BatchEvent e : events) {
      s = s.apply(e);
    }
    return (Batch) s;
  }

  /** Claims a seat and applies what the claim recorded. */
  private static Batch claimed(Batch b, String userId) {
    return apply(b, SeatRules.claim(b, userId, userId, NOW).events());
  }

  private static Batch full(String... holders) {
    Batch b = batch(holders.length);
    for (String h : holders) {
      b = claimed(b, h);
    }
    return b;
  }

  // ---------------------------------------------------------------- claim

  @Test
  void claimsAreGrantedUntilTheCapacityIsReached() {
    Batch b = batch(2);
    var first = SeatRules.claim(b, "u1", "u1", NOW);
    assertInstanceOf(SeatReply.Granted.class, first.reply());
    assertEquals(List.of(new SeatTaken(B, "u1", "u1", NOW)), first.events());
    b = apply(b, first.events());
    var second = SeatRules.claim(b, "u2", "admin", NOW);
    assertInstanceOf(SeatReply.Granted.class, second.reply());
    assertEquals(List.of(new SeatTaken(B, "u2", "admin", NOW)), second.events(), "the actor is recorded as given");
    b = apply(b, second.events());
    assertEquals(Set.of("u1", "u2"), b.seats().holders());
    assertEquals(List.of(), b.seats().waitlist());
  }

  @Test
  void aFullBatchWaitlistsWithIncreasingTicketsAndPositions() {
    Batch b = full("u1", "u2");
    var third = SeatRules.claim(b, "u3", "u3", NOW);
    assertEquals(new SeatReply.Waitlisted(1, 1), third.reply());
    assertEquals(List.of(new SeatWaitlisted(B, "u3", 1, "u3", NOW)), third.events());
    b = apply(b, third.events());
    var fourth = SeatRules.claim(b, "u4", "u4", NOW);
    assertEquals(new SeatReply.Waitlisted(2, 2), fourth.reply());
    assertEquals(List.of(new SeatWaitlisted(B, "u4", 2, "u4", NOW)), fourth.events());
    b = apply(b, fourth.events());
    assertEquals(List.of(new Seats.Waiting("u3", 1), new Seats.Waiting("u4", 2)), b.seats().waitlist());
    assertEquals(Optional.of(1), b.seats().positionOf("u3"));
    assertEquals(Optional.of(2), b.seats().positionOf("u4"));
    assertEquals(Optional.empty(), b.seats().positionOf("u1"), "holders are not on the waitlist");
    assertEquals(3, b.seats().nextTicket());
  }

  @Test
  void ticketsKeepGrowingAfterTheWaitlistEmpties() {
    Batch b = full("u1");
    b = claimed(b, "u2"); // ticket 1
    b = apply(b, SeatRules.release(b, "u2", "u2", NOW));
    assertEquals(List.of(), b.seats().waitlist());
    var again = SeatRules.claim(b, "u3", "u3", NOW);
    assertEquals(new SeatReply.Waitlisted(2, 1), again.reply(), "a new ticket, position 1");
  }

  @Test
  void claimsAreIdempotent() {
    Batch b = claimed(full("u1", "u2"), "u3");
    b = claimed(b, "u4");
    var holder = SeatRules.claim(b, "u1", "u1", NOW);
    assertInstanceOf(SeatReply.Granted.class, holder.reply());
    assertEquals(List.of(), holder.events());
    var waiting = SeatRules.claim(b, "u4", "u4", NOW);
    assertEquals(new SeatReply.Waitlisted(2, 2), waiting.reply(), "same ticket, same position");
    assertEquals(List.of(), waiting.events());
  }

  @Test
  void batchWithoutCapacityGrantsWithoutRecordingAnything() {
    Batch b = batch(null);
    assertFalse(b.hasCapacity());
    var claim = SeatRules.claim(b, "u1", "u1", NOW);
    assertInstanceOf(SeatReply.Granted.class, claim.reply());
    assertEquals(List.of(), claim.events());
    assertEquals(List.of(), SeatRules.release(b, "u1", "u1", NOW));
    assertEquals(Seats.NONE, b.seats());
  }

  // ---------------------------------------------------------------- release

  @Test
  void releasingASeatPromotesTheFirstWaiting() {
    Batch b = claimed(claimed(full("u1", "u2"), "u3"), "u4");
    var events = SeatRules.release(b, "u1", "u1", NOW);
    assertEquals(List.of(new SeatReleased(B, "u1", "u1", NOW), new SeatPromoted(B, "u3", JournalEvent.SYSTEM, NOW)),
        events);
    b = apply(b, events);
    assertEquals(Set.of("u2", "u3"), b.seats().holders());
    assertEquals(Set.of("u3"), b.seats().promotionsPending());
    assertEquals(List.of(new Seats.Waiting("u4", 2)), b.seats().waitlist());
    assertEquals(Optional.of(1), b.seats().positionOf("u4"), "everyone behind moves up");
  }

  @Test
  void leavingTheWaitlistPromotesNobody() {
    Batch b = claimed(claimed(full("u1", "u2"), "u3"), "u4");
    var events = SeatRules.release(b, "u3", "u3", NOW);
    assertEquals(List.of(new SeatReleased(B, "u3", "u3", NOW)), events);
    b = apply(b, events);
    assertEquals(Set.of("u1", "u2"), b.seats().holders());
    assertEquals(List.of(new Seats.Waiting("u4", 2)), b.seats().waitlist());
  }

  @Test
  void releaseOfAnUnknownUserRecordsNothing() {
    Batch b = claimed(full("u1"), "u2");
    assertEquals(List.of(), SeatRules.release(b, "nobody", "nobody", NOW));
    // A release retried after it was recorded changes nothing more.
    b = apply(b, SeatRules.release(b, "u2", "u2", NOW));
    assertEquals(List.of(), SeatRules.release(b, "u2", "u2", NOW));
  }

  // ---------------------------------------------------------------- promotion answers

  @Test
  void anAcceptedPromotionIsConfirmed() {
    Batch b = claimed(full("u1"), "u2");
    b = apply(b, SeatRules.release(b, "u1", "u1", NOW));
    assertEquals(Set.of("u2"), b.seats().promotionsPending());
    var events = SeatRules.promotionAnswered(b, "u2", true, NOW);
    assertEquals(List.of(new PromotionConfirmed(B, "u2", JournalEvent.SYSTEM, NOW)), events);
    b = apply(b, events);
    assertEquals(Set.of(), b.seats().promotionsPending());
    assertTrue(b.seats().holds("u2"));
    assertEquals(List.of(), SeatRules.promotionAnswered(b, "u2", true, NOW), "a repeated answer changes nothing");
  }

  @Test
  void aDeclinedPromotionReleasesTheSeatToTheNextWaiting() {
    Batch b = claimed(claimed(full("u1"), "u2"), "u3");
    b = apply(b, SeatRules.release(b, "u1", "u1", NOW));
    var events = SeatRules.promotionAnswered(b, "u2", false, NOW);
    assertEquals(List.of(new SeatReleased(B, "u2", JournalEvent.SYSTEM, NOW),
        new SeatPromoted(B, "u3", JournalEvent.SYSTEM, NOW)), events);
    b = apply(b, events);
    assertEquals(Set.of("u3"), b.seats().holders());
    assertEquals(Set.of("u3"), b.seats().promotionsPending());
    assertEquals(List.of(), b.seats().waitlist());
  }

  @Test
  void answersForLearnersWithoutAPendingPromotionAreIgnored() {
    Batch b = claimed(full("u1"), "u2");
    assertEquals(List.of(), SeatRules.promotionAnswered(b, "u1", false, NOW), "a holder who was not promoted");
    assertEquals(List.of(), SeatRules.promotionAnswered(b, "u2", true, NOW), "a learner still waiting");
  }

  // ---------------------------------------------------------------- capacity changes

  @Test
  void raisingTheCapacityPromotesWaitingLearners() {
    Batch b = claimed(claimed(claimed(full("u1", "u2"), "u3"), "u4"), "u5");
    var d = BatchRules.update(b, BatchChanges.none(COURSE).withMaxParticipants(4), CREATOR, NOW);
    assertFalse(d.rejected(), () -> "rejected: " + d.rejection());
    assertEquals(List.of(
        new CapacityChanged(B, 2, 4, CREATOR.userId(), NOW),
        new SeatPromoted(B, "u3", CREATOR.userId(), NOW),
        new SeatPromoted(B, "u4", CREATOR.userId(), NOW)), d.events());
    b = apply(b, d.events());
    assertEquals(4, b.maxParticipants());
    assertEquals(Set.of("u1", "u2", "u3", "u4"), b.seats().holders());
    assertEquals(Set.of("u3", "u4"), b.seats().promotionsPending());
    assertEquals(Optional.of(1), b.seats().positionOf("u5"));
  }

  @Test
  void loweringTheCapacityRemovesNobodyButWaitlistsNewcomers() {
    Batch b = full("u1", "u2", "u3");
    var d = BatchRules.update(b, BatchChanges.none(COURSE).withMaxParticipants(1), CREATOR, NOW);
    assertEquals(List.of(new CapacityChanged(B, 3, 1, CREATOR.userId(), NOW)), d.events());
    b = apply(b, d.events());
    assertEquals(Set.of("u1", "u2", "u3"), b.seats().holders());
    assertEquals(new SeatReply.Waitlisted(1, 1), SeatRules.claim(b, "u4", "u4", NOW).reply());
    // Two leave: still at (or over) the new capacity, so nobody is promoted.
    b = claimed(b, "u4");
    b = apply(b, SeatRules.release(b, "u1", "u1", NOW));
    assertEquals(List.of(new SeatReleased(B, "u2", "u2", NOW)), SeatRules.release(b, "u2", "u2", NOW));
  }

  @Test
  void sameCapacityIsNoChange() {
    Batch b = full("u1", "u2");
    var d = BatchRules.update(b, BatchChanges.none(COURSE).withMaxParticipants(2), CREATOR, NOW);
    assertFalse(d.rejected());
    assertEquals(List.of(), d.events());
  }

  @Test
  void aCapacityCannotBeSetOnABatchCreatedWithoutOne() {
    var d = BatchRules.update(batch(null), BatchChanges.none(COURSE).withMaxParticipants(10), CREATOR, NOW);
    assertEquals(ErrorCode.CAPACITY_FIXED_AT_CREATION, d.rejection().code());
    assertTrue(d.events().isEmpty());
    // Clearing an absent capacity is no change at all.
    var none = BatchRules.update(batch(null), BatchChanges.none(COURSE).withMaxParticipants(null), CREATOR, NOW);
    assertFalse(none.rejected());
    assertEquals(List.of(), none.events());
  }

  @Test
  void aCapacityCannotBeCleared() {
    var d = BatchRules.update(batch(5), BatchChanges.none(COURSE).withMaxParticipants(null), CREATOR, NOW);
    assertEquals(ErrorCode.INVALID_PARAMETER_VALUE, d.rejection().code());
    assertTrue(d.events().isEmpty());
  }

  @Test
  void otherChangesKeepTheCapacity() {
    var d = BatchRules.update(batch(5), BatchChanges.none(COURSE).withName("Renamed"), CREATOR, NOW);
    Batch b = apply(batch(5), d.events());
    assertEquals(5, b.maxParticipants());
    assertEquals("Renamed", b.name());
  }

  @Test
  void capacityIsRecordedAtCreation() {
    var nb = new NewBatch(COURSE, "Batch", null, null, EnrollmentType.OPEN, TODAY.plusDays(1), null, null, List.of(),
        List.of(), 25);
    var d = BatchRules.create(B, nb, "UTC", CREATOR, NOW);
    BatchCreated created = assertInstanceOf(BatchCreated.class, d.events().get(0));
    assertEquals(25, created.maxParticipants());
    assertTrue(((Batch) BatchState.empty().apply(created)).hasCapacity());
  }

  @Test
  void seatBookkeepingIsNotAnEditOfTheBatch() {
    Batch b = claimed(full("u1"), "u2");
    assertEquals(null, b.updatedBy());
    assertEquals(null, b.updatedDate());
  }
}
