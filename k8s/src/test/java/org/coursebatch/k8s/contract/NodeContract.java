package org.coursebatch.k8s.contract;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.coursebatch.k8s.manifest.Manifests;
import org.coursebatch.k8s.manifest.Rendered;

/**
 * What a course batch node needs from the objects around it (k8s/README.md, "The contract"):
 * discovery finds the Deployment's pods, the probes reach Akka Management, the Services and the
 * PodDisruptionBudget select the pods, RBAC lets the nodes list pods, every referenced ConfigMap
 * and Secret exists, the cluster keeps its majority (an autoscaler too), and a ServiceMonitor scrapes
 * the management port's /metrics. {@link #problems} lists what is wrong,
 * one sentence each; nothing is wrong when the list is empty.
 */
public final class NodeContract {
  public static final String DEPLOYMENT = "course-batch";
  public static final String CONTAINER = "node";
  public static final int REPLICAS = 3;
  public static final Map<String, Integer> PORTS = Map.of("http", 9000, "remoting", 25520, "management", 8558);
  private static final Set<String> WORKLOADS = Set.of("Deployment", "StatefulSet");

  private final Rendered rendered;
  private final Set<String> operatorProvided;
  private final List<String> problems = new ArrayList<>();

  private NodeContract(Rendered rendered, Set<String> operatorProvided) {
    this.rendered = rendered;
    this.operatorProvided = operatorProvided;
  }

  /**
   * The contract's violations in these objects. {@code operatorProvided} names objects
   * ({@code Kind/name}) that are referenced but deliberately not rendered, because the operator
   * creates them (the production Secret).
   */
  public static List<String> problems(Rendered rendered, Set<String> operatorProvided) {
    NodeContract contract = new NodeContract(rendered, operatorProvided);
    contract.check();
    return contract.problems;
  }

  private void check() {
    rendered.objects().forEach(this::references);
    rendered.ofKind("Service").forEach(this::service);
    Optional<ObjectNode> deployment = rendered.find("Deployment", DEPLOYMENT);
    if (deployment.isEmpty()) {
      problems.add("no Deployment " + DEPLOYMENT);
      return;
    }
    JsonNode pod = deployment.get().at("/spec/template");
    JsonNode labels = pod.at("/metadata/labels");
    scaling(deployment.get(), labels);
    JsonNode container = null;
    for (JsonNode c : pod.at("/spec/containers")) {
      container = c.path("name").asText().equals(CONTAINER) ? c : container;
    }
    if (container == null) {
      problems.add("Deployment " + DEPLOYMENT + " has no container " + CONTAINER);
      return;
    }
    ContainerEnv env = new ContainerEnv(container, rendered);
    ports(container);
    probes(container);
    for (ObjectNode monitor : rendered.ofKind("ServiceMonitor")) {
      monitoring(monitor, container);
    }
    discovery(env, labels, deployment.get());
    settings(env);
    writablePaths(env, container, pod.path("spec"));
    resources(env, container, pod.path("spec"));
    rbac(deployment.get());
  }

  // --- the Deployment, the PodDisruptionBudget and the split brain resolver ---

