package org.coursebatch.core.enrollment.bulk;

import org.coursebatch.core.error.Rejection;

/** The outcome of one item of a bulk operation. */
public interface ItemResponse {

  /** Why the item failed (nothing changed for it), or null when it succeeded. */
  Rejection error();

  default boolean succeeded() {
    return error() == null;
  }
}
