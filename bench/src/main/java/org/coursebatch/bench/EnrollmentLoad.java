package org.coursebatch.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;
import org.coursebatch.http.auth.JwtKeys;
import org.coursebatch.http.auth.TokenIssuer;
import org.coursebatch.node.ServiceNode;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Enrolment load: starts a node in this JVM (embedded H2 by default, or PostgreSQL), creates one
 * in-progress batch and has many learners enrol into it at once over HTTP, then report progress,
 * then waits until the participant list (a projection) shows all of them. Prints throughput,
 * latency percentiles, projection catch-up time and the peak heap of the JVM.
 */
@Command(name = "enrollment-load", mixinStandardHelpOptions = true,
    description = "Concurrent enrolment and progress load against one batch of a node started in this JVM.")
public final class EnrollmentLoad implements Callable<Integer> {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Option(names = "--users", description = "Learners enrolling into the batch (default ${DEFAULT-VALUE}).")
  int users = 1000;

  @Option(names = "--concurrency", description = "Requests in flight at once (default ${DEFAULT-VALUE}).")
  int concurrency = 64;

  @Option(names = "--contents", description = "Leaf contents of the course; each learner reports all of them (default ${DEFAULT-VALUE}).")
  int contents = 10;

  @Option(names = "--warmup", description = "Learners enrolled into another batch first, unmeasured: JIT and shard allocation warm up (default ${DEFAULT-VALUE}).")
  int warmup = 0;

  @Option(names = "--db-url", description = "PostgreSQL JDBC URL; empty: embedded H2 in a temporary directory.")
  String dbUrl = "";

  @Option(names = "--db-user", description = "Database user.")
  String dbUser = "";

  @Option(names = "--db-password", description = "Database password.")
  String dbPassword = "";

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private String base;
  private TokenIssuer tokens;