  private void scaling(ObjectNode deployment, JsonNode labels) {
    int replicas = replicas(deployment);
    Optional<ObjectNode> autoscaler = autoscaler();
    if (autoscaler.isPresent()) {
      autoscaling(deployment, autoscaler.get());
    } else if (replicas != REPLICAS) {
      problems.add("Deployment " + DEPLOYMENT + " runs " + replicas + " replicas, not " + REPLICAS);
    }
    if (!Selectors.selects(deployment.at("/spec/selector"), labels)) {
      problems.add("Deployment " + DEPLOYMENT + "'s selector does not select its pod template's labels " + labels);
    }
    JsonNode strategy = deployment.at("/spec/strategy");
    if (!strategy.path("type").asText("RollingUpdate").equals("RollingUpdate")
        || !strategy.at("/rollingUpdate/maxUnavailable").asText().equals("0")) {
      problems.add("Deployment " + DEPLOYMENT + " must roll with maxUnavailable 0, so the cluster keeps "
          + REPLICAS + " ready members");
    }
    int grace = deployment.at("/spec/template/spec/terminationGracePeriodSeconds").asInt(30);
    if (grace < 40) {
      problems.add("terminationGracePeriodSeconds " + grace + " is too short for leaving the cluster,"
          + " handing shards over and draining requests (about 45 s)");
    }
    List<ObjectNode> budgets = rendered.ofKind("PodDisruptionBudget").stream()
        .filter(pdb -> Selectors.selects(pdb.at("/spec/selector"), labels)).toList();
    if (budgets.size() != 1) {
      problems.add(budgets.size() + " PodDisruptionBudgets select the nodes, not 1");
      return;
    }
    JsonNode spec = budgets.get(0).path("spec");
    int disruptions = spec.has("maxUnavailable") ? intValue(spec.get("maxUnavailable"))
        : spec.has("minAvailable") ? replicas - intValue(spec.get("minAvailable")) : -1;
    if (disruptions != 1) {
      problems.add("the PodDisruptionBudget must allow exactly one disruption of " + replicas
          + " nodes (keep-majority keeps " + (replicas / 2 + 1) + "), it allows " + disruptions);
    }
  }

  /** The HorizontalPodAutoscaler of the Deployment, if one scales it. */
  private Optional<ObjectNode> autoscaler() {
    return rendered.ofKind("HorizontalPodAutoscaler").stream()
        .filter(hpa -> hpa.at("/spec/scaleTargetRef/kind").asText().equals("Deployment")
            && hpa.at("/spec/scaleTargetRef/name").asText().equals(DEPLOYMENT))
        .findFirst();
  }

  /** The fewest nodes the cluster runs: the Deployment's replicas, or its autoscaler's minimum. */
  private int replicas(ObjectNode deployment) {
    return autoscaler().map(hpa -> hpa.at("/spec/minReplicas").asInt(1))
        .orElseGet(() -> deployment.at("/spec/replicas").asInt(1));
  }

  /**
   * An autoscaled cluster: at least {@value #REPLICAS} nodes, the count left to the autoscaler (a
   * replicas field would reset it on every apply), and one node at a time taken away.
   */
  private void autoscaling(ObjectNode deployment, ObjectNode autoscaler) {
    String name = "HorizontalPodAutoscaler " + autoscaler.at("/metadata/name").asText();
    int min = autoscaler.at("/spec/minReplicas").asInt(1);
    if (min < REPLICAS) {
      problems.add(name + " may scale the nodes down to " + min + ", fewer than " + REPLICAS);
    }
    if (deployment.at("/spec/replicas").isNumber()) {
      problems.add("Deployment " + DEPLOYMENT + " sets replicas while " + name + " scales it: every apply resets the count");
    }
    JsonNode scaleDown = autoscaler.at("/spec/behavior/scaleDown");
    boolean oneAtATime = scaleDown.path("policies").size() > 0 && !scaleDown.path("selectPolicy").asText().equals("Disabled");
    for (JsonNode policy : scaleDown.path("policies")) {
      oneAtATime &= policy.path("type").asText().equals("Pods") && policy.path("value").asInt() == 1;
    }
    if (!oneAtATime) {
      problems.add(name + " may take more than one node away at a time: behavior.scaleDown needs policies of type Pods, value 1");
    }
  }

  private static int intValue(JsonNode intOrPercent) {
    return intOrPercent.isInt() ? intOrPercent.asInt() : -1; // a percentage is not accepted
  }

  // --- ports and probes ---

  private void ports(JsonNode container) {
    PORTS.forEach((name, number) -> {
      if (portNumber(container, name) != number) {
        problems.add("container " + CONTAINER + " has no port " + name + " = " + number);
      }
    });
  }

