package org.coursebatch.bench;

import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.function.IntFunction;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
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

  @Option(names = "--users", description = "Learners enrolling into the batch (default ${DEFAULT-VALUE}).")
  int users = 1000;

  @Option(names = "--concurrency", description = "Requests in flight at once (default ${DEFAULT-VALUE}).")
  int concurrency = 64;

  @Option(names = "--contents", description = "Leaf contents of the course; each learner reports all of them (default ${DEFAULT-VALUE}).")
  int contents = 10;

  @Option(names = "--warmup", description = "Learners enrolled into another batch first, unmeasured: JIT and shard allocation warm up (default ${DEFAULT-VALUE}).")
  int warmup = 0;

  @Option(names = "--request-ids", description = "Give every request an X-Request-ID of its own, as Sunbird's clients do:"
      + " each write then journals its idempotency key (default ${DEFAULT-VALUE}).")
  boolean requestIds = false;

  @Mixin
  DatabaseOptions db = new DatabaseOptions();

  private LoadNode node;

  public static void main(String[] args) {
    org.coursebatch.node.Main.keepCallbacksOnPooledThreads(); // the driver's HttpClient.sendAsync too
    System.exit(new CommandLine(new EnrollmentLoad()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    try (HeapSampler heap = HeapSampler.start(); LoadNode started = LoadNode.start(db)) {
      node = started;
      String courseId = node.registerCourse(contents);
      String batchId = node.createBatch(courseId);
      System.out.printf("node up (%s), batch %s of course %s with %d contents%n", db.describe(), batchId, courseId, contents);

      if (warmup > 0) {
        String warmBatch = node.createBatch(courseId);
        RequestPhase warm = run("warm-up", warmup, i -> request("POST", "/v1/course/enroll", "warmup-" + i,
            Map.of("courseId", courseId, "batchId", warmBatch)));
        System.out.printf("warm-up: %d enrolments into another batch in %.1f s%n", warmup, warm.seconds());
      }
      RequestPhase enrol = run("enrol", users, i -> request("POST", "/v1/course/enroll", learner(i),
          Map.of("courseId", courseId, "batchId", batchId)));
      RequestPhase progress = run("progress", users, i -> request("PATCH", "/v1/content/state/update", learner(i),
          Map.of("contents", progressItems(courseId, batchId))));
      long caughtUp = node.awaitParticipants(batchId, users, Duration.ofMinutes(2));

      System.out.println();
      System.out.println("| phase | requests | failed | seconds | requests/s | p50 ms | p95 ms | p99 ms | max ms |");
      System.out.println("|---|---|---|---|---|---|---|---|---|");
      System.out.println(enrol.row());
      System.out.println(progress.row());
      System.out.printf("%nparticipant list showed all %d learners %d ms after the last progress report was acknowledged%n",
          users, caughtUp);
      System.out.printf("peak heap: %d MiB (max %d MiB)%n", heap.peakMiB(), HeapSampler.maxMiB());
      return enrol.failed.get() + progress.failed.get() == 0 ? 0 : 1;
    }
  }

  private String learner(int i) {
    return "learner-" + i;
  }

  private List<Map<String, Object>> progressItems(String courseId, String batchId) {
    List<Map<String, Object>> items = new ArrayList<>();
    for (int c = 0; c < contents; c++) {
      items.add(Map.of("contentId", courseId + "_c" + c, "courseId", courseId, "batchId", batchId, "status", 2));
    }
    return items;
  }

  /** A request signed for the learner {@code user}, with a request id of its own when asked for. */
  private HttpRequest request(String method, String path, String user, Map<String, Object> body) {
    HttpRequest signed = node.request(method, path, node.token(user), body);
    if (!requestIds) {
      return signed;
    }
    return HttpRequest.newBuilder(signed, (name, value) -> true).header("X-Request-ID", UUID.randomUUID().toString()).build();
  }

  private RequestPhase run(String name, int requests, IntFunction<HttpRequest> requestFor) throws InterruptedException {
    return RequestPhase.run(node.http, name, requests, concurrency, requestFor);
  }
}
