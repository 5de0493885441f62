package org.coursebatch.node;

import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.coursebatch.core.testing.MutableClock;
import org.coursebatch.node.ApiClient.Reply;
import org.junit.jupiter.api.Test;

/**
 * With an OTLP endpoint set, a node exports a server span per request, child of the incoming
 * traceparent, and a client span per call to the content service, whose id is the parent the
 * content service is sent; the spans reach a real HTTP receiver on loopback when the node stops.
 */
class TracingH2Test {

  static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
  static final String PARENT_ID = "00f067aa0ba902b7";

  @Test
  void spansOfARequestAndItsCallReachTheCollectorInOneTrace() throws Exception {
    List<byte[]> exports = new CopyOnWriteArrayList<>();
    List<String> paths = new CopyOnWriteArrayList<>();
    try (FakeContentService content = FakeContentService.start();
        LoopbackHttpServer collector = LoopbackHttpServer.start(exchange -> {
          paths.add(exchange.getRequestURI().getPath());
          exports.add(exchange.getRequestBody().readAllBytes());
          exchange.sendResponseHeaders(200, -1);
          exchange.close();
        })) {
      String courseId = "do_traced_course";
      content.course(courseId);
      TestNode node = TestNode.start(Files.createTempDirectory("batch-tracing"), null, MutableClock.startingNow(), Map.of(
          "course-batch.content.url", content.url(), "course-batch.content.retries", 0,
          "course-batch.content.cache.expiry", "0s", "course-batch.content.cache.not-found-expiry", "0s",
          "course-batch.tracing.otlp-endpoint", collector.url()));
      Reply created;
      try {
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        created = node.client().send("POST", "/v1/course/batch/create", ApiClient.envelope(Map.of(
                "courseId", courseId, "name", "Traced", "enrollmentType", "open",
                "startDate", today.toString(), "endDate", today.plusDays(10).toString())),
            Map.of("Authorization", "Bearer " + TestNode.token("tracing-creator"),
                "traceparent", "00-" + TRACE_ID + "-" + PARENT_ID + "-01"));
        assertEquals(200, created.status(), created.toString());
      } finally {
        node.close(); // flushes the spans not yet exported
      }

      List<String> sent = content.traceparentsFor(courseId);
      assertFalse(sent.isEmpty(), "the content service was asked for the course");
      String outbound = sent.get(sent.size() - 1);
      assertTrue(outbound.matches("00-" + TRACE_ID + "-[0-9a-f]{16}-01"), outbound);
      String clientSpanId = outbound.substring(36, 52);

      assertTrue(paths.stream().allMatch("/v1/traces"::equals), paths.toString());
      byte[] exported = concat(exports);
      // OTLP's protobuf: ids as raw bytes, names as UTF-8.
      assertTrue(contains(exported, HexFormat.of().parseHex(TRACE_ID)), "the incoming trace");
      assertTrue(contains(exported, HexFormat.of().parseHex(PARENT_ID)), "the server span's remote parent");
      assertTrue(contains(exported, HexFormat.of().parseHex(clientSpanId)), "the client span the content service was told of");
      assertTrue(contains(exported, "POST /v1/course/batch/create".getBytes(StandardCharsets.UTF_8)), "the server span's name");
      assertTrue(contains(exported, "course-batch".getBytes(StandardCharsets.UTF_8)), "the service name");
      assertFalse(contains(exported, "tracing-creator".getBytes(StandardCharsets.UTF_8)), "no user id in spans");
    }
  }

  @Test
  void withoutAnEndpointNothingIsRecordedAndTheTraceStillPropagates() throws Exception {
    try (FakeContentService content = FakeContentService.start()) {
      String courseId = "do_untraced_course";
      content.course(courseId);
      try (TestNode node = TestNode.start(Files.createTempDirectory("batch-no-tracing"), null, MutableClock.startingNow(),
          Map.of("course-batch.content.url", content.url(), "course-batch.content.retries", 0,
              "course-batch.content.cache.expiry", "0s", "course-batch.content.cache.not-found-expiry", "0s"))) {
        assertFalse(org.coursebatch.http.observe.RequestTracing.get(node.node().system()).recordsSpans());
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        Reply created = node.client().send("POST", "/v1/course/batch/create", ApiClient.envelope(Map.of(
                "courseId", courseId, "name", "Untraced", "enrollmentType", "open",
                "startDate", today.toString(), "endDate", today.plusDays(10).toString())),
            Map.of("Authorization", "Bearer " + TestNode.token("tracing-creator"),
                "traceparent", "00-" + TRACE_ID + "-" + PARENT_ID + "-01"));
        assertEquals(200, created.status(), created.toString());
        List<String> sent = content.traceparentsFor(courseId);
        String outbound = sent.get(sent.size() - 1);
        assertTrue(outbound.matches("00-" + TRACE_ID + "-[0-9a-f]{16}-01"), outbound);
        assertNotEquals(PARENT_ID, outbound.substring(36, 52));
      }
    }
  }

  private static byte[] concat(List<byte[]> parts) {
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    parts.forEach(all::writeBytes);
    return all.toByteArray();
  }

  private static boolean contains(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }
}
