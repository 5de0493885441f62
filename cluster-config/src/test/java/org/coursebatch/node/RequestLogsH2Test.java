package org.coursebatch.node;

import static org.junit.jupiter.api.Assertions.*;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.Encoder;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.coursebatch.core.testing.MutableClock;
import org.coursebatch.node.ApiClient.Reply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * A node's log lines as the container image writes them (logback.xml's json appender): a request's
 * lines carry its X-Request-ID, route template, caller and trace, on whichever thread they are
 * written, also after the request's entity asks; its one access line says what it was and how it
 * ended; and the content service the node calls is sent the request's trace.
 */
class RequestLogsH2Test {

  static final String ACCESS = "org.coursebatch.http.access";
  static final String TRACE_ID = "0af7651916cd43dd8448eb211c80319c";
  static final String PARENT_ID = "b7ad6b7169203331";

  static FakeContentService content;
  static TestNode node;
  static ApiClient api;
  static final JsonLines lines = new JsonLines();

  @BeforeAll
  static void start() throws Exception {
    content = FakeContentService.start();
    node = TestNode.start(Files.createTempDirectory("batch-logs"), null, MutableClock.startingNow(), Map.of(
        "course-batch.content.url", content.url(), "course-batch.content.retries", 0,
        "course-batch.content.cache.expiry", "0s", "course-batch.content.cache.not-found-expiry", "0s",
        "course-batch.content.breaker.max-failures", 1000,
        // what BATCH_LOG_LEVELS does: the tests' root level is WARN
        "course-batch.log.levels", ACCESS + "=INFO"));
    api = node.client();
    lines.start();
  }

  @AfterAll
  static void stop() {
    lines.stop();
    ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger(ACCESS).setLevel(null);
    if (node != null) {
      node.close();
    }
    content.close();
  }

  @Test
  void aRequestsLinesCarryItsIdRouteCallerAndTraceAlsoAfterAnEntityAsk() {
    String courseId = "do_logs_course";
    content.course(courseId);
    LocalDate today = LocalDate.now(ZoneOffset.UTC);
    Reply created = api.call("POST", "/v1/course/batch/create", TestNode.token("logs-creator"), Map.of(
        "courseId", courseId, "name", "Logs", "enrollmentType", "open",
        "startDate", today.toString(), "endDate", today.plusDays(10).toString()));
    assertEquals(200, created.status(), created.toString());
    String batchId = created.result().path("batchId").asText();
    String learner = "logs-learner";
    Reply enrolled = api.call("POST", "/v1/course/enroll", TestNode.token(learner), Map.of("courseId", courseId, "batchId", batchId));
    assertEquals(200, enrolled.status(), enrolled.toString());

    // The progress update asks the batch entity, then the content service for the course: it
    // fails, and the node logs that on the thread the ask's answer continued on.
    content.failing(courseId, 500);
    int asked = content.requestsFor(courseId);
    String requestId = "req-logs-progress-1";
    Reply progress = api.send("PATCH", "/v1/content/state/update", ApiClient.envelope(Map.of("contents", List.of(Map.of(
            "contentId", courseId + "_c1", "courseId", courseId, "batchId", batchId, "status", 2)))),
        Map.of("Authorization", "Bearer " + TestNode.token(learner), "X-Request-ID", requestId,
            "traceparent", "00-" + TRACE_ID + "-" + PARENT_ID + "-01"));
    assertEquals(requestId, progress.body().path("params").path("msgid").asText(), progress.toString());

    JsonNode failed = lines.await("the content service failure of " + requestId,
        l -> l.path("logger").asText().endsWith("ServiceCalls") && requestId.equals(l.path("request_id").asText(null)));
    assertEquals("WARN", failed.path("level").asText(), failed.toString());
    assertEquals("/v1/content/state/update", failed.path("route").asText(), failed.toString());
    assertEquals(learner, failed.path("user_id").asText(), failed.toString());
    assertEquals(TRACE_ID, failed.path("trace_id").asText(), failed.toString());
    assertFalse(failed.path("thread").asText().isEmpty(), failed.toString());
    assertTrue(failed.path("timestamp").isTextual(), failed.toString());
    assertTrue(failed.path("message").asText().contains("could not give"), failed.toString());

    JsonNode access = lines.await("the access line of " + requestId,
        l -> ACCESS.equals(l.path("logger").asText()) && requestId.equals(l.path("request_id").asText(null)));
    assertEquals("INFO", access.path("level").asText());
    assertEquals("PATCH", access.path("method").asText(), access.toString());
    assertEquals("/v1/content/state/update", access.path("route").asText(), access.toString());
    assertEquals(progress.status(), access.path("status").asInt(), access.toString());
    assertEquals(learner, access.path("user_id").asText(), access.toString());
    assertTrue(access.path("duration_ms").isIntegralNumber(), access.toString());
    assertTrue(access.path("message").asText().startsWith("PATCH /v1/content/state/update " + progress.status() + " "),
        access.toString());

    List<String> sent = content.traceparentsFor(courseId);
    assertTrue(sent.size() > asked, sent.toString());
    String outbound = sent.get(sent.size() - 1);
    assertTrue(outbound.matches("00-" + TRACE_ID + "-[0-9a-f]{16}-01"), "the request's trace, a new parent: " + outbound);
    assertFalse(outbound.contains(PARENT_ID), outbound);
  }

