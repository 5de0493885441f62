package org.coursebatch.http.outbound;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A neighbouring service as a real HTTP server in the test's JVM: every request is recorded
 * ({@code METHOD /raw/path?query}) and answered as the test last said with {@link #reply}.
 */
public final class ScriptedService implements AutoCloseable {

  /** What the server does with a request. */
  @FunctionalInterface
  public interface Reply {
    void to(HttpExchange exchange) throws Exception;
  }

  private final AtomicReference<Reply> reply = new AtomicReference<>(json(404, "{}"));
  private final List<String> requests = new CopyOnWriteArrayList<>();
  private final List<Headers> headers = new CopyOnWriteArrayList<>();
  private final HttpServer server;

  private ScriptedService() throws IOException {
    server = OutboundCalls.serve(exchange -> {
      requests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getRawPath()
          + (exchange.getRequestURI().getRawQuery() == null ? "" : "?" + exchange.getRequestURI().getRawQuery()));
      headers.add(exchange.getRequestHeaders());
      try {
        reply.get().to(exchange);
      } catch (Exception e) {
        // the client went away (a slow answer): nothing to do
      } finally {
        exchange.close();
      }
    });
  }

  public static ScriptedService start() throws IOException {
    return new ScriptedService();
  }

  public String url() {
    return OutboundCalls.url(server);
  }

  /** Answers every request from now on with {@code answer}. */
  public void reply(Reply answer) {
    reply.set(answer);
  }

  /** The requests so far, oldest first. */
  public List<String> requests() {
    return List.copyOf(requests);
  }

  /** The first value of header {@code name} of each request so far ("null" where it had none). */
  public List<String> header(String name) {
    return headers.stream().map(h -> String.valueOf(h.getFirst(name))).toList();
  }

  public static Reply json(int status, String body) {
    return exchange -> {
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      exchange.sendResponseHeaders(status, bytes.length);
      exchange.getResponseBody().write(bytes);
    };
  }

  @Override
  public void close() {
    OutboundCalls.stop(server);
  }
}
