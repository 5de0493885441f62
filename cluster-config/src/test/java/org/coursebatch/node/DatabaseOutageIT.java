package org.coursebatch.node;

import static org.coursebatch.node.TestNode.token;
import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import org.coursebatch.node.ApiClient.Reply;
import org.coursebatch.persistence.db.DatabaseSettings;
import org.coursebatch.persistence.testing.TestDatabases;
import org.junit.jupiter.api.Test;

/**
 * A node in a JVM of its own, logging as in production (logback.xml), through a database outage
 * under steady requests: a TCP proxy in front of PostgreSQL closes every connection and holds new
 * ones unanswered (or resets them). Its log stays bounded (each repeated failure in full once, then counted), quotes
 * no SQL, and SIGTERM during the outage ends the process within its shutdown's limits instead of
 * waiting on connections that never answer. The numbers printed are the ones BENCHMARKS.md records.
 */
class DatabaseOutageIT {

  /** How long the database is out; {@code -Doutage.seconds} for a longer measurement. */
  static final Duration OUTAGE = Duration.ofSeconds(Integer.getInteger("outage.seconds", 15));
  /** What the cut does with new connections; {@code -Doutage.cut=REFUSE} to reset them. */
  static final TcpProxy.Cut CUT = TcpProxy.Cut.valueOf(System.getProperty("outage.cut", "BLACKHOLE"));
  /** Clients sending requests during the outage, each one request at a time. */
  static final int CLIENTS = 4;
  /**
   * Stack traces the outage may log: each distinct failure once (pool timeouts of either pool, a
   * broken connection, an entity's failed recovery, the streams' restarts, ...). Every failed
   * recovery, request and retry used to log one: 96 in a 30 s outage.
   */
  static final int STACK_TRACES_ALLOWED = 20;
  /** SIGTERM to exit: drain (requests answer within the 5 s ask timeout), hand-over (3 s), leave. */
  static final Duration SIGTERM_LIMIT = Duration.ofSeconds(15);
  static final int SIGTERM_EXIT = 143;
  private static final Pattern SQL = Pattern.compile("(?i)\\b(insert into|delete from|update \\w+ set|select .+ from)\\b");

  @Test
  void duringAnOutageTheLogStaysBoundedAndSigtermEndsTheNode() throws Exception {
    DatabaseSettings database = TestDatabases.freshPostgres();
    try (TcpProxy proxy = TcpProxy.before(database)) {
      ChildNode node = ChildNode.launch(Files.createTempDirectory("database-outage"), proxy.through(database),
          ChildNode.Ports.free(), Map.of(), List.of("-Dlogback.configurationFile=logback.xml", "-XX:TieredStopAtLevel=1"));
      try {
        node.awaitReady(Duration.ofSeconds(90));
        ApiClient api = node.client();
        String courseId = NodeApiContract.registerCourse(api, true);
        String batchId = NodeApiContract.createBatch(api, Map.of("courseId", courseId, "name", "Outage",
            "enrollmentType", "open", "startDate", LocalDate.now(ZoneOffset.UTC).toString()));
        assertEquals(200, api.call("POST", "/v1/course/enroll", token("enrolled"),
            Map.of("courseId", courseId, "batchId", batchId, "userId", "enrolled")).status());

        long logBefore = node.logSize();
        String logTextBefore = node.log();
        proxy.cut(CUT);
        long cutAt = System.nanoTime();
        AtomicInteger learners = new AtomicInteger();
        AtomicInteger answered = new AtomicInteger();
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        List<Future<Object>> sent = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
          int client = c;
          sent.add(clients.submit(() -> {
            while (System.nanoTime() - cutAt < OUTAGE.toNanos()) {
              String learner = "learner-" + learners.incrementAndGet();
              Reply r = switch (client) {
                case 0 -> api.call("POST", "/v1/course/enroll", token(learner),
                    Map.of("courseId", courseId, "batchId", batchId, "userId", learner));
                case 1 -> api.call("PATCH", "/v1/content/state/update", token("enrolled"), Map.of("userId", "enrolled",
                    "contents", List.of(Map.of("contentId", courseId + "_c1", "courseId", courseId, "batchId", batchId,
                        "status", 1))));
                case 2 -> api.call("POST", "/v1/course/batch/search", token(learner), Map.of("filters", Map.of("courseId", courseId)));
                default -> api.call("GET", "/v1/user/courses/list/enrolled", token("enrolled"), null);
              };
              assertTrue(r.status() < 500 || r.status() == 503, r.toString());
              answered.incrementAndGet();
              NodeApiContract.sleep(200);
            }
            return null;
          }));
        }
        clients.shutdown();
        for (Future<Object> f : sent) {
          f.get(OUTAGE.toSeconds() + 30, TimeUnit.SECONDS); // fails with a client's failed assertion
        }
        Duration lasted = Duration.ofNanos(System.nanoTime() - cutAt);
        long logged = node.logSize() - logBefore;
        String outageLog = node.log().substring(logTextBefore.length());
        List<String> lines = outageLog.lines().toList();
        long stackTraces = countStackTraces(lines);
        long frames = lines.stream().filter(l -> l.startsWith("\tat ")).count();
        System.out.printf("Outage (%s) of %d s under %d requests: %d bytes logged (%d bytes a minute), %d lines,"
            + " %d stack traces of %d frame lines%n", CUT, lasted.toSeconds(), answered.get(), logged,
            logged * 60_000 / lasted.toMillis(), lines.size(), stackTraces, frames);

        // SIGTERM while the database is still out.
        long t0 = System.nanoTime();
        int exit = node.terminate(Duration.ofSeconds(120));
        Duration stopping = Duration.ofNanos(System.nanoTime() - t0);
        System.out.printf("SIGTERM during the outage: the process exited after %d ms%n", stopping.toMillis());

        assertTrue(stackTraces <= STACK_TRACES_ALLOWED, stackTraces + " stack traces in " + lasted.toSeconds()
            + " s of outage:\n" + outageLog);
        assertFalse(SQL.matcher(outageLog).find(), "SQL in the log:\n" + outageLog);
        assertEquals(SIGTERM_EXIT, exit, node.log());
        assertTrue(stopping.compareTo(SIGTERM_LIMIT) <= 0, "SIGTERM took " + stopping.toMillis() + " ms:\n" + node.log());
      } finally {
        node.close();
      }
    } finally {
      TestDatabases.dropPostgres(database);
    }
  }

  /** Stack traces: runs of "\tat" frame lines. */
  private static long countStackTraces(List<String> lines) {
    long traces = 0;
    boolean inTrace = false;
    for (String line : lines) {
      boolean frame = line.startsWith("\tat ");
      if (frame && !inTrace) {
        traces++;
      }
      inTrace = frame || inTrace && (line.startsWith("Caused by") || line.startsWith("\t..."));
    }
    return traces;
  }
}
