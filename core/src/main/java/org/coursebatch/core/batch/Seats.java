package org.coursebatch.core.batch;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The places of a batch with a capacity ({@code maxParticipants}): who holds a seat, who waits for
 * one (first come, first served) and which promotions from the waitlist the promoted learners'
 * enrolments have not yet confirmed. Only batches with a capacity keep this; for them, seat
 * allocation is the one enrolment decision that has to go through the batch.
 *
 * @param holders in the order of their ids (a {@link SeatHolders}, however given)
 * @param nextTicket waitlist tickets only grow, so a position is the number of waiting tickets up to one's own
 */
public record Seats(Set<String> holders, List<Waiting> waitlist, Set<String> promotionsPending, long nextTicket) {

  /** A learner waiting for a seat, with the ticket that orders the waitlist. */
  public record Waiting(String userId, long ticket) {}

  public static final Seats NONE = new Seats(Set.of(), List.of(), Set.of(), 1);

  public Seats {
    holders = SeatHolders.of(holders);
    waitlist = waitlist == null ? List.of() : List.copyOf(waitlist);
    promotionsPending = Collections.unmodifiableSet(new LinkedHashSet<>(promotionsPending == null ? Set.of() : promotionsPending));
  }

  /** The holders as the constructor keeps them. */
  private SeatHolders holderSet() {
    return (SeatHolders) holders;
  }

  public boolean holds(String userId) {
    return holders.contains(userId);
  }

  public Optional<Waiting> waiting(String userId) {
    return waitlist.stream().filter(w -> w.userId().equals(userId)).findFirst();
  }

  /** 1-based position on the waitlist. */
  public Optional<Integer> positionOf(String userId) {
    for (int i = 0; i < waitlist.size(); i++) {
      if (waitlist.get(i).userId().equals(userId)) {
        return Optional.of(i + 1);
      }
    }
    return Optional.empty();
  }

  Seats take(String userId) {
    return new Seats(holderSet().with(userId), waitlist, promotionsPending, nextTicket);
  }

  Seats enqueue(String userId, long ticket) {
    var w = new ArrayList<>(waitlist);
    w.add(new Waiting(userId, ticket));
    return new Seats(holders, w, promotionsPending, Math.max(nextTicket, ticket + 1));
  }

  /** Gives up a seat or a place on the waitlist (and any promotion not yet confirmed). */
  Seats release(String userId) {
    var h = holderSet().without(userId);
    var p = new LinkedHashSet<>(promotionsPending);
    p.remove(userId);
    var w = waitlist.stream().filter(x -> !x.userId().equals(userId)).toList();
    return new Seats(h, w, p, nextTicket);
  }

  /** The first waiting learner moves to a seat; the enrolment still has to confirm. */
  Seats promote(String userId) {
    var h = holderSet().with(userId);
    var p = new LinkedHashSet<>(promotionsPending);
    p.add(userId);
    var w = waitlist.stream().filter(x -> !x.userId().equals(userId)).toList();
    return new Seats(h, w, p, nextTicket);
  }

  Seats promotionConfirmed(String userId) {
    var p = new LinkedHashSet<>(promotionsPending);
    p.remove(userId);
    return new Seats(holders, waitlist, p, nextTicket);
  }
}