  private void probes(JsonNode container) {
    Map<String, String> paths = Map.of("readinessProbe", "/ready", "livenessProbe", "/alive", "startupProbe", "/alive");
    paths.forEach((probe, path) -> {
      JsonNode get = container.path(probe).path("httpGet");
      if (get.isMissingNode()) {
        problems.add("container " + CONTAINER + " has no " + probe + " with httpGet " + path);
      } else if (!get.path("path").asText().equals(path)) {
        problems.add(probe + " asks " + get.path("path").asText() + ", not " + path);
      } else if (portNumber(container, get.path("port").asText()) != PORTS.get("management")) {
        problems.add(probe + "'s port " + get.path("port").asText() + " is not the management port "
            + PORTS.get("management"));
      }
    });
  }

  /** A container port given by name or number, as a probe or a Service names it; -1 if it has none. */
  private static int portNumber(JsonNode container, String nameOrNumber) {
    for (JsonNode port : container.path("ports")) {
      if (port.path("name").asText().equals(nameOrNumber) || port.path("containerPort").asText().equals(nameOrNumber)) {
        return port.path("containerPort").asInt();
      }
    }
    return -1;
  }

  /** Every Service selects the pods of a workload of the render and targets one of their ports. */
  private void service(ObjectNode service) {
    JsonNode selector = service.at("/spec/selector");
    List<JsonNode> pods = rendered.objects().stream()
        .filter(o -> WORKLOADS.contains(o.path("kind").asText()))
        .map(o -> o.at("/spec/template"))
        .filter(pod -> Selectors.selects(selector, pod.at("/metadata/labels")))
        .toList();
    if (pods.isEmpty()) {
      problems.add("Service " + service.at("/metadata/name").asText() + " selects no pods (" + selector + ")");
    }
    for (JsonNode port : service.at("/spec/ports")) {
      String target = port.path("targetPort").asText(port.path("port").asText());
      for (JsonNode pod : pods) {
        boolean found = false;
        for (JsonNode container : pod.at("/spec/containers")) {
          found |= portNumber(container, target) > 0;
        }
        if (!found) {
          problems.add("Service " + service.at("/metadata/name").asText() + " targets port " + target
              + ", which its pods do not have");
        }
      }
    }
  }

  // --- metrics ---

  /**
   * A ServiceMonitor selects a Service of the render and scrapes, by the Service's port name,
   * {@code /metrics} on the pods' management port.
   */
  private void monitoring(ObjectNode monitor, JsonNode container) {
    String name = "ServiceMonitor " + monitor.at("/metadata/name").asText();
    List<ObjectNode> services = rendered.ofKind("Service").stream()
        .filter(service -> Selectors.selects(monitor.at("/spec/selector"), service.at("/metadata/labels"))).toList();
    if (services.isEmpty()) {
      problems.add(name + " selects no Service (" + monitor.at("/spec/selector") + ")");
    }
    if (monitor.at("/spec/endpoints").isEmpty()) {
      problems.add(name + " has no endpoints");
    }
    for (JsonNode endpoint : monitor.at("/spec/endpoints")) {
      String port = endpoint.path("port").asText();
      if (!endpoint.path("path").asText().equals("/metrics")) {
        problems.add(name + " scrapes path " + endpoint.path("path").asText("(none)") + ", not /metrics");
      }
      for (ObjectNode service : services) {
        String serviceName = "Service " + service.at("/metadata/name").asText();
        JsonNode servicePort = null;
        for (JsonNode p : service.at("/spec/ports")) {
          servicePort = p.path("name").asText().equals(port) ? p : servicePort;
        }
        if (servicePort == null) {
          problems.add(name + " scrapes port " + port + ", which " + serviceName + " does not name");
        } else if (portNumber(container, servicePort.path("targetPort").asText(servicePort.path("port").asText()))
            != PORTS.get("management")) {
          problems.add(name + " scrapes " + serviceName + "'s port " + port + ", which is not the management port "
              + PORTS.get("management"));
        }
      }
    }
  }