  @Test
  void theAccessLineNamesTheRouteTemplateNeverTheIdsInThePath() {
    String batchId = "01LOGSNOSUCHBATCH";
    String requestId = "req-logs-read-1";
    Reply read = api.send("GET", "/api/course/v1/batch/read/" + batchId, null,
        Map.of("Authorization", "Bearer " + TestNode.token("logs-reader"), "X-Request-ID", requestId,
            // invalid (all-zero trace id): ignored, the request gets a trace of its own
            "traceparent", "00-00000000000000000000000000000000-" + PARENT_ID + "-01"));
    assertEquals(404, read.status(), read.toString());

    JsonNode access = lines.await("the access line of " + requestId,
        l -> ACCESS.equals(l.path("logger").asText()) && requestId.equals(l.path("request_id").asText(null)));
    assertEquals("GET", access.path("method").asText(), access.toString());
    assertEquals("/api/course/v1/batch/read/{batchId}", access.path("route").asText(), access.toString());
    assertEquals(404, access.path("status").asInt(), access.toString());
    assertEquals("logs-reader", access.path("user_id").asText(), access.toString());
    assertTrue(access.path("response_bytes").asLong() > 0, access.toString());
    assertTrue(access.path("trace_id").asText().matches("[0-9a-f]{32}"), access.toString());
    assertNotEquals("0".repeat(32), access.path("trace_id").asText(), access.toString());
    assertFalse(access.toString().contains(batchId), "no raw id: " + access);

    String unknown = "req-logs-unknown-1";
    Reply notFound = api.send("GET", "/v1/no/such/path/" + batchId, null, Map.of("X-Request-ID", unknown));
    assertEquals(404, notFound.status());
    JsonNode unmatched = lines.await("the access line of " + unknown,
        l -> ACCESS.equals(l.path("logger").asText()) && unknown.equals(l.path("request_id").asText(null)));
    assertEquals("unmatched", unmatched.path("route").asText(), unmatched.toString());
    assertFalse(unmatched.toString().contains(batchId), "no raw path: " + unmatched);

    String openApi = "req-logs-openapi-1";
    assertEquals(200, api.send("GET", "/openapi.yaml", null, Map.of("X-Request-ID", openApi)).status());
    JsonNode document = lines.await("the access line of " + openApi,
        l -> ACCESS.equals(l.path("logger").asText()) && openApi.equals(l.path("request_id").asText(null)));
    assertEquals("/openapi.yaml", document.path("route").asText(), document.toString());
    assertEquals(200, document.path("status").asInt(), document.toString());
    assertTrue(document.path("response_bytes").asLong() > 0, document.toString());
  }

  /**
   * The lines the node logs, each encoded by the json appender of the service's own logback.xml
   * (BATCH_LOG_FORMAT=json) as it is written, and parsed back.
   */
  static final class JsonLines extends AppenderBase<ILoggingEvent> {
    private final List<JsonNode> lines = new CopyOnWriteArrayList<>();
    private Encoder<ILoggingEvent> encoder;

    @Override
    @SuppressWarnings("unchecked")
    public void start() {
      LoggerContext service = new LoggerContext();
      service.putProperty("BATCH_LOG_FORMAT", "json");
      JoranConfigurator configurator = new JoranConfigurator();
      configurator.setContext(service);
      try {
        configurator.doConfigure(RequestLogsH2Test.class.getResource("/logback.xml"));
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
      var appender = service.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).getAppender("json");
      assertNotNull(appender, "logback.xml's root logs to the json appender when BATCH_LOG_FORMAT=json");
      encoder = ((OutputStreamAppender<ILoggingEvent>) appender).getEncoder();
      LoggerContext global = (LoggerContext) LoggerFactory.getILoggerFactory();
      setContext(global);
      super.start();
      global.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).addAppender(this);
    }

    @Override
    public void stop() {
      ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).detachAppender(this);
      super.stop();
    }

    @Override
    protected void append(ILoggingEvent event) {
      String line = new String(encoder.encode(event), StandardCharsets.UTF_8);
      assertTrue(line.endsWith("\n") && line.indexOf('\n') == line.length() - 1, "one line: " + line);
      try {
        lines.add(ApiClient.JSON.readTree(line));
      } catch (IOException e) {
        throw new IllegalStateException("not JSON: " + line, e);
      }
    }

    /** The first line that matches, waiting for it a while: an access line is written as the answer leaves. */
    JsonNode await(String what, Predicate<JsonNode> matches) {
      long until = System.nanoTime() + 10_000_000_000L;
      while (true) {
        for (JsonNode l : lines) {
          if (matches.test(l)) {
            return l;
          }
        }
        if (System.nanoTime() > until) {
          fail("no line: " + what + " among " + lines);
        }
        try {
          Thread.sleep(20);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException(e);
        }
      }
    }
  }
}
