package org.coursebatch.bench;

import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.Behaviors;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.ConfigFactory;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.coursebatch.core.access.ReportScope;
import org.coursebatch.core.batch.Batch;
import org.coursebatch.core.batch.BatchStatus;
import org.coursebatch.core.batch.EnrollmentType;
import org.coursebatch.core.catalog.Course;
import org.coursebatch.core.catalog.CourseDocuments;
import org.coursebatch.core.exhaust.ClaimedJob;
import org.coursebatch.core.exhaust.Dataset;
import org.coursebatch.core.exhaust.ExhaustGenerator;
import org.coursebatch.core.exhaust.NewJobRequest;
import org.coursebatch.persistence.db.Database;
import org.coursebatch.persistence.exhaust.JdbcExhaustGenerator;
import org.coursebatch.persistence.exhaust.JdbcExhaustJobs;
import org.coursebatch.persistence.secret.ServiceSecrets;
import org.coursebatch.persistence.user.JdbcUserDirectory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The progress exhaust of one large batch, from the read model to the stored file, without HTTP:
 * fills a scratch PostgreSQL database with N enrolments straight into the read tables (each
 * learner with a profile, a few content states, an attempt at each quiz and, one in ten, a
 * certificate), then submits, claims, generates and stores a progress exhaust as a node's worker
 * does, and reports rows per second and the heap: the peak of the used heap sampled every 20 ms,
 * and the largest old generation after a collection (what the report really keeps).
 */
@Command(name = "exhaust-load", mixinStandardHelpOptions = true,
    description = "Progress exhaust of batches of N enrolments: rows/s and heap.")
public final class ExhaustLoad implements Callable<Integer> {

  /** A system admin's scope: every learner's profile columns are filled, as a report at its heaviest. */
  static final ReportScope EVERY_LEARNER = new ReportScope(Optional.of("org-1"), Optional.empty(), true);

  @Option(names = "--enrolments", split = ",", description = "Batch sizes, one run each (default ${DEFAULT-VALUE}).")
  List<Integer> sizes = List.of(100_000, 1_000_000);

  @Mixin
  ScratchPostgresOptions database = new ScratchPostgresOptions();

  @Option(names = "--dataset", description = "progress-exhaust, userinfo-exhaust or response-exhaust (default ${DEFAULT-VALUE}).")
  String dataset = "progress-exhaust";

