package org.coursebatch.node;

import static org.coursebatch.node.TestNode.token;
import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntPredicate;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.coursebatch.core.testing.MutableClock;
import org.coursebatch.node.ApiClient.Reply;
import org.coursebatch.node.DocumentedRoutes.Route;
import org.coursebatch.persistence.db.DatabaseSettings;
import org.coursebatch.persistence.testing.TestDatabases;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Malformed requests on PostgreSQL, through every route openapi.yaml documents (so a new route is
 * covered as soon as it is documented), by a caller with every role so that each request gets past
 * authorization to the decoding of its body:
 *
 * <ul>
 *   <li>what HTTP itself refuses, on raw connections: malformed request lines, {@code %ZZ} in the
 *       path, a URI over the limit (414), headers over the limits (431), header values with bytes
 *       outside visible ASCII, a body whose chunks are broken or that ends before its
 *       Content-Length; and ids of 200 characters in the path;
 *   <li>bodies that are not JSON objects (truncated, trailing garbage, empty, nested 100,000 deep,
 *       a 100,000-element array, a number of 2,000 digits), sent as something other than JSON
 *       (415) or larger than the limit (413);
 *   <li>the documented example body of each route with one property at a time replaced by a value
 *       of the wrong type, an absurd number, a bad date or a 100,000-element array.
 * </ul>
 *
 * No answer is a 5xx, every answer is the JSON envelope, the refusals have the documented statuses,
 * nothing of it reaches a table (the journal's and every other table's row counts are the same
 * before and after), and afterwards a new batch shows in search and a new learner in the
 * participant list.
 */
class MalformedRequestPostgresTest {

  private static final String ADMIN_ID = "admin-1";
  private static final String ADMIN = token(ADMIN_ID, "ORG_ADMIN", "CONTENT_CREATOR", "COURSE_MENTOR", "AUDITOR",
      "SYSTEM_ADMINISTRATION", "BOOK_CREATOR", "PUBLIC");
  /**
   * The production default of {@code http.max-body-bytes} (100,000-element arrays fit in it), here
   * the bulk routes' limit too, so that one body is over the limit of every route.
   */
  private static final long BODY_LIMIT = 1 << 20;
  /** A body length past every limit. */
  private static final long TERABYTE = 1L << 40;
  private static final int HUGE = 100_000;
  private static final String PROBE_ID = "probe-1";
  private static final String HOLE = "\u0000hole\u0000";

  private static DatabaseSettings database;
  private static TestNode node;
  private static ApiClient api;
  private static List<Route> routes;

  @BeforeAll
  static void start() throws Exception {
    database = TestDatabases.freshPostgres();
    node = new TestNode(Files.createTempDirectory("batch-malformed"), database, MutableClock.startingNow(),
        Map.of("course-batch.http.max-body-bytes", BODY_LIMIT, "course-batch.bulk.max-body-bytes", BODY_LIMIT));
    node.startNode();
    api = node.client();
    routes = DocumentedRoutes.all();
  }

  @AfterAll
  static void stop() {
    if (node != null) {
      node.close();
    }
    TestDatabases.dropPostgres(database);
  }

