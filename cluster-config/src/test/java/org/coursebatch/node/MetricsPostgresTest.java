package org.coursebatch.node;

import static org.coursebatch.node.metrics.PrometheusText.labels;
import static org.junit.jupiter.api.Assertions.*;

import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.coursebatch.node.ApiClient.Reply;
import org.coursebatch.node.metrics.DashboardQueries;
import org.coursebatch.node.metrics.PrometheusText;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /metrics} on the management port of a node on PostgreSQL, after requests a test
 * counts: the HTTP requests by route template, the entity commands and recoveries behind them, the
 * journal's and the application's pools, projections caught up (lag 0), the JVM and the cluster;
 * no raw id in any label; and every metric the Grafana dashboard under k8s/ queries.
 */
class MetricsPostgresTest {

  private static final int LEARNERS = 5;

  @Test
  void metricsCountTheRequestsSentAndTheirWork() throws Exception {
    int managementPort = FreePorts.next();
    TestNode node = TestNode.onFreshPostgres("batch-metrics", Map.of("akka.management.http.port", managementPort));
    try {
      ApiClient api = node.client();
      ApiClient management = new ApiClient("http://127.0.0.1:" + managementPort);
      LocalDate today = LocalDate.now(ZoneOffset.UTC);
      Map<String, Object> course = Map.of("name", "Metrics course", "trackable", Map.of("enabled", "Yes"),
          "children", List.of(Map.of("identifier", "do_metrics_c1", "name", "Leaf")));
      assertEquals(200, api.call("PUT", "/v1/catalog/course/do_metrics", TestNode.token("curator", "CONTENT_CREATOR"), course).status());
      Reply created = api.call("POST", "/v1/course/batch/create", TestNode.token("creator", "CONTENT_CREATOR"), Map.of(
          "courseId", "do_metrics", "name", "Metrics", "enrollmentType", "open",
          "startDate", today.toString(), "endDate", today.plusDays(10).toString()));
      assertEquals(200, created.status(), created.toString());
      String batchId = created.result().path("batchId").asText();

      for (int i = 0; i < LEARNERS; i++) {
        String token = TestNode.token("metrics-learner-" + i);
        assertEquals(200, api.call("GET", "/api/course/v1/batch/read/" + batchId, token, null).status());
        Reply enrol = api.call("POST", "/v1/course/enroll", token, Map.of("courseId", "do_metrics", "batchId", batchId));
        assertEquals(200, enrol.status(), enrol.toString());
      }
      // A second enrolment of the same learner is refused by the entity: a rejected command.
      Reply again = api.call("POST", "/v1/course/enroll", TestNode.token("metrics-learner-0"),
          Map.of("courseId", "do_metrics", "batchId", batchId));
      assertEquals(400, again.status(), again.toString());
      assertEquals(404, api.call("GET", "/api/course/v1/batch/read/no-such-batch-42", TestNode.token("x"), null).status());
      assertEquals(404, api.call("GET", "/no/such/route/at-all", TestNode.token("x"), null).status());

      // The read model catches up and the shard regions have been asked: lag 0, shards counted;
      // a collection is reported (GC pauses are meters made at the first one).
      System.gc();
      PrometheusText m = awaitScrape(management, text ->
          !text.of("coursebatch_projection_lag_events").isEmpty()
              && text.sum("coursebatch_projection_lag_events", Map.of()) == 0
              && text.sum("akka_sharding_shards", labels("entity", "Enrollment")) >= 1
              && !text.of("jvm_gc_pause_seconds_count").isEmpty());

      String enrol = "/v1/course/enroll";
      assertEquals(LEARNERS, m.sum("http_server_requests_seconds_count", labels("method", "POST", "route", enrol, "status", "200")));
      assertEquals(1, m.sum("http_server_requests_seconds_count", labels("method", "POST", "route", enrol, "status", "400")));
      assertEquals(LEARNERS, m.sum("http_server_requests_seconds_count",
          labels("method", "GET", "route", "/api/course/v1/batch/read/{batchId}", "status", "200")));
      assertEquals(1, m.sum("http_server_requests_seconds_count",
          labels("method", "GET", "route", "/api/course/v1/batch/read/{batchId}", "status", "404")));
      assertEquals(1, m.sum("http_server_requests_seconds_count", labels("route", "unmatched", "status", "404")));
      // The latency histogram: every request falls in the last (+Inf) bucket.
      assertEquals(LEARNERS, m.sum("http_server_requests_seconds_bucket",
          labels("route", enrol, "status", "200", "le", "+Inf")));

      assertEquals(LEARNERS, m.sum("coursebatch_entity_commands_seconds_count",
          labels("entity", "Enrollment", "command", "Enrol", "outcome", "accepted")));
      assertEquals(1, m.sum("coursebatch_entity_commands_seconds_count",
          labels("entity", "Enrollment", "command", "Enrol", "outcome", "rejected")));
      assertTrue(m.sum("coursebatch_entity_recoveries_seconds_count", labels("entity", "Enrollment")) >= LEARNERS, m.names().toString());
      assertTrue(m.sum("coursebatch_entity_recoveries_seconds_count", labels("entity", "CourseBatch")) >= 1);
      assertTrue(m.sum("coursebatch_journal_db_actions_seconds_count", labels("pool", "journal")) > 0);
      assertTrue(m.sum("coursebatch_journal_db_actions_seconds_count", labels("pool", "read-journal")) > 0);
      for (String store : List.of("journal", "snapshot")) {
        // Every entity started looked itself up once; queries counted apart.
        assertTrue(m.sum("coursebatch_journal_recovery_ids_sum", labels("store", store)) >= LEARNERS, store);
        assertTrue(m.sum("coursebatch_journal_recovery_ids_count", labels("store", store)) >= 1, store);
      }

      assertEquals(Set.of("course-batch-db", "journal", "read-journal"), m.labelValues("hikaricp_connections_active", "pool"));
      for (String pool : List.of("hikaricp_connections_idle", "hikaricp_connections_pending", "hikaricp_connections_acquire_seconds_count")) {
        assertEquals(3, m.of(pool).size(), pool);
      }
      assertTrue(m.sum("coursebatch_projection_lag_seconds", Map.of()) == 0);
      assertEquals(Set.of("enrollment-read-model", "course-batch-read-model"),
          m.labelValues("coursebatch_projection_lag_events", "projection"), "every projection instance of this node");
      assertEquals(0, m.sum("coursebatch_bulk_items_total", Map.of()));
      assertEquals(8, m.of("coursebatch_bulk_items_total").size(), "every operation and outcome from the start");

      assertEquals(Set.of("submitted", "processing", "success", "failed"), m.labelValues("coursebatch_exhaust_jobs_by_status", "status"));
      assertEquals(1, m.sum("akka_cluster_members", labels("status", "up")));
      assertTrue(m.sum("jvm_memory_used_bytes", labels("area", "heap")) > 0);
      assertTrue(m.sum("jvm_threads_live_threads", Map.of()) > 0);
      assertTrue(m.names().contains("process_cpu_usage"));

      // The Grafana dashboard under k8s/ reads only what the node exports.
      Set<String> queried = DashboardQueries.metricNames(DashboardQueries.COURSE_BATCH);
      assertTrue(queried.size() > 20, queried.toString());
      assertEquals(Set.of(), queried.stream().filter(name -> !m.names().contains(name))
          .collect(java.util.stream.Collectors.toSet()), "queried by the dashboard, not exported");

      // Bounded labels: ids never become series.
      String text = management.send("GET", "/metrics", null, Map.of()).raw().body();
      assertFalse(text.contains(batchId), "a batch id in a label");
      assertFalse(text.contains("no-such-batch-42"), "a requested id in a label");
      assertFalse(text.contains("metrics-learner"), "a user id in a label");
    } finally {
      node.closeAndDropDatabase();
    }
  }

