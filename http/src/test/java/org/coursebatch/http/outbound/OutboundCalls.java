package org.coursebatch.http.outbound;

import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.coursebatch.core.error.RejectedException;
import org.coursebatch.core.error.Rejection;

/** What the tests of the clients of neighbouring services share. */
public final class OutboundCalls {

  private OutboundCalls() {}

  /** A call that asks something of a service at a url. */
  @FunctionalInterface
  public interface Call {
    CompletionStage<?> against(String url);
  }

  /**
   * Makes {@code call} once against a server that answers 404 to everything: the HTTP client takes
   * a while the first time, which must not count in a test that looks at time limits.
   */
  public static void warmUp(Call call) throws Exception {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", exchange -> {
      exchange.sendResponseHeaders(404, -1);
      exchange.close();
    });
    server.start();
    try {
      await(call.against("http://127.0.0.1:" + server.getAddress().getPort()));
    } finally {
      server.stop(0);
    }
  }

  /** A server on a free loopback port that hands every request to {@code handler}, each on a thread of its own. */
  public static HttpServer serve(HttpHandler handler) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setExecutor(Executors.newCachedThreadPool()); // slow answers must not hold up the others
    server.createContext("/", handler);
    server.start();
    return server;
  }

  /** Stops a server {@link #serve} started, and its threads. */
  public static void stop(HttpServer server) {
    server.stop(0);
    if (server.getExecutor() instanceof ExecutorService threads) {
      threads.shutdownNow();
    }
  }

  public static String url(HttpServer server) {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  public static <T> T await(CompletionStage<T> stage) throws Exception {
    return stage.toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  /** The rejection {@code call} failed with; an assertion error when it succeeded. */
  public static Rejection rejection(CompletionStage<?> call) throws Exception {
    try {
      await(call);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RejectedException r) {
        return r.rejection();
      }
      throw e;
    }
    throw new AssertionError("the call succeeded");
  }

  /**
   * Calls, while the service keeps failing, until the circuit breaker refuses; gives that refusal.
   * The breaker counts a failure as the failed call's answer arrives, beside the caller hearing of
   * it rather than before, so the call right after the last counted failure may still go out (and
   * fail as the others did).
   */
  public static Rejection untilBreakerOpens(java.util.concurrent.Callable<CompletionStage<?>> call) throws Exception {
    for (int attempt = 0; attempt < 20; attempt++) {
      Rejection r = rejection(call.call());
      if (r.message().contains("too many failures in a row")) {
        return r;
      }
      Thread.sleep(10);
    }
    throw new AssertionError("the breaker did not open");
  }

  /** A port nothing listens on (just now). */
  public static int closedPort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