  @Test
  void transportErrorsAreEnvelopesWithTheirStatusesOnEveryRoute() throws Exception {
    try (Answers answers = new Answers()) {
      answers.check("a request line without spaces", () -> raw("GARBAGE_WITHOUT_ANY_SPACE_IN_IT_AT_ALL\r\n\r\n"), s -> s == 400);
      answers.check("a TLS handshake", () -> raw("\u0016\u0003\u0001\u0000\u00a5\u0001\u0000\u0000\u00a1\u0003\u0003"), s -> s == 400);
      String auth = "Authorization: Bearer " + ADMIN + "\r\n";
      for (Route route : routes) {
        String path = route.withIds(PROBE_ID);
        String line = route.method() + " " + path;
        answers.check(route + " %ZZ in the path", () -> raw(route.method() + " " + withBadEscape(route) + " HTTP/1.1\r\nHost: x\r\n"
            + auth + "\r\n"), s -> s == 400);
        answers.check(route + " unknown method", () -> raw("FROB " + path + " HTTP/1.1\r\nHost: x\r\n" + auth + "\r\n"), s -> s == 400);
        answers.check(route + " HTTP/9.9", () -> raw(line + " HTTP/9.9\r\nHost: x\r\n" + auth + "\r\n"), s -> s == 400);
        answers.check(route + " no HTTP version", () -> raw(line + "\r\nHost: x\r\n\r\n"), s -> s == 400);
        answers.check(route + " space in the path", () -> raw(line + " x HTTP/1.1\r\nHost: x\r\n" + auth + "\r\n"), s -> s == 400);
        answers.check(route + " no Host", () -> raw(line + " HTTP/1.1\r\n" + auth + "\r\n"), s -> s == 400);
        if (route.hasPathIds()) {
          // Longer than any id column, short enough for the router's own limit (255): still no 5xx.
          answers.check(route + " ids of 200 characters", http(() -> api.send(route.method(), route.withIds("i".repeat(200)),
              route.jsonBody() ? "{\"request\": {}}" : null, Map.of("Authorization", "Bearer " + ADMIN))), s -> s < 500);
        }
        answers.check(route + " URI over the limit", () -> raw(line + "?pad=" + "p".repeat(3000) + " HTTP/1.1\r\nHost: x\r\n" + auth
            + "\r\n"), s -> s == 414);
        answers.check(route + " header over the limit", () -> raw(line + " HTTP/1.1\r\nHost: x\r\n" + auth + "X-Pad: "
            + "p".repeat(9000) + "\r\n\r\n"), s -> s == 431);
        // 0xE9 alone, before a Content-Length: one refusal, the "body" never a request of its own.
        answers.check(route + " a lone UTF-8 lead byte in a header", () -> raw(line + " HTTP/1.1\r\nHost: x\r\n" + auth
            + "X-A: \u00e9\r\nContent-Length: 31\r\n\r\nGET /nope HTTP/1.1\r\nHost: x\r\n\r\n"), s -> s == 400);
        answers.check(route + " UTF-8 in a header", () -> raw(line + " HTTP/1.1\r\nHost: x\r\n" + auth
            + "X-A: caf\u00c3\u00a9\r\n\r\n"), s -> s == 400);
        answers.check(route + " a control byte in a header", () -> raw(line + " HTTP/1.1\r\nHost: x\r\n" + auth
            + "X-A: a\u0001b\r\n\r\n"), s -> s == 400);
        answers.check(route + " too many headers", () -> raw(line + " HTTP/1.1\r\nHost: x\r\n" + auth + "X-Pad: p\r\n".repeat(70)
            + "\r\n"), s -> s == 431);
        if (route.jsonBody()) {
          String head = line + " HTTP/1.1\r\nHost: x\r\n" + auth + "Content-Type: application/json\r\n";
          answers.check(route + " broken chunk", () -> raw(head + "Transfer-Encoding: chunked\r\n\r\n5\r\n{\"req\r\nZZ\r\n"),
              s -> s == 400);
          answers.check(route + " body shorter than its length", () -> rawHalfClosed(head + "Content-Length: 100\r\n\r\n{\"request\":"),
              s -> s == 400);
        }
      }
      answers.assertAllRight();
    }
    aNewBatchAndLearnerShowUp("transport");
  }

