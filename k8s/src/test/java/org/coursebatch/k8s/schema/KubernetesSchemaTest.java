package org.coursebatch.k8s.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.stream.Collectors;
import org.coursebatch.k8s.Target;
import org.coursebatch.k8s.manifest.Manifests;
import org.coursebatch.k8s.manifest.Rendered;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class KubernetesSchemaTest {
  private static final KubernetesSchema SCHEMA = KubernetesSchema.load();

  @ParameterizedTest
  @EnumSource(Target.class)
  void everyRenderedObjectIsValid(Target target) {
    Rendered rendered = target.render();
    assertTrue(rendered.objects().size() > 0, target + " renders nothing");
    List<String> problems = rendered.objects().stream().flatMap(o -> SCHEMA.validate(o).stream()).toList();
    assertEquals(List.of(), problems, target + " with " + Target.KUSTOMIZER.describe());
  }

  @Test
  void everyRequiredRuleNamesATypeOfTheSchema() {
    String missing = KubernetesSchema.REQUIRED.keySet().stream()
        .filter(name -> !SCHEMA.defines(name)).collect(Collectors.joining(", "));
    assertEquals("", missing);
  }

  @Test
  void anUnknownFieldIsRefused() {
    ObjectNode deployment = deployment();
    container(deployment).put("imagePullPolcy", "Always");
    assertProblem(deployment, "imagePullPolcy");
  }

  @Test
  void aMissingRequiredFieldIsRefused() {
    ObjectNode deployment = deployment();
    container(deployment).remove("name");
    assertProblem(deployment, "name");
  }

  @Test
  void aWrongTypeIsRefused() {
    ObjectNode deployment = deployment();
    ((ObjectNode) deployment.get("spec")).put("replicas", "three");
    assertProblem(deployment, "replicas");
  }

  @Test
  void aConfigMapValueMustBeAString() {
    ObjectNode configMap = Target.BASE.render().find("ConfigMap", "course-batch-config").orElseThrow();
    ((ObjectNode) configMap.get("data")).put("BATCH_CLUSTER_REQUIRED_CONTACT_POINTS", 2);
    assertProblem(configMap, "BATCH_CLUSTER_REQUIRED_CONTACT_POINTS");
  }

  @Test
  void anUnknownKindIsRefused() {
    ObjectNode object = Manifests.parse("apiVersion: v1\nkind: Pood\nmetadata: {name: x}\n", "test").get(0);
    assertProblem(object, "no schema for v1 Pood");
  }

  private static ObjectNode deployment() {
    return Target.BASE.render().find("Deployment", "course-batch").orElseThrow();
  }

  private static ObjectNode container(ObjectNode deployment) {
    return (ObjectNode) deployment.at("/spec/template/spec/containers/0");
  }

  private static void assertProblem(ObjectNode object, String expected) {
    List<String> problems = SCHEMA.validate(object);
    assertTrue(problems.stream().anyMatch(p -> p.contains(expected)),
        "expected a problem about " + expected + ", got " + problems);
  }
}