  public static void main(String[] args) {
    System.exit(new CommandLine(new EnrollmentLoad()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    Path dataDir = Files.createTempDirectory("enrollment-load");
    byte[] secret = new byte[32];
    new SecureRandom().nextBytes(secret);
    String jwtSecret = HexFormat.of().formatHex(secret);
    HeapSampler heap = HeapSampler.start();
    try (ServiceNode node = ServiceNode.start(config(dataDir, jwtSecret), Clock.systemUTC())) {
      base = "http://127.0.0.1:" + node.httpPort();
      tokens = new TokenIssuer(JwtKeys.load(jwtSecret, "", dataDir.resolve("unused")), "roles");
      String courseId = registerCourse();
      String batchId = createBatch(courseId);
      System.out.printf("node up (%s), batch %s of course %s with %d contents%n",
          dbUrl.isEmpty() ? "H2" : dbUrl, batchId, courseId, contents);

      if (warmup > 0) {
        String warmBatch = createBatch(courseId);
        Phase warm = run("warm-up", warmup, i -> request("POST", "/v1/course/enroll", "warmup-" + i,
            Map.of("courseId", courseId, "batchId", warmBatch)));
        System.out.printf("warm-up: %d enrolments into another batch in %.1f s%n", warmup, warm.elapsedNanos.get() / 1e9);
      }
      Phase enrol = run("enrol", users, i -> request("POST", "/v1/course/enroll", learner(i),
          Map.of("courseId", courseId, "batchId", batchId)));
      Phase progress = run("progress", users, i -> request("PATCH", "/v1/content/state/update", learner(i),
          Map.of("contents", progressItems(courseId, batchId))));
      long caughtUp = awaitParticipants(batchId);

      System.out.println();
      System.out.println("| phase | requests | failed | seconds | requests/s | p50 ms | p95 ms | p99 ms | max ms |");
      System.out.println("|---|---|---|---|---|---|---|---|---|");
      System.out.println(enrol.row());
      System.out.println(progress.row());
      System.out.printf("%nparticipant list showed all %d learners %d ms after the last progress report was acknowledged%n",
          users, caughtUp);
      System.out.printf("peak heap: %d MiB (max %d MiB)%n", heap.peakMiB(), Runtime.getRuntime().maxMemory() >> 20);
      return enrol.failed.get() + progress.failed.get() == 0 ? 0 : 1;
    } finally {
      heap.stop();
    }
  }

  private Config config(Path dataDir, String jwtSecret) {
    Map<String, Object> values = new HashMap<>();
    values.put("course-batch.data-dir", dataDir.toString());
    values.put("course-batch.auth.jwt-secret", jwtSecret);
    values.put("course-batch.http.port", 0);
    values.put("course-batch.http.host", "127.0.0.1");
    values.put("akka.remote.artery.canonical.port", 0);
    values.put("akka.loglevel", "WARNING");
    if (!dbUrl.isEmpty()) {
      values.put("course-batch.db.url", dbUrl);
      values.put("course-batch.db.user", dbUser);
      values.put("course-batch.db.password", dbPassword);
    }
    return ConfigFactory.parseMap(values).withFallback(ConfigFactory.load());
  }

  private String learner(int i) {
    return "learner-" + i;
  }

  private String token(String user, String... roles) {
    return tokens.issue(user, List.of(roles), Duration.ofHours(2), "");
  }

  private String registerCourse() throws Exception {
    String id = "do_load_" + System.currentTimeMillis();
    List<Map<String, Object>> leaves = new ArrayList<>();
    for (int i = 0; i < contents; i++) {
      leaves.add(Map.of("identifier", id + "_c" + i, "name", "Content " + i, "mimeType", "video/mp4"));
    }
    Map<String, Object> course = Map.of("identifier", id, "name", "Load course", "status", "Live",
        "trackable", Map.of("enabled", "Yes"),
        "children", List.of(Map.of("identifier", id + "_u1", "name", "Unit", "mimeType",
            "application/vnd.ekstep.content-collection", "children", leaves)));
    expectOk(send("PUT", "/v1/catalog/course/" + id, token("curator", "CONTENT_CREATOR"), course));
    return id;
  }

  private String createBatch(String courseId) throws Exception {
    LocalDate today = LocalDate.now(ZoneOffset.UTC);
    JsonNode reply = expectOk(send("POST", "/v1/course/batch/create", token("creator"), Map.of(
        "courseId", courseId, "name", "Load batch", "enrollmentType", "open",
        "startDate", today.toString(), "endDate", today.plusDays(30).toString())));
    return reply.path("result").path("batchId").asText();
  }

  private List<Map<String, Object>> progressItems(String courseId, String batchId) {
    List<Map<String, Object>> items = new ArrayList<>();
    for (int c = 0; c < contents; c++) {
      items.add(Map.of("contentId", courseId + "_c" + c, "courseId", courseId, "batchId", batchId, "status", 2));
    }
    return items;
  }

  private HttpRequest request(String method, String path, String user, Map<String, Object> body) {
    try {
      return HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60))
          .header("Content-Type", "application/json")
          .header("Authorization", "Bearer " + token(user))
          .method(method, HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(Map.of("request", body))))
          .build();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private HttpResponse<String> send(String method, String path, String bearer, Map<String, Object> body) throws Exception {
    var b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60))
        .header("Content-Type", "application/json").header("Authorization", "Bearer " + bearer);
    b.method(method, HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(Map.of("request", body))));
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static JsonNode expectOk(HttpResponse<String> r) throws Exception {
    if (r.statusCode() != 200) {
      throw new IllegalStateException("Setup request failed: " + r.statusCode() + " " + r.body());
    }
    return JSON.readTree(r.body());
  }

  /** Sends {@code requests} requests with at most {@code concurrency} in flight; records each latency. */
  private Phase run(String name, int requests, IntFunction<HttpRequest> requestFor) throws Exception {
    Phase phase = new Phase(name, requests);
    Semaphore inFlight = new Semaphore(concurrency);
    List<CompletableFuture<?>> all = new ArrayList<>(requests);
    long start = System.nanoTime();
    for (int i = 0; i < requests; i++) {
      HttpRequest request = requestFor.apply(i);
      inFlight.acquire();
      long sent = System.nanoTime();
      int index = i;
      all.add(http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).whenComplete((r, e) -> {
        phase.latenciesNanos[index] = System.nanoTime() - sent;
        if (e != null || r.statusCode() != 200) {
          if (phase.failed.incrementAndGet() <= 3) {
            System.err.println(name + " failed: " + (e != null ? e : r.statusCode() + " " + r.body()));
          }
        }
        inFlight.release();
      }));
    }
    CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).join();
    phase.elapsedNanos.set(System.nanoTime() - start);
    return phase;
  }

  /** Polls the participant list until every learner is in it; returns the wait in milliseconds. */
  private long awaitParticipants(String batchId) throws Exception {
    long start = System.nanoTime();
    long deadline = start + Duration.ofMinutes(2).toNanos();
    while (System.nanoTime() < deadline) {
      JsonNode r = expectOk(send("POST", "/v1/batch/participants/list", token("creator"),
          Map.of("batch", Map.of("batchId", batchId))));
      if (r.path("result").path("batch").path("count").asInt() >= users) {
        return Duration.ofNanos(System.nanoTime() - start).toMillis();
      }
      Thread.sleep(50);
    }
    throw new IllegalStateException("The participant list did not show all learners within 2 minutes");
  }

  private static final class Phase {
    final String name;
    final long[] latenciesNanos;
    final AtomicInteger failed = new AtomicInteger();
    final AtomicLong elapsedNanos = new AtomicLong();

    Phase(String name, int requests) {
      this.name = name;
      this.latenciesNanos = new long[requests];
    }

    String row() {
      long[] sorted = latenciesNanos.clone();
      Arrays.sort(sorted);
      double seconds = elapsedNanos.get() / 1e9;
      return String.format("| %s | %d | %d | %.2f | %.0f | %.1f | %.1f | %.1f | %.1f |", name, sorted.length, failed.get(),
          seconds, sorted.length / seconds, ms(sorted, 0.50), ms(sorted, 0.95), ms(sorted, 0.99), sorted[sorted.length - 1] / 1e6);
    }

    private static double ms(long[] sorted, double q) {
      return sorted[(int) Math.min(sorted.length - 1, Math.floor(q * sorted.length))] / 1e6;
    }
  }

  /** Samples the used heap every 20 ms; the peak is what the run needed at most (GC permitting). */
  static final class HeapSampler {
    private final AtomicLong peak = new AtomicLong();
    private final Thread thread;

    private HeapSampler() {
      thread = new Thread(() -> {
        List<MemoryPoolMXBean> pools = ManagementFactory.getMemoryPoolMXBeans().stream()
            .filter(p -> p.getType() == MemoryType.HEAP).toList();
        while (!Thread.currentThread().isInterrupted()) {
          long used = pools.stream().mapToLong(p -> p.getUsage().getUsed()).sum();
          peak.accumulateAndGet(used, Math::max);
          try {
            Thread.sleep(20);
          } catch (InterruptedException e) {
            return;
          }
        }
      }, "heap-sampler");
      thread.setDaemon(true);
    }

    static HeapSampler start() {
      HeapSampler s = new HeapSampler();
      s.thread.start();
      return s;
    }

    long peakMiB() {
      return peak.get() >> 20;
    }

    void stop() {
      thread.interrupt();
    }
  }
}
