package org.coursebatch.k8s.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import org.coursebatch.k8s.Target;
import org.coursebatch.k8s.manifest.Rendered;
import org.junit.jupiter.api.Test;

class NodeContractTest {
  /** Production's Secret is made by the operator (k8s/README.md); the base leaves it to the overlays. */
  private static final String OPERATOR_SECRET = "Secret/course-batch-secrets";
  /** The base's database url names a Service postgres, which overlays/local adds. */
  private static final String LOCAL_DATABASE = "Service/postgres";

  @Test
  void localOverlayKeepsTheContract() {
    assertEquals(List.of(), NodeContract.problems(Target.LOCAL.render(), Set.of()));
  }

  @Test
  void productionOverlayKeepsTheContractWithTheOperatorsSecret() {
    Rendered production = Target.PRODUCTION.render();
    assertEquals(List.of(), NodeContract.problems(production, Set.of(OPERATOR_SECRET)));
    assertEquals(List.of("Deployment/course-batch refers to Secret course-batch-secrets, which is not in the render"),
        NodeContract.problems(production, Set.of()), "the only object production leaves to the operator");
  }

  @Test
  void baseKeepsTheContract() {
    assertEquals(List.of(), NodeContract.problems(Target.BASE.render(), Set.of(OPERATOR_SECRET, LOCAL_DATABASE)));
  }

  @Test
  void metricsAndAutoscalingExampleKeepsTheContract() {
    assertEquals(List.of(), NodeContract.problems(Target.METRICS_AUTOSCALING.render(), Set.of(OPERATOR_SECRET)));
  }

  @Test
  void theOperatorsSecretIsDocumented() throws IOException {
    String readme = Files.readString(Target.MODULE.resolve("README.md"));
    for (String text : List.of("kubectl -n course-batch create secret generic course-batch-secrets",
        "--from-literal=db-password=", "jwt-public-key", "jwt-secret", "secrets-key", "openssl rand -base64 32")) {
      assertTrue(readme.contains(text), "k8s/README.md does not say " + text);
    }
  }

  // --- each check can fail ---

  @Test
  void discoveryMustFindTheDeploymentsPods() {
    assertProblem(local -> data(local).put("BATCH_CLUSTER_POD_LABEL_SELECTOR", "app=%s"),
        "discovery asks for pods app=course-batch");
    assertProblem(local -> data(local).put("BATCH_CLUSTER_SERVICE_NAME", "course-batch-nodes"),
        "discovery asks for pods app.kubernetes.io/name=course-batch-nodes");
  }

  @Test
  void selectorsMustSelectThePodTemplate() {
    Consumer<Rendered> relabel = local -> ((ObjectNode) deployment(local).at("/spec/template/metadata/labels"))
        .put("app.kubernetes.io/name", "batch");
    List<String> problems = problems(relabel);
    for (String expected : List.of("Deployment course-batch's selector does not select", "Service course-batch selects no pods",
        "0 PodDisruptionBudgets select the nodes", "discovery asks for pods")) {
      assertTrue(problems.stream().anyMatch(p -> p.contains(expected)), expected + " not in " + problems);
    }
  }

  @Test
  void probesMustUseTheManagementPort() {
    assertProblem(local -> ((ObjectNode) container(local).at("/readinessProbe/httpGet")).put("port", "mgmt"),
        "readinessProbe's port mgmt is not the management port");
    assertProblem(local -> ((ObjectNode) container(local).at("/livenessProbe/httpGet")).put("port", "http"),
        "livenessProbe's port http is not the management port");
    assertProblem(local -> ((ArrayNode) container(local).get("ports")).remove(2),
        "container node has no port management = 8558");
    assertProblem(local -> container(local).remove("startupProbe"), "no startupProbe");
  }

  @Test
  void serviceMustTargetAPortOfItsPods() {
    assertProblem(local -> ((ObjectNode) local.find("Service", "course-batch").orElseThrow().at("/spec/ports/0"))
        .put("targetPort", "api"), "Service course-batch targets port api");
  }

  @Test
  void theNodesMayListPods() {
    assertProblem(local -> ((ArrayNode) local.find("Role", "course-batch-pod-reader").orElseThrow()
        .at("/rules/0/verbs")).removeAll(), "no Role bound to ServiceAccount course-batch");
    assertProblem(local -> ((ObjectNode) local.find("RoleBinding", "course-batch-pod-reader").orElseThrow()
        .at("/subjects/0")).put("name", "default"), "no Role bound to ServiceAccount course-batch");
  }

  @Test
  void referencedConfigMapsAndSecretsMustExist() {
    assertProblem(local -> ((ObjectNode) container(local).at("/envFrom/0/configMapRef")).put("name", "settings"),
        "refers to ConfigMap settings, which is not in the render");
    assertProblem(local -> ((ObjectNode) local.find("Secret", "course-batch-secrets").orElseThrow().get("stringData"))
        .remove("db-password"), "refers to key db-password of Secret course-batch-secrets");
  }

  @Test
  void theMajorityMustSurviveOneDisruption() {
    assertProblem(local -> ((ObjectNode) deployment(local).get("spec")).put("replicas", 2), "runs 2 replicas");
    assertProblem(local -> ((ObjectNode) local.find("PodDisruptionBudget", "course-batch").orElseThrow().get("spec"))
        .put("maxUnavailable", 2), "allows 2");
  }

