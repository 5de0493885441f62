package org.coursebatch.k8s.render;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.Map;

/**
 * The part of Kubernetes' strategic merge patch the overlays use: mappings merge key by key, a
 * null deletes a key, lists of objects merge element by element on their merge key (the key the
 * Kubernetes API declares for them), any other list or value is replaced. A list of objects whose
 * merge key is not known here, or a {@code $patch}-style directive, is refused rather than guessed.
 */
final class StrategicMerge {
  /** List field → merge key, as in the Kubernetes API for the pod template. */
  private static final Map<String, String> MERGE_KEYS = Map.of(
      "containers", "name",
      "initContainers", "name",
      "env", "name",
      "volumes", "name",
      "volumeMounts", "mountPath",
      "imagePullSecrets", "name");

  private StrategicMerge() {}

  static void apply(ObjectNode target, ObjectNode patch, String path) {
    Iterator<Map.Entry<String, JsonNode>> fields = patch.properties().iterator();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> field = fields.next();
      String key = field.getKey();
      JsonNode value = field.getValue();
      String at = path + "." + key;
      if (key.startsWith("$")) {
        throw new UnsupportedOperationException("built-in renderer: patch directive " + at);
      }
      JsonNode current = target.get(key);
      if (value.isNull()) {
        target.remove(key);
      } else if (value.isObject() && current != null && current.isObject()) {
        apply((ObjectNode) current, (ObjectNode) value, at);
      } else if (value.isArray() && current != null && current.isArray() && holdsObjects(value)) {
        mergeList((ArrayNode) current, (ArrayNode) value, key, at);
      } else {
        target.set(key, value.deepCopy());
      }
    }
  }

  private static void mergeList(ArrayNode target, ArrayNode patch, String field, String path) {
    String mergeKey = MERGE_KEYS.get(field);
    if (mergeKey == null) {
      throw new UnsupportedOperationException("built-in renderer: no merge key known for the list " + path);
    }
    for (JsonNode element : patch) {
      JsonNode id = element.get(mergeKey);
      if (id == null) {
        throw new IllegalArgumentException(path + ": a patch element has no " + mergeKey);
      }
      ObjectNode match = null;
      for (JsonNode existing : target) {
        if (id.equals(existing.get(mergeKey))) {
          match = (ObjectNode) existing;
        }
      }
      if (match == null) {
        target.add(element.deepCopy());
      } else {
        apply(match, (ObjectNode) element, path + "[" + mergeKey + "=" + id.asText() + "]");
      }
    }
  }

  private static boolean holdsObjects(JsonNode list) {
    for (JsonNode element : list) {
      if (!element.isObject()) {
        return false;
      }
    }
    return list.size() > 0;
  }
}
