package org.coursebatch.http.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.coursebatch.core.error.ErrorCode;
import org.coursebatch.core.json.JsonFields;

/** Reads the elements of request lists so that errors name them with their index ({@code contents[2].progress}). */
public final class JsonElements {

  private JsonElements() {}

  /**
   * An element of a list, which must be an object: JsonFields prefixes the fields of nested
   * objects with their path, so the element is read as the field {@code name} of a holder.
   */
  public static JsonFields element(JsonNode value, String name) {
    ObjectNode holder = Envelope.JSON.createObjectNode();
    holder.set(name, value);
    return JsonFields.of(holder, name).object(name)
        .orElseThrow(() -> ErrorCode.DATA_TYPE_ERROR.reject(name, "Map").asException());
  }
}
