package org.coursebatch.node;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.coursebatch.node.ApiClient.Reply;
import org.coursebatch.node.FakeKubernetesApi.Pod;
import org.coursebatch.node.FakeKubernetesApi.Request;
import org.coursebatch.persistence.db.DatabaseSettings;
import org.coursebatch.persistence.testing.TestDatabases;
import org.junit.jupiter.api.Test;

/**
 * Three node processes configured as the Kubernetes manifests configure them
 * (BATCH_CLUSTER_DISCOVERY=kubernetes-api, the pod label selector, KUBERNETES_SERVICE_HOST/PORT
 * and the service account's files) find each other by asking a Kubernetes-style API server for
 * their pods, and form one cluster that serves every batch from every node.
 */
class KubernetesDiscoveryIT {

  static final String NAMESPACE = "course-batch-test";
  static final String LABEL = "app.kubernetes.io/name=course-batch";
  static final String CREATOR = "k8s-creator";

  @Test
  void nodesFormOneClusterFromThePodsTheKubernetesApiLists() throws Exception {
    Path dir = Files.createTempDirectory("k8s-discovery");
    DatabaseSettings database = TestDatabases.freshPostgres();
    try (var kubernetes = new FakeKubernetesApi(dir, NAMESPACE);
         var cluster = new LocalCluster(dir, database, 3, (i, ports) -> Map.of(
             "BATCH_CLUSTER_DISCOVERY", "kubernetes-api",
             "BATCH_CLUSTER_POD_LABEL_SELECTOR", "app.kubernetes.io/name=%s",
             "KUBERNETES_SERVICE_HOST", "127.0.0.1",
             "KUBERNETES_SERVICE_PORT", String.valueOf(kubernetes.port())), kubernetes.jvmOptions())) {
      List<Pod> pods = new ArrayList<>();
      for (int i = 0; i < cluster.size(); i++) {
        pods.add(new Pod("course-batch-" + i, LABEL, cluster.ports().get(i).management()));
      }
      // A pod of another app in the namespace: the label selector leaves it out.
      pods.add(new Pod("other-app-0", "app.kubernetes.io/name=other-app", 1));
      kubernetes.pods(pods);

      cluster.startAll();

      List<Request> requests = kubernetes.requests();
      assertFalse(requests.isEmpty(), "the nodes asked the Kubernetes API for their pods");
      for (Request r : requests) {
        assertEquals("/api/v1/namespaces/" + NAMESPACE + "/pods", r.path(), "the pods of the service account's namespace");
        assertEquals(LABEL, r.labelSelector(), "selected by the pod label");
        assertEquals("Bearer " + FakeKubernetesApi.TOKEN, r.authorization(), "with the service account's token");
      }

      ApiClient first = cluster.node(0).client();
      Reply course = first.call("PUT", "/v1/catalog/course/do_k8s", TestNode.token("curator", "CONTENT_CREATOR"),
          Map.of("name", "Kubernetes course", "trackable", Map.of("enabled", "Yes"), "children", List.of(Map.of("identifier", "do_k8s_c1", "name", "One"))));
      assertEquals(200, course.status(), course.toString());
      LocalDate today = LocalDate.now(ZoneOffset.UTC);
      List<String> batches = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        Reply b = cluster.node(i % cluster.size()).client().call("POST", "/v1/course/batch/create",
            TestNode.token(CREATOR, "CONTENT_CREATOR"), Map.of("courseId", "do_k8s", "name", "Batch " + i, "enrollmentType", "open",
                "startDate", today.toString(), "endDate", today.plusDays(5).toString()));
        assertEquals(200, b.status(), b.toString());
        batches.add(b.result().path("batchId").asText());
      }
      for (int n = 0; n < cluster.size(); n++) {
        for (String batchId : batches) {
          Reply r = cluster.node(n).client().call("GET", "/v1/course/batch/read/" + batchId, TestNode.token(CREATOR), null);
          assertEquals(200, r.status(), () -> "node reads " + batchId + ": " + r);
          assertEquals(batchId, r.result().path("response").path("batchId").asText());
        }
      }
    } finally {
      TestDatabases.dropPostgres(database);
    }
  }
}
