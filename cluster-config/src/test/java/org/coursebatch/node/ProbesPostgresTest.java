package org.coursebatch.node;

import static org.junit.jupiter.api.Assertions.*;

import akka.actor.CoordinatedShutdown;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.coursebatch.core.enrollment.EnrollmentEntity;
import org.coursebatch.core.testing.MutableClock;
import org.coursebatch.node.ApiClient.Reply;
import org.coursebatch.persistence.db.DatabaseSettings;
import org.coursebatch.persistence.testing.TestDatabases;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Akka Management probes of a node on PostgreSQL: GET /alive and GET /ready once the node is a
 * cluster member, /ready (only) off while its database refuses connections, off while a journal
 * plugin's circuit breaker is open, off naming the projection while one cannot write its read
 * model, and off while the node still serves its API during the unbind delay of a graceful
 * shutdown; probes that come at once all get the same answer.
 */
class ProbesPostgresTest {

  /**
   * Akka Management 1.4 answers a failed readiness check with 500 (not 503); Kubernetes takes any
   * status from 400 on as a failed probe.
   */
  private static final int NOT_READY = 500;

  private static DatabaseSettings database;

  @BeforeAll
  static void createDatabase() {
    database = TestDatabases.freshPostgres();
  }

  @AfterAll
  static void dropDatabase() {
    TestDatabases.dropPostgres(database);
  }

  @Test
  void readinessFollowsTheDatabaseWhileLivenessStays() throws Exception {
    int managementPort = FreePorts.next();
    try (TestNode node = start(managementPort, Map.of())) {
      ApiClient management = new ApiClient("http://127.0.0.1:" + managementPort);
      awaitStatus(management, "/ready", 200, Duration.ofSeconds(30)); // needs the member Up
      assertEquals(200, management.send("GET", "/alive", null, Map.of()).status());

      Reply notReady;
      try {
        allowConnections(false);
        notReady = awaitStatus(management, "/ready", NOT_READY, Duration.ofSeconds(15));
        // Not only the first use of a connection the server closed: new ones are refused too.
        // (Each of these answers within check-timeout, 3 s: the pool waits 2 s for a connection.)
        for (int i = 0; i < 2; i++) {
          Thread.sleep(1000);
          assertEquals(NOT_READY, management.send("GET", "/ready", null, Map.of()).status(), "ready while the database refuses");
        }
        // Restarting the node would not bring the database back: liveness stays green.
        assertEquals(200, management.send("GET", "/alive", null, Map.of()).status());
      } finally {
        allowConnections(true);
      }
      // A failing check names its cause (Akka names Java checks only by an adapter class): the
      // database check, or the journal check that met the same outage.
      String body = notReady.raw().body();
      assertTrue(body.contains("database unreachable") || body.contains("new entities cannot recover through the journal"), body);

      awaitStatus(management, "/ready", 200, Duration.ofSeconds(30));
    }
  }

  @Test
  void probesThatComeAtOnceAllPass() throws Exception {
    int managementPort = FreePorts.next();
    try (TestNode node = start(managementPort, Map.of())) {
      ApiClient management = new ApiClient("http://127.0.0.1:" + managementPort);
      awaitStatus(management, "/ready", 200, Duration.ofSeconds(30));
      int probes = 8;
      ExecutorService clients = Executors.newFixedThreadPool(probes);
      try {
        List<String> failed = new ArrayList<>();
        for (int round = 0; round < 10; round++) {
          CyclicBarrier together = new CyclicBarrier(probes);
          List<Future<Reply>> replies = new ArrayList<>();
          for (int i = 0; i < probes; i++) {
            replies.add(clients.submit(() -> {
              together.await();
              return management.send("GET", "/ready", null, Map.of());
            }));
          }
          for (Future<Reply> r : replies) {
            Reply reply = r.get();
            if (reply.status() != 200) {
              failed.add("round " + round + ": " + reply.status() + " " + reply.raw().body());
            }
          }
        }
        assertEquals(List.of(), failed, "of 10 rounds of " + probes + " probes at once");
      } finally {
        clients.shutdownNow();
      }
    }
  }

  /**
   * The journal check recovers a probe through the plugins: it sees a circuit breaker that is open,
   * while the database answers. (The node's breakers never open; this node's snapshot store has
   * Akka's kind, opened by one learner's unreadable snapshot.)
   */
  @Test
  void aSnapshotStoreBreakerThatIsOpenFailsReadinessUntilItCloses() throws Exception {
    int managementPort = FreePorts.next();
    try (TestNode node = start(managementPort, Map.of(
        "jdbc-snapshot-store.circuit-breaker.max-failures", 1,
        "jdbc-snapshot-store.circuit-breaker.reset-timeout", "2s"))) {
      ApiClient management = new ApiClient("http://127.0.0.1:" + managementPort);
      awaitStatus(management, "/ready", 200, Duration.ofSeconds(30));
      String courseId = NodeApiContract.registerCourse(node.client(), true);
      String batchId = NodeApiContract.createBatch(node.client(), Map.of("courseId", courseId, "name", "Breaker",
          "enrollmentType", "open", "startDate", LocalDate.now(ZoneOffset.UTC).toString()));
      String pid = "Enrollment|" + EnrollmentEntity.entityId(batchId, "unreadable");
      Reply notReady;
      try {
        StorageFaultsPostgresTest.insertUnreadableSnapshot(database, pid);
        Reply refused = node.client().call("POST", "/v1/course/enroll", TestNode.token("unreadable"),
            Map.of("courseId", courseId, "batchId", batchId, "userId", "unreadable"));
        assertEquals(503, refused.status(), refused.toString());
        notReady = awaitStatus(management, "/ready", NOT_READY, Duration.ofSeconds(15));
      } finally {
        StorageFaultsPostgresTest.deleteSnapshots(database, pid);
      }
      assertTrue(notReady.raw().body().contains("new entities cannot recover through the journal: Circuit Breaker is open"),
          notReady.raw().body());
      assertFalse(notReady.raw().body().contains("database unreachable"), notReady.raw().body());
      // The snapshot is gone: the next trial call closes the breaker.
      awaitStatus(management, "/ready", 200, Duration.ofSeconds(30));
    }
  }

