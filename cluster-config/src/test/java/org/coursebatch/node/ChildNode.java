package org.coursebatch.node;

import java.io.IOException;
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
import java.util.concurrent.TimeUnit;
import org.coursebatch.persistence.db.DatabaseSettings;

/**
 * A node in a JVM of its own ({@link Main}, configured by environment variables as in
 * production), so a test can kill it with SIGKILL (nothing of the node's shutdown runs) or stop
 * it with SIGTERM as Kubernetes does.
 */
final class ChildNode implements AutoCloseable {

  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private final Process process;
  private final Ports ports;
  private final Path log;

  private ChildNode(Process process, Ports ports, Path log) {
    this.process = process;
    this.ports = ports;
    this.log = log;
  }

  /** The ports a node listens on; a restarted node keeps its own. */
  record Ports(int http, int remote, int management) {
    static Ports free() {
      return new Ports(FreePorts.next(), FreePorts.next(), FreePorts.next());
    }
  }

  /** Starts {@code Main} on this test's class path, a cluster of its own, and waits until /health answers. */
  static ChildNode start(Path dataDir, DatabaseSettings database) throws Exception {
    ChildNode node = launch(dataDir, database, Ports.free(), Map.of(), List.of());
    node.awaitHealthy(Duration.ofSeconds(90));
    return node;
  }

  /**
   * Starts {@code Main} with the production settings' environment variables for {@code ports} and
   * {@code database}, plus {@code env} and {@code jvmOptions}, and returns at once.
   */
  static ChildNode launch(Path dataDir, DatabaseSettings database, Ports ports, Map<String, String> env,
      List<String> jvmOptions) throws IOException {
    List<String> command = java(jvmOptions);
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName()));
    return start(command, dataDir, database, ports, env);
  }

  /**
   * Starts the runnable jar as the README's first command does, on the embedded default database:
   * its class path is the jar's, not this test's, so a dependency missing from the jar shows here.
   */
  static ChildNode launchJar(Path jar, Path dataDir, Ports ports) throws IOException {
    List<String> command = java(List.of());
    command.addAll(List.of("-jar", jar.toString()));
    return start(command, dataDir, null, ports, Map.of());
  }

  private static List<String> java(List<String> jvmOptions) {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx384m"));
    command.addAll(jvmOptions);
    return command;
  }

  private static ChildNode start(List<String> command, Path dataDir, DatabaseSettings database, Ports ports,
      Map<String, String> env) throws IOException {
    ProcessBuilder pb = new ProcessBuilder(command);
    Map<String, String> environment = pb.environment();
    environment.put("BATCH_DATA_DIR", dataDir.toString());
    environment.put("BATCH_HTTP_HOST", "127.0.0.1");
    environment.put("BATCH_HTTP_PORT", String.valueOf(ports.http()));
    environment.put("BATCH_REMOTE_PORT", String.valueOf(ports.remote()));
    environment.put("BATCH_MANAGEMENT_PORT", String.valueOf(ports.management()));
    environment.put("BATCH_MANAGEMENT_BIND_HOST", "127.0.0.1");
    environment.put("BATCH_JWT_SECRET", TestNode.JWT_SECRET);
    environment.put("BATCH_JWT_MAX_TTL", TestNode.MAX_TOKEN_TTL);
    environment.put("BATCH_DB_POOL_SIZE", "4");
    environment.put("BATCH_DB_READ_JOURNAL_POOL_SIZE", "2");
    if (database != null) {
      environment.put("BATCH_DB_URL", database.url());
      environment.put("BATCH_DB_USER", database.user());
      environment.put("BATCH_DB_PASSWORD", database.password());
    }
    environment.putAll(env);
    Path log = Files.createTempFile("child-node", ".log");
    pb.redirectErrorStream(true).redirectOutput(log.toFile());
    return new ChildNode(pb.start(), ports, log);
  }

  int httpPort() {
    return ports.http();
  }

  Ports ports() {
    return ports;
  }

  ApiClient client() {
    return new ApiClient("http://127.0.0.1:" + ports.http());
  }

  /** The node's log so far (stdout and stderr), for a failure's message. */
  String log() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  /** How many bytes the node has logged so far. */
  long logSize() {
    try {
      return Files.size(log);
    } catch (IOException e) {
      throw new IllegalStateException("The node's log " + log + " cannot be read", e);
    }
  }

  /** GET of an Akka Management route, e.g. /ready or /cluster/members; null when nothing answers. */
  HttpResponse<String> management(String path) {
    return get(ports.management(), path);
  }

  /** The status of an Akka Management route; -1 when nothing answers. */
  int managementStatus(String path) {
    HttpResponse<String> r = management(path);
    return r == null ? -1 : r.statusCode();
  }

  private static HttpResponse<String> get(int port, String path) {
    try {
      return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
          .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  /** Waits until the readiness probe (GET /ready on the management port) answers 200. */
  void awaitReady(Duration timeout) throws Exception {
    awaitStatus("/ready", timeout);
  }

  /**
   * SIGTERM, as Kubernetes stops a pod: the node leaves the cluster and drains. Returns the
   * process's exit code once it has exited.
   */
  int terminate(Duration timeout) throws Exception {
    process.destroy();
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      kill();
      throw new IllegalStateException("The node did not stop within " + timeout + " of SIGTERM:\n" + log());
    }
    return process.exitValue();
  }

  /** SIGKILL: the process gets no chance to flush, leave the cluster or drain requests. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor();
  }

  void awaitHealthy(Duration timeout) throws Exception {
    awaitStatus(null, timeout);
  }

  /** Polls GET /health on the API port ({@code managementPath} null) or a management route until it answers 200. */
  private void awaitStatus(String managementPath, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("The child node exited with " + process.exitValue() + ":\n" + log());
      }
      HttpResponse<String> r = managementPath != null ? management(managementPath) : get(ports.http(), "/health");
      if (r != null && r.statusCode() == 200) {
        return;
      }
      Thread.sleep(200);
    }
    kill();
    throw new IllegalStateException("The child node did not answer 200 on " + (managementPath != null ? managementPath : "/health")
        + " in " + timeout + ":\n" + log());
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      kill();
    }
  }
}