  @Test
  void theHeapFollowsTheMemoryLimit() {
    assertProblem(local -> ((ObjectNode) container(local).at("/resources/limits")).remove("memory"), "no memory limit");
    assertProblem(local -> ((ArrayNode) container(local).get("env")).addObject()
        .put("name", "JAVA_TOOL_OPTIONS").put("value", "-Xmx2g"), "a fixed heap (-Xmx2g)");
  }

  @Test
  void secretsAndWritablePaths() {
    assertProblem(local -> ((ArrayNode) container(local).get("env")).addObject()
        .put("name", "BATCH_DB_PASSWORD").put("value", "secret"), "BATCH_DB_PASSWORD must come from a Secret");
    assertProblem(local -> removeEnv(local, "BATCH_SECRETS_KEY"), "BATCH_SECRETS_KEY must come from a Secret");
    assertProblem(local -> {
      removeEnv(local, "BATCH_SECRETS_KEY");
      data(local).put("BATCH_SECRETS_KEY", "c2VjcmV0");
    }, "BATCH_SECRETS_KEY is written in plain text");
    assertProblem(local -> data(local).put("BATCH_DATA_DIR", "/data"), "/data is not on a writable emptyDir volume");
    assertProblem(local -> data(local).put("BATCH_CLUSTER_REQUIRED_CONTACT_POINTS", "1"), "not 2");
  }

  @Test
  void theDatabaseUrlNamesTheDatabasesService() {
    assertProblem(local -> data(local).put("BATCH_DB_URL", "jdbc:postgresql://postgresql:5432/coursebatch"),
        "no Service postgresql with port 5432");
    assertProblem(local -> data(local).put("BATCH_DB_URL", "jdbc:postgresql://postgres:5433/coursebatch"),
        "no Service postgres with port 5433");
    assertProblem(local -> data(local).put("BATCH_DB_URL", "jdbc:h2:file:/tmp/db"), "not a jdbc:postgresql:// url");
  }

  @Test
  void theAutoscalerKeepsAMajority() {
    assertExampleProblem(example -> spec(example, "HorizontalPodAutoscaler").put("minReplicas", 2),
        "may scale the nodes down to 2, fewer than 3");
    assertExampleProblem(example -> ((ObjectNode) deployment(example).get("spec")).put("replicas", 3),
        "sets replicas while HorizontalPodAutoscaler course-batch scales it");
    assertExampleProblem(example -> ((ObjectNode) spec(example, "HorizontalPodAutoscaler")
        .at("/behavior/scaleDown/policies/0")).put("value", 2), "may take more than one node away at a time");
    assertExampleProblem(example -> ((ObjectNode) spec(example, "HorizontalPodAutoscaler").get("behavior"))
        .remove("scaleDown"), "may take more than one node away at a time");
  }

  @Test
  void theServiceMonitorScrapesMetricsOnTheManagementPort() {
    assertExampleProblem(example -> ((ObjectNode) spec(example, "ServiceMonitor").at("/endpoints/0")).put("path", "/prometheus"),
        "ServiceMonitor course-batch scrapes path /prometheus, not /metrics");
    assertExampleProblem(example -> ((ObjectNode) spec(example, "ServiceMonitor").at("/endpoints/0")).put("port", "http"),
        "scrapes port http, which Service course-batch-management does not name");
    assertExampleProblem(example -> ((ObjectNode) spec(example, "ServiceMonitor").at("/selector/matchLabels"))
        .put("app.kubernetes.io/component", "api"), "ServiceMonitor course-batch selects no Service");
    assertExampleProblem(example -> ((ObjectNode) example.find("Service", "course-batch-management").orElseThrow()
        .at("/spec/ports/0")).put("targetPort", "http"), "which is not the management port 8558");
  }

  private static ObjectNode spec(Rendered rendered, String kind) {
    return (ObjectNode) rendered.find(kind, "course-batch").orElseThrow().get("spec");
  }

  private static void assertExampleProblem(Consumer<Rendered> breakIt, String expected) {
    Rendered example = Target.METRICS_AUTOSCALING.render();
    breakIt.accept(example);
    List<String> problems = NodeContract.problems(example, Set.of(OPERATOR_SECRET));
    assertTrue(problems.stream().anyMatch(p -> p.contains(expected)), "expected '" + expected + "' in " + problems);
  }

  private static ObjectNode deployment(Rendered rendered) {
    return rendered.find("Deployment", NodeContract.DEPLOYMENT).orElseThrow();
  }

  private static ObjectNode container(Rendered rendered) {
    return (ObjectNode) deployment(rendered).at("/spec/template/spec/containers/0");
  }

  private static void removeEnv(Rendered rendered, String name) {
    ArrayNode env = (ArrayNode) container(rendered).get("env");
    for (int i = env.size() - 1; i >= 0; i--) {
      if (env.get(i).path("name").asText().equals(name)) {
        env.remove(i);
      }
    }
  }

  private static ObjectNode data(Rendered rendered) {
    return (ObjectNode) rendered.find("ConfigMap", "course-batch-config").orElseThrow().get("data");
  }

  /** The local overlay, broken by {@code breakIt}, checked. */
  private static List<String> problems(Consumer<Rendered> breakIt) {
    Rendered local = Target.LOCAL.render();
    breakIt.accept(local);
    return NodeContract.problems(local, Set.of());
  }

  private static void assertProblem(Consumer<Rendered> breakIt, String expected) {
    List<String> problems = problems(breakIt);
    assertTrue(problems.stream().anyMatch(p -> p.contains(expected)), "expected '" + expected + "' in " + problems);
  }
}
