package org.coursebatch.k8s.contract;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;

/** Kubernetes label selectors: which labels a selector selects. */
final class Selectors {
  private Selectors() {}

  /** A Service's selector (a plain map) or a LabelSelector's matchLabels and matchExpressions. */
  static boolean selects(JsonNode selector, JsonNode labels) {
    if (selector.isMissingNode() || selector.isNull() || selector.isEmpty()) {
      return false; // an empty selector selects everything or nothing: never what is meant here
    }
    JsonNode matchLabels = selector.has("matchLabels") || selector.has("matchExpressions")
        ? selector.path("matchLabels") : selector;
    for (Map.Entry<String, JsonNode> label : matchLabels.properties()) {
      if (!label.getValue().asText().equals(labels.path(label.getKey()).asText(null))) {
        return false;
      }
    }
    for (JsonNode expression : selector.path("matchExpressions")) {
      String value = labels.path(expression.path("key").asText()).asText(null);
      boolean listed = false;
      for (JsonNode v : expression.path("values")) {
        listed |= v.asText().equals(value);
      }
      boolean ok = switch (expression.path("operator").asText()) {
        case "In" -> listed;
        case "NotIn" -> !listed;
        case "Exists" -> value != null;
        case "DoesNotExist" -> value == null;
        default -> false;
      };
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  /**
   * An equality-based selector as Akka's Kubernetes discovery sends it to the API server,
   * {@code a=b,c=d}, as a label map; null when it is anything else (set-based, !=, empty).
   */
  static Map<String, String> parseEquality(String selector) {
    Map<String, String> labels = new LinkedHashMap<>();
    for (String term : selector.split(",")) {
      String[] parts = term.trim().split("==?", -1);
      if (parts.length != 2 || parts[0].isBlank() || parts[0].endsWith("!")) {
        return null;
      }
      labels.put(parts[0].trim(), parts[1].trim());
    }
    return labels;
  }
}
