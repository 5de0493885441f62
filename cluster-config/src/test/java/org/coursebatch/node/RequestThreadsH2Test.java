package org.coursebatch.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.coursebatch.core.testing.MutableClock;
import org.coursebatch.node.ApiClient.Reply;
import org.junit.jupiter.api.Test;

/**
 * Requests on the hot paths (batch read, enrolment, progress update) start no thread in the node:
 * every callback of an ask, a stream or a request body runs on a pool that exists already. The JDK
 * runs the callbacks of stages converted from Scala futures on a new thread each when its common
 * pool has one thread (a two-CPU machine), which cost several threads per request.
 */
class RequestThreadsH2Test {

  private static final int LEARNERS = 60;

  @Test
  void hotPathRequestsStartNoThread() throws Exception {
    ExecutorService clientThreads = Executors.newFixedThreadPool(1);
    HttpClient http = HttpClient.newBuilder().executor(clientThreads).build();
    try (TestNode node = TestNode.start(Files.createTempDirectory("batch-threads"), null, MutableClock.startingNow())) {
      ApiClient api = new ApiClient(node.baseUrl(), http);
      LocalDate today = LocalDate.now(ZoneOffset.UTC);
      Map<String, Object> course = Map.of("name", "Threads course", "trackable", Map.of("enabled", "Yes"),
          "children", List.of(Map.of("identifier", "do_threads_c1", "name", "Leaf")));
      assertEquals(200, api.call("PUT", "/v1/catalog/course/do_threads", TestNode.token("curator", "CONTENT_CREATOR"), course).status());
      Reply created = api.call("POST", "/v1/course/batch/create", TestNode.token("creator", "CONTENT_CREATOR"), Map.of(
          "courseId", "do_threads", "name", "Threads", "enrollmentType", "open",
          "startDate", today.toString(), "endDate", today.plusDays(10).toString()));
      assertEquals(200, created.status(), created.toString());
      String batchId = created.result().path("batchId").asText();

      // Warm up: the pools the requests use reach their working size.
      learners(api, batchId, "warm", LEARNERS);

      ThreadMXBean threads = ManagementFactory.getThreadMXBean();
      long before = threads.getTotalStartedThreadCount();
      learners(api, batchId, "measured", LEARNERS);
      long started = threads.getTotalStartedThreadCount() - before;

      // 3 requests per learner: without the fix, about 4 threads per learner.
      assertTrue(started < 10, started + " threads started during " + 3 * LEARNERS + " requests");
    } finally {
      clientThreads.shutdownNow();
    }
  }

  /** Each learner reads the batch, enrols and reports progress. */
  private static void learners(ApiClient api, String batchId, String prefix, int count) {
    for (int i = 0; i < count; i++) {
      String user = prefix + "-" + i;
      String token = TestNode.token(user);
      assertEquals(200, api.call("GET", "/api/course/v1/batch/read/" + batchId, token, null).status());
      Reply enrol = api.call("POST", "/v1/course/enroll", token, Map.of("courseId", "do_threads", "batchId", batchId));
      assertEquals(200, enrol.status(), enrol.toString());
      Reply progress = api.call("PATCH", "/v1/content/state/update", token, Map.of("contents", List.of(
          Map.of("contentId", "do_threads_c1", "courseId", "do_threads", "batchId", batchId, "status", 2))));
      assertEquals(200, progress.status(), progress.toString());
    }
  }
}
