package org.coursebatch.http.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.coursebatch.http.api.Envelope;

/**
 * A webhook receiver as a real HTTP server on loopback: records every message it reads (before it
 * answers) and answers with the status the test last chose. It can be stopped and started again on
 * the same port, as a receiver that restarts; each start is a new generation.
 */
final class WebhookReceiver implements AutoCloseable {

  /** A message as the receiver read it. */
  record Received(int generation, String eventId, String key, byte[] body, Headers headers) {
    JsonNode json() throws IOException {
      return Envelope.JSON.readTree(body);
    }
  }

  /** Picks the status of the answer to a message (the n-th one read, from 1). */
  @FunctionalInterface
  interface Status {
    int of(Received message, int n);
  }

  private final List<Received> received = new CopyOnWriteArrayList<>();
  private final AtomicReference<Status> status = new AtomicReference<>((m, n) -> 200);
  private final AtomicInteger count = new AtomicInteger();
  private final AtomicInteger generation = new AtomicInteger();
  private final int port;
  private HttpServer server;
  private ExecutorService threads;

  private WebhookReceiver(int port) throws IOException {
    start(port);
    this.port = server.getAddress().getPort();
  }

  static WebhookReceiver start() throws IOException {
    return new WebhookReceiver(0);
  }

  String url() {
    return "http://127.0.0.1:" + port + "/hooks/course-batch";
  }

  void answer(Status answer) {
    status.set(answer);
  }

  List<Received> received() {
    return List.copyOf(received);
  }

  /** Closes the port and every connection: messages on their way fail. */
  synchronized void stop() {
    server.stop(0);
    threads.shutdownNow();
  }

  /** Listens on the same port again (waits, within bounds, for the port to be free). */
  synchronized void restart() throws Exception {
    for (int tries = 0; ; tries++) {
      try {
        start(port);
        return;
      } catch (BindException busy) {
        if (tries >= 100) {
          throw busy;
        }
        Thread.sleep(100);
      }
    }
  }

  private void start(int on) throws IOException {
    int current = generation.incrementAndGet();
    HttpServer s = HttpServer.create(new InetSocketAddress("127.0.0.1", on), 0);
    threads = Executors.newCachedThreadPool();
    s.setExecutor(threads);
    s.createContext("/", exchange -> handle(exchange, current));
    s.start();
    server = s;
  }

  private void handle(HttpExchange exchange, int current) throws IOException {
    try {
      byte[] body = exchange.getRequestBody().readAllBytes();
      JsonNode json = Envelope.JSON.readTree(body);
      Received message = new Received(current, json.path("eventId").asText(), json.path("key").asText(), body,
          exchange.getRequestHeaders());
      received.add(message);
      exchange.sendResponseHeaders(status.get().of(message, count.incrementAndGet()), -1);
    } finally {
      exchange.close();
    }
  }

  @Override
  public void close() {
    stop();
  }
}