  @Test
  void bodiesThatAreNotJsonObjectsOrNotSentAsJsonAreRefusedOnEveryRouteThatTakesOne() throws Exception {
    List<Route> json = routes.stream().filter(Route::jsonBody).toList();
    assertTrue(json.size() >= 20, "routes with a JSON body: " + json.size());
    Map<String, String> notJson = new LinkedHashMap<>();
    notJson.put("truncated", "{\"request\": {\"courseId\": \"do_1");
    notJson.put("trailing garbage", "{\"request\": {}} garbage");
    notJson.put("two values", "{\"request\": {}} {\"request\": {}}");
    notJson.put("single quotes", "{'request': {}}");
    notJson.put("a comment", "{\"request\": {} /* c */}");
    notJson.put("NaN unquoted", "{\"request\": {\"limit\": NaN}}");
    notJson.put("whitespace only", "   \r\n  ");
    notJson.put("an array", "[]");
    notJson.put("a string", "\"request\"");
    notJson.put("a number", "42");
    notJson.put("null", "null");
    notJson.put("request an array", "{\"request\": []}");
    notJson.put("request a string", "{\"request\": \"x\"}");
    notJson.put("request 1e309", "{\"request\": 1e309}");
    notJson.put("request a huge array", "{\"request\": [" + "0,".repeat(HUGE - 1) + "0]}");
    notJson.put("nested 100,000 deep", "{\"request\": " + "[".repeat(HUGE) + "]".repeat(HUGE) + "}");
    notJson.put("opened 100,000 deep", "[".repeat(HUGE));
    notJson.put("objects nested 50,000 deep", "{\"request\": " + "{\"a\":".repeat(HUGE / 2) + "1" + "}".repeat(HUGE / 2) + "}");
    notJson.put("a number of 2,000 digits", "{\"request\": {\"limit\": " + "9".repeat(2000) + "}}");
    byte[] requestNotAnObject = "{\"request\": []}".getBytes(StandardCharsets.UTF_8);
    byte[] oversized = ("{\"request\": {\"pad\": \"" + "p".repeat((int) BODY_LIMIT) + "\"}}").getBytes(StandardCharsets.UTF_8);
    Map<String, String> auth = Map.of("Authorization", "Bearer " + ADMIN);
    try (Answers answers = new Answers()) {
      for (Route route : json) {
        String path = route.withIds(PROBE_ID);
        for (Map.Entry<String, String> body : notJson.entrySet()) {
          answers.check(route + " " + body.getKey(), http(() -> api.send(route.method(), path, body.getValue(), auth)), s -> s == 400);
        }
        answers.check(route + " empty body", http(() -> api.sendBytes(route.method(), path, new byte[0], withType(auth, "application/json"))),
            s -> s == 400);
        answers.check(route + " invalid UTF-8", http(() -> api.sendBytes(route.method(), path,
            new byte[] {'{', '"', (byte) 0xc3, '(', '"', ':', '1', '}'}, withType(auth, "application/json"))), s -> s == 400);
        for (String type : List.of("text/plain", "text/plain; charset=UTF-8", "application/x-www-form-urlencoded", "application/xml",
            "text/json", "multipart/form-data; boundary=xyz", "application/octet-stream", "application/jsonp")) {
          answers.check(route + " sent as " + type, http(() -> api.sendBytes(route.method(), path, requestNotAnObject, withType(auth, type))),
              s -> s == 415);
        }
        answers.check(route + " without Content-Type", http(() -> api.sendBytes(route.method(), path, requestNotAnObject, auth)),
            s -> s == 415);
        // Read as JSON: refused for the request that is not an object, not for the type.
        for (String type : List.of("application/json", "application/json; charset=utf-8", "application/json;charset=UTF-8",
            "Application/JSON", "application/vnd.api+json", "application/merge-patch+json")) {
          answers.check(route + " sent as " + type, http(() -> api.sendBytes(route.method(), path, requestNotAnObject, withType(auth, type))),
              s -> s == 400);
        }
        answers.check(route + " body over the limit", http(() -> api.sendBytes(route.method(), path, oversized,
            withType(auth, "application/json"))), s -> s == 413);
        // As curl offers a large body: the refusal comes before it is sent.
        answers.check(route + " a terabyte offered", () -> raw(route.method() + " " + path + " HTTP/1.1\r\nHost: x\r\n"
            + "Authorization: Bearer " + ADMIN + "\r\nContent-Type: application/json\r\nExpect: 100-continue\r\nContent-Length: "
            + TERABYTE + "\r\n\r\n"), s -> s == 413);
      }
      answers.assertAllRight();
    }
    aNewBatchAndLearnerShowUp("not json");
  }

  @Test
  void wrongTypesAbsurdNumbersAndBadDatesInEveryDocumentedPropertyGiveNo5xxAndTheirRefusalsChangeNothing() throws Exception {
    JsonNode doc = DocumentedRoutes.document();
    Map<String, String> auth = Map.of("Authorization", "Bearer " + ADMIN);
    int properties = 0;
    try (Answers answers = new Answers()) {
      Set<String> handled = new HashSet<>();
      for (Route route : routes.stream().filter(Route::jsonBody).toList()) {
        String path = route.withIds(PROBE_ID);
        // Aliases (the Sunbird gateway paths of a route) share the envelope id and the handler: the
        // first of them gets every value, the others one each.
        Answer probe = answers.check(route + " request an array", http(() -> api.send(route.method(), path, "{\"request\": []}", auth)),
            s -> s == 400);
        int values = handled.add(route.method() + " " + probe.body().path("id").asText(route.path())) ? Integer.MAX_VALUE : 1;
        JsonNode base = baseBody(route);
        for (Property property : properties(doc, route.bodySchema())) {
          properties++;
          for (String value : property.hostileValues().stream().limit(values).toList()) {
            String body = withValue(base, property.path(), value);
            answers.check(route + " " + property + " = " + abbreviated(value), http(() -> api.send(route.method(), path, body, auth)),
                s -> s < 500);
          }
        }
      }
      assertTrue(properties >= 100, "documented body properties: " + properties);
      answers.assertAllRight();
    }
    aNewBatchAndLearnerShowUp("bad values");
  }