  // --- cluster formation ---

  private void discovery(ContainerEnv env, JsonNode labels, ObjectNode deployment) {
    expect(env, "BATCH_CLUSTER_DISCOVERY", "kubernetes-api");
    String serviceName = env.value("BATCH_CLUSTER_SERVICE_NAME").orElse("");
    String selector = env.value("BATCH_CLUSTER_POD_LABEL_SELECTOR").orElse("");
    if (serviceName.isEmpty() || selector.isEmpty()) {
      problems.add("BATCH_CLUSTER_SERVICE_NAME and BATCH_CLUSTER_POD_LABEL_SELECTOR must be set");
      return;
    }
    String query = selector.replace("%s", serviceName);
    Map<String, String> wanted = Selectors.parseEquality(query);
    if (wanted == null) {
      problems.add("the pod label selector " + query + " is not of the form label=value[,label=value]");
    } else if (!wanted.entrySet().stream().allMatch(l -> l.getValue().equals(labels.path(l.getKey()).asText(null)))) {
      problems.add("discovery asks for pods " + query + ", but the Deployment's pods are labelled " + labels);
    }
    String contactPoints = env.value("BATCH_CLUSTER_REQUIRED_CONTACT_POINTS").orElse("");
    int replicas = replicas(deployment);
    if (!contactPoints.equals("2") || replicas < 2) {
      problems.add("BATCH_CLUSTER_REQUIRED_CONTACT_POINTS is '" + contactPoints + "', not 2 (with " + replicas + " replicas)");
    }
    for (String host : List.of("BATCH_REMOTE_HOST", "BATCH_MANAGEMENT_HOST")) {
      if (!env.podIp(host)) {
        problems.add(host + " must be the pod's IP (valueFrom.fieldRef status.podIP)");
      }
    }
  }

  // --- settings and secrets ---

  private void settings(ContainerEnv env) {
    String url = env.value("BATCH_DB_URL").orElse("(unset)");
    if (!url.startsWith("jdbc:postgresql://")) {
      problems.add("BATCH_DB_URL is not a jdbc:postgresql:// url: " + url);
    } else {
      databaseService(URI.create(url.substring("jdbc:".length())));
    }
    if (env.value("BATCH_DB_USER").orElse("").isEmpty()) {
      problems.add("BATCH_DB_USER is not set");
    }
    if (!env.fromSecret("BATCH_DB_PASSWORD")) {
      problems.add("BATCH_DB_PASSWORD must come from a Secret");
    }
    if (!env.fromSecret("BATCH_JWT_SECRET") && !env.fromSecret("BATCH_JWT_PUBLIC_KEY")) {
      problems.add("BATCH_JWT_SECRET or BATCH_JWT_PUBLIC_KEY must come from a Secret");
    }
    if (!env.fromSecret("BATCH_SECRETS_KEY")) {
      problems.add("BATCH_SECRETS_KEY must come from a Secret (else the shared secrets are stored in plain text)");
    }
    for (String name : List.of("BATCH_DB_PASSWORD", "BATCH_JWT_SECRET", "BATCH_JWT_PUBLIC_KEY", "BATCH_SECRETS_KEY")) {
      if (env.value(name).isPresent()) {
        problems.add(name + " is written in plain text; it belongs in a Secret");
      }
    }
  }

  /** A database host without a domain is a Service of the namespace: it must be there, with the url's port. */
  private void databaseService(URI url) {
    String host = url.getHost();
    int port = url.getPort() < 0 ? 5432 : url.getPort();
    if (host == null || host.contains(".") || operatorProvided.contains("Service/" + host)) {
      return;
    }
    Optional<ObjectNode> service = rendered.find("Service", host);
    boolean hasPort = false;
    for (JsonNode p : service.map(s -> s.at("/spec/ports")).orElse(MissingNode.getInstance())) {
      hasPort |= p.path("port").asInt() == port;
    }
    if (!hasPort) {
      problems.add("BATCH_DB_URL names the host " + host + ", but no Service " + host + " with port " + port
          + " is in the render");
    }
  }