  public static void main(String[] args) {
    org.coursebatch.node.Main.keepCallbacksOnPooledThreads(); // the driver's HttpClient.sendAsync too
    System.exit(new CommandLine(new ExhaustLoad()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    var settings = database.settings(database.url, 8);
    var config = ConfigFactory.parseMap(Map.of("akka.actor.provider", "local", "akka.loglevel", "WARNING"))
        .withFallback(ConfigFactory.load());
    ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "exhaust-load", config);
    try (Database db = Database.open(settings)) {
      db.migrate();
      Course course = CourseDocuments.parse("do_bench", course());
      var users = new JdbcUserDirectory(system, db, Clock.systemUTC());
      var jobs = new JdbcExhaustJobs(system, db, ServiceSecrets.open(db, Optional.empty()));
      Path temp = Files.createTempDirectory("exhaust-load");
      var generator = new JdbcExhaustGenerator(system, db, users, temp);
      System.out.printf("%s on %s, max heap %d MiB, %d cores%n", dataset, database.url, Runtime.getRuntime().maxMemory() >> 20,
          Runtime.getRuntime().availableProcessors());
      System.out.println("| enrolments | fill s | rows | generate s | rows/s | store s | file MiB | peak used heap MiB | max heap after GC MiB |");
      System.out.println("|---|---|---|---|---|---|---|---|---|");
      for (int n : sizes) {
        String batchId = "bench-" + n;
        long t0 = System.nanoTime();
        fill(db, batchId, n);
        double fillSeconds = (System.nanoTime() - t0) / 1e9;
        Batch batch = batch(batchId);
        var submitted = jobs.submit(new NewJobRequest("do_bench_" + batchId, Dataset.fromId(dataset).orElseThrow(), batchId,
            "do_bench", "bench", null, "csv", new ObjectMapper().createObjectNode().put("batchId", batchId), Optional.empty(),
            EVERY_LEARNER),
            Instant.now()).toCompletableFuture().get();
        ClaimedJob claim = claim(jobs, submitted.requestId());
        System.gc();
        try (HeapSampler heap = HeapSampler.start(); AfterGcSampler afterGc = new AfterGcSampler()) {
          heap.reset();
          long g0 = System.nanoTime();
          ExhaustGenerator.Report report = generator.start(claim, batch, course, p -> {}).report().toCompletableFuture()
              .get(2, TimeUnit.HOURS);
          double generateSeconds = (System.nanoTime() - g0) / 1e9;
          long peak = heap.peakMiB();
          long oldAfterGc = afterGc.maxMiB();
          long s0 = System.nanoTime();
          boolean stored = jobs.complete(claim, report.file(), report.fileName(), Instant.now(), Instant.now().plus(Duration.ofDays(1)))
              .toCompletableFuture().get(1, TimeUnit.HOURS);
          double storeSeconds = (System.nanoTime() - s0) / 1e9;
          long bytes = Files.size(report.file());
          Files.deleteIfExists(report.file());
          if (!stored) {
            throw new IllegalStateException("the claim was lost");
          }
          System.out.printf("| %,d | %.1f | %,d | %.1f | %,.0f | %.1f | %.1f | %d | %d |%n", n, fillSeconds, report.rows(),
              generateSeconds, report.rows() / generateSeconds, storeSeconds, bytes / 1048576.0, peak, oldAfterGc);
        }
      }
      return 0;
    } finally {
      system.terminate();
      system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }

  private static ClaimedJob claim(JdbcExhaustJobs jobs, String requestId) throws Exception {
    while (true) {
      var claimed = jobs.claimNext(Instant.now(), Duration.ofMinutes(30), 3).toCompletableFuture().get();
      if (claimed.isEmpty()) {
        throw new IllegalStateException("job " + requestId + " was not runnable");
      }
      if (claimed.get().requestId().equals(requestId)) {
        return claimed.get();
      }
    }
  }

  /** Two units of four videos each and a quiz each (2 questions); ten leaves. */
  private static com.fasterxml.jackson.databind.JsonNode course() {
    ObjectMapper json = new ObjectMapper();
    List<Object> units = new ArrayList<>();
    for (int u = 1; u <= 2; u++) {
      List<Object> leaves = new ArrayList<>();
      for (int c = 1; c <= 4; c++) {
        leaves.add(Map.of("identifier", "do_bench_u" + u + "_c" + c, "name", "Video " + c, "mimeType", "video/mp4"));
      }
      leaves.add(Map.of("identifier", "do_bench_a" + u, "name", "Quiz " + u, "mimeType", "application/vnd.sunbird.questionset",
          "questions", List.of(Map.of("identifier", "q1", "maxScore", 2), Map.of("identifier", "q2", "maxScore", 3))));
      units.add(Map.of("identifier", "do_bench_u" + u, "name", "Unit " + u, "mimeType",
          "application/vnd.ekstep.content-collection", "children", leaves));
    }
    return json.valueToTree(Map.of("name", "Bench course", "status", "Live", "trackable", Map.of("enabled", "Yes"),
        "children", units));
  }

  private static Batch batch(String batchId) {
    Instant created = Instant.now();
    return new Batch(batchId, "do_bench", "Bench batch " + batchId, null, null, EnrollmentType.OPEN, LocalDate.now(), null, null,
        "UTC", List.of(), List.of(), "bench", created, null, null, BatchStatus.IN_PROGRESS, Map.of(), null, null);
  }

  /**
   * N enrolled learners straight into the read tables (set-based SQL, so filling takes seconds per
   * hundred thousand): learner g completed g mod 9 of the eight videos, attempted both quizzes,
   * has a profile, and every tenth holds a certificate.
   */
  private static void fill(Database db, String batchId, int n) throws Exception {
    long now = System.currentTimeMillis();
    String users = "FROM generate_series(1, " + n + ") g";
    String userId = "'" + batchId + "-' || lpad(g::text, 8, '0')";
    try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement()) {
      for (String table : List.of("enrollment", "content_state", "assessment_attempt", "enrollment_certificate")) {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + table + " WHERE batch_id = ?")) {
          ps.setString(1, batchId);
          ps.executeUpdate();
        }
      }
      st.execute("DELETE FROM user_profile WHERE user_id LIKE '" + batchId + "-%'");
      st.execute("INSERT INTO enrollment (batch_id, user_id, course_id, participation, invited, enrolled_date, progress,"
          + " completion_percentage, status, updated_at, incarnation) SELECT '" + batchId + "', " + userId + ", 'do_bench',"
          + " 'ACTIVE', FALSE, " + now + ", g % 9, (g % 9) * 10, 1, " + now + ", 1 " + users);
      st.execute("INSERT INTO content_state (batch_id, user_id, content_id, course_id, status, progress, view_count,"
          + " completed_count, last_access_time, last_completed_time, updated_at) SELECT '" + batchId + "', " + userId
          + ", 'do_bench_u' || (1 + (k - 1) / 4) || '_c' || (1 + (k - 1) % 4), 'do_bench', 2, 100, 1, 1, " + now + ", " + now
          + ", " + now + " " + users + ", generate_series(1, 8) k WHERE k <= g % 9");
      String responses = "'[{\"questionId\":\"q1\",\"type\":\"mcq\",\"title\":\"Question 1\",\"score\":1.0,\"maxScore\":2.0,"
          + "\"options\":[{\"1\":\"A\"},{\"2\":\"B\"}],\"response\":[{\"1\":\"A\"}],\"duration\":7.0},"
          + "{\"questionId\":\"q2\",\"type\":\"mcq\",\"title\":\"Question 2\",\"score\":3.0,\"maxScore\":3.0,"
          + "\"options\":[{\"1\":\"A\"},{\"2\":\"B\"}],\"response\":[{\"2\":\"B\"}],\"duration\":5.0}]'";
      st.execute("INSERT INTO assessment_attempt (batch_id, user_id, content_id, attempt_id, course_id, assessment_ts,"
          + " total_score, total_max_score, responses, recorded_at) SELECT '" + batchId + "', " + userId + ", 'do_bench_a' || k,"
          + " 'att-' || g || '-' || k, 'do_bench', " + now + ", 4, 5, " + responses + ", " + now + " " + users
          + ", generate_series(1, 2) k");
      st.execute("INSERT INTO enrollment_certificate (certificate_id, batch_id, user_id, course_id, template_id, issued_at, reissue)"
          + " SELECT 'cert-" + batchId + "-' || g, '" + batchId + "', " + userId + ", 'do_bench', 'tmpl', " + now + ", FALSE "
          + users + " WHERE g % 10 = 0");
      st.execute("INSERT INTO user_profile (user_id, root_org_id, name, state, district, org_name, school_id, school_name,"
          + " user_type, updated_by, updated_at) SELECT " + userId + ", 'org-1', 'Learner ' || g, 'Karnataka', 'Bengaluru',"
          + " 'Org One', 'S-' || (g % 1000), 'School ' || (g % 1000), 'student', 'bench', " + now + " " + users);
      st.execute("ANALYZE");
    }
  }

  /**
   * The largest heap in use right after a garbage collection (what survived it: an upper bound of
   * what the run really keeps), read from each collector's last collection every 20 ms.
   */
  static final class AfterGcSampler implements AutoCloseable {
    private final java.util.concurrent.atomic.AtomicLong max = new java.util.concurrent.atomic.AtomicLong();
    private final Thread thread;

    AfterGcSampler() {
      thread = new Thread(() -> {
        while (!Thread.currentThread().isInterrupted()) {
          for (var gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (gc instanceof com.sun.management.GarbageCollectorMXBean g && g.getLastGcInfo() != null) {
              long used = g.getLastGcInfo().getMemoryUsageAfterGc().entrySet().stream()
                  .filter(e -> isHeap(e.getKey())).mapToLong(e -> e.getValue().getUsed()).sum();
              max.accumulateAndGet(used, Math::max);
            }
          }
          try {
            Thread.sleep(20);
          } catch (InterruptedException e) {
            return;
          }
        }
      }, "after-gc-sampler");
      thread.setDaemon(true);
      thread.start();
    }

    private static boolean isHeap(String pool) {
      return ManagementFactory.getMemoryPoolMXBeans().stream()
          .anyMatch(p -> p.getName().equals(pool) && p.getType() == MemoryType.HEAP);
    }

    long maxMiB() {
      return max.get() >> 20;
    }

    @Override
    public void close() {
      thread.interrupt();
    }
  }
}
