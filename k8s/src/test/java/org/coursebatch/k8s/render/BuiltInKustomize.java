package org.coursebatch.k8s.render;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import org.coursebatch.k8s.manifest.Manifests;

/**
 * Renders exactly the part of kustomize the manifests under k8s/ use, so the checks run on a
 * machine without kustomize or kubectl: {@code resources} (files and directories), strategic-merge
 * {@code patches} given by {@code path}, {@code namespace} and {@code images}. Anything else in a
 * kustomization is refused, so a manifest that starts using more of kustomize fails here instead of
 * rendering differently. Where kustomize is installed, RendererTest compares the two.
 */
public final class BuiltInKustomize implements Kustomizer {
  private static final Set<String> SUPPORTED_FIELDS =
      Set.of("apiVersion", "kind", "resources", "patches", "namespace", "images");
  /** Kinds that live in a namespace and those that do not: kustomize sets the namespace of the first. */
  private static final Set<String> NAMESPACED = Set.of("ConfigMap", "Secret", "Service", "ServiceAccount",
      "Deployment", "StatefulSet", "Role", "RoleBinding", "PodDisruptionBudget", "PersistentVolumeClaim",
      "HorizontalPodAutoscaler", "ServiceMonitor");
  private static final Set<String> CLUSTER_SCOPED = Set.of("Namespace", "ClusterRole", "ClusterRoleBinding");

  @Override
  public String describe() {
    return "built-in renderer";
  }

  @Override
  public List<ObjectNode> build(Path dir) {
    Path file = dir.resolve("kustomization.yaml");
    List<ObjectNode> docs = Manifests.read(file);
    if (docs.size() != 1) {
      throw new IllegalArgumentException(file + ": expected one document");
    }
    ObjectNode kustomization = docs.get(0);
    kustomization.fieldNames().forEachRemaining(field -> {
      if (!SUPPORTED_FIELDS.contains(field)) {
        throw new UnsupportedOperationException("built-in renderer: " + file + " uses " + field);
      }
    });

    List<ObjectNode> objects = new ArrayList<>();
    for (JsonNode resource : kustomization.path("resources")) {
      Path path = dir.resolve(resource.asText()).normalize();
      objects.addAll(Files.isDirectory(path) ? build(path) : Manifests.read(path));
    }
    for (JsonNode patch : kustomization.path("patches")) {
      applyPatch(dir, patch, objects);
    }
    if (kustomization.hasNonNull("namespace")) {
      setNamespace(objects, kustomization.get("namespace").asText());
    }
    for (JsonNode image : kustomization.path("images")) {
      objects.forEach(o -> replaceImages(o, image));
    }
    return objects;
  }

  private static void applyPatch(Path dir, JsonNode patch, List<ObjectNode> objects) {
    Iterator<String> fields = patch.fieldNames();
    while (fields.hasNext()) {
      String field = fields.next();
      if (!field.equals("path")) {
        throw new UnsupportedOperationException("built-in renderer: patches with " + field);
      }
    }
    Path file = dir.resolve(patch.path("path").asText());
    for (ObjectNode change : Manifests.read(file)) {
      List<ObjectNode> targets = objects.stream()
          .filter(o -> Manifests.key(o).equals(Manifests.key(change))
              && o.path("apiVersion").equals(change.path("apiVersion")))
          .toList();
      if (targets.size() != 1) {
        throw new IllegalArgumentException(file + ": " + targets.size() + " objects match " + Manifests.key(change));
      }
      StrategicMerge.apply(targets.get(0), change, Manifests.key(change));
    }
  }

  private static void setNamespace(List<ObjectNode> objects, String namespace) {
    for (ObjectNode object : objects) {
      String kind = object.path("kind").asText();
      if (NAMESPACED.contains(kind)) {
        ((ObjectNode) object.get("metadata")).put("namespace", namespace);
      } else if (!CLUSTER_SCOPED.contains(kind)) {
        throw new UnsupportedOperationException("built-in renderer: is " + kind + " namespaced?");
      }
      if (kind.equals("RoleBinding") || kind.equals("ClusterRoleBinding")) {
        for (JsonNode subject : object.path("subjects")) {
          if (subject.path("kind").asText().equals("ServiceAccount") && !subject.hasNonNull("namespace")) {
            ((ObjectNode) subject).put("namespace", namespace);
          }
        }
      }
    }
  }

  /** Every container's image named {@code images[].name}, wherever containers are in the object. */
  private static void replaceImages(JsonNode node, JsonNode image) {
    if (node.isArray()) {
      node.forEach(element -> replaceImages(element, image));
      return;
    }
    if (!node.isObject()) {
      return;
    }
    for (String list : List.of("containers", "initContainers")) {
      for (JsonNode container : node.path(list)) {
        String current = container.path("image").asText();
        if (imageName(current).equals(image.path("name").asText())) {
          ((ObjectNode) container).put("image", newImage(current, image));
        }
      }
    }
    node.elements().forEachRemaining(child -> replaceImages(child, image));
  }

  private static String imageName(String image) {
    int at = image.indexOf('@');
    String name = at >= 0 ? image.substring(0, at) : image;
    int colon = name.lastIndexOf(':');
    return colon > name.lastIndexOf('/') ? name.substring(0, colon) : name;
  }

  private static String newImage(String current, JsonNode image) {
    Iterator<String> fields = image.fieldNames();
    while (fields.hasNext()) {
      String field = fields.next();
      if (!Set.of("name", "newName", "newTag", "digest").contains(field)) {
        throw new UnsupportedOperationException("built-in renderer: images with " + field);
      }
    }
    String name = image.path("newName").asText(imageName(current));
    if (image.hasNonNull("digest")) {
      return name + "@" + image.get("digest").asText();
    }
    if (image.hasNonNull("newTag")) {
      return name + ":" + image.get("newTag").asText();
    }
    return name + current.substring(imageName(current).length());
  }
}
