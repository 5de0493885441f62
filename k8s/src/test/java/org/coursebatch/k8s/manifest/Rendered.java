package org.coursebatch.k8s.manifest;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The objects a kustomization renders to, found by kind and name. */
public record Rendered(String name, List<ObjectNode> objects) {

  public Rendered {
    objects = List.copyOf(objects);
  }

  public List<ObjectNode> ofKind(String kind) {
    return objects.stream().filter(o -> kind.equals(o.path("kind").asText())).toList();
  }

  public Optional<ObjectNode> find(String kind, String name) {
    return objects.stream().filter(o -> Manifests.key(o).equals(kind + "/" + name)).findFirst();
  }

  /** The objects by {@code Kind/name}; two objects with one key are an error. */
  public Map<String, ObjectNode> byKey() {
    Map<String, ObjectNode> byKey = new LinkedHashMap<>();
    for (ObjectNode object : objects) {
      if (byKey.put(Manifests.key(object), object) != null) {
        throw new IllegalStateException(name + ": two objects " + Manifests.key(object));
      }
    }
    return byKey;
  }

  /** A deep copy, for tests that break one thing and expect a check to notice. */
  public Rendered copy() {
    return new Rendered(name, objects.stream().map(ObjectNode::deepCopy).toList());
  }
}