  @Test
  void aProjectionThatCannotWriteFailsReadinessNamingItUntilItMovesAgain() throws Exception {
    int managementPort = FreePorts.next();
    try (TestNode node = start(managementPort, Map.of("course-batch.stall-after", "2s"))) {
      ApiClient management = new ApiClient("http://127.0.0.1:" + managementPort);
      awaitStatus(management, "/ready", 200, Duration.ofSeconds(30));
      String courseId = NodeApiContract.registerCourse(node.client(), true);
      Reply notReady;
      // Another session holds the batch read model's table: the projection's transaction waits on it.
      try (Connection holder = DriverManager.getConnection(database.url(), database.user(), database.password())) {
        holder.setAutoCommit(false);
        try (Statement st = holder.createStatement()) {
          st.execute("LOCK TABLE course_batch IN ACCESS EXCLUSIVE MODE");
        }
        NodeApiContract.createBatch(node.client(), Map.of("courseId", courseId, "name", "Held batch",
            "enrollmentType", "open", "startDate", LocalDate.now(ZoneOffset.UTC).plusDays(1).toString()));
        notReady = awaitStatus(management, "/ready", NOT_READY, Duration.ofSeconds(30));
        assertEquals(200, management.send("GET", "/alive", null, Map.of()).status());
        holder.rollback();
      }
      assertTrue(notReady.raw().body().contains("stalled: 1 events of its tag past its offset"), notReady.raw().body());
      assertTrue(notReady.raw().body().contains("projection course-batch-read-model/batch-"), notReady.raw().body());
      awaitStatus(management, "/ready", 200, Duration.ofSeconds(30));
    }
  }

  @Test
  void gracefulShutdownTurnsReadinessOffBeforeThePortCloses() throws Exception {
    int managementPort = FreePorts.next();
    try (TestNode node = start(managementPort, Map.of("course-batch.http.unbind-delay", "3s"))) {
      ApiClient management = new ApiClient("http://127.0.0.1:" + managementPort);
      ApiClient api = node.client();
      int apiPort = node.node().httpPort();
      awaitStatus(management, "/ready", 200, Duration.ofSeconds(30));

      // What SIGTERM starts (the JVM hook is off in tests).
      CoordinatedShutdown.get(node.node().system()).runAll(CoordinatedShutdown.unknownReason());

      // Within the 3 s delay: a load balancer sees "not ready" while requests are still answered.
      Reply notReady = awaitStatus(management, "/ready", NOT_READY, Duration.ofSeconds(2));
      assertTrue(notReady.raw().body().contains("does not serve its API"), notReady.raw().body());
      assertEquals(200, api.send("GET", "/health", null, Map.of()).status(), "the API serves during the unbind delay");
      assertTrue(accepts(apiPort), "the API port is still open during the unbind delay");

      // Then the port closes.
      long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
      while (accepts(apiPort) && System.nanoTime() < deadline) {
        Thread.sleep(100);
      }
      assertFalse(accepts(apiPort), "the API port refuses connections after the unbind delay");
    }
  }

  // ---- helpers ----

  /** A node on the class's database with its management endpoint on {@code managementPort}. */
  private static TestNode start(int managementPort, Map<String, Object> config) throws IOException {
    Map<String, Object> values = new HashMap<>(config);
    values.put("akka.management.http.port", managementPort);
    TestNode node = new TestNode(Files.createTempDirectory("batch-probes"), database, MutableClock.startingNow(), values);
    node.startNode();
    return node;
  }

  /** Asks {@code path} until it answers {@code status}; fails with the last answer otherwise. */
  private static Reply awaitStatus(ApiClient client, String path, int status, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    Reply last;
    do {
      last = client.send("GET", path, null, Map.of());
      if (last.status() == status) {
        return last;
      }
      Thread.sleep(250);
    } while (System.nanoTime() < deadline);
    return fail("GET " + path + " did not answer " + status + " within " + timeout + "; last: " + last.status() + " "
        + last.raw().body());
  }

  private static boolean accepts(int port) throws IOException {
    try (Socket ignored = new Socket(InetAddress.getLoopbackAddress(), port)) {
      return true;
    } catch (ConnectException refused) {
      return false;
    }
  }

  /**
   * Makes the node's database refuse (or accept again) connections, the way an outage looks to the
   * node: new connections are refused and the open ones are closed by the server.
   */
  private static void allowConnections(boolean allow) throws SQLException {
    String url = database.url();
    int query = url.indexOf('?') < 0 ? url.length() : url.indexOf('?');
    int slash = url.lastIndexOf('/', query);
    String name = url.substring(slash + 1, query);
    String maintenance = url.substring(0, slash + 1) + "postgres" + url.substring(query);
    try (Connection c = DriverManager.getConnection(maintenance, database.user(), database.password());
         Statement st = c.createStatement()) {
      // name is TestDatabases' cb_test_<random>, not input.
      st.execute("ALTER DATABASE " + name + " ALLOW_CONNECTIONS " + allow);
      if (!allow) {
        st.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" + name
            + "' AND pid <> pg_backend_pid()");
      }
    }
  }
}
