package org.coursebatch.node;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A Sunbird-style content service as a real HTTP server in the test's JVM: {@code GET
 * /content/v3/hierarchy/{courseId}} and {@code GET /asset/v4/read/{templateId}} answer what the
 * test set up for the id (the content in Sunbird's envelope, or an error status), 404 for any
 * other id, and every request is recorded.
 */
final class FakeContentService implements AutoCloseable {

  private static final String HIERARCHY_PATH = "/content/v3/hierarchy/";
  private static final String ASSET_PATH = "/asset/v4/read/";

  /** An answer: its status and body. */
  private record Answer(int status, String body) {}

  private final LoopbackHttpServer server = LoopbackHttpServer.start(this::handle);
  private final Map<String, Answer> answers = new ConcurrentHashMap<>();
  private final List<String> requested = new CopyOnWriteArrayList<>();
  private final Map<String, List<String>> traceparents = new ConcurrentHashMap<>();

  static FakeContentService start() {
    return new FakeContentService();
  }

  String url() {
    return server.url();
  }

  /**
   * A trackable, Live course in the shape of the content service's hierarchy: unit {@code <id>_u1}
   * holds the video {@code <id>_c1} and the question set {@code <id>_a1}, whose one question
   * {@code q1} (worth 2) is its child.
   */
  void course(String courseId) {
    course(courseId, false);
  }

  /** As {@link #course(String)}, asking learners for consent to share their data when {@code userConsent}. */
  void course(String courseId, boolean userConsent) {
    Map<String, Object> question = Map.of("identifier", "q1", "objectType", "Question", "name", "Question 1",
        "mimeType", "application/vnd.sunbird.question", "maxScore", 2);
    Map<String, Object> questionSet = Map.of("identifier", courseId + "_a1", "objectType", "QuestionSet", "name", "Quiz",
        "mimeType", "application/vnd.sunbird.questionset", "primaryCategory", "Practice Question Set", "maxScore", 2,
        "children", List.of(question));
    Map<String, Object> video = Map.of("identifier", courseId + "_c1", "objectType", "Content", "name", "Video",
        "mimeType", "video/mp4", "primaryCategory", "Explanation Content");
    Map<String, Object> unit = Map.of("identifier", courseId + "_u1", "objectType", "Content", "name", "Unit 1",
        "mimeType", "application/vnd.ekstep.content-collection", "visibility", "Parent", "children", List.of(video, questionSet));
    content(courseId, Map.of("identifier", courseId, "objectType", "Content", "name", "Remote course " + courseId,
        "mimeType", "application/vnd.ekstep.content-collection", "primaryCategory", "Course", "status", "Live",
        "trackable", Map.of("enabled", "Yes", "autoBatch", "No"), "leafNodesCount", 2, "children", List.of(unit),
        "userConsent", userConsent ? "Yes" : "No"),
        "api.content.hierarchy.get");
  }

  /** A certificate-template asset with its issuer and one signatory. */
  void template(String templateId) {
    content(templateId, Map.of("identifier", templateId, "name", "Remote template " + templateId, "certType", "cert template",
        "artifactUrl", "https://cdn.example.org/" + templateId + ".svg",
        "issuer", Map.of("name", "Remote issuer", "url", "https://issuer.example.org"),
        "signatoryList", List.of(Map.of("name", "CEO", "id", "CEO", "designation", "CEO", "image", "https://img.example.org/ceo.png"))),
        "api.asset.read");
  }

  /** The id's reads fail with {@code status}. */
  void failing(String id, int status) {
    answers.put(id, new Answer(status, "{\"responseCode\":\"SERVER_ERROR\",\"result\":{}}"));
  }

  /** How many times the id was asked for. */
  int requestsFor(String id) {
    return (int) requested.stream().filter(id::equals).count();
  }

  /** The traceparent header of each request for the id so far ("null" where it had none). */
  List<String> traceparentsFor(String id) {
    return List.copyOf(traceparents.getOrDefault(id, List.of()));
  }

  private void content(String id, Map<String, Object> content, String apiId) {
    try {
      answers.put(id, new Answer(200, ApiClient.JSON.writeValueAsString(Map.of("id", apiId, "ver", "3.0", "responseCode", "OK",
          "params", Map.of("status", "successful"), "result", Map.of("content", content)))));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void handle(HttpExchange exchange) {
    try {
      String path = exchange.getRequestURI().getRawPath();
      String prefix = path.startsWith(HIERARCHY_PATH) ? HIERARCHY_PATH : path.startsWith(ASSET_PATH) ? ASSET_PATH : null;
      if (!"GET".equals(exchange.getRequestMethod()) || prefix == null) {
        send(exchange, new Answer(404, "{}"));
        return;
      }
      String id = URLDecoder.decode(path.substring(prefix.length()), StandardCharsets.UTF_8);
      requested.add(id);
      traceparents.computeIfAbsent(id, k -> new CopyOnWriteArrayList<>())
          .add(String.valueOf(exchange.getRequestHeaders().getFirst("traceparent")));
      send(exchange, answers.getOrDefault(id, new Answer(404, "{\"responseCode\":\"RESOURCE_NOT_FOUND\","
          + "\"params\":{\"err\":\"NOT_FOUND\",\"status\":\"failed\",\"errmsg\":\"rootId " + id + " does not exist\"},\"result\":{}}")));
    } catch (Exception e) {
      // the client gave up and closed the connection
    } finally {
      exchange.close();
    }
  }

  private static void send(HttpExchange exchange, Answer answer) throws IOException {
    LoopbackHttpServer.sendJson(exchange, answer.status(), answer.body());
  }

  @Override
  public void close() {
    server.close();
  }
}
