package org.coursebatch.core.batch;

import org.coursebatch.core.CborSerializable;
import org.coursebatch.core.error.Rejection;

/** The entity's answer: the batch as it now is, or why nothing was done. */
public sealed interface BatchReply extends CborSerializable {

  record Accepted(BatchView view) implements BatchReply {}

  record Rejected(Rejection rejection) implements BatchReply {}

  /** The command's deadline had passed when the batch came to it: nothing was done. */
  record Expired(java.time.Instant deadline) implements BatchReply {}
}
