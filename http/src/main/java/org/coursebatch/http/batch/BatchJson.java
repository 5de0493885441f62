package org.coursebatch.http.batch;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.coursebatch.core.batch.BatchView;
import org.coursebatch.http.api.Envelope;

/** A batch as a JSON tree, for answers that pick some of its fields by name. */
public final class BatchJson {

  /**
   * The API's mapper, making trees that write the same bytes as the record: stored decimals (a
   * template's issuer, say) keep their trailing zeros, which a tree made by {@link Envelope#JSON} drops.
   */
  private static final ObjectMapper TREES = Envelope.JSON.copy().configure(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES, false);

  private BatchJson() {}

  /** The {@link BatchDocument} of {@code view} as a tree. */
  public static ObjectNode view(BatchView view) {
    return TREES.valueToTree(BatchDocument.of(view));
  }
}
