package org.coursebatch.persistence.exhaust;

import akka.NotUsed;
import akka.actor.typed.ActorSystem;
import akka.japi.Pair;
import akka.stream.KillSwitches;
import akka.stream.UniqueKillSwitch;
import akka.stream.javadsl.Keep;
import akka.stream.javadsl.Sink;
import akka.stream.javadsl.Source;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.IntConsumer;
import org.coursebatch.core.access.ReportScope;
import org.coursebatch.core.batch.Batch;
import org.coursebatch.core.catalog.Course;
import org.coursebatch.core.enrollment.AssessmentAttempt;
import org.coursebatch.core.enrollment.QuestionResponse;
import org.coursebatch.core.exhaust.ClaimedJob;
import org.coursebatch.core.exhaust.ExhaustGenerator;
import org.coursebatch.core.exhaust.ExhaustLearner;
import org.coursebatch.core.exhaust.ExhaustLearner.ScoredAttempt;
import org.coursebatch.core.exhaust.JobRequest;
import org.coursebatch.core.exhaust.ProgressExhaust;
import org.coursebatch.core.exhaust.ResponseExhaust;
import org.coursebatch.core.exhaust.UserInfoExhaust;
import org.coursebatch.core.user.Consent;
import org.coursebatch.core.user.UserDirectory;
import org.coursebatch.core.user.UserProfile;
import org.coursebatch.persistence.db.Database;
import org.coursebatch.persistence.db.JsonDocuments;
import org.coursebatch.persistence.db.KeysetPages;
import org.coursebatch.persistence.db.SqlParameters;

/**
 * Writes reports from the enrolment read model as an Akka stream: the batch's enrolled learners
 * page by page (keyset pagination over the primary key, {@code pageSize} learners a query), for
 * each page one range query per table it needs and one user-directory look-up, then the page's
 * rows into the file. A page is read only when the file has taken the previous ones, so memory
 * holds a page or two whatever the batch's size. Only enrolled learners (ACTIVE) are reported:
 * not the waitlisted, not those who left, never deleted enrolments. What a report shows of each
 * learner's personal data is bounded by the job's {@link ReportScope}.
 */
public final class JdbcExhaustGenerator implements ExhaustGenerator {

  static final int PAGE_SIZE = 1000;
  private static final TypeReference<List<QuestionResponse>> RESPONSES = new TypeReference<>() {};
  private static final DateTimeFormatter DAY = DateTimeFormatter.BASIC_ISO_DATE;

  private final ActorSystem<?> system;
  private final Database db;
  private final UserDirectory users;
  private final ObjectMapper mapper;
  private final Executor executor;
  private final Path tempDir;
  private final int pageSize;

  public JdbcExhaustGenerator(ActorSystem<?> system, Database db, UserDirectory users, Path tempDir) {
    this(system, db, users, tempDir, PAGE_SIZE);
  }

  public JdbcExhaustGenerator(ActorSystem<?> system, Database db, UserDirectory users, Path tempDir, int pageSize) {
    if (pageSize < 1) {
      throw new IllegalArgumentException("pageSize must be positive: " + pageSize);
    }
    this.system = system;
    this.db = db;
    this.users = users;
    this.mapper = JsonDocuments.mapper(system);
    this.executor = Database.jdbcExecutor(system);
    this.tempDir = tempDir;
    this.pageSize = pageSize;
    deleteLeftovers(tempDir);
  }

  /**
   * Deletes report files a previous run of this node left in its temporary directory (it was
   * killed while writing them); their jobs are taken up again from the start.
   */
  private static void deleteLeftovers(Path dir) {
    if (!Files.isDirectory(dir)) {
      return;
    }
    try (var files = Files.newDirectoryStream(dir, "exhaust-*.zip")) {
      files.forEach(JdbcExhaustGenerator::deleteQuietly);
    } catch (java.io.IOException e) {
      // leftovers are harmless
    }
  }

  /** An enrolled learner's row of the enrolment table. */
  private record Enrolled(String userId, Instant enrolledDate, Instant completedOn, int completionPercentage) {}

  /** A page of learners and the rows it makes. */
  private record Page(int learners, List<List<String>> rows) {}