  @Test
  void metricsOffCollectNothingAndTheRouteSaysSo() throws Exception {
    int managementPort = FreePorts.next();
    TestNode node = TestNode.onFreshPostgres("batch-metrics-off",
        Map.of("akka.management.http.port", managementPort, "course-batch.metrics.enabled", false));
    try {
      Reply reply = new ApiClient("http://127.0.0.1:" + managementPort).send("GET", "/metrics", null, Map.of());
      assertEquals(404, reply.status());
      assertTrue(reply.raw().body().contains("BATCH_METRICS_ENABLED"), reply.raw().body());
    } finally {
      node.closeAndDropDatabase();
    }
  }

  private static PrometheusText awaitScrape(ApiClient management, Predicate<PrometheusText> ready) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(40).toNanos();
    PrometheusText last;
    do {
      Reply reply = management.send("GET", "/metrics", null, Map.of());
      assertEquals(200, reply.status(), reply.raw().body());
      assertTrue(reply.raw().headers().firstValue("Content-Type").orElse("").startsWith("text/plain"));
      last = PrometheusText.parse(reply.raw().body());
      if (ready.test(last)) {
        return last;
      }
      Thread.sleep(500);
    } while (System.nanoTime() < deadline);
    return fail("the scrape never showed projections caught up and shards counted: lag "
        + last.of("coursebatch_projection_lag_events") + ", shards " + last.of("akka_sharding_shards"));
  }
}
