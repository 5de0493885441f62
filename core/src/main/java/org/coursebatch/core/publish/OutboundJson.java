package org.coursebatch.core.publish;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * An outbound event as a message body: a JSON object with every field of {@link OutboundEvent}
 * (absent values as {@code null}, {@code occurredAt} as an ISO-8601 instant), the envelope whose
 * JSON Schema is in docs/events.md.
 */
public final class OutboundJson {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private OutboundJson() {}

  public static ObjectNode of(OutboundEvent e) {
    ObjectNode json = JsonNodeFactory.instance.objectNode();
    json.put("eventId", e.eventId());
    json.put("type", e.type());
    json.put("version", e.version());
    json.put("occurredAt", e.occurredAt() == null ? null : e.occurredAt().toString());
    json.put("actor", e.actor());
    json.put("batchId", e.batchId());
    json.put("courseId", e.courseId());
    json.put("userId", e.userId());
    json.put("key", e.key());
    json.set("change", e.change() == null ? JsonNodeFactory.instance.objectNode() : e.change());
    return json;
  }

  /** The message body: {@link #of}'s object as UTF-8 JSON. */
  public static byte[] bytes(OutboundEvent e) {
    return bytes(of(e));
  }

  static byte[] bytes(ObjectNode json) {
    try {
      return MAPPER.writeValueAsBytes(json);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("A JSON tree that does not write", e);
    }
  }
}
