package org.coursebatch.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.coursebatch.core.access.Operation;
import org.coursebatch.core.batch.Batch;
import org.coursebatch.core.batch.BatchStatus;
import org.coursebatch.core.batch.BatchView;
import org.coursebatch.core.batch.EnrollmentType;
import org.coursebatch.core.batch.Seats;
import org.coursebatch.core.certificate.CertificateCriteria;
import org.coursebatch.core.certificate.CertificateTemplate;
import org.coursebatch.core.certificate.Signatory;
import org.coursebatch.core.error.ErrorCode;
import org.coursebatch.core.error.ResponseCode;
import org.coursebatch.http.api.Endpoint;
import org.coursebatch.http.api.Envelope;
import org.coursebatch.http.batch.BatchEndpoints;
import org.coursebatch.http.batch.BatchJson;
import org.coursebatch.http.catalog.CatalogEndpoints;
import org.coursebatch.http.enrollment.EnrollmentEndpoints;
import org.coursebatch.http.enrollment.bulk.BulkEnrollmentEndpoints;
import org.coursebatch.http.exhaust.ExhaustEndpoints;
import org.coursebatch.http.group.GroupEndpoints;
import org.coursebatch.http.history.HistoryEndpoints;
import org.coursebatch.http.ops.OpenApiDocument;
import org.coursebatch.http.ops.OpsEndpoints;
import org.coursebatch.http.user.UserEndpoints;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The served OpenAPI document against the route tables and the code: every route is documented
 * (and nothing else), every operation is complete, references resolve, and the envelopes, error
 * codes and read shapes it shows are the ones the code produces.
 */
class OpenApiDocumentTest {

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final Set<String> HTTP_METHODS = Set.of("get", "put", "post", "delete", "options", "head", "patch", "trace");
  private static final Pattern PATH_PARAM = Pattern.compile("\\{([^}/]+)}");
  private static final Pattern TS = Pattern.compile("\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}:\\d{3}[+-]\\d{4}");
  /** The message {@code Failures} gives a body that is not JSON (a rejection with a custom text). */
  private static final Pattern NOT_JSON_MESSAGE = Pattern.compile("Request body is not valid JSON: .+ \\(line \\d+\\)\\.");

  private static JsonNode doc;

  @BeforeAll
  static void load() throws IOException {
    // Exactly the bytes GET /openapi.yaml serves.
    doc = YAML.readTree(OpsEndpoints.openApiDocument());
  }

  /** The route tables; handlers are never invoked, so the collaborators can be null. */
  static List<Endpoint> routeTable() {
    List<Endpoint> all = new ArrayList<>();
    routeTablesByFeature().values().forEach(all::addAll);
    return all;
  }

  /** The route table of each file of {@link OpenApiDocument#FEATURES}, by file name. */
  static Map<String, List<Endpoint>> routeTablesByFeature() {
    Map<String, List<Endpoint>> out = new LinkedHashMap<>();
    out.put("batch", new BatchEndpoints(null, null, Clock.systemUTC(), 1000, null).endpoints());
    out.put("catalog", new CatalogEndpoints(null, null, null).endpoints());
    out.put("enrollment", new EnrollmentEndpoints(null, null, null, null, null).endpoints());
    out.put("user", new UserEndpoints(null, null).endpoints());
    out.put("bulk-enrollment", new BulkEnrollmentEndpoints(null, java.time.ZoneId.of("UTC"), 16L * 1024 * 1024).endpoints());
    out.put("exhaust", new ExhaustEndpoints(null, Clock.systemUTC()).endpoints());
    out.put("history", new HistoryEndpoints(null, null, null, null, Clock.systemUTC()).endpoints());
    var groups = new GroupEndpoints(null, null, null, null);
    List<Endpoint> group = new ArrayList<>(groups.activityEndpoints());
    group.addAll(groups.storeEndpoints());
    out.put("group", group);
    out.put("ops", OpsEndpoints.endpoints());
    return out;
  }

  private static String key(String method, String path) {
    return method.toUpperCase(Locale.ROOT) + " " + path;
  }

  private static Map<String, Endpoint> servedByKey() {
    Map<String, Endpoint> out = new LinkedHashMap<>();
    for (Endpoint e : routeTable()) {
      assertEquals(null, out.put(key(e.method().name(), e.path()), e), "route served twice: " + e.path());
    }
    return out;
  }

