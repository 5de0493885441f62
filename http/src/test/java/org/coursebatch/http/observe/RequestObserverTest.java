package org.coursebatch.http.observe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import akka.actor.ActorSystem;
import akka.http.javadsl.Http;
import akka.http.javadsl.ServerBinding;
import akka.http.javadsl.model.HttpRequest;
import akka.http.javadsl.model.HttpResponse;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.typesafe.config.ConfigFactory;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.coursebatch.core.observe.LogContext;
import org.coursebatch.http.HttpApi;
import org.coursebatch.http.api.ApiRouter;
import org.coursebatch.http.api.Endpoint;
import org.coursebatch.http.api.Envelope;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The one observer of a request, as the node binds it: the request's metric and its access line
 * come from one duration and name the same route, an unmatched request's included.
 */
class RequestObserverTest {

  private static ActorSystem system;
  private static ServerBinding binding;
  private static final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private static final ListAppender<ILoggingEvent> lines = new ListAppender<>();
  private static final Logger access = (Logger) LoggerFactory.getLogger(AccessLog.LOGGER);
  private static Level level;

  @BeforeAll
  static void start() throws Exception {
    system = ActorSystem.create("request-observer", ConfigFactory.load("application-test"));
    var router = new ApiRouter(List.of(Endpoint.get("/t/read/{id}", "api.t.read",
        req -> CompletableFuture.completedFuture(Envelope.JSON.createObjectNode())).publicAccess()),
        null, Clock.systemUTC(), 1024, Duration.ofSeconds(5));
    binding = Http.get(system).newServerAt("127.0.0.1", 0)
        .bind(HttpApi.observed(new RequestMetrics(registry), HttpApi.routes(router)))
        .toCompletableFuture().get(10, TimeUnit.SECONDS);
    lines.start();
    access.addAppender(lines);
    level = access.getLevel();
    access.setLevel(Level.INFO);
  }

  @AfterAll
  static void stop() throws Exception {
    access.setLevel(level);
    access.detachAppender(lines);
    binding.unbind().toCompletableFuture().get(10, TimeUnit.SECONDS);
    Http.get(system).shutdownAllConnectionPools().toCompletableFuture().get(10, TimeUnit.SECONDS);
    system.terminate();
  }

  @Test
  void theMetricAndTheAccessLineOfAnUnmatchedRequestNameTheSameRoute() throws Exception {
    assertEquals(404, get("/no/such/path/B-77", "req-observe-unmatched").status().intValue());

    ILoggingEvent line = lineOf("req-observe-unmatched");
    assertEquals(RequestObserver.UNMATCHED, keyValues(line).get(LogContext.ROUTE), line.toString());
    Timer timer = registry.get(RequestMetrics.NAME).tag("route", RequestObserver.UNMATCHED).tag("status", "404").timer();
    assertEquals(1, timer.count());
    assertSameDuration(timer, line);
    assertFalse(line.getFormattedMessage().contains("B-77"), "no raw path: " + line.getFormattedMessage());
  }

  @Test
  void theMetricAndTheAccessLineOfAnEndpointNameItsTemplate() throws Exception {
    assertEquals(200, get("/t/read/abc", "req-observe-read").status().intValue());

    ILoggingEvent line = lineOf("req-observe-read");
    assertEquals("/t/read/{id}", line.getMDCPropertyMap().get(LogContext.ROUTE), line.toString());
    assertNull(keyValues(line).get(LogContext.ROUTE), "the context has the route: " + line);
    Timer timer = registry.get(RequestMetrics.NAME).tag("route", "/t/read/{id}").tag("status", "200").timer();
    assertEquals(1, timer.count());
    assertSameDuration(timer, line);
  }

  private static void assertSameDuration(Timer timer, ILoggingEvent line) {
    assertEquals(Long.toString(TimeUnit.NANOSECONDS.toMillis((long) timer.totalTime(TimeUnit.NANOSECONDS))),
        keyValues(line).get("duration_ms"), "one clock for both: " + line);
  }

  private static HttpResponse get(String path, String requestId) throws Exception {
    String uri = "http://127.0.0.1:" + binding.localAddress().getPort() + path;
    HttpResponse response = Http.get(system).singleRequest(HttpRequest.GET(uri).addHeader(
        akka.http.javadsl.model.headers.RawHeader.create("X-Request-ID", requestId))).toCompletableFuture().get(10, TimeUnit.SECONDS);
    response.discardEntityBytes(system);
    return response;
  }

  private static ILoggingEvent lineOf(String requestId) {
    List<ILoggingEvent> found = List.copyOf(lines.list).stream()
        .filter(e -> requestId.equals(e.getMDCPropertyMap().get(LogContext.REQUEST_ID))).toList();
    assertEquals(1, found.size(), "one access line: " + found);
    return found.get(0);
  }

  private static Map<String, String> keyValues(ILoggingEvent line) {
    return line.getKeyValuePairs() == null ? Map.of()
        : line.getKeyValuePairs().stream().collect(Collectors.toMap(kv -> kv.key, kv -> String.valueOf(kv.value)));
  }
}
