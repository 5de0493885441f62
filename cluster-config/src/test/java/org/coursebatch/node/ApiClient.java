package org.coursebatch.node;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/** A plain HTTP client for the tests: sends JSON, returns status, headers and the parsed body. */
final class ApiClient {

  static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private final String base;
  private final HttpClient http;

  ApiClient(String base) {
    this(base, HTTP);
  }

  ApiClient(String base, HttpClient http) {
    this.base = base;
    this.http = http;
  }

  record Reply(int status, JsonNode body, HttpResponse<String> raw) {
    String err() {
      return body.path("params").path("err").asText(null);
    }

    String errmsg() {
      return body.path("params").path("errmsg").asText(null);
    }

    JsonNode result() {
      return body.path("result");
    }

    @Override
    public String toString() {
      return status + " " + body;
    }
  }

  Reply send(String method, String path, String body, Map<String, String> headers) {
    if (body == null) {
      return sendBytes(method, path, null, headers);
    }
    Map<String, String> json = new java.util.HashMap<>(headers);
    json.put("Content-Type", "application/json");
    return sendBytes(method, path, body.getBytes(java.nio.charset.StandardCharsets.UTF_8), json);
  }

  /** {@code body} as it is (none when null), with exactly {@code headers}: no Content-Type unless among them. */
  Reply sendBytes(String method, String path, byte[] body, Map<String, String> headers) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30));
    headers.forEach(b::header);
    b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
    try {
      HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
      JsonNode parsed = r.body().isEmpty() ? JSON.createObjectNode() : parse(r.body());
      return new Reply(r.statusCode(), parsed, r);
    } catch (IOException | InterruptedException e) {
      throw new IllegalStateException(method + " " + path + " failed", e);
    }
  }

  private static JsonNode parse(String body) {
    try {
      return JSON.readTree(body);
    } catch (IOException e) {
      return JSON.getNodeFactory().textNode(body);
    }
  }

  Reply call(String method, String path, String token, Object request) {
    String body = request == null ? null : envelope(request);
    return send(method, path, body, token == null ? Map.of() : Map.of("Authorization", "Bearer " + token));
  }

  static String envelope(Object request) {
    try {
      return JSON.writeValueAsString(Map.of("request", request));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
