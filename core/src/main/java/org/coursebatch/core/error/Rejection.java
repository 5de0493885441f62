package org.coursebatch.core.error;

import org.coursebatch.core.CborSerializable;

/** Why a request was refused: a code and a message that says what to fix. Nothing was changed. */
public record Rejection(ErrorCode code, String message) implements CborSerializable {

  public RejectedException asException() {
    return new RejectedException(this);
  }
}
