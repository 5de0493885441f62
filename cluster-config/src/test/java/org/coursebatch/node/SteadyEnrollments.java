package org.coursebatch.node;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A steady stream of self-enrolments of new learners into a set of batches, spread over every
 * node, as clients behind a load balancer send them, retrying as docs/api.md tells a client to
 * (see {@link #enrol}). Only a 200 is an acknowledged enrolment.
 */
final class SteadyEnrollments implements AutoCloseable {

  /** An enrolment the service acknowledged. */
  record Acknowledged(String batchId, String userId) {
    String enrollmentId() {
      return batchId + ":" + userId + ":1";
    }
  }

  /** A request that reached a node and did not succeed, with when, relative to the load's start. */
  record Failure(double atSeconds, int port, String what) {}

  /** Attempts of one enrolment, over the nodes in turn, before the client gives up. */
  static final int MAX_ATTEMPTS = 6;
  /** The wait before the first retry, and more before each next one. */
  static final Duration RETRY_WAIT = Duration.ofMillis(250);

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final String courseId;
  private final List<String> batchIds;
  private final List<Integer> ports;
  private final String learnerPrefix;
  private final ExecutorService workers;
  private final long started = System.nanoTime();
  private final AtomicInteger learners = new AtomicInteger();
  private final AtomicLong refusedConnections = new AtomicLong();
  private final AtomicLong retried = new AtomicLong();
  private final Queue<Acknowledged> acknowledged = new ConcurrentLinkedQueue<>();
  private final Queue<Failure> failures = new ConcurrentLinkedQueue<>();
  private volatile boolean running = true;

  SteadyEnrollments(String courseId, List<String> batchIds, List<Integer> ports, String learnerPrefix, int clients) {
    this.courseId = courseId;
    this.batchIds = List.copyOf(batchIds);
    this.ports = List.copyOf(ports);
    this.learnerPrefix = learnerPrefix;
    this.workers = Executors.newFixedThreadPool(clients);
    for (int c = 0; c < clients; c++) {
      workers.submit(this::run);
    }
  }

  private void run() {
    while (running) {
      int n = learners.incrementAndGet();
      String userId = learnerPrefix + n;
      String batchId = batchIds.get(n % batchIds.size());
      enrol(batchId, userId, n % ports.size());
      try {
        Thread.sleep(20); // a steady rate, not a flood: the machine runs all the nodes too
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /**
   * Sends the enrolment until a node answers it. A refused connection was never sent: the next
   * node at once. A 503 was not applied, and an answer lost on the way (the node went down with
   * the request under way) may or may not have been; both are sent again, to the next node after
   * a short wait, with the same idempotency key, so a retry of an applied enrolment answers as the
   * first attempt did. Any other answer but 200 is a failure; so is giving up.
   */
  private void enrol(String batchId, String userId, int firstNode) {
    String body = ApiClient.envelope(Map.of("courseId", courseId, "batchId", batchId, "userId", userId));
    String last = "no node accepted the connection";
    int lastPort = -1;
    for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      int port = ports.get((firstNode + attempt) % ports.size());
      HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/course/enroll"))
          .timeout(Duration.ofSeconds(15)).header("Content-Type", "application/json")
          .header("Authorization", "Bearer " + TestNode.token(userId))
          .header("Idempotency-Key", learnerPrefix + "enrol-" + userId)
          .POST(HttpRequest.BodyPublishers.ofString(body)).build();
      try {
        HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200) {
          acknowledged.add(new Acknowledged(batchId, userId));
          return;
        }
        if (r.statusCode() != 503) {
          failures.add(new Failure(seconds(), port, r.statusCode() + " " + abbreviated(r.body())));
          return;
        }
        last = "503 " + abbreviated(r.body());
        lastPort = port;
        retried.incrementAndGet();
      } catch (ConnectException refused) {
        refusedConnections.incrementAndGet(); // never sent
        continue;
      } catch (IOException e) {
        last = e.toString();
        lastPort = port;
        retried.incrementAndGet();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      try {
        Thread.sleep(RETRY_WAIT.toMillis() * (attempt + 1));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
    failures.add(new Failure(seconds(), lastPort, "gave up after " + MAX_ATTEMPTS + " attempts: " + last));
  }

  private double seconds() {
    return (System.nanoTime() - started) / 1e9;
  }

  private static String abbreviated(String text) {
    return text.length() <= 300 ? text : text.substring(0, 300) + "…";
  }

  int sent() {
    return learners.get();
  }

  List<Acknowledged> acknowledged() {
    return new ArrayList<>(acknowledged);
  }

  List<Failure> failures() {
    return new ArrayList<>(failures);
  }

  long refusedConnections() {
    return refusedConnections.get();
  }

  /** Attempts answered 503 or left unanswered, and sent again. */
  long retried() {
    return retried.get();
  }

  /** Stops sending and waits for the requests under way. */
  @Override
  public void close() throws InterruptedException {
    running = false;
    workers.shutdown();
    if (!workers.awaitTermination(30, TimeUnit.SECONDS)) {
      workers.shutdownNow();
    }
  }
}