  /** Every operation of the document: "METHOD /path" to the operation object. */
  private static Map<String, JsonNode> documentedOperations() {
    Map<String, JsonNode> out = new LinkedHashMap<>();
    doc.get("paths").properties().forEach(path -> path.getValue().properties().forEach(op -> {
      if (HTTP_METHODS.contains(op.getKey())) {
        out.put(key(op.getKey(), path.getKey()), op.getValue());
      }
    }));
    return out;
  }

  private static JsonNode resolve(JsonNode node) {
    int hops = 0;
    while (node != null && node.has("$ref")) {
      String ref = node.get("$ref").asText();
      assertTrue(ref.startsWith("#/"), "only local references are used: " + ref);
      node = doc.at(ref.substring(1));
      assertFalse(node.isMissingNode(), "unresolved reference " + ref);
      assertTrue(++hops < 10, "reference loop at " + ref);
    }
    return node;
  }

  private static Set<String> fieldNames(JsonNode object) {
    Set<String> out = new TreeSet<>();
    object.fieldNames().forEachRemaining(out::add);
    return out;
  }

  private static JsonNode schema(String name) {
    JsonNode s = doc.path("components").path("schemas").path(name);
    assertFalse(s.isMissingNode(), "schema " + name + " is missing");
    return s;
  }

  @Test
  void isAnOpenApi30DocumentWithInfoPathsAndSecuritySchemes() {
    assertTrue(doc.path("openapi").asText().matches("3\\.0\\.\\d+"), "openapi: " + doc.path("openapi"));
    JsonNode info = doc.path("info");
    assertEquals("Course Batch Service API", info.path("title").asText());
    assertEquals("0.1.0", info.path("version").asText());
    String description = info.path("description").asText();
    for (String mentioned : List.of("x-authenticated-user-token", "Authorization: Bearer", "X-Request-ID", "params.msgid", "/api/course/v1/batch/create")) {
      assertTrue(description.contains(mentioned), "info.description mentions " + mentioned);
    }
    assertTrue(doc.path("paths").isObject() && doc.path("paths").size() > 0, "paths");

    JsonNode schemes = doc.path("components").path("securitySchemes");
    assertEquals("http", schemes.path("bearerAuth").path("type").asText());
    assertEquals("bearer", schemes.path("bearerAuth").path("scheme").asText());
    assertEquals("JWT", schemes.path("bearerAuth").path("bearerFormat").asText());
    assertEquals("apiKey", schemes.path("userToken").path("type").asText());
    assertEquals("header", schemes.path("userToken").path("in").asText());
    assertEquals("x-authenticated-user-token", schemes.path("userToken").path("name").asText());
    for (JsonNode requirement : doc.path("security")) {
      requirement.fieldNames().forEachRemaining(name -> assertTrue(schemes.has(name), "security scheme " + name + " is defined"));
    }
  }

  @Test
  void documentsExactlyTheServedRoutes() {
    Set<String> served = new TreeSet<>(servedByKey().keySet());
    served.add(key("GET", OpsEndpoints.OPENAPI_PATH));
    Set<String> documented = new TreeSet<>(documentedOperations().keySet());

    Set<String> undocumented = new TreeSet<>(served);
    undocumented.removeAll(documented);
    Set<String> notServed = new TreeSet<>(documented);
    notServed.removeAll(served);
    assertTrue(undocumented.isEmpty(), "routes missing from openapi.yaml: " + undocumented);
    assertTrue(notServed.isEmpty(), "openapi.yaml documents routes that are not served: " + notServed);
  }

  @Test
  void everyOperationHasAUniqueOperationIdASummaryAndA200() {
    Set<String> ids = new HashSet<>();
    documentedOperations().forEach((op, operation) -> {
      String id = operation.path("operationId").asText("");
      assertFalse(id.isBlank(), op + " has an operationId");
      assertTrue(ids.add(id), "operationId " + id + " is unique");
      assertFalse(operation.path("summary").asText("").isBlank(), op + " has a summary");
      JsonNode ok = resolve(operation.path("responses").path("200"));
      assertTrue(ok != null && ok.isObject() && !ok.isMissingNode(), op + " documents 200");
      assertFalse(ok.path("description").asText("").isBlank(), op + " 200 has a description");
    });
  }

