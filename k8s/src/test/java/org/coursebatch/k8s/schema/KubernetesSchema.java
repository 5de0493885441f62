package org.coursebatch.k8s.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.coursebatch.k8s.manifest.Manifests;

/**
 * JSON Schema validation of Kubernetes objects.
 *
 * <p>The schemas are fabric8's {@code schema/validation-schema.json}, generated from the Kubernetes
 * API types (1.30) and shipped in the kubernetes-model jars on Maven Central (core, apps, policy,
 * rbac, autoscaling; the Prometheus Operator's ServiceMonitor in openshift-model-monitoring: each
 * file is a complete document of its own). As shipped they accept anything: every type
 * allows additional properties, none lists required fields, and quantities and int-or-strings are
 * described as Go structs. So on loading they are made strict:
 * <ul>
 *   <li>every object type with declared properties gets {@code additionalProperties: false}: an
 *       unknown or misspelt field is an error;</li>
 *   <li>{@code Quantity} becomes a string or number, {@code IntOrString} an integer or string;</li>
 *   <li>the required fields of the Kubernetes OpenAPI for the types in {@link #REQUIRED} become
 *       {@code required} lists (fabric8's draft-3 style {@code required: true} on apiVersion and
 *       kind is dropped: those two pick the schema, and embedded objects such as a
 *       volumeClaimTemplate go without them).</li>
 * </ul>
 * Validation is done by networknt's json-schema-validator (draft 7).
 */
public final class KubernetesSchema {
  private static final String RESOURCE = "schema/validation-schema.json";

  /**
   * The Kubernetes API's required fields (its OpenAPI {@code required} lists) of the types these
   * manifests use; fabric8's schema leaves them out. KubernetesSchemaTest checks every name here
   * exists, so a typo cannot switch a rule off.
   */
  static final Map<String, List<String>> REQUIRED = Map.ofEntries(
      Map.entry("kubernetes_apps_DeploymentSpec", List.of("selector", "template")),
      Map.entry("kubernetes_apps_StatefulSetSpec", List.of("selector", "template")),
      Map.entry("kubernetes_core_PodSpec", List.of("containers")),
      Map.entry("kubernetes_core_Container", List.of("name")),
      Map.entry("kubernetes_core_ContainerPort", List.of("containerPort")),
      Map.entry("kubernetes_core_EnvVar", List.of("name")),
      Map.entry("kubernetes_core_ConfigMapKeySelector", List.of("key")),
      Map.entry("kubernetes_core_SecretKeySelector", List.of("key")),
      Map.entry("kubernetes_core_ObjectFieldSelector", List.of("fieldPath")),
      Map.entry("kubernetes_core_HTTPGetAction", List.of("port")),
      Map.entry("kubernetes_core_Volume", List.of("name")),
      Map.entry("kubernetes_core_VolumeMount", List.of("name", "mountPath")),
      Map.entry("kubernetes_core_SeccompProfile", List.of("type")),
      Map.entry("kubernetes_core_TopologySpreadConstraint", List.of("maxSkew", "topologyKey", "whenUnsatisfiable")),
      Map.entry("kubernetes_core_ServicePort", List.of("port")),
      Map.entry("kubernetes_rbac_v1_PolicyRule", List.of("verbs")),
      Map.entry("kubernetes_rbac_v1_RoleRef", List.of("apiGroup", "kind", "name")),
      Map.entry("kubernetes_rbac_v1_Subject", List.of("kind", "name")),
      Map.entry("kubernetes_autoscaling_v2_HorizontalPodAutoscalerSpec", List.of("scaleTargetRef", "maxReplicas")),
      Map.entry("kubernetes_autoscaling_v2_CrossVersionObjectReference", List.of("kind", "name")),
      Map.entry("kubernetes_autoscaling_v2_MetricSpec", List.of("type")),
      Map.entry("kubernetes_autoscaling_v2_ResourceMetricSource", List.of("name", "target")),
      Map.entry("kubernetes_autoscaling_v2_MetricTarget", List.of("type")),
      Map.entry("kubernetes_autoscaling_v2_HPAScalingPolicy", List.of("type", "value", "periodSeconds")),
      Map.entry("os_monitoring_v1_ServiceMonitorSpec", List.of("selector")));

  private static final ObjectMapper JSON = new ObjectMapper();