  // --- properties of the documented bodies and values that do not fit them

  /** A property of a request body: where it is ({@code request.contents[0].status}) and what the schema says it is. */
  private record Property(List<Object> path, String type, boolean date) {

    List<String> hostileValues() {
      List<String> values = new ArrayList<>(List.of("-0", "1e309", "{\"k\": \"v\"}", "99999999999999999999999999", "true", "\"NaN\"",
          "\"\"", "[1, \"a\", null, {}]", "null", "\"" + "x".repeat(5000) + "\""));
      if (date) {
        values.addAll(List.of("\"2023-13-45\"", "\"+999999999-12-31T23:59:59Z\"", "\"-999999999-01-01\"", "\"2023-02-30\"",
            "\"0000-00-00\"", "\"2023-05-01T25:61:61Z\""));
      }
      if (type.equals("integer") || type.equals("number")) {
        values.addAll(List.of("-1", "2147483648", "-9223372036854775809", "1.5", "1e-400", "\"12\""));
      }
      if (type.equals("array")) {
        values.addAll(List.of("[" + "\"x\",".repeat(HUGE - 1) + "\"x\"]", "[[[[]]]]", "[1e309]", "[null]", "[{}]", "\"x\""));
      }
      return values;
    }

    @Override
    public String toString() {
      StringBuilder out = new StringBuilder();
      for (Object step : path) {
        out.append(step instanceof Integer i ? "[" + i + "]" : (out.length() == 0 ? "" : ".") + step);
      }
      return out.toString();
    }
  }

  /** The properties under {@code request} of a body schema, two levels of objects (and array items) deep. */
  private static List<Property> properties(JsonNode doc, JsonNode bodySchema) {
    List<Property> out = new ArrayList<>();
    JsonNode request = propertiesOf(doc, bodySchema).get("request");
    if (request != null) {
      collect(doc, request, new ArrayList<>(List.of("request")), 0, out);
    }
    return out;
  }

  private static void collect(JsonNode doc, JsonNode schema, List<Object> path, int depth, List<Property> out) {
    for (Map.Entry<String, JsonNode> field : propertiesOf(doc, schema).entrySet()) {
      JsonNode property = DocumentedRoutes.resolve(doc, field.getValue());
      List<Object> at = new ArrayList<>(path);
      at.add(field.getKey());
      String type = typeOf(doc, property);
      boolean date = field.getKey().toLowerCase().contains("date") || formatOf(doc, property).contains("date");
      out.add(new Property(List.copyOf(at), type, date));
      if (depth < 2) {
        if (type.equals("object")) {
          collect(doc, property, at, depth + 1, out);
        } else if (type.equals("array")) {
          List<Object> item = new ArrayList<>(at);
          item.add(0);
          collect(doc, DocumentedRoutes.resolve(doc, property.path("items")), item, depth + 1, out);
        }
      }
    }
  }

  /** The properties a schema declares, with those of its allOf, oneOf and anyOf parts. */
  private static Map<String, JsonNode> propertiesOf(JsonNode doc, JsonNode schema) {
    JsonNode s = DocumentedRoutes.resolve(doc, schema);
    Map<String, JsonNode> out = new LinkedHashMap<>();
    for (String combined : List.of("allOf", "oneOf", "anyOf")) {
      s.path(combined).forEach(part -> out.putAll(propertiesOf(doc, part)));
    }
    s.path("properties").properties().forEach(f -> out.put(f.getKey(), f.getValue()));
    return out;
  }

  private static String typeOf(JsonNode doc, JsonNode schema) {
    JsonNode s = DocumentedRoutes.resolve(doc, schema);
    if (s.has("type")) {
      return s.get("type").asText();
    }
    for (String combined : List.of("allOf", "oneOf", "anyOf")) {
      for (JsonNode part : s.path(combined)) {
        String type = typeOf(doc, part);
        if (!type.isEmpty()) {
          return type;
        }
      }
    }
    return s.has("properties") ? "object" : "";
  }