  @Test
  void operationsMatchTheirRoutesAccessAndBody() {
    Map<String, JsonNode> documented = documentedOperations();
    servedByKey().forEach((op, endpoint) -> {
      JsonNode operation = documented.get(op);
      assertNotNull(operation, op);
      JsonNode responses = operation.path("responses");
      if (endpoint.access() == Endpoint.Access.PUBLIC) {
        assertTrue(operation.path("security").isArray() && operation.path("security").isEmpty(), op + " is public: security []");
      } else {
        assertFalse(operation.has("security") && operation.path("security").isEmpty(), op + " needs authentication");
        for (String status : List.of("401", "500", "503")) {
          assertTrue(responses.has(status), op + " documents " + status);
        }
      }
      if (endpoint.body() == Endpoint.Body.JSON) {
        JsonNode body = resolve(operation.path("requestBody"));
        assertTrue(body.path("required").asBoolean(), op + " has a required request body");
        assertTrue(body.path("content").has("application/json"), op + " takes JSON");
        for (String status : List.of("400", "413", "415")) {
          assertTrue(responses.has(status), op + " documents " + status);
        }
      } else {
        assertFalse(operation.has("requestBody"), op + " takes no body");
      }
      responses.fieldNames().forEachRemaining(status -> assertTrue(status.matches("[1-5]\\d\\d"), op + " status " + status));
    });
  }

  /**
   * Every operation names the access policy's operation it is decided as ({@code x-access}), and
   * every {@link Operation} is named by some route: docs/security.md's table then covers the API.
   */
  @Test
  void everyOperationNamesItsAccessAndEveryAccessHasARoute() {
    Set<String> known = Arrays.stream(Operation.values()).map(Enum::name).collect(Collectors.toCollection(TreeSet::new));
    Set<String> named = new TreeSet<>();
    List<String> wrong = new ArrayList<>();
    documentedOperations().forEach((op, operation) -> {
      String access = operation.path("x-access").asText("");
      if (!known.contains(access)) {
        wrong.add(op + (access.isEmpty() ? " has no x-access" : " names no Operation: " + access));
      } else if (Operation.valueOf(access).open() != (operation.path("security").isArray() && operation.path("security").isEmpty())) {
        wrong.add(op + " is public exactly when its x-access is an open Operation: " + access);
      }
      named.add(access);
    });
    assertEquals(List.of(), wrong);
    Set<String> unnamed = new TreeSet<>(known);
    unnamed.removeAll(named);
    assertEquals(Set.of(), unnamed, "Operations no route names in x-access");
  }

  @Test
  void everyPathParameterIsDeclared() {
    doc.get("paths").properties().forEach(path -> {
      Set<String> inTemplate = new TreeSet<>();
      Matcher m = PATH_PARAM.matcher(path.getKey());
      while (m.find()) {
        inTemplate.add(m.group(1));
      }
      List<JsonNode> pathLevel = new ArrayList<>();
      path.getValue().path("parameters").forEach(p -> pathLevel.add(resolve(p)));
      path.getValue().properties().forEach(op -> {
        if (!HTTP_METHODS.contains(op.getKey())) {
          return;
        }
        List<JsonNode> params = new ArrayList<>(pathLevel);
        op.getValue().path("parameters").forEach(p -> params.add(resolve(p)));
        Set<String> declared = new TreeSet<>();
        for (JsonNode p : params) {
          if ("path".equals(p.path("in").asText())) {
            declared.add(p.path("name").asText());
            assertTrue(p.path("required").asBoolean(), "path parameter " + p.path("name") + " is required");
            assertTrue(p.has("schema"), "path parameter " + p.path("name") + " has a schema");
          }
        }
        assertEquals(inTemplate, declared, "path parameters of " + op.getKey().toUpperCase(Locale.ROOT) + " " + path.getKey());
      });
    });
  }

  @Test
  void everyReferenceResolves() {
    List<String> refs = new ArrayList<>();
    collectRefs(doc, refs);
    assertFalse(refs.isEmpty());
    for (String ref : refs) {
      assertTrue(ref.startsWith("#/"), "local reference: " + ref);
      assertFalse(doc.at(ref.substring(1)).isMissingNode(), "unresolved reference " + ref);
    }
  }

  private static void collectRefs(JsonNode node, List<String> out) {
    if (node.isObject()) {
      Iterator<Map.Entry<String, JsonNode>> fields = node.properties().iterator();
      while (fields.hasNext()) {
        var f = fields.next();
        if (f.getKey().equals("$ref") && f.getValue().isTextual()) {
          out.add(f.getValue().asText());
        } else {
          collectRefs(f.getValue(), out);
        }
      }
    } else if (node.isArray()) {
      node.forEach(n -> collectRefs(n, out));
    }
  }

