package org.coursebatch.http.batch;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.coursebatch.core.batch.BatchView;
import org.coursebatch.http.api.Envelope;

/** A batch as a JSON tree, for answers that pick some of its fields by name. */
public final class BatchJson {

  private BatchJson() {}

  /** The {@link BatchDocument} of {@code view} as a tree. */
  public static ObjectNode view(BatchView view) {
    return Envelope.JSON.valueToTree(BatchDocument.of(view));
  }
}
