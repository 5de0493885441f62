package org.coursebatch.node;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.coursebatch.persistence.db.DatabaseSettings;

/**
 * A node in a JVM of its own ({@link Main}, configured by environment variables as in
 * production), so a test can kill it with SIGKILL: nothing of the node's shutdown runs.
 */
final class ChildNode implements AutoCloseable {

  private final Process process;
  private final int httpPort;
  private final Path log;

  private ChildNode(Process process, int httpPort, Path log) {
    this.process = process;
    this.httpPort = httpPort;
    this.log = log;
  }

  /** Starts {@code Main} on this test's class path and waits until /health answers. */
  static ChildNode start(Path dataDir, DatabaseSettings database) throws Exception {
    int httpPort = freePort();
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx384m",
        "-cp", System.getProperty("java.class.path"), Main.class.getName()));
    ProcessBuilder pb = new ProcessBuilder(command);
    Map<String, String> env = pb.environment();
    env.put("BATCH_DATA_DIR", dataDir.toString());
    env.put("BATCH_HTTP_HOST", "127.0.0.1");
    env.put("BATCH_HTTP_PORT", String.valueOf(httpPort));
    env.put("BATCH_REMOTE_PORT", String.valueOf(freePort()));
    env.put("BATCH_JWT_SECRET", TestNode.JWT_SECRET);
    env.put("BATCH_DB_POOL_SIZE", "4");
    if (database != null) {
      env.put("BATCH_DB_URL", database.url());
      env.put("BATCH_DB_USER", database.user());
      env.put("BATCH_DB_PASSWORD", database.password());
    }
    Path log = Files.createTempFile("child-node", ".log");
    pb.redirectErrorStream(true).redirectOutput(log.toFile());
    ChildNode node = new ChildNode(pb.start(), httpPort, log);
    node.awaitHealthy(Duration.ofSeconds(90));
    return node;
  }

  int httpPort() {
    return httpPort;
  }

  ApiClient client() {
    return new ApiClient("http://127.0.0.1:" + httpPort);
  }

  /** SIGKILL: the process gets no chance to flush, leave the cluster or drain requests. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor();
  }

  private void awaitHealthy(Duration timeout) throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("The child node exited with " + process.exitValue() + ":\n" + Files.readString(log));
      }
      try {
        var r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/health")).build(),
            HttpResponse.BodyHandlers.discarding());
        if (r.statusCode() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      Thread.sleep(200);
    }
    kill();
    throw new IllegalStateException("The child node did not become healthy in " + timeout + ":\n" + Files.readString(log));
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      kill();
    }
  }
}