  @Test
  void errorCodeSchemaListsEveryWireCode() {
    Set<String> documented = new TreeSet<>();
    schema("ErrorCode").path("enum").forEach(v -> documented.add(v.asText()));
    Set<String> wire = Arrays.stream(ErrorCode.values()).map(ErrorCode::code).collect(Collectors.toCollection(TreeSet::new));
    assertEquals(wire, documented);

    Set<String> responseCodes = new TreeSet<>();
    schema("ResponseCode").path("enum").forEach(v -> responseCodes.add(v.asText()));
    assertEquals(Arrays.stream(ResponseCode.values()).map(Enum::name).collect(Collectors.toCollection(TreeSet::new)), responseCodes);
  }

  @Test
  void envelopeSchemasHaveTheFieldsTheEnvelopeHas() {
    JsonNode ok = Envelope.JSON.valueToTree(Envelope.ok("api.x", "m", Envelope.JSON.createObjectNode(), Instant.EPOCH));
    JsonNode envelope = schema("ResponseEnvelope");
    assertEquals(fieldNames(ok), fieldNames(envelope.path("properties")));
    assertEquals(fieldNames(ok), textSet(envelope.path("required")));
    JsonNode params = schema("ResponseParams");
    assertEquals(fieldNames(ok.get("params")), fieldNames(params.path("properties")));
    assertEquals(fieldNames(ok.get("params")), textSet(params.path("required")));
  }

  /**
   * Every JSON example of every operation's responses is a complete envelope whose err, status,
   * errmsg and responseCode agree with the ErrorCode table and the response's HTTP status, and
   * whose id is the route's API id (checked where the response belongs to one API id).
   */
  @Test
  void responseExamplesAreTheEnvelopesTheCodeSends() {
    Map<String, Endpoint> served = servedByKey();
    Map<String, Set<String>> apiIdsByResponseRef = new HashMap<>();
    documentedOperations().forEach((op, operation) -> {
      Endpoint e = served.get(op);
      operation.path("responses").forEach(r -> {
        if (r.has("$ref") && e != null) {
          apiIdsByResponseRef.computeIfAbsent(r.get("$ref").asText(), k -> new HashSet<>()).add(e.apiId());
        }
      });
    });

    int checked = 0;
    for (Map.Entry<String, JsonNode> entry : documentedOperations().entrySet()) {
      String op = entry.getKey();
      Endpoint endpoint = served.get(op);
      if (endpoint == null) {
        continue; // GET /openapi.yaml: not enveloped
      }
      Iterator<Map.Entry<String, JsonNode>> responses = entry.getValue().path("responses").properties().iterator();
      while (responses.hasNext()) {
        var response = responses.next();
        int status = Integer.parseInt(response.getKey());
        String ref = response.getValue().path("$ref").asText(null);
        boolean singleApi = ref == null || apiIdsByResponseRef.get(ref).size() == 1;
        if (endpoint.downloads() && status == 200) {
          assertTrue(resolve(response.getValue()).path("content").size() == 1, op + " 200 is the file");
          continue; // a file, not an envelope
        }
        JsonNode json = resolve(response.getValue()).path("content").path("application/json");
        assertFalse(json.isMissingNode(), op + " " + status + " is JSON");
        List<JsonNode> examples = examplesOf(json);
        assertFalse(examples.isEmpty(), op + " " + status + " has an example");
        for (JsonNode example : examples) {
          if (endpoint.streams() && status == 200) {
            checkStreamedEnvelope(op, example, singleApi ? endpoint.apiId() : null);
          } else {
            checkEnvelope(op + " " + status, example, status, singleApi ? endpoint.apiId() : null);
          }
          checked++;
        }
      }
    }
    assertTrue(checked > 50, "examples checked: " + checked);
  }

  private static List<JsonNode> examplesOf(JsonNode media) {
    List<JsonNode> out = new ArrayList<>();
    if (media.has("example")) {
      out.add(media.get("example"));
    }
    media.path("examples").forEach(ex -> out.add(resolve(ex).path("value")));
    return out;
  }