  @Override
  public Generation start(ClaimedJob claim, Batch batch, Course course, IntConsumer progress) {
    JobRequest job = claim.job();
    String day = DAY.format(job.submittedAt().atZone(batch.zone()));
    String base = batch.batchId() + "_" + job.dataset().reportKey() + "_" + day;
    Rows rows = switch (job.dataset()) {
      case PROGRESS -> progressRows(course, batch, claim.scope());
      case USERINFO -> userInfoRows(course, batch, claim.scope());
      case RESPONSE -> responseRows(course, batch);
    };
    Path file;
    ReportFile out;
    try {
      Files.createDirectories(tempDir);
      file = Files.createTempFile(tempDir, "exhaust-" + job.requestId() + "-", ".zip");
      out = new ReportFile(file, base + ".csv", claim.encryptionKey());
      out.write(rows.header());
    } catch (Exception e) {
      return failed(e);
    }
    long[] done = {0, 0}; // learners, rows
    Pair<UniqueKillSwitch, CompletionStage<Long>> run = Source.completionStage(count(batch.batchId()))
        .flatMapConcat(total -> learners(batch.batchId())
            .mapAsync(1, rows::page)
            .mapAsync(1, page -> CompletableFuture.supplyAsync(() -> {
              try {
                for (List<String> row : page.rows()) {
                  out.write(row);
                }
              } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
              }
              done[0] += page.learners();
              done[1] += page.rows().size();
              progress.accept(total == 0 ? 100 : (int) (done[0] * 100 / total));
              return page;
            }, executor)))
        .viaMat(KillSwitches.single(), Keep.right())
        .toMat(Sink.fold(0L, (n, page) -> n + page.rows().size()), Keep.both())
        .run(system);
    CompletionStage<Report> report = run.second().handle((n, error) -> {
      try {
        out.close();
      } catch (Exception closing) {
        if (error == null) {
          error = closing;
        }
      }
      if (error != null) {
        deleteQuietly(file);
        throw new java.util.concurrent.CompletionException(error);
      }
      return new Report(file, base + ".zip", n);
    });
    return new Generation() {
      @Override
      public CompletionStage<Report> report() {
        return report;
      }

      @Override
      public void cancel() {
        run.first().abort(new java.util.concurrent.CancellationException("the report was cancelled"));
      }
    };
  }

  private static Generation failed(Exception e) {
    return new Generation() {
      @Override
      public CompletionStage<Report> report() {
        return CompletableFuture.failedFuture(e);
      }

      @Override
      public void cancel() {}
    };
  }

  /** A dataset's header and how a page of learners becomes rows. */
  private interface Rows {
    List<String> header();

    CompletionStage<Page> page(List<Enrolled> learners);
  }

  private Rows progressRows(Course course, Batch batch, ReportScope scope) {
    ProgressExhaust report = new ProgressExhaust(course, batch, scope);
    return new Rows() {
      public List<String> header() {
        return report.header();
      }

      public CompletionStage<Page> page(List<Enrolled> learners) {
        List<String> ids = learners.stream().map(Enrolled::userId).toList();
        String first = ids.get(0);
        String last = ids.get(ids.size() - 1);
        CompletionStage<List<ExhaustLearner>> read = db.runAsync(executor, c -> {
          Map<String, Set<String>> completed = new HashMap<>();
          query(c, "SELECT user_id, content_id FROM content_state WHERE batch_id = ? AND user_id >= ? AND user_id <= ?"
                  + " AND status = 2", rs -> completed.computeIfAbsent(rs.getString(1), u -> new HashSet<>()).add(rs.getString(2)),
              batch.batchId(), first, last);
          Map<String, List<ScoredAttempt>> attempts = new HashMap<>();
          query(c, "SELECT user_id, content_id, attempt_id, total_score, total_max_score FROM assessment_attempt"
                  + " WHERE batch_id = ? AND user_id >= ? AND user_id <= ? ORDER BY user_id, recorded_at, attempt_id",
              rs -> attempts.computeIfAbsent(rs.getString(1), u -> new ArrayList<>())
                  .add(new ScoredAttempt(rs.getString(2), rs.getString(3), rs.getDouble(4), rs.getDouble(5))),
              batch.batchId(), first, last);
          Set<String> certified = new HashSet<>();
          query(c, "SELECT DISTINCT user_id FROM enrollment_certificate WHERE batch_id = ? AND user_id >= ? AND user_id <= ?",
              rs -> certified.add(rs.getString(1)), batch.batchId(), first, last);
          List<ExhaustLearner> out = new ArrayList<>();
          for (Enrolled e : learners) {
            out.add(new ExhaustLearner(e.userId(), e.enrolledDate(), e.completedOn(), e.completionPercentage(),
                completed.getOrDefault(e.userId(), Set.of()), attempts.getOrDefault(e.userId(), List.of()),
                certified.contains(e.userId())));
          }
          return out;
        });
        return read.thenCombine(users.profiles(ids), (page, profiles) -> new Page(learners.size(),
            page.stream().map(l -> report.row(l, profiles.get(l.userId()))).toList()));
      }
    };
  }

  /** Only consents to the scope's organisation are read; a scope without one lists nobody. */
  private Rows userInfoRows(Course course, Batch batch, ReportScope scope) {
    UserInfoExhaust report = new UserInfoExhaust(course, batch, scope);
    return new Rows() {
      public List<String> header() {
        return report.header();
      }

      public CompletionStage<Page> page(List<Enrolled> learners) {
        if (scope.consentOrg().isEmpty()) {
          return CompletableFuture.completedFuture(new Page(learners.size(), List.of()));
        }
        List<String> ids = learners.stream().map(Enrolled::userId).toList();
        return users.consents(course.identifier(), scope.consentOrg().get(), ids).thenCompose(consents -> {
          List<String> consented = ids.stream().filter(id -> report.lists(consents.get(id))).toList();
          CompletionStage<Map<String, UserProfile>> profiles = consented.isEmpty()
              ? CompletableFuture.completedFuture(Map.of()) : users.profiles(consented);
          return profiles.thenApply(found -> {
            List<List<String>> rows = new ArrayList<>();
            for (String id : consented) {
              Consent consent = consents.get(id);
              rows.add(report.row(id, found.get(id), consent));
            }
            return new Page(learners.size(), rows);
          });
        });
      }
    };
  }

  private Rows responseRows(Course course, Batch batch) {
    ResponseExhaust report = new ResponseExhaust(course, batch);
    return new Rows() {
      public List<String> header() {
        return report.header();
      }

      public CompletionStage<Page> page(List<Enrolled> learners) {
        Set<String> enrolled = new HashSet<>(learners.stream().map(Enrolled::userId).toList());
        String first = learners.get(0).userId();
        String last = learners.get(learners.size() - 1).userId();
        return db.runAsync(executor, c -> {
          List<List<String>> rows = new ArrayList<>();
          query(c, "SELECT user_id, content_id, attempt_id, assessment_ts, responses FROM assessment_attempt"
                  + " WHERE batch_id = ? AND user_id >= ? AND user_id <= ?"
                  + " ORDER BY user_id, content_id, assessment_ts, recorded_at, attempt_id",
              rs -> {
                String userId = rs.getString(1);
                if (enrolled.contains(userId)) {
                  long ts = rs.getLong(4);
                  Instant at = rs.wasNull() ? null : Instant.ofEpochMilli(ts);
                  var attempt = new AssessmentAttempt(rs.getString(2), rs.getString(3), at,
                      mapper.readValue(rs.getString(5), RESPONSES));
                  rows.addAll(report.rows(userId, attempt));
                }
              }, batch.batchId(), first, last);
          return new Page(learners.size(), rows);
        });
      }
    };
  }

  private CompletionStage<Long> count(String batchId) {
    return db.runAsync(executor, c -> {
      long[] n = {0};
      query(c, "SELECT COUNT(*) FROM enrollment WHERE batch_id = ? AND participation = 'ACTIVE'", rs -> n[0] = rs.getLong(1),
          batchId);
      return n[0];
    });
  }

  /** The batch's enrolled learners by user id, a page at a time, each page read when the stream wants it. */
  private Source<List<Enrolled>, NotUsed> learners(String batchId) {
    String columns = "SELECT user_id, enrolled_date, completed_on, completion_percentage FROM enrollment"
        + " WHERE batch_id = ? AND participation = 'ACTIVE'";
    return KeysetPages.of(db, executor, pageSize, Enrolled::userId, (c, after, size) -> {
      List<Enrolled> page = new ArrayList<>();
      query(c, columns + " AND user_id > ? ORDER BY user_id LIMIT ?", rs -> {
        long enrolled = rs.getLong(2);
        Instant enrolledDate = rs.wasNull() ? null : Instant.ofEpochMilli(enrolled);
        long completed = rs.getLong(3);
        Instant completedOn = rs.wasNull() ? null : Instant.ofEpochMilli(completed);
        page.add(new Enrolled(rs.getString(1), enrolledDate, completedOn, rs.getInt(4)));
      }, batchId, after, size);
      return page;
    });
  }

  @FunctionalInterface
  private interface RowHandler {
    void accept(ResultSet rs) throws Exception;
  }

  private static void query(Connection c, String sql, RowHandler handler, Object... params) throws Exception {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      SqlParameters.bindAll(ps, params);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          handler.accept(rs);
        }
      }
    }
  }

  private static void deleteQuietly(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (java.io.IOException e) {
      // a leftover temporary file is harmless
    }
  }
}