  private static String formatOf(JsonNode doc, JsonNode schema) {
    JsonNode s = DocumentedRoutes.resolve(doc, schema);
    StringBuilder formats = new StringBuilder(s.path("format").asText(""));
    for (String combined : List.of("allOf", "oneOf", "anyOf")) {
      s.path(combined).forEach(part -> formats.append(' ').append(formatOf(doc, part)));
    }
    return formats.toString();
  }

  /**
   * The route's documented example (an empty request when it has none), changed so that it passes
   * the checks that would stop every variation of it before its fields are read: its identifier is
   * the id in the path, every userId the caller's, and its dates are years ahead rather than past.
   */
  private static JsonNode baseBody(Route route) {
    if (!route.bodyExample().isObject()) {
      return ApiClient.JSON.createObjectNode().set("request", ApiClient.JSON.createObjectNode());
    }
    ObjectNode base = route.bodyExample().deepCopy();
    if (base.path("request").path("identifier").isTextual()) {
      ((ObjectNode) base.get("request")).put("identifier", PROBE_ID);
    }
    int earliest = LocalDate.now(ZoneOffset.UTC).getYear();
    Matcher years = Pattern.compile("\"(\\d{4})-\\d{2}-\\d{2}").matcher(base.toString());
    while (years.find()) {
      earliest = Math.min(earliest, Integer.parseInt(years.group(1)));
    }
    int ahead = LocalDate.now(ZoneOffset.UTC).getYear() + 1 - earliest;
    return rewritten(base, ahead);
  }