  private static void checkEnvelope(String where, JsonNode e, int status, String apiId) {
    assertEquals(Set.of("id", "ver", "ts", "params", "responseCode", "result"), fieldNames(e), where + " envelope fields");
    JsonNode params = e.get("params");
    assertEquals(Set.of("resmsgid", "msgid", "err", "status", "errmsg"), fieldNames(params), where + " params fields");
    if (apiId != null) {
      assertEquals(apiId, e.get("id").asText(), where + " id");
    }
    assertEquals("v1", e.get("ver").asText(), where + " ver");
    assertTrue(TS.matcher(e.get("ts").asText()).matches(), where + " ts " + e.get("ts"));
    assertTrue(params.get("resmsgid").isNull(), where + " resmsgid");
    assertFalse(params.get("msgid").asText("").isBlank(), where + " msgid");
    assertTrue(e.get("result").isObject(), where + " result");
    if (status == 200) {
      assertTrue(params.get("err").isNull(), where + " err");
      assertTrue(params.get("errmsg").isNull(), where + " errmsg");
      assertEquals("success", params.get("status").asText(), where + " status");
      assertEquals("OK", e.get("responseCode").asText(), where + " responseCode");
      return;
    }
    String err = params.get("err").asText();
    assertEquals(err, params.get("status").asText(), where + " status equals err");
    assertEquals(responseCodeFor(status).name(), e.get("responseCode").asText(), where + " responseCode");
    assertTrue(e.get("result").isEmpty(), where + " result is {}");
    String message = params.get("errmsg").asText();
    boolean known = Arrays.stream(ErrorCode.values())
        .filter(c -> c.code().equals(err) && c.responseCode().httpStatus() == status)
        .anyMatch(c -> templatePattern(c).matcher(message).matches());
    if (!known && err.equals(ErrorCode.INVALID_REQUESTED_DATA.code()) && status == 400) {
      known = NOT_JSON_MESSAGE.matcher(message).matches();
    }
    assertTrue(known, where + ": no " + err + " with HTTP " + status + " says \"" + message + "\"");
  }

  /**
   * A streamed envelope: the fields of any other, {@code result} first (as StreamedEnvelope writes
   * it), a summary that counts the items, and either a success or the trailer of a failure after
   * the response started (OPERATION_FAILED, SERVICE_UNAVAILABLE, with HTTP 200).
   */
  private static void checkStreamedEnvelope(String op, JsonNode e, String apiId) {
    String where = op + " 200 (streamed)";
    assertEquals(List.of("id", "ver", "ts", "result", "params", "responseCode"), fieldList(e), where + " field order");
    JsonNode items = e.at("/result/responses");
    assertTrue(items.isArray(), where + " result.responses");
    int succeeded = 0;
    int failed = 0;
    for (JsonNode item : items) {
      if (item.path("successful").asBoolean()) {
        succeeded++;
      } else {
        failed++;
      }
    }
    JsonNode summary = e.at("/result/summary");
    assertEquals(List.of(items.size(), succeeded, failed),
        List.of(summary.path("total").asInt(), summary.path("succeeded").asInt(), summary.path("failed").asInt()), where + " summary");
    if (e.at("/params/err").isNull()) {
      checkEnvelope(where, e, 200, apiId);
      return;
    }
    assertEquals("OPERATION_FAILED", e.at("/params/err").asText(), where + " err");
    ObjectNode trailer = e.deepCopy();
    trailer.set("result", Envelope.JSON.createObjectNode()); // the items were written before the failure
    checkEnvelope(where, trailer, ErrorCode.OPERATION_FAILED.responseCode().httpStatus(), apiId);
  }

  private static List<String> fieldList(JsonNode object) {
    List<String> out = new ArrayList<>();
    object.fieldNames().forEachRemaining(out::add);
    return out;
  }

  private static ResponseCode responseCodeFor(int status) {
    return Arrays.stream(ResponseCode.values()).filter(r -> r.httpStatus() == status).findFirst()
        .orElseThrow(() -> new AssertionError("no response code for HTTP " + status));
  }

  /** The message template as a regex: placeholders match any text. */
  static Pattern templatePattern(ErrorCode code) {
    String template = code.reject().message();
    String[] parts = template.split("\\{\\d+}", -1);
    // A value may be empty: lms-service quotes a blank name as it was given ("Invalid value  for parameter name.").
    return Pattern.compile(Arrays.stream(parts).map(Pattern::quote).collect(Collectors.joining(".*")), Pattern.DOTALL);
  }

