package org.coursebatch.core.access;

import org.coursebatch.core.error.Rejection;

/** What the access policy answers: allowed, saying by what right, or denied with the rejection to give. */
public sealed interface Decision {

  record Allowed(String because) implements Decision {}

  record Denied(Rejection rejection) implements Decision {}

  default boolean allowed() {
    return this instanceof Allowed;
  }

  /** Nothing when allowed; the rejection, thrown, when denied. */
  default void orThrow() {
    if (this instanceof Denied denied) {
      throw denied.rejection().asException();
    }
  }
}
