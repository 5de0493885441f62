package org.coursebatch.k8s.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import org.coursebatch.k8s.Target;
import org.coursebatch.k8s.manifest.Manifests;
import org.coursebatch.k8s.manifest.Rendered;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class BuiltInKustomizeTest {
  private static final BuiltInKustomize BUILT_IN = new BuiltInKustomize();

  /** Where kustomize is installed, the fallback must give the very same objects. */
  @ParameterizedTest
  @EnumSource(Target.class)
  void rendersWhatKustomizeRenders(Target target) {
    Optional<KustomizeCli> kustomize = KustomizeCli.onPath();
    Assumptions.assumeTrue(kustomize.isPresent(),
        "neither kustomize nor kubectl is on the PATH: the built-in renderer is not compared with it");
    Map<String, ObjectNode> expected = new Rendered(target + "", kustomize.get().build(target.dir())).byKey();
    Map<String, ObjectNode> actual = new Rendered(target + "", BUILT_IN.build(target.dir())).byKey();
    assertEquals(new TreeSet<>(expected.keySet()), new TreeSet<>(actual.keySet()), target + ": objects");
    for (String key : expected.keySet()) {
      if (!expected.get(key).equals(actual.get(key))) {
        assertEquals(Manifests.sorted(expected.get(key)), Manifests.sorted(actual.get(key)),
            target + ": " + key + " (expected: " + kustomize.get().describe() + ", actual: built-in)");
      }
    }
  }

  @Test
  void localOverlayPatchesTheNodeAndSetsTheNamespace() {
    Rendered local = new Rendered("local", BUILT_IN.build(Target.LOCAL.dir()));
    ObjectNode deployment = local.find("Deployment", "course-batch").orElseThrow();
    JsonNode node = deployment.at("/spec/template/spec/containers/0");
    assertEquals("IfNotPresent", node.path("imagePullPolicy").asText());
    assertEquals("768Mi", node.at("/resources/limits/memory").asText());
    assertEquals(3, node.path("ports").size(), "the patch leaves the base's ports");
    assertEquals("course-batch", deployment.at("/metadata/namespace").asText());
    assertTrue(local.find("Namespace", "course-batch").orElseThrow().at("/metadata/namespace").isMissingNode());
    assertEquals("course-batch",
        local.find("RoleBinding", "course-batch-pod-reader").orElseThrow().at("/subjects/0/namespace").asText());
  }

  @Test
  void productionOverlayRenamesTheImageAndPatchesTheConfigMap() {
    Rendered production = new Rendered("production", BUILT_IN.build(Target.PRODUCTION.dir()));
    assertEquals("registry.example.com/course-batch-service:0.1.0", production.find("Deployment", "course-batch")
        .orElseThrow().at("/spec/template/spec/containers/0/image").asText());
    JsonNode data = production.find("ConfigMap", "course-batch-config").orElseThrow().path("data");
    assertEquals("jdbc:postgresql://postgres.example.internal:5432/coursebatch", data.path("BATCH_DB_URL").asText());
    assertEquals("kubernetes-api", data.path("BATCH_CLUSTER_DISCOVERY").asText(), "the base's keys stay");
  }

  @Test
  void refusesKustomizeFeaturesItDoesNotImplement(@TempDir Path dir) throws IOException {
    Files.writeString(dir.resolve("kustomization.yaml"), "resources: [cm.yaml]\ncommonLabels: {team: a}\n");
    Files.writeString(dir.resolve("cm.yaml"), "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n");
    Exception e = assertThrows(UnsupportedOperationException.class, () -> BUILT_IN.build(dir));
    assertTrue(e.getMessage().contains("commonLabels"), e.getMessage());
  }

  @Test
  void refusesToGuessHowAListWithoutAKnownMergeKeyMerges(@TempDir Path dir) throws IOException {
    Files.writeString(dir.resolve("kustomization.yaml"), "resources: [svc.yaml]\npatches: [{path: patch.yaml}]\n");
    Files.writeString(dir.resolve("svc.yaml"),
        "apiVersion: v1\nkind: Service\nmetadata: {name: a}\nspec: {ports: [{port: 80}]}\n");
    Files.writeString(dir.resolve("patch.yaml"),
        "apiVersion: v1\nkind: Service\nmetadata: {name: a}\nspec: {ports: [{port: 81}]}\n");
    Exception e = assertThrows(UnsupportedOperationException.class, () -> BUILT_IN.build(dir));
    assertTrue(e.getMessage().contains("ports"), e.getMessage());
  }

  @Test
  void aPatchWithoutTargetIsAnError(@TempDir Path dir) throws IOException {
    Files.writeString(dir.resolve("kustomization.yaml"), "resources: [cm.yaml]\npatches: [{path: patch.yaml}]\n");
    Files.writeString(dir.resolve("cm.yaml"), "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n");
    Files.writeString(dir.resolve("patch.yaml"), "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: b}\n");
    assertThrows(IllegalArgumentException.class, () -> BUILT_IN.build(dir));
  }
}
