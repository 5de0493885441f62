package org.coursebatch.node;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.coursebatch.http.ops.OpsEndpoints;

/**
 * Every operation openapi.yaml documents, read from the document the node serves, so that a test
 * driven by it covers a new route as soon as the route is documented.
 */
final class DocumentedRoutes {

  static final Pattern PATH_PARAM = Pattern.compile("\\{[^}/]+}");
  private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch");

  private DocumentedRoutes() {}

  /**
   * One documented operation: method, path template, whether it takes a JSON body, that body's
   * schema (resolved, {@code MissingNode} when there is none), the body's documented examples,
   * the documented example of each path parameter, the body's string properties that have a
   * {@code maxLength}, the {@code operationId} and the access policy's operation it names
   * ({@code x-access}, empty when it names none).
   */
  record Route(String method, String path, boolean jsonBody, JsonNode bodySchema, List<JsonNode> bodyExamples,
      Map<String, String> pathExamples, List<BoundedString> boundedStrings, String operationId, String access) {

    /** The body's first documented example ({@code MissingNode} when there is none). */
    JsonNode bodyExample() {
      return bodyExamples.isEmpty() ? com.fasterxml.jackson.databind.node.MissingNode.getInstance() : bodyExamples.get(0);
    }

    boolean hasPathIds() {
      return PATH_PARAM.matcher(path).find();
    }

    /** The path with every id in it replaced by {@code id}. */
    String withIds(String id) {
      return PATH_PARAM.matcher(path).replaceAll(Matcher.quoteReplacement(id));
    }

    /** The path with each parameter replaced by its documented example ({@code probe-1} when it has none). */
    String withExampleIds() {
      return PATH_PARAM.matcher(path).replaceAll(m -> Matcher.quoteReplacement(
          pathExamples.getOrDefault(m.group().substring(1, m.group().length() - 1), "probe-1")));
    }

    /**
     * The documented example that holds most of {@code field}'s path, with the field set to
     * {@code value}; what the example lacks of the path is added (a list gets one element).
     */
    JsonNode exampleWith(BoundedString field, String value) {
      JsonNode best = bodyExamples.isEmpty() ? JSON.createObjectNode() : bodyExamples.get(0);
      for (JsonNode example : bodyExamples) {
        if (field.depthIn(example) > field.depthIn(best)) {
          best = example;
        }
      }
      ObjectNode body = best.isObject() ? ((ObjectNode) best).deepCopy() : JSON.createObjectNode();
      field.set(body, value);
      return body;
    }

    @Override
    public String toString() {
      return method + " " + path;
    }
  }

  /**
   * A string property of a request body with a {@code maxLength}: its path in the body, lists
   * marked {@code []} ({@code request.contents[].contentId}), and the limit.
   */
  record BoundedString(String path, int maxLength) {

    /** The field as refusals name it: without {@code request.}, each list at its first element ({@code contents[0].contentId}). */
    String parameter() {
      return path.replaceFirst("^request\\.", "").replace("[]", "[0]");
    }

    private List<String> segments() {
      return List.of(path.split("\\."));
    }

    /** How many segments of the path {@code body} holds, from the start. */
    int depthIn(JsonNode body) {
      JsonNode at = body;
      int depth = 0;
      for (String segment : segments()) {
        boolean list = segment.endsWith("[]");
        at = at.path(list ? segment.substring(0, segment.length() - 2) : segment);
        if (list) {
          at = at.path(0);
        }
        if (at.isMissingNode() || at.isNull()) {
          return depth;
        }
        depth++;
      }
      return depth;
    }

    /** Sets the field (each list's first element) to {@code value} in {@code body}, adding what is missing. */
    void set(ObjectNode body, String value) {
      List<String> segments = segments();
      ObjectNode at = body;
      for (int i = 0; i < segments.size(); i++) {
        String segment = segments.get(i);
        boolean last = i == segments.size() - 1;
        boolean list = segment.endsWith("[]");
        String name = list ? segment.substring(0, segment.length() - 2) : segment;
        if (!list) {
          if (last) {
            at.put(name, value);
            return;
          }
          if (!at.path(name).isObject()) {
            at.putObject(name);
          }
          at = (ObjectNode) at.get(name);
          continue;
        }
        if (!at.path(name).isArray()) {
          at.putArray(name);
        }
        ArrayNode items = (ArrayNode) at.get(name);
        if (last) {
          if (items.isEmpty()) {
            items.add(value);
          } else {
            items.set(0, TextNode.valueOf(value));
          }
          return;
        }
        if (items.isEmpty() || !items.get(0).isObject()) {
          items.removeAll();
          items.addObject();
        }
        at = (ObjectNode) items.get(0);
      }
    }
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  static JsonNode document() throws Exception {
    return new ObjectMapper(new YAMLFactory()).readTree(OpsEndpoints.openApiDocument());
  }

