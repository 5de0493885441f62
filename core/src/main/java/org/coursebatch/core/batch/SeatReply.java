package org.coursebatch.core.batch;

import org.coursebatch.core.CborSerializable;
import org.coursebatch.core.error.Rejection;

/** The batch's answer to a seat claim or release. */
public sealed interface SeatReply extends CborSerializable {

  /** The learner holds a seat (or the batch has no capacity). */
  record Granted() implements SeatReply {}

  /** The batch is full: the learner waits at {@code position} (1 = next), ordered by {@code ticket}. */
  record Waitlisted(long ticket, int position) implements SeatReply {}

  /** The seat or waitlist place is given back. */
  record Released() implements SeatReply {}

  record Rejected(Rejection rejection) implements SeatReply {}
}
