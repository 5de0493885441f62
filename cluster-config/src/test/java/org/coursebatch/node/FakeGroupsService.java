package org.coursebatch.node;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A Sunbird-style groups service as a real HTTP server in the test's JVM: {@code GET
 * /v1/group/read/{groupId}} answers what the test set up for the group (its members in Sunbird's
 * envelope, an error status, or a late answer), 404 for any other group, and records every request.
 */
final class FakeGroupsService implements AutoCloseable {

  /** A request as the service saw it. */
  record Request(String groupId, String query, String userToken) {}

  @FunctionalInterface
  private interface Answer {
    void send(HttpExchange exchange) throws Exception;
  }

  private static final String READ_PATH = "/v1/group/read/";

  private final LoopbackHttpServer server = LoopbackHttpServer.start(this::handle);
  private final Map<String, Answer> answers = new ConcurrentHashMap<>();
  private final List<Request> requests = new CopyOnWriteArrayList<>();

  static FakeGroupsService start() {
    return new FakeGroupsService();
  }

  String url() {
    return server.url();
  }

  /** The group and its members ({@code userId}, {@code name}, {@code role}, ... as Sunbird lists them). */
  void group(String groupId, String name, List<Map<String, Object>> members) throws IOException {
    String body = ApiClient.JSON.writeValueAsString(Map.of("id", "api.group.read", "ver", "v1", "responseCode", "OK",
        "params", Map.of("status", "success"),
        "result", Map.of("id", groupId, "name", name, "status", "active", "members", members)));
    answers.put(groupId, exchange -> send(exchange, 200, body));
  }

  /** The group's reads fail with {@code status}. */
  void failing(String groupId, int status) {
    answers.put(groupId, exchange -> send(exchange, status, "{\"responseCode\":\"SERVER_ERROR\",\"result\":{}}"));
  }

  /** The group's reads are answered (with no members) only after {@code delay}. */
  void slow(String groupId, Duration delay) {
    answers.put(groupId, exchange -> {
      Thread.sleep(delay.toMillis());
      send(exchange, 200, "{\"result\":{\"id\":\"" + groupId + "\",\"members\":[]}}");
    });
  }

  List<Request> requestsFor(String groupId) {
    return requests.stream().filter(r -> r.groupId().equals(groupId)).toList();
  }

  private void handle(HttpExchange exchange) {
    try {
      String path = exchange.getRequestURI().getRawPath();
      if (!"GET".equals(exchange.getRequestMethod()) || !path.startsWith(READ_PATH)) {
        send(exchange, 404, "{}");
        return;
      }
      String groupId = URLDecoder.decode(path.substring(READ_PATH.length()), StandardCharsets.UTF_8);
      requests.add(new Request(groupId, exchange.getRequestURI().getRawQuery(),
          exchange.getRequestHeaders().getFirst("x-authenticated-user-token")));
      Answer answer = answers.get(groupId);
      if (answer == null) {
        send(exchange, 404, "{\"params\":{\"err\":\"GROUP_NOT_FOUND\",\"errmsg\":\"group does not exist\"},"
            + "\"responseCode\":\"RESOURCE_NOT_FOUND\",\"result\":{}}");
      } else {
        answer.send(exchange);
      }
    } catch (Exception e) {
      // the client gave up on a slow answer and closed the connection
    } finally {
      exchange.close();
    }
  }

  private static void send(HttpExchange exchange, int status, String body) throws IOException {
    LoopbackHttpServer.sendJson(exchange, status, body);
  }

  @Override
  public void close() {
    server.close();
  }
}
