package org.coursebatch.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Enrolment with publication off, then on, in one run: a node without sinks, then a node
 * publishing to a webhook receiver in this JVM (a real HTTP server on loopback that answers 204).
 * Prints each node's enrolment rate and latency side by side, the events the receiver got per
 * second, and the delay from each enrolment's acknowledgement to its {@code enrolment.enrolled}
 * message's arrival.
 *
 * <pre>java -cp bench/target/bench.jar org.coursebatch.bench.EventsOutLoad --users 5000 --db-url jdbc:postgresql://...</pre>
 */
@Command(name = "events-out-load", mixinStandardHelpOptions = true,
    description = "Enrolment with event publication off and on (a webhook receiver), and the publication's delay.")
public final class EventsOutLoad implements java.util.concurrent.Callable<Integer> {

  @Option(names = "--users", description = "Learners enrolling per node (default ${DEFAULT-VALUE}).")
  int users = 5000;

  @Option(names = "--warmup", description = "Learners enrolled first into another batch, unmeasured (default ${DEFAULT-VALUE}).")
  int warmup = 2000;

  @Option(names = "--concurrency", description = "Requests in flight at once (default ${DEFAULT-VALUE}).")
  int concurrency = 64;

  @Mixin
  DatabaseOptions db = new DatabaseOptions();

  public static void main(String[] args) {
    org.coursebatch.node.Main.keepCallbacksOnPooledThreads();
    System.exit(new CommandLine(new EventsOutLoad()).execute(args));
  }

  /** Arrival times of the messages, by learner for their enrolment; every message counted. */
  static final class Receiver implements AutoCloseable {
    final Map<String, Long> enrolledAt = new ConcurrentHashMap<>();
    final AtomicLong messages = new AtomicLong();
    volatile long first;
    volatile long last;
    private final HttpServer server;

    Receiver() throws java.io.IOException {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
      server.setExecutor(Executors.newFixedThreadPool(8));
      server.createContext("/", exchange -> {
        byte[] body = exchange.getRequestBody().readAllBytes();
        long now = System.nanoTime();
        exchange.sendResponseHeaders(204, -1);
        exchange.close();
        if (messages.getAndIncrement() == 0) {
          first = now;
        }
        last = now;
        JsonNode m = LoadNode.JSON.readTree(body);
        if ("enrolment.enrolled".equals(m.path("type").asText())) {
          enrolledAt.putIfAbsent(m.path("userId").asText(), now);
        }
      });
      server.start();
    }

    String url() {
      return "http://127.0.0.1:" + server.getAddress().getPort() + "/events";
    }

    @Override
    public void close() {
      server.stop(0);
    }
  }

  @Override
  public Integer call() throws Exception {
    RequestPhase off;
    try (LoadNode node = LoadNode.start(db)) {
      off = enrol(node, "publication off");
    }
    try (Receiver receiver = new Receiver();
        LoadNode node = LoadNode.start(db, Map.of("course-batch.webhook.urls", receiver.url(),
            "course-batch.webhook.secret", "bench-webhook-secret-of-at-least-32-bytes",
            "course-batch.webhook.parallelism", 16))) {
      RequestPhase on = enrol(node, "publication on");
      long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
      while (receiver.enrolledAt.size() < users + warmup && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      long[] delays = new long[users];
      int missing = 0;
      for (int i = 0; i < users; i++) {
        Long at = receiver.enrolledAt.get("learner-" + i);
        if (at == null) {
          missing++;
          delays[i] = Long.MAX_VALUE;
        } else {
          delays[i] = at - on.answeredAtNanos[i];
        }
      }
      Arrays.sort(delays);
      System.out.println();
      System.out.println("| node | requests | failed | seconds | requests/s | p50 ms | p95 ms | p99 ms | max ms |");
      System.out.println("|---|---|---|---|---|---|---|---|---|");
      System.out.println(off.row());
      System.out.println(on.row());
      double seconds = (receiver.last - receiver.first) / 1e9;
      System.out.printf("%nenrolment with publication on / off: %.2f%n", (users / on.seconds()) / (users / off.seconds()));
      System.out.printf("receiver: %,d messages in %.1f s (%,.0f/s), %d enrolments missing%n", receiver.messages.get(), seconds,
          receiver.messages.get() / Math.max(seconds, 1e-9), missing);
      System.out.printf("acknowledged enrolment to its message: p50 %.0f ms, p95 %.0f ms, p99 %.0f ms, max %.0f ms%n",
          ms(delays, 0.50), ms(delays, 0.95), ms(delays, 0.99), ms(delays, 1.0));
      return off.failed.get() + on.failed.get() + missing == 0 ? 0 : 1;
    }
  }

  /** Warm-up learners into one batch, then {@link #users} new learners into another, measured. */
  private RequestPhase enrol(LoadNode node, String name) throws Exception {
    String courseId = node.registerCourse(2);
    String warmBatch = node.createBatch(courseId);
    RequestPhase.run(node.http, "warm-up", warmup, concurrency, i -> node.request("POST", "/v1/course/enroll",
        node.token("warm-" + i), Map.of("courseId", courseId, "batchId", warmBatch)));
    String batchId = node.createBatch(courseId);
    return RequestPhase.run(node.http, name, users, concurrency, i -> node.request("POST", "/v1/course/enroll",
        node.token("learner-" + i), Map.of("courseId", courseId, "batchId", batchId)));
  }

  private static double ms(long[] sorted, double q) {
    long v = sorted[(int) Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
    return v == Long.MAX_VALUE ? Double.NaN : v / 1e6;
  }
}
