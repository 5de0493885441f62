package org.coursebatch.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.coursebatch.http.api.Endpoint;
import org.coursebatch.http.ops.OpenApiDocument;
import org.coursebatch.http.ops.OpsEndpoints;
import org.junit.jupiter.api.Test;

/**
 * The per-feature files of the OpenAPI document: each documents exactly its route table, and
 * assembling them refuses a path or a component defined in two files.
 */
class OpenApiFeatureFilesTest {

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final Set<String> HTTP_METHODS = Set.of("get", "put", "post", "delete", "options", "head", "patch", "trace");

  private static Set<String> operations(JsonNode paths) {
    Set<String> out = new TreeSet<>();
    paths.properties().forEach(path -> path.getValue().fieldNames().forEachRemaining(method -> {
      if (HTTP_METHODS.contains(method)) {
        out.add(method.toUpperCase(Locale.ROOT) + " " + path.getKey());
      }
    }));
    return out;
  }

  private static ObjectNode yaml(String text) throws IOException {
    return (ObjectNode) YAML.readTree(text);
  }

  @Test
  void everyFeatureFileHasARouteTable() {
    assertEquals(Set.copyOf(OpenApiDocument.FEATURES), OpenApiDocumentTest.routeTablesByFeature().keySet());
  }

  @Test
  void eachFeatureFileDocumentsExactlyTheRoutesOfItsTable() {
    OpenApiDocumentTest.routeTablesByFeature().forEach((feature, table) -> {
      Set<String> served = new TreeSet<>();
      for (Endpoint e : table) {
        served.add(e.method().name() + " " + e.path());
      }
      if (feature.equals("ops")) {
        served.add("GET " + OpsEndpoints.OPENAPI_PATH); // served beside the route table, see HttpApi
      }
      assertEquals(served, operations(OpenApiDocument.read(feature).path("paths")), feature + ".yaml");
    });
  }

  @Test
  void theRootDocumentsNoRoute() {
    assertEquals(Set.of(), operations(OpenApiDocument.read(OpenApiDocument.ROOT).path("paths")));
  }

  @Test
  void theServedDocumentIsTheRootWithEveryFeature() throws IOException {
    JsonNode served = YAML.readTree(OpsEndpoints.openApiDocument());
    Map<String, ObjectNode> features = new LinkedHashMap<>();
    OpenApiDocument.FEATURES.forEach(f -> features.put(f, OpenApiDocument.read(f)));
    assertEquals(OpenApiDocument.assemble(OpenApiDocument.read(OpenApiDocument.ROOT), features), served);
    JsonNode schemas = served.path("components").path("schemas");
    assertTrue(schemas.has("ResponseEnvelope") && schemas.has("Batch"), "root and feature schemas are both served");
  }

  @Test
  void assemblingRefusesAPathDefinedInTwoFiles() throws IOException {
    ObjectNode root = yaml("openapi: 3.0.3\npaths: {}\ncomponents: {}\n");
    ObjectNode batch = yaml("paths:\n  /v1/course/batch/create:\n    post: {}\n");
    ObjectNode enrollment = yaml("paths:\n  /v1/course/batch/create:\n    get: {}\n");
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> OpenApiDocument.assemble(root, Map.of("batch", batch, "enrollment", enrollment)));
    assertTrue(e.getMessage().contains("/v1/course/batch/create"), e.getMessage());
  }

  @Test
  void assemblingRefusesAComponentDefinedInTwoFiles() throws IOException {
    ObjectNode root = yaml("paths: {}\ncomponents:\n  schemas:\n    Batch: {type: object}\n");
    ObjectNode batch = yaml("components:\n  schemas:\n    Batch: {type: string}\n");
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> OpenApiDocument.assemble(root, Map.of("batch", batch)));
    assertEquals("schemas Batch is defined in both root.yaml and batch.yaml", e.getMessage());

    ObjectNode first = yaml("components:\n  examples:\n    Enrolled: {value: 1}\n");
    ObjectNode second = yaml("components:\n  examples:\n    Enrolled: {value: 2}\n");
    Map<String, ObjectNode> features = new LinkedHashMap<>();
    features.put("enrollment", first);
    features.put("history", second);
    e = assertThrows(IllegalStateException.class,
        () -> OpenApiDocument.assemble(yaml("paths: {}\ncomponents: {}\n"), features));
    assertEquals("examples Enrolled is defined in both enrollment.yaml and history.yaml", e.getMessage());
  }

  @Test
  void theRealFilesAssembledTwiceAreRefused() {
    Map<String, ObjectNode> features = new LinkedHashMap<>();
    features.put("batch", OpenApiDocument.read("batch"));
    features.put("batch-copy", OpenApiDocument.read("batch"));
    assertThrows(IllegalStateException.class,
        () -> OpenApiDocument.assemble(OpenApiDocument.read(OpenApiDocument.ROOT), features));
  }

  @Test
  void aFeatureFileHoldsOnlyPathsAndComponents() throws IOException {
    ObjectNode batch = yaml("info: {title: Batches}\npaths: {}\n");
    assertThrows(IllegalStateException.class,
        () -> OpenApiDocument.assemble(yaml("paths: {}\ncomponents: {}\n"), Map.of("batch", batch)));
  }

  @Test
  void aKeyRepeatedInsideOneFileIsRefused() {
    // src/test/resources/openapi/repeated-key.yaml defines one schema twice.
    UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> OpenApiDocument.read("repeated-key"));
    assertTrue(e.getCause().getMessage().contains("Duplicate field 'Batch'"), e.getCause().getMessage());
  }

  @Test
  void assemblingLeavesItsInputsAlone() throws IOException {
    ObjectNode root = yaml("paths: {}\ncomponents: {}\n");
    ObjectNode batch = yaml("paths:\n  /health:\n    get: {}\n");
    OpenApiDocument.assemble(root, Map.of("batch", batch));
    assertEquals(yaml("paths: {}\ncomponents: {}\n"), root);
  }
}
