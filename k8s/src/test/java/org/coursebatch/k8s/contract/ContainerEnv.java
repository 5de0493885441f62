package org.coursebatch.k8s.contract;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.coursebatch.k8s.manifest.Rendered;

/**
 * The environment of one container as the kubelet builds it: {@code envFrom} ConfigMaps in order
 * (a later one wins), then {@code env} entries over them. ConfigMap values are read from the
 * rendered objects.
 */
final class ContainerEnv {
  private final JsonNode container;
  private final Rendered rendered;

  ContainerEnv(JsonNode container, Rendered rendered) {
    this.container = container;
    this.rendered = rendered;
  }

  /** The variable's {@code env} entry, if it has one (the last one counts). */
  Optional<JsonNode> entry(String name) {
    JsonNode found = null;
    for (JsonNode entry : container.path("env")) {
      if (entry.path("name").asText().equals(name)) {
        found = entry;
      }
    }
    return Optional.ofNullable(found);
  }

  /** The variable's plain value: literal in {@code env}, or from a ConfigMap of the render. */
  Optional<String> value(String name) {
    Optional<JsonNode> entry = entry(name);
    if (entry.isPresent()) {
      JsonNode e = entry.get();
      if (e.has("value")) {
        return Optional.of(e.get("value").asText());
      }
      JsonNode ref = e.at("/valueFrom/configMapKeyRef");
      return ref.isMissingNode() ? Optional.empty() : configMapValue(ref.path("name").asText(), ref.path("key").asText());
    }
    Optional<String> value = Optional.empty();
    for (JsonNode source : container.path("envFrom")) {
      if (source.has("configMapRef")) {
        String prefix = source.path("prefix").asText("");
        if (name.startsWith(prefix)) {
          Optional<String> v = configMapValue(source.at("/configMapRef/name").asText(), name.substring(prefix.length()));
          value = v.isPresent() ? v : value;
        }
      }
    }
    return value;
  }

  /** Whether the variable comes from a key of a Secret. */
  boolean fromSecret(String name) {
    return entry(name).map(e -> e.at("/valueFrom/secretKeyRef").isObject()).orElse(false);
  }

  /** Whether the variable is the pod's IP (downward API). */
  boolean podIp(String name) {
    return entry(name).map(e -> e.at("/valueFrom/fieldRef/fieldPath").asText().equals("status.podIP")).orElse(false);
  }

  /** Every plain value the container gets, with its command and args: where JVM flags could hide. */
  List<String> everyValue() {
    List<String> values = new ArrayList<>();
    container.path("command").forEach(v -> values.add(v.asText()));
    container.path("args").forEach(v -> values.add(v.asText()));
    container.path("env").forEach(e -> value(e.path("name").asText()).ifPresent(values::add));
    for (JsonNode source : container.path("envFrom")) {
      rendered.find("ConfigMap", source.at("/configMapRef/name").asText())
          .ifPresent(cm -> cm.path("data").forEach(v -> values.add(v.asText())));
    }
    return values;
  }

  private Optional<String> configMapValue(String configMap, String key) {
    return rendered.find("ConfigMap", configMap).map(cm -> cm.path("data").get(key)).map(JsonNode::asText);
  }
}
