package org.coursebatch.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runnable jar the README's first command builds, started as that command starts it, on the
 * embedded default database. Every other node test runs on the tests' class path, which holds test
 * dependencies too: a library the node loads only through the jar's own class path (a dependency
 * declared with test scope here, say) is missing only in production, and only this test sees it.
 */
class RunnableJarIT {

  private static final Path JAR = Path.of("target", "course-batch-service.jar");

  @Test
  void theJarServesTheApiOnTheEmbeddedDefault(@TempDir Path dataDir) throws Exception {
    assertTrue(Files.isRegularFile(JAR), JAR.toAbsolutePath() + " is built by the package phase, before this test");
    try (ChildNode node = ChildNode.launchJar(JAR, dataDir, ChildNode.Ports.free())) {
      node.awaitHealthy(Duration.ofSeconds(90));
      ApiClient api = node.client();

      var document = api.send("GET", "/openapi.yaml", null, Map.of());
      assertEquals(200, document.status(), node.log());
      assertTrue(document.raw().body().contains("/v1/course/enroll"), "the assembled OpenAPI document");

      var missing = api.call("GET", "/v1/course/batch/read/0123", TestNode.token("reader-1"), null);
      assertEquals(404, missing.status(), missing + "\n" + node.log());
      assertEquals("OK", api.send("GET", "/health", null, Map.of()).body().path("responseCode").asText(), node.log());
      assertEquals(143, node.terminate(Duration.ofSeconds(30)), "SIGTERM's status, after a clean drain\n" + node.log());
    }
  }
}