  private final List<ObjectNode> documents;
  private final JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7);
  private final Map<String, JsonSchema> compiled = new ConcurrentHashMap<>();

  private KubernetesSchema(List<ObjectNode> documents) {
    this.documents = documents;
  }

  /** The schemas of every kubernetes-model jar on the class path, made strict. */
  public static KubernetesSchema load() {
    List<ObjectNode> documents = new ArrayList<>();
    try {
      for (URL url : Collections.list(KubernetesSchema.class.getClassLoader().getResources(RESOURCE))) {
        try (InputStream in = url.openStream()) {
          ObjectNode document = (ObjectNode) JSON.readTree(in);
          documents.add(strict(document));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (documents.isEmpty()) {
      throw new IllegalStateException("no " + RESOURCE + " on the class path (io.fabric8:kubernetes-model-*)");
    }
    return new KubernetesSchema(documents);
  }

  /** Whether some document defines this type. */
  public boolean defines(String definition) {
    return documents.stream().anyMatch(d -> d.path("definitions").has(definition));
  }

  /**
   * The schema violations of one object, each prefixed with its {@code Kind/name}; empty when valid.
   * An object of a kind no schema describes is a violation too.
   */
  public List<String> validate(JsonNode object) {
    String key = Manifests.key(object);
    List<String> problems = new ArrayList<>();
    if (object.path("metadata").path("name").asText().isEmpty()) {
      problems.add(key + ": metadata.name is missing");
    }
    String definition = definitionOf(object.path("apiVersion").asText(), object.path("kind").asText());
    JsonSchema schema = schemaOf(definition);
    if (schema == null) {
      problems.add(key + ": no schema for " + object.path("apiVersion").asText() + " " + object.path("kind").asText());
      return problems;
    }
    for (ValidationMessage message : schema.validate(object)) {
      problems.add(key + ": " + message.getMessage());
    }
    return problems;
  }

  /** fabric8's name for a type: {@code v1 Service} → {@code kubernetes_core_Service}, etc. */
  static String definitionOf(String apiVersion, String kind) {
    if (!apiVersion.contains("/")) {
      return "kubernetes_core_" + kind;
    }
    String group = apiVersion.substring(0, apiVersion.indexOf('/'));
    String version = apiVersion.substring(apiVersion.indexOf('/') + 1);
    if (group.equals("apps")) {
      return "kubernetes_apps_" + kind;
    }
    if (group.equals("monitoring.coreos.com")) {
      return "os_monitoring_" + version + "_" + kind; // the Prometheus Operator's, in openshift-model-monitoring
    }
    return "kubernetes_" + group.split("\\.")[0] + "_" + version + "_" + kind;
  }

  private JsonSchema schemaOf(String definition) {
    return compiled.computeIfAbsent(definition, name -> {
      for (ObjectNode document : documents) {
        if (document.path("definitions").has(name)) {
          ObjectNode root = JSON.createObjectNode();
          root.put("$schema", "http://json-schema.org/draft-07/schema#");
          root.set("definitions", document.get("definitions"));
          root.put("$ref", "#/definitions/" + name);
          return factory.getSchema(root);
        }
      }
      return null;
    });
  }

  private static ObjectNode strict(ObjectNode document) {
    ObjectNode definitions = (ObjectNode) document.get("definitions");
    ObjectNode strict = JSON.createObjectNode();
    definitions.properties().forEach(entry -> {
      String name = entry.getKey();
      ObjectNode definition = (ObjectNode) entry.getValue();
      if (name.endsWith("_Quantity")) {
        definition = typeOnly("string", "number");
      } else if (name.endsWith("_IntOrString")) {
        definition = typeOnly("integer", "string");
      } else {
        tighten(definition);
        for (String field : REQUIRED.getOrDefault(name, List.of())) {
          addRequired(definition, field);
        }
      }
      strict.set(name, definition);
    });
    ObjectNode result = JSON.createObjectNode();
    result.set("definitions", strict);
    return result;
  }

  private static ObjectNode typeOnly(String... types) {
    ObjectNode node = JSON.createObjectNode();
    ArrayNode type = node.putArray("type");
    for (String t : types) {
      type.add(t);
    }
    return node;
  }

  /** Drops fabric8's java* annotations and draft-3 {@code required: true}, closes objects. */
  private static void tighten(JsonNode node) {
    if (node.isArray()) {
      node.forEach(KubernetesSchema::tighten);
      return;
    }
    if (!node.isObject()) {
      return;
    }
    ObjectNode schema = (ObjectNode) node;
    schema.remove(List.of("javaType", "javaInterfaces", "javaOmitEmpty", "existingJavaType"));
    JsonNode properties = schema.get("properties");
    if (properties != null && properties.isObject()) {
      Iterator<Map.Entry<String, JsonNode>> fields = properties.properties().iterator();
      while (fields.hasNext()) {
        Map.Entry<String, JsonNode> field = fields.next();
        if (field.getValue().path("required").isBoolean()) {
          ((ObjectNode) field.getValue()).remove("required");
        }
        tighten(field.getValue());
      }
      if (!schema.path("additionalProperties").isObject()) {
        schema.put("additionalProperties", false);
      }
    }
    for (String child : List.of("items", "additionalProperties")) {
      if (schema.path(child).isObject()) {
        tighten(schema.get(child));
      }
    }
  }

  private static void addRequired(ObjectNode definition, String field) {
    if (!definition.path("properties").has(field)) {
      throw new IllegalStateException("required field " + field + " is not a property of " + definition);
    }
    ArrayNode required = definition.has("required") ? (ArrayNode) definition.get("required") : definition.putArray("required");
    required.add(field);
  }
}