  private void expect(ContainerEnv env, String name, String value) {
    String actual = env.value(name).orElse("(unset)");
    if (!actual.equals(value)) {
      problems.add(name + " is " + actual + ", not " + value);
    }
  }

  /** BATCH_DATA_DIR and BATCH_EXHAUST_TEMP_DIR lie on emptyDir volumes; so does /tmp if the root is read-only. */
  private void writablePaths(ContainerEnv env, JsonNode container, JsonNode podSpec) {
    List<String> paths = new ArrayList<>();
    env.value("BATCH_DATA_DIR").ifPresentOrElse(paths::add, () -> problems.add("BATCH_DATA_DIR is not set"));
    env.value("BATCH_EXHAUST_TEMP_DIR").ifPresentOrElse(paths::add, () -> problems.add("BATCH_EXHAUST_TEMP_DIR is not set"));
    if (container.at("/securityContext/readOnlyRootFilesystem").asBoolean()) {
      paths.add("/tmp");
    }
    for (String path : paths) {
      boolean writable = false;
      for (JsonNode mount : container.path("volumeMounts")) {
        String at = mount.path("mountPath").asText();
        boolean under = path.equals(at) || path.startsWith(at.endsWith("/") ? at : at + "/");
        writable |= under && !mount.path("readOnly").asBoolean() && volume(podSpec, mount.path("name").asText()).has("emptyDir");
      }
      if (!writable) {
        problems.add(path + " is not on a writable emptyDir volume");
      }
    }
  }

  private static JsonNode volume(JsonNode podSpec, String name) {
    for (JsonNode volume : podSpec.path("volumes")) {
      if (volume.path("name").asText().equals(name)) {
        return volume;
      }
    }
    return MissingNode.getInstance();
  }

  /** A memory limit, a heap that follows it (no fixed -Xmx), and a non-root user. */
  private void resources(ContainerEnv env, JsonNode container, JsonNode podSpec) {
    if (container.at("/resources/limits/memory").asText().isEmpty()) {
      problems.add("container " + CONTAINER + " has no memory limit");
    }
    if (container.at("/resources/requests/memory").asText().isEmpty()) {
      problems.add("container " + CONTAINER + " has no memory request");
    }
    env.everyValue().stream().filter(v -> v.contains("-Xmx")).forEach(v ->
        problems.add("a fixed heap (" + v + "): the image's -XX:MaxRAMPercentage sizes it from the memory limit"));
    boolean nonRoot = container.at("/securityContext/runAsNonRoot").asBoolean()
        || podSpec.at("/securityContext/runAsNonRoot").asBoolean();
    if (!nonRoot) {
      problems.add("the node must run with runAsNonRoot");
    }
  }

  // --- RBAC for Kubernetes discovery ---

  private void rbac(ObjectNode deployment) {
    String account = deployment.at("/spec/template/spec/serviceAccountName").asText("default");
    String namespace = deployment.at("/metadata/namespace").asText("");
    if (rendered.find("ServiceAccount", account).isEmpty()) {
      problems.add("the nodes' ServiceAccount " + account + " is not in the render");
    }
    boolean allowed = false;
    for (ObjectNode binding : rendered.ofKind("RoleBinding")) {
      boolean bindsAccount = false;
      for (JsonNode subject : binding.path("subjects")) {
        bindsAccount |= subject.path("kind").asText().equals("ServiceAccount")
            && subject.path("name").asText().equals(account)
            && subject.path("namespace").asText(namespace).equals(namespace);
      }
      JsonNode ref = binding.path("roleRef");
      if (bindsAccount && ref.path("kind").asText().equals("Role")
          && ref.path("apiGroup").asText().equals("rbac.authorization.k8s.io")) {
        allowed |= rendered.find("Role", ref.path("name").asText()).map(NodeContract::mayListPods).orElse(false);
      }
    }
    if (!allowed) {
      problems.add("no Role bound to ServiceAccount " + account + " allows get, watch and list on pods");
    }
  }