  @Test
  void batchSchemasListTheFieldsBatchJsonWrites() {
    var issuer = Envelope.JSON.createObjectNode().put("name", "Issuer").put("url", "https://example.org");
    var notify = Envelope.JSON.createObjectNode().put("subject", "Done");
    var extra = Envelope.JSON.createObjectNode().put("x", 1);
    var template = new CertificateTemplate("T1", "Template", "https://example.org/t.svg",
        new CertificateCriteria(2, Map.of(">=", 70.0, "<=", 100.0, "eq", 80.0), "org-1"),
        issuer, List.of(new Signatory("CEO", "ceo", "Chief", "https://example.org/s.png")), notify, extra);
    Instant created = Instant.parse("2024-01-01T10:00:00Z");
    var batch = new Batch("0123", "do_1", "Batch", "desc", "tandc", EnrollmentType.OPEN,
        LocalDate.parse("2024-01-10"), LocalDate.parse("2024-02-10"), null, "UTC", List.of("org-1"), List.of("mentor-1"),
        "creator", created, "creator", created, BatchStatus.UPCOMING, Map.of("T1", template), null, null);
    var json = BatchJson.view(BatchView.of(batch, created));
    var seats = new Seats(Set.of("learner-1"), List.of(new Seats.Waiting("learner-2", 1)), Set.of(), 2);
    var capped = new Batch("0124", "do_1", "Batch", "desc", "tandc", EnrollmentType.OPEN,
        LocalDate.parse("2024-01-10"), LocalDate.parse("2024-02-10"), null, "UTC", List.of("org-1"), List.of("mentor-1"),
        "creator", created, "creator", created, BatchStatus.UPCOMING, Map.of("T1", template), 1, seats);
    var cappedJson = BatchJson.view(BatchView.of(capped, created));

    JsonNode batchSchema = schema("Batch");
    assertEquals(fieldNames(cappedJson), fieldNames(batchSchema.path("properties")), "Batch properties");
    assertEquals(fieldNames(json), textSet(batchSchema.path("required")), "Batch required: all but the capacity fields");

    JsonNode templateJson = json.get("cert_templates").get("T1");
    assertEquals(fieldNames(templateJson), fieldNames(schema("CertificateTemplate").path("properties")), "CertificateTemplate properties");
    JsonNode criteriaSchema = schema("CertificateCriteria").path("properties");
    assertEquals(fieldNames(templateJson.get("criteria")), fieldNames(criteriaSchema), "criteria");
    assertEquals(fieldNames(templateJson.at("/criteria/assessment/score")),
        fieldNames(criteriaSchema.at("/assessment/properties/score/properties")), "score operators");
    assertEquals(new TreeSet<>(CertificateCriteria.SCORE_OPERATORS), fieldNames(criteriaSchema.at("/assessment/properties/score/properties")));
    assertEquals(fieldNames(templateJson.get("signatoryList").get(0)), fieldNames(schema("Signatory").path("properties")), "Signatory");

    Set<String> sortable = fieldNames(schema("SearchRequest").at("/properties/sort_by/properties"));
    Set<String> sortFields = Arrays.stream(org.coursebatch.core.batch.BatchSearch.SortField.values())
        .map(org.coursebatch.core.batch.BatchSearch.SortField::wireName).collect(Collectors.toCollection(TreeSet::new));
    assertEquals(sortFields, sortable, "sort_by fields");

    Set<String> enrollmentTypes = textSet(schema("EnrollmentType").path("enum"));
    assertEquals(Arrays.stream(EnrollmentType.values()).map(EnrollmentType::wireName).collect(Collectors.toCollection(TreeSet::new)), enrollmentTypes);
  }

  @Test
  void theOpenApiOperationServesYaml() {
    JsonNode ok = documentedOperations().get(key("GET", OpsEndpoints.OPENAPI_PATH)).path("responses").path("200");
    assertTrue(ok.path("content").has("application/yaml"), "GET /openapi.yaml returns YAML");
    JsonNode security = documentedOperations().get(key("GET", OpsEndpoints.OPENAPI_PATH)).path("security");
    assertTrue(security.isArray() && security.isEmpty(), "GET /openapi.yaml is public");
  }

  private static Set<String> textSet(JsonNode array) {
    Set<String> out = new TreeSet<>();
    if (!array.isArray()) {
      fail("not an array: " + array);
    }
    array.forEach(v -> out.add(v.asText()));
    return out;
  }
}
