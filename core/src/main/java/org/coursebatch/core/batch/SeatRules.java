package org.coursebatch.core.batch;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.coursebatch.core.JournalEvent;
import org.coursebatch.core.batch.BatchEvent.*;

/**
 * Seat allocation for batches with a capacity, as pure functions. Every decision is idempotent
 * for the same learner (a retried claim or release changes nothing more), because enrolments
 * retry after timeouts and restarts.
 */
public final class SeatRules {

  private SeatRules() {}

  /** The outcome of a claim and the events that record it (none when nothing changes). */
  public record Claim(SeatReply reply, List<BatchEvent> events) {}

  public static Claim claim(Batch batch, String userId, String actor, Instant now) {
    Seats seats = batch.seats();
    if (!batch.hasCapacity() || seats.holds(userId)) {
      return new Claim(new SeatReply.Granted(), List.of());
    }
    var waiting = seats.waiting(userId);
    if (waiting.isPresent()) {
      return new Claim(new SeatReply.Waitlisted(waiting.get().ticket(), seats.positionOf(userId).orElseThrow()), List.of());
    }
    if (seats.holders().size() < batch.maxParticipants()) {
      return new Claim(new SeatReply.Granted(), List.of(new SeatTaken(batch.batchId(), userId, actor, now)));
    }
    long ticket = seats.nextTicket();
    return new Claim(new SeatReply.Waitlisted(ticket, seats.waitlist().size() + 1),
        List.of(new SeatWaitlisted(batch.batchId(), userId, ticket, actor, now)));
  }

  /** Gives back a seat or a waitlist place; the freed seat goes to the first waiting learner. */
  public static List<BatchEvent> release(Batch batch, String userId, String actor, Instant now) {
    Seats seats = batch.seats();
    if (!batch.hasCapacity() || (!seats.holds(userId) && seats.waiting(userId).isEmpty())) {
      return List.of();
    }
    List<BatchEvent> events = new ArrayList<>();
    events.add(new SeatReleased(batch.batchId(), userId, actor, now));
    events.addAll(fillSeats(seats.release(userId), batch.maxParticipants(), batch.batchId(), JournalEvent.SYSTEM, now));
    return events;
  }

  /** The promoted learner's enrolment took the seat, or declined it (it had unenrolled meanwhile). */
  public static List<BatchEvent> promotionAnswered(Batch batch, String userId, boolean accepted, Instant now) {
    if (!batch.seats().promotionsPending().contains(userId)) {
      return List.of();
    }
    if (accepted) {
      return List.of(new PromotionConfirmed(batch.batchId(), userId, JournalEvent.SYSTEM, now));
    }
    return release(batch, userId, JournalEvent.SYSTEM, now);
  }

  /** Promotes waiting learners, first come first served, while seats are free. */
  static List<BatchEvent> fillSeats(Seats seats, int max, String batchId, String actor, Instant now) {
    List<BatchEvent> events = new ArrayList<>();
    Seats s = seats;
    while (s.holders().size() < max && !s.waitlist().isEmpty()) {
      String next = s.waitlist().get(0).userId();
      events.add(new SeatPromoted(batchId, next, actor, now));
      s = s.promote(next);
    }
    return events;
  }
}
