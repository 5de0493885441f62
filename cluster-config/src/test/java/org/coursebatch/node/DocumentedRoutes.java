package org.coursebatch.node;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.util.ArrayList;
import java.util.Iterator;
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
   * schema (resolved, {@code MissingNode} when there is none) and its first documented example
   * ({@code MissingNode} when there is none).
   */
  record Route(String method, String path, boolean jsonBody, JsonNode bodySchema, JsonNode bodyExample) {

    boolean hasPathIds() {
      return PATH_PARAM.matcher(path).find();
    }

    /** The path with every id in it replaced by {@code id}. */
    String withIds(String id) {
      return PATH_PARAM.matcher(path).replaceAll(Matcher.quoteReplacement(id));
    }

    @Override
    public String toString() {
      return method + " " + path;
    }
  }

  static JsonNode document() throws Exception {
    return new ObjectMapper(new YAMLFactory()).readTree(OpsEndpoints.openApiDocument());
  }

  static List<Route> all() throws Exception {
    JsonNode doc = document();
    List<Route> routes = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = doc.path("paths").fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> path = it.next();
      for (Iterator<Map.Entry<String, JsonNode>> ops = path.getValue().fields(); ops.hasNext(); ) {
        Map.Entry<String, JsonNode> op = ops.next();
        if (METHODS.contains(op.getKey())) {
          JsonNode requestBody = resolve(doc, op.getValue().path("requestBody"));
          JsonNode json = requestBody.path("content").path("application/json");
          routes.add(new Route(op.getKey().toUpperCase(), path.getKey(), !json.isMissingNode(),
              resolve(doc, json.path("schema")), firstExample(json)));
        }
      }
    }
    return routes;
  }

  private static JsonNode firstExample(JsonNode content) {
    if (content.has("example")) {
      return content.get("example");
    }
    Iterator<JsonNode> examples = content.path("examples").elements();
    return examples.hasNext() ? examples.next().path("value") : content.path("example");
  }

  /** {@code node}, or what its {@code $ref} names within {@code doc}. */
  static JsonNode resolve(JsonNode doc, JsonNode node) {
    return node.has("$ref") ? doc.at(node.path("$ref").asText().substring(1)) : node;
  }
}
