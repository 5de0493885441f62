package org.coursebatch.k8s.helm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.marcnuri.helm.LintResult;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.coursebatch.k8s.Chart;
import org.coursebatch.k8s.Target;
import org.coursebatch.k8s.contract.NodeContract;
import org.coursebatch.k8s.manifest.Manifests;
import org.coursebatch.k8s.manifest.Rendered;
import org.coursebatch.k8s.render.HelmTemplate;
import org.coursebatch.k8s.schema.KubernetesSchema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The Helm chart, rendered by Helm itself: the objects of k8s/base, valid, keeping the node's contract. */
class HelmChartTest {
  private static final KubernetesSchema SCHEMA = KubernetesSchema.load();
  /** The operator's Secret, and the database Service the base's url names (as for k8s/base). */
  private static final Set<String> LEFT_TO_THE_OPERATOR = Set.of("Secret/course-batch-secrets", "Service/postgres");
  /** What the chart may add to the objects of k8s/base: Helm's labels and the ConfigMap's checksum. */
  private static final List<String> HELM_LABELS = List.of("helm.sh/chart", "app.kubernetes.io/managed-by",
      "app.kubernetes.io/instance", "app.kubernetes.io/version");

  @Test
  void defaultValuesRenderTheObjectsOfTheBase() {
    Map<String, ObjectNode> base = Target.BASE.render().byKey();
    Map<String, ObjectNode> chart = Chart.DEFAULTS.render().byKey();
    assertEquals(new TreeSet<>(base.keySet()), new TreeSet<>(chart.keySet()));
    for (String key : base.keySet()) {
      ObjectNode rendered = withoutHelmsAdditions(chart.get(key));
      if (!base.get(key).equals(rendered)) {
        assertEquals(Manifests.sorted(base.get(key)), Manifests.sorted(rendered), key + " (expected: k8s/base, actual: chart)");
      }
    }
  }

  @Test
  void helmLintFindsNothing() {
    LintResult lint = HelmTemplate.lint(Chart.dir());
    assertFalse(lint.isFailed(), String.join("\n", lint.getMessages()));
  }

  @ParameterizedTest
  @EnumSource(Chart.class)
  void everyRenderedObjectIsValid(Chart release) {
    Rendered rendered = release.render();
    List<String> problems = rendered.objects().stream().flatMap(o -> SCHEMA.validate(o).stream()).toList();
    assertEquals(List.of(), problems, release.toString());
  }

  @ParameterizedTest
  @EnumSource(Chart.class)
  void keepsTheNodeContract(Chart release) {
    assertEquals(List.of(), NodeContract.problems(release.render(), LEFT_TO_THE_OPERATOR), release.toString());
  }

  @Test
  void metricsAndAutoscalingAddAServiceMonitorAndAnAutoscaler() {
    Rendered rendered = Chart.METRICS_AND_AUTOSCALING.render();
    TreeSet<String> added = new TreeSet<>(rendered.byKey().keySet());
    added.removeAll(Chart.DEFAULTS.render().byKey().keySet());
    assertEquals(new TreeSet<>(List.of("HorizontalPodAutoscaler/course-batch", "Service/course-batch-management",
        "ServiceMonitor/course-batch")), added);
    JsonNode endpoint = rendered.find("ServiceMonitor", "course-batch").orElseThrow().at("/spec/endpoints/0");
    assertEquals("management", endpoint.path("port").asText());
    assertEquals("/metrics", endpoint.path("path").asText());
    assertTrue(rendered.find("Deployment", "course-batch").orElseThrow().at("/spec/replicas").isMissingNode(),
        "the autoscaler owns the replica count");
  }

  /** The kustomize example (k8s/examples/metrics-autoscaling) adds what the chart adds, the same way. */
  @Test
  void theKustomizeExampleMatchesTheChart() {
    Rendered example = Target.METRICS_AUTOSCALING.render();
    Rendered chart = Chart.METRICS_AND_AUTOSCALING.render();
    for (String key : List.of("HorizontalPodAutoscaler/course-batch", "Service/course-batch-management",
        "ServiceMonitor/course-batch")) {
      JsonNode expected = chart.byKey().get(key).path("spec");
      JsonNode actual = example.byKey().get(key);
      assertTrue(actual != null, key + " is not in " + Target.METRICS_AUTOSCALING);
      assertEquals(Manifests.sorted(expected), Manifests.sorted(actual.path("spec")), key);
    }
    assertTrue(example.find("Deployment", "course-batch").orElseThrow().at("/spec/replicas").isMissingNode());
  }