  private static JsonNode rewritten(JsonNode node, int yearsAhead) {
    if (node.isObject()) {
      ObjectNode object = (ObjectNode) node;
      List<String> names = new ArrayList<>();
      object.fieldNames().forEachRemaining(names::add);
      for (String name : names) {
        JsonNode value = object.get(name);
        object.set(name, name.equals("userId") && value.isTextual() ? ApiClient.JSON.getNodeFactory().textNode(ADMIN_ID)
            : rewritten(value, yearsAhead));
      }
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        ((ArrayNode) node).set(i, rewritten(node.get(i), yearsAhead));
      }
    } else if (node.isTextual() && node.asText().matches("\\d{4}-\\d{2}-\\d{2}.*")) {
      String text = node.asText();
      return ApiClient.JSON.getNodeFactory().textNode((Integer.parseInt(text.substring(0, 4)) + yearsAhead) + text.substring(4));
    }
    return node;
  }

  /** {@code base} with the JSON text {@code value} at {@code path} (made where the example has nothing there). */
  private static String withValue(JsonNode base, List<Object> path, String value) {
    JsonNode root = base.deepCopy();
    JsonNode at = root;
    for (int i = 0; i < path.size() - 1; i++) {
      Object step = path.get(i);
      boolean arrayNext = path.get(i + 1) instanceof Integer;
      JsonNode next = step instanceof Integer index ? at.path(index) : at.path((String) step);
      if (arrayNext ? !next.isArray() : !next.isObject()) {
        next = arrayNext ? ApiClient.JSON.createArrayNode() : ApiClient.JSON.createObjectNode();
        put(at, step, next);
      }
      at = next;
    }
    put(at, path.get(path.size() - 1), ApiClient.JSON.getNodeFactory().textNode(HOLE));
    return root.toString().replace("\"\\u0000hole\\u0000\"", value);
  }

  private static void put(JsonNode container, Object step, JsonNode value) {
    if (step instanceof Integer index) {
      ArrayNode array = (ArrayNode) container;
      while (array.size() <= index) {
        array.add(ApiClient.JSON.createObjectNode());
      }
      array.set(index, value);
    } else {
      ((ObjectNode) container).set((String) step, value);
    }
  }

  private static String abbreviated(String value) {
    return value.length() <= 40 ? value : value.substring(0, 30) + "…(" + value.length() + ")";
  }

  private static Map<String, String> withType(Map<String, String> headers, String contentType) {
    Map<String, String> out = new LinkedHashMap<>(headers);
    out.put("Content-Type", contentType);
    return out;
  }

  /** The path of a route with {@code %ZZ} (not a percent-escape) in it: as an id, or in the last segment. */
  private static String withBadEscape(Route route) {
    return route.hasPathIds() ? route.withIds("a%ZZb") : route.path() + "%ZZ";
  }

  // --- answers

  /** A request's answer: its status and body (a text node when the body is not JSON). */
  private record Answer(int status, JsonNode body) {}

  @FunctionalInterface
  private interface Call {
    Answer send() throws IOException;
  }

  private static Call http(Supplier<Reply> send) {
    return () -> {
      Reply r = send.get();
      return new Answer(r.status(), r.body());
    };
  }

  /**
   * Sends requests and checks each answer: the envelope, no 5xx, the expected status, and for a
   * refusal the row count of every table unchanged. The wrong ones are collected so that one run
   * shows all of them.
   */
  private static final class Answers implements AutoCloseable {
    private final RowCounts rows;
    private final List<String> wrong = new ArrayList<>();
    private int checked;

    Answers() throws Exception {
      rows = new RowCounts();
    }

    Answer check(String what, Call call, IntPredicate expectedStatus) throws Exception {
      checked++;
      Answer answer = call.send();
      int status = answer.status();
      JsonNode body = answer.body();
      JsonNode params = body.path("params");
      boolean envelope = body.isObject() && params.path("status").isTextual() && body.has("responseCode") && body.has("result")
          && body.has("id") && (status < 400 || params.path("err").asText("").equals(params.path("status").asText()));
      if (status >= 500 || !envelope || !expectedStatus.test(status)) {
        wrong.add(what + ": " + status + " " + abbreviated(body.toString(), 300));
      }
      String changed = rows.changedSinceLast(status < 400);
      if (status >= 400 && !changed.isEmpty()) {
        wrong.add(what + ": refused with " + status + " but changed rows " + changed);
      }
      return answer;
    }

    void assertAllRight() {
      assertTrue(checked > 0);
      assertEquals(List.of(), wrong, "of " + checked + " requests");
      System.out.printf("malformed requests: %d sent, none answered 5xx or without the envelope%n", checked);
    }

    @Override
    public void close() throws SQLException {
      rows.close();
    }

    private static String abbreviated(String s, int max) {
      return s.length() <= max ? s : s.substring(0, max) + "…";
    }
  }

  private static final Pattern STATUS_LINE = Pattern.compile("^HTTP/1\\.[01] (\\d{3})");
  private static final Pattern CONTENT_LENGTH = Pattern.compile("(?im)^content-length:\\s*(\\d+)\\s*$");

  /** Writes {@code request} (ISO-8859-1) on a new connection, as it is, and reads the one answer. */
  private static Answer raw(String request) throws IOException {
    return raw(request, false);
  }

  /** As {@link #raw(String)}, then closes the sending side: the body ends there. */
  private static Answer rawHalfClosed(String request) throws IOException {
    return raw(request, true);
  }

  /**
   * A request the node refuses before reading all of it is answered and the connection closed; now
   * and then (a loaded machine) the close overtakes the answer on the way and the client reads a
   * reset instead. The same request is sent again then, up to three times: a node that never
   * answers it still fails.
   */
  private static Answer raw(String request, boolean halfClose) throws IOException {
    for (int attempt = 1; ; attempt++) {
      try {
        return rawOnce(request, halfClose);
      } catch (java.net.SocketException reset) {
        if (attempt == 3 || !String.valueOf(reset.getMessage()).contains("reset")) {
          throw reset;
        }
      }
    }
  }

  private static Answer rawOnce(String request, boolean halfClose) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", node.node().httpPort())) {
      socket.setSoTimeout(15_000);
      socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
      socket.getOutputStream().flush();
      if (halfClose) {
        socket.shutdownOutput();
      }
      InputStream in = socket.getInputStream();
      ByteArrayOutputStream head = new ByteArrayOutputStream();
      while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
        int b = in.read();
        if (b < 0) {
          throw new IOException("connection closed after " + head.toString(StandardCharsets.ISO_8859_1));
        }
        head.write(b);
      }
      String headers = head.toString(StandardCharsets.ISO_8859_1);
      Matcher status = STATUS_LINE.matcher(headers);
      assertTrue(status.find(), headers);
      Matcher length = CONTENT_LENGTH.matcher(headers);
      byte[] body = length.find() ? in.readNBytes(Integer.parseInt(length.group(1))) : in.readAllBytes();
      JsonNode parsed;
      try {
        parsed = ApiClient.JSON.readTree(body);
      } catch (IOException notJson) {
        parsed = ApiClient.JSON.getNodeFactory().textNode(headers + new String(body, StandardCharsets.UTF_8));
      }
      return new Answer(Integer.parseInt(status.group(1)), parsed == null ? ApiClient.JSON.createObjectNode() : parsed);
    }
  }

  // --- what the refusals must not have changed, and the node afterwards

  /**
   * The row count of every table (the journal, the read models, the catalog, ...) on one
   * connection: what a refused request must leave as it was.
   */
  private static final class RowCounts implements AutoCloseable {
    private final Connection db;
    private final java.sql.PreparedStatement countAll;
    private final List<String> tables = new ArrayList<>();
    private Map<String, Long> last;

    RowCounts() throws Exception {
      db = DriverManager.getConnection(database.url(), database.user(), database.password());
      try (Statement st = db.createStatement(); ResultSet rs = st.executeQuery("SELECT table_name FROM information_schema.tables "
          + "WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name")) {
        while (rs.next()) {
          tables.add(rs.getString(1));
        }
      }
      assertTrue(tables.contains("event_journal"), "tables: " + tables);
      countAll = db.prepareStatement("SELECT " + String.join(", ", tables.stream().map(t -> "(SELECT COUNT(*) FROM \"" + t + "\")").toList()));
      last = settled();
    }

    /**
     * The tables whose counts changed since the last call, and the new counts from then on. After
     * an accepted request that journalled something, the counts are taken once the projections
     * have caught up, so that a later refusal is not blamed for what they write.
     */
    String changedSinceLast(boolean accepted) throws Exception {
      Map<String, Long> now = counts();
      List<String> changed = new ArrayList<>();
      now.forEach((table, count) -> {
        if (!count.equals(last.get(table))) {
          changed.add(table + " " + last.get(table) + " -> " + count);
        }
      });
      if (accepted && !now.get("event_journal").equals(last.get("event_journal"))) {
        now = settled();
      }
      last = now;
      return String.join(", ", changed);
    }

    /** The counts once two in a row agree. */
    private Map<String, Long> settled() throws Exception {
      Map<String, Long> previous = counts();
      long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      while (System.nanoTime() < deadline) {
        Thread.sleep(300);
        Map<String, Long> now = counts();
        if (now.equals(previous)) {
          return now;
        }
        previous = now;
      }
      return previous;
    }

    private Map<String, Long> counts() throws SQLException {
      Map<String, Long> counts = new LinkedHashMap<>();
      try (ResultSet rs = countAll.executeQuery()) {
        rs.next();
        for (int i = 0; i < tables.size(); i++) {
          counts.put(tables.get(i), rs.getLong(i + 1));
        }
      }
      return counts;
    }

    @Override
    public void close() throws SQLException {
      db.close();
    }
  }

  /** The first entities after the malformed requests: a new batch shows in search, a new learner in its participants. */
  private static void aNewBatchAndLearnerShowUp(String tag) {
    String courseId = NodeApiContract.registerCourse(api, true);
    String batchId = NodeApiContract.createBatch(api, Map.of("courseId", courseId, "name", "After " + tag,
        "enrollmentType", "open", "startDate", LocalDate.now(ZoneOffset.UTC).toString()));
    String learner = "learner-" + tag.replace(' ', '-');
    Reply enrolled = api.call("POST", "/v1/course/enroll", token(learner),
        Map.of("courseId", courseId, "batchId", batchId, "userId", learner));
    assertEquals(200, enrolled.status(), enrolled.toString());
    NodeApiContract.pollUntil("the batch in search", Duration.ofSeconds(20),
        () -> api.call("POST", "/v1/course/batch/search", ADMIN, Map.of("filters", Map.of("batchId", batchId))),
        r -> r.status() == 200 && r.result().path("response").path("count").asInt() == 1);
    NodeApiContract.pollUntil("the learner in the participant list", Duration.ofSeconds(20),
        () -> api.call("POST", "/v1/batch/participants/list", ADMIN, Map.of("batch", Map.of("batchId", batchId))),
        r -> r.status() == 200 && r.result().path("batch").path("participants").toString().contains(learner));
  }
}
