package org.coursebatch.node;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A Sunbird user service as a real HTTP server in the test's JVM: the user search
 * ({@code POST /private/user/v1/search} with an id filter) answers the users the test added, in
 * the search answer's shape; the consent read ({@code POST /v1/user/consent/read}) answers the
 * consents the test gave, or 404 {@code USER_CONSENT_NOT_FOUND}. Every search is recorded.
 */
final class FakeUserService implements AutoCloseable {

  private final LoopbackHttpServer server = LoopbackHttpServer.start(this::handle);
  private final Map<String, Map<String, Object>> users = new ConcurrentHashMap<>();
  private final Map<String, Map<String, Object>> consents = new ConcurrentHashMap<>();
  /** The ids each search asked for. */
  private final List<List<String>> searches = new CopyOnWriteArrayList<>();

  static FakeUserService start() {
    return new FakeUserService();
  }

  String url() {
    return server.url();
  }

  /** A user of {@code rootOrgId} with a name, contact data and a school, as the search lists them. */
  void user(String userId, String rootOrgId) {
    users.put(userId, Map.of("id", userId, "userId", userId, "rootOrgId", rootOrgId, "rootOrgName", "Org " + rootOrgId,
        "firstName", "First " + userId, "lastName", "Last", "email", userId + "@example.org", "phone", "+919999999999",
        "profileUserType", Map.of("type", "student"),
        "userLocations", List.of(Map.of("type", "state", "name", "Karnataka", "code", "29"),
            Map.of("type", "school", "name", "Model School", "code", "S-" + rootOrgId))));
  }

  /** The user's consent to share their data of the course with {@code consumerId}. */
  void consent(String userId, String courseId, String consumerId, String status, String on) {
    consents.put(userId + "|" + courseId + "|" + consumerId, Map.of("userId", userId, "objectId", courseId,
        "consumerId", consumerId, "objectType", "Collection", "status", status, "createdOn", on, "lastUpdatedOn", on));
  }

  List<List<String>> searches() {
    return List.copyOf(searches);
  }

  private void handle(HttpExchange exchange) {
    try (exchange) {
      JsonNode request = ApiClient.JSON.readTree(exchange.getRequestBody().readAllBytes()).path("request");
      String path = exchange.getRequestURI().getPath();
      if (path.equals("/private/user/v1/search")) {
        List<String> ids = new ArrayList<>();
        request.at("/filters/id").forEach(id -> ids.add(id.asText()));
        searches.add(ids);
        List<Map<String, Object>> content = ids.stream().filter(users::containsKey).map(users::get).toList();
        send(exchange, 200, Map.of("id", "api.user.search", "responseCode", "OK", "params", Map.of("status", "SUCCESS"),
            "result", Map.of("response", Map.of("count", content.size(), "content", content))));
      } else if (path.equals("/v1/user/consent/read")) {
        JsonNode f = request.at("/consent/filters");
        Map<String, Object> c = consents.get(f.path("userId").asText() + "|" + f.path("objectId").asText() + "|"
            + f.path("consumerId").asText());
        if (c == null) {
          send(exchange, 404, Map.of("responseCode", "RESOURCE_NOT_FOUND", "result", Map.of(),
              "params", Map.of("err", "USER_CONSENT_NOT_FOUND", "errmsg", "User consent not found.")));
        } else {
          send(exchange, 200, Map.of("id", "api.user.consent.read", "responseCode", "OK", "result", Map.of("consents", List.of(c))));
        }
      } else {
        send(exchange, 404, Map.of("responseCode", "RESOURCE_NOT_FOUND", "result", Map.of()));
      }
    } catch (Exception e) {
      // the client went away: nothing to answer
    }
  }

  private static void send(HttpExchange exchange, int status, Object body) throws IOException {
    LoopbackHttpServer.sendJson(exchange, status, ApiClient.JSON.writeValueAsString(body));
  }

  @Override
  public void close() {
    server.close();
  }
}