  @Test
  void valuesReachTheObjects() {
    Rendered rendered = Chart.DEFAULTS.renderWith(Map.of(
        "image.repository", "registry.example.com/course-batch-service",
        "image.digest", "sha256:" + "0".repeat(64),
        "database.url", "jdbc:postgresql://db.example.internal:5432/coursebatch",
        "extraConfig.BATCH_JWT_ISSUER", "https://id.example.com/realms/sunbird",
        "resources.limits.memory", "2Gi",
        "extraEnv[0].name", "OTEL_EXPORTER_OTLP_ENDPOINT",
        "extraEnv[0].value", "http://otel-collector.observability:4318"));
    JsonNode container = rendered.find("Deployment", "course-batch").orElseThrow().at("/spec/template/spec/containers/0");
    assertEquals("registry.example.com/course-batch-service@sha256:" + "0".repeat(64), container.path("image").asText());
    assertEquals("2Gi", container.at("/resources/limits/memory").asText());
    JsonNode env = container.path("env");
    JsonNode last = env.get(env.size() - 1);
    assertEquals("OTEL_EXPORTER_OTLP_ENDPOINT", last.path("name").asText(), env.toString());
    assertEquals("http://otel-collector.observability:4318", last.path("value").asText());
    JsonNode data = rendered.find("ConfigMap", "course-batch-config").orElseThrow().path("data");
    assertEquals("jdbc:postgresql://db.example.internal:5432/coursebatch", data.path("BATCH_DB_URL").asText());
    assertEquals("https://id.example.com/realms/sunbird", data.path("BATCH_JWT_ISSUER").asText());
    assertEquals(List.of(), NodeContract.problems(rendered, Set.of("Secret/course-batch-secrets")));
  }

  @Test
  void theContractSeesWhatTheValuesBreak() {
    Rendered otherSecret = Chart.DEFAULTS.renderWith(Map.of("secret.name", "batch-secrets"));
    assertTrue(NodeContract.problems(otherSecret, LEFT_TO_THE_OPERATOR)
        .contains("Deployment/course-batch refers to Secret batch-secrets, which is not in the render"));
    Rendered twoNodes = Chart.DEFAULTS.renderWith(Map.of("replicaCount", 2));
    assertTrue(NodeContract.problems(twoNodes, LEFT_TO_THE_OPERATOR).stream().anyMatch(p -> p.contains("runs 2 replicas")));
    Rendered otherSelector = Chart.DEFAULTS.renderWith(Map.of("discovery.podLabelSelector", "app=%s"));
    assertTrue(NodeContract.problems(otherSelector, LEFT_TO_THE_OPERATOR).stream()
        .anyMatch(p -> p.contains("discovery asks for pods app=course-batch")));
    Rendered fewNodes = Chart.METRICS_AND_AUTOSCALING.renderWith(Map.of("autoscaling.minReplicas", 1));
    assertTrue(NodeContract.problems(fewNodes, LEFT_TO_THE_OPERATOR).stream()
        .anyMatch(p -> p.contains("may scale the nodes down to 1")));
  }

  /** The object without the labels and annotation only the chart sets. */
  private static ObjectNode withoutHelmsAdditions(ObjectNode object) {
    ObjectNode copy = object.deepCopy();
    ((ObjectNode) copy.at("/metadata/labels")).remove(HELM_LABELS);
    if (copy.at("/spec/template/metadata").isObject()) {
      ObjectNode pod = (ObjectNode) copy.at("/spec/template/metadata");
      ((ObjectNode) pod.get("labels")).remove("app.kubernetes.io/instance");
      ((ObjectNode) pod.get("annotations")).remove("checksum/config");
      if (pod.get("annotations").isEmpty()) {
        pod.remove("annotations");
      }
    }
    return copy;
  }
}
