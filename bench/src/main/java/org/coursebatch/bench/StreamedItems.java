package org.coursebatch.bench;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.util.function.Consumer;

/**
 * Reads a streamed bulk response ({@code {"id",…,"result":{"<field>":[item,…],"summary":{…}},"params":{…},…}})
 * as it arrives: each item of {@code result.<field>} goes to a consumer as soon as its bytes are
 * in, so nothing but the item at hand is held. The other fields are kept as trees.
 */
final class StreamedItems {

  /** What came besides the items: {@code result.summary}, {@code params} and {@code responseCode} (missing when absent). */
  record Tail(JsonNode summary, JsonNode params, JsonNode responseCode) {}

  private StreamedItems() {}

  static Tail read(InputStream body, String field, Consumer<JsonNode> item) throws IOException {
    JsonNode summary = LoadNode.JSON.missingNode();
    JsonNode params = LoadNode.JSON.missingNode();
    JsonNode responseCode = LoadNode.JSON.missingNode();
    try (JsonParser p = LoadNode.JSON.createParser(body)) {
      expect(p, p.nextToken(), JsonToken.START_OBJECT);
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        p.nextToken();
        if (name.equals("result")) {
          expect(p, p.currentToken(), JsonToken.START_OBJECT);
          while (p.nextToken() == JsonToken.FIELD_NAME) {
            String inner = p.currentName();
            JsonToken value = p.nextToken();
            if (inner.equals(field) && value == JsonToken.START_ARRAY) {
              while (p.nextToken() == JsonToken.START_OBJECT) {
                item.accept(p.readValueAsTree());
              }
            } else if (inner.equals("summary")) {
              summary = p.readValueAsTree();
            } else {
              p.skipChildren();
            }
          }
        } else if (name.equals("params")) {
          params = p.readValueAsTree();
        } else if (name.equals("responseCode")) {
          responseCode = p.readValueAsTree();
        } else {
          p.skipChildren();
        }
      }
    }
    return new Tail(summary, params, responseCode);
  }

  private static void expect(JsonParser p, JsonToken actual, JsonToken expected) throws IOException {
    if (actual != expected) {
      throw new IOException("Expected " + expected + " but found " + actual + " at " + p.currentLocation());
    }
  }
}
