package org.coursebatch.core.json;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Jackson reads an absent or null JSON part of a stored event back as {@code NullNode}; records
 * normalise both to Java null so that a state rebuilt from the journal equals the original.
 */
public final class AbsentJson {

  private AbsentJson() {}

  public static JsonNode orNull(JsonNode node) {
    return node == null || node.isNull() || node.isMissingNode() ? null : node;
  }
}
