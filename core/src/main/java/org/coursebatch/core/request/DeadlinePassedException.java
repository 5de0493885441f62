package org.coursebatch.core.request;

import java.time.Instant;
import java.util.concurrent.TimeoutException;

/**
 * A command was not applied because its deadline passed before the entity could handle it (or
 * before it could be sent): an ask timeout in all but name, and answered as one (503).
 */
public final class DeadlinePassedException extends TimeoutException {

  public DeadlinePassedException(String what, Instant deadline) {
    super(what + " was not applied: its deadline " + deadline + " passed before it could be handled");
  }
}
