package org.coursebatch.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.coursebatch.http.auth.JwtKeys;
import org.coursebatch.http.auth.TokenIssuer;
import org.coursebatch.node.ServiceNode;

/**
 * A node started in this JVM for a load driver (embedded H2 in a temporary directory, or
 * PostgreSQL), and a client of its HTTP API that signs its own tokens with the node's key.
 */
final class LoadNode implements AutoCloseable {

  static final ObjectMapper JSON = new ObjectMapper();

  final HttpClient http = newHttpClient();
  private final ServiceNode node;
  private final String base;
  private final TokenIssuer tokens;

  private LoadNode(ServiceNode node, TokenIssuer tokens) {
    this.node = node;
    this.base = "http://127.0.0.1:" + node.httpPort();
    this.tokens = tokens;
  }

  static LoadNode start(DatabaseOptions db) throws IOException {
    return start(db, Map.of());
  }

  /** As {@link #start(DatabaseOptions)}, with more settings of the node ({@code course-batch.webhook.urls}, ...). */
  static LoadNode start(DatabaseOptions db, Map<String, Object> settings) throws IOException {
    Path dataDir = Files.createTempDirectory("load-node");
    byte[] secret = new byte[32];
    new SecureRandom().nextBytes(secret);
    String jwtSecret = HexFormat.of().formatHex(secret);
    ServiceNode node = ServiceNode.start(ConfigFactory.parseMap(settings).withFallback(config(db, dataDir, jwtSecret)),
        Clock.systemUTC());
    return new LoadNode(node, new TokenIssuer(JwtKeys.load(jwtSecret, "", dataDir.resolve("unused")), "roles"));
  }

  private static Config config(DatabaseOptions db, Path dataDir, String jwtSecret) {
    Map<String, Object> values = new HashMap<>();
    values.put("course-batch.data-dir", dataDir.toString());
    values.put("course-batch.auth.jwt-secret", jwtSecret);
    values.put("course-batch.http.port", 0);
    values.put("course-batch.http.host", "127.0.0.1");
    values.put("akka.remote.artery.canonical.port", 0);
    values.put("akka.loglevel", "WARNING");
    if (!db.isH2()) {
      values.put("course-batch.db.url", db.url);
      values.put("course-batch.db.user", db.user);
      values.put("course-batch.db.password", db.password);
    }
    return ConfigFactory.parseMap(values).withFallback(ConfigFactory.load());
  }

  static HttpClient newHttpClient() {
    return HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  }

  ServiceNode node() {
    return node;
  }

  /** The token of the user who creates and administers the load's batches: creating one needs a creator role. */
  String creatorToken() {
    return token("creator", "CONTENT_CREATOR");
  }

  String token(String user, String... roles) {
    return tokens.issue(user, List.of(roles), Duration.ofHours(2), "");
  }

  /** Registers a live, trackable course of {@code contents} leaf contents ({@code <id>_c0}, ...); returns its id. */
  String registerCourse(int contents) throws Exception {
    String id = "do_load_" + System.currentTimeMillis();
    List<Map<String, Object>> leaves = new ArrayList<>();
    for (int i = 0; i < contents; i++) {
      leaves.add(Map.of("identifier", id + "_c" + i, "name", "Content " + i, "mimeType", "video/mp4"));
    }
    Map<String, Object> course = Map.of("identifier", id, "name", "Load course", "status", "Live",
        "trackable", Map.of("enabled", "Yes"),
        "children", List.of(Map.of("identifier", id + "_u1", "name", "Unit", "mimeType",
            "application/vnd.ekstep.content-collection", "children", leaves)));
    expectOk(send("PUT", "/v1/catalog/course/" + id, token("curator", "CONTENT_CREATOR"), course));
    return id;
  }

  /** Creates an open batch of the course, in progress from today, as user {@code creator}; returns its id. */
  String createBatch(String courseId) throws Exception {
    return createBatch(courseId, null);
  }

  /** As {@link #createBatch(String)}, with a capacity of {@code maxParticipants} seats (null: unlimited). */
  String createBatch(String courseId, Integer maxParticipants) throws Exception {
    LocalDate today = LocalDate.now(ZoneOffset.UTC);
    Map<String, Object> batch = new HashMap<>(Map.of(
        "courseId", courseId, "name", "Load batch", "enrollmentType", "open",
        "startDate", today.toString(), "endDate", today.plusDays(30).toString()));
    if (maxParticipants != null) {
      batch.put("maxParticipants", maxParticipants);
    }
    JsonNode reply = expectOk(send("POST", "/v1/course/batch/create", creatorToken(), batch));
    return reply.path("result").path("batchId").asText();
  }

  /** The request's envelope {@code {"request": body}} as JSON. */
  static String envelope(Object body) {
    try {
      return JSON.writeValueAsString(Map.of("request", body));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A request with body {@code {"request": body}} (none when null) and a bearer token. */
  HttpRequest request(String method, String path, String bearer, Object body) {
    return HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60))
        .header("Content-Type", "application/json")
        .header("Authorization", "Bearer " + bearer)
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(envelope(body)))
        .build();
  }

  HttpResponse<String> send(String method, String path, String bearer, Object body) throws Exception {
    return http.send(request(method, path, bearer, body), HttpResponse.BodyHandlers.ofString());
  }

  static JsonNode expectOk(HttpResponse<String> r) throws IOException {
    if (r.statusCode() != 200) {
      throw new IllegalStateException("Request failed: " + r.request().method() + " " + r.uri().getPath() + ": "
          + r.statusCode() + " " + abbreviated(r.body()));
    }
    return JSON.readTree(r.body());
  }

  private static String abbreviated(String text) {
    return text.length() <= 2000 ? text : text.substring(0, 2000) + "…";
  }

  /** Polls the participant list (a projection) until it counts {@code expected}; returns the wait in milliseconds. */
  long awaitParticipants(String batchId, int expected, Duration timeout) throws Exception {
    long start = System.nanoTime();
    long deadline = start + timeout.toNanos();
    int count = -1;
    while (System.nanoTime() < deadline) {
      JsonNode r = expectOk(send("POST", "/v1/batch/participants/list", creatorToken(),
          Map.of("batch", Map.of("batchId", batchId))));
      count = r.path("result").path("batch").path("count").asInt();
      if (count == expected) {
        return Duration.ofNanos(System.nanoTime() - start).toMillis();
      }
      Thread.sleep(50);
    }
    throw new IllegalStateException("The participant list of batch " + batchId + " counted " + count + ", not " + expected
        + ", after " + timeout.toSeconds() + " s");
  }

  @Override
  public void close() {
    node.close();
  }
}