  private static boolean mayListPods(JsonNode role) {
    for (JsonNode rule : role.path("rules")) {
      if (contains(rule.path("apiGroups"), "") && contains(rule.path("resources"), "pods")
          && contains(rule.path("verbs"), "get") && contains(rule.path("verbs"), "watch")
          && contains(rule.path("verbs"), "list")) {
        return true;
      }
    }
    return false;
  }

  private static boolean contains(JsonNode list, String value) {
    for (JsonNode v : list) {
      if (v.asText().equals(value) || v.asText().equals("*")) {
        return true;
      }
    }
    return false;
  }

  // --- references to ConfigMaps and Secrets ---

  /** Every ConfigMap and Secret a pod template refers to exists (or is operator-provided), with the keys used. */
  private void references(ObjectNode object) {
    if (!WORKLOADS.contains(object.path("kind").asText())) {
      return;
    }
    JsonNode spec = object.at("/spec/template/spec");
    String owner = Manifests.key(object);
    for (JsonNode container : spec.path("containers")) {
      for (JsonNode entry : container.path("env")) {
        reference(owner, "ConfigMap", entry.at("/valueFrom/configMapKeyRef"), true);
        reference(owner, "Secret", entry.at("/valueFrom/secretKeyRef"), true);
      }
      for (JsonNode source : container.path("envFrom")) {
        reference(owner, "ConfigMap", source.path("configMapRef"), false);
        reference(owner, "Secret", source.path("secretRef"), false);
      }
    }
    for (JsonNode volume : spec.path("volumes")) {
      reference(owner, "ConfigMap", volume.path("configMap"), false);
      JsonNode secret = volume.path("secret");
      if (secret.isObject()) {
        ObjectNode named = secret.deepCopy();
        named.set("name", secret.path("secretName"));
        reference(owner, "Secret", named, false);
      }
    }
  }

  private void reference(String owner, String kind, JsonNode ref, boolean withKey) {
    if (!ref.isObject()) {
      return;
    }
    String name = ref.path("name").asText();
    boolean optional = ref.path("optional").asBoolean();
    Optional<ObjectNode> target = rendered.find(kind, name);
    if (target.isEmpty()) {
      String missing = owner + " refers to " + kind + " " + name + ", which is not in the render";
      // one missing object is one problem, however many of its keys are used
      if (!optional && !operatorProvided.contains(kind + "/" + name) && !problems.contains(missing)) {
        problems.add(missing);
      }
      return;
    }
    if (withKey) {
      String key = ref.path("key").asText();
      Optional<String> value = value(target.get(), key);
      if (value.isEmpty() && !optional) {
        problems.add(owner + " refers to key " + key + " of " + kind + " " + name + ", which it does not have");
      }
      if (key.equals("jwt-secret") && value.isPresent() && value.get().getBytes(StandardCharsets.UTF_8).length < 32) {
        problems.add(kind + " " + name + "'s jwt-secret is shorter than 32 bytes (HS256 needs 32)");
      }
    }
  }

  /** A key's value: ConfigMap data, Secret stringData, or Secret data (base64). */
  private static Optional<String> value(JsonNode object, String key) {
    if (object.at("/stringData").has(key)) {
      return Optional.of(object.at("/stringData").get(key).asText());
    }
    JsonNode data = object.path("data").path(key);
    if (data.isMissingNode()) {
      return Optional.empty();
    }
    return Optional.of(object.path("kind").asText().equals("Secret")
        ? new String(Base64.getDecoder().decode(data.asText()), StandardCharsets.UTF_8) : data.asText());
  }
}