  static List<Route> all() throws Exception {
    JsonNode doc = document();
    List<Route> routes = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = doc.path("paths").properties().iterator(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> path = it.next();
      for (Iterator<Map.Entry<String, JsonNode>> ops = path.getValue().properties().iterator(); ops.hasNext(); ) {
        Map.Entry<String, JsonNode> op = ops.next();
        if (METHODS.contains(op.getKey())) {
          JsonNode requestBody = resolve(doc, op.getValue().path("requestBody"));
          JsonNode json = requestBody.path("content").path("application/json");
          Map<String, String> pathExamples = new LinkedHashMap<>();
          for (JsonNode parameters : List.of(path.getValue().path("parameters"), op.getValue().path("parameters"))) {
            for (JsonNode p : parameters) {
              JsonNode parameter = resolve(doc, p);
              String example = examples(parameter).stream().findFirst().map(JsonNode::asText).orElse(null);
              if ("path".equals(parameter.path("in").asText()) && example != null) {
                pathExamples.put(parameter.path("name").asText(), example);
              }
            }
          }
          // A property documented in more than one part of an allOf counts once.
          Map<String, BoundedString> bounded = new LinkedHashMap<>();
          List<BoundedString> found = new ArrayList<>();
          boundedStrings(doc, json.path("schema"), "", new HashSet<>(), found);
          found.forEach(b -> bounded.putIfAbsent(b.path(), b));
          routes.add(new Route(op.getKey().toUpperCase(), path.getKey(), !json.isMissingNode(),
              resolve(doc, json.path("schema")), examples(json), pathExamples, List.copyOf(bounded.values()),
              op.getValue().path("operationId").asText(), op.getValue().path("x-access").asText("")));
        }
      }
    }
    return routes;
  }

  /** The {@code example}, or else the values of the {@code examples}, of a media type or parameter. */
  private static List<JsonNode> examples(JsonNode holder) {
    if (holder.has("example")) {
      return List.of(holder.get("example"));
    }
    List<JsonNode> out = new ArrayList<>();
    holder.path("examples").forEach(e -> out.add(e.path("value")));
    return out;
  }

  /**
   * The string properties with a {@code maxLength} under {@code schema}, through {@code $ref},
   * {@code allOf}/{@code anyOf}/{@code oneOf}, nested objects and list items; a schema that
   * refers to itself (a course's children) is followed once.
   */
  private static void boundedStrings(JsonNode doc, JsonNode schema, String path, Set<String> refs, List<BoundedString> out) {
    if (schema.has("$ref")) {
      String ref = schema.path("$ref").asText();
      if (refs.contains(ref)) {
        return;
      }
      refs = new HashSet<>(refs);
      refs.add(ref);
      schema = resolve(doc, schema);
    }
    for (String combined : List.of("allOf", "anyOf", "oneOf")) {
      for (JsonNode part : schema.path(combined)) {
        boundedStrings(doc, part, path, refs, out);
      }
    }
    if (schema.has("maxLength")) {
      out.add(new BoundedString(path, schema.path("maxLength").asInt()));
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = schema.path("properties").properties().iterator(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> property = it.next();
      boundedStrings(doc, property.getValue(), path.isEmpty() ? property.getKey() : path + "." + property.getKey(), refs, out);
    }
    if (schema.has("items")) {
      boundedStrings(doc, schema.path("items"), path + "[]", refs, out);
    }
  }

  /** {@code node}, or what its {@code $ref} names within {@code doc}. */
  static JsonNode resolve(JsonNode doc, JsonNode node) {
    return node.has("$ref") ? doc.at(node.path("$ref").asText().substring(1)) : node;
  }
}
