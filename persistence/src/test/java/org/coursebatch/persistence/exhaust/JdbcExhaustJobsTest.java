package org.coursebatch.persistence.exhaust;

import static org.junit.jupiter.api.Assertions.*;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.stream.javadsl.Sink;
import akka.util.ByteString;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.coursebatch.core.access.ReportScope;
import org.coursebatch.core.exhaust.ClaimedJob;
import org.coursebatch.core.exhaust.Dataset;
import org.coursebatch.core.exhaust.JobRequest;
import org.coursebatch.core.exhaust.JobStatus;
import org.coursebatch.core.exhaust.NewJobRequest;
import org.coursebatch.persistence.db.Database;
import org.coursebatch.persistence.db.DatabaseSettings;
import org.coursebatch.persistence.secret.ServiceSecrets;
import org.coursebatch.persistence.testing.OnBothDatabases;
import org.coursebatch.persistence.testing.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** The job table on H2 and PostgreSQL: claims, leases and their fencing, retries, files, sealed keys. */
@OnBothDatabases
class JdbcExhaustJobsTest {

  static final Duration LEASE = Duration.ofSeconds(60);
  static final Instant T0 = Instant.parse("2030-01-01T00:00:00Z");
  static final ReportScope CREATOR_SCOPE = new ReportScope(Optional.of("org-1"), Optional.empty(), false);

  @TempDir
  static Path tmp;

  static <T> T await(CompletionStage<T> stage) throws Exception {
    return stage.toCompletableFuture().get(20, TimeUnit.SECONDS);
  }

  @Nested
  @TestInstance(TestInstance.Lifecycle.PER_CLASS)
  class Contract {
    DatabaseSettings settings;
    Database db;
    ActorTestKit testKit;
    JdbcExhaustJobs jobs;

    @BeforeAll
    void open(TestDatabase database, ActorTestKit testKit) {
      this.testKit = testKit;
      settings = database.fresh();
      db = Database.open(settings);
      db.migrate();
      jobs = new JdbcExhaustJobs(testKit.system(), db, ServiceSecrets.open(db, Optional.empty()));
    }

    @AfterAll
    void close() {
      db.close();
    }

    @BeforeEach
    void empty() throws Exception {
      try (Connection c = db.dataSource().getConnection()) {
        c.createStatement().execute("DELETE FROM exhaust_file_chunk");
        c.createStatement().execute("DELETE FROM exhaust_job");
      }
    }

    NewJobRequest request(String batchId, Optional<String> key) {
      return request(batchId, key, CREATOR_SCOPE);
    }

    NewJobRequest request(String batchId, Optional<String> key, ReportScope scope) {
      return new NewJobRequest("tag-1", Dataset.PROGRESS, batchId, "do_1", "creator", null, "csv", null, key, scope);
    }

    @Test
    void aJobKeepsTheScopeItWasRequestedUnderAndAnotherScopeIsAnotherJob() throws Exception {
      ReportScope admin = new ReportScope(Optional.of("org-1"), Optional.of("org-1"), false);
      ReportScope system = new ReportScope(Optional.empty(), Optional.empty(), true);
      JobRequest byCreator = await(jobs.submit(request("b-scope", Optional.empty()), T0));
      assertEquals(Optional.of(CREATOR_SCOPE), byCreator.scope());
      JobRequest byAdmin = await(jobs.submit(request("b-scope", Optional.empty(), admin), T0.plusSeconds(1)));
      assertNotEquals(byCreator.requestId(), byAdmin.requestId(), "the requester's role changed: a job of its own");
      assertEquals(Optional.of(admin), byAdmin.scope());
      assertEquals(byAdmin.requestId(), await(jobs.submit(request("b-scope", Optional.empty(), admin), T0.plusSeconds(2))).requestId());
      JobRequest bySystem = await(jobs.submit(request("b-scope-2", Optional.empty(), system), T0.plusSeconds(3)));
      assertEquals(Optional.of(system), await(jobs.find(bySystem.requestId())).orElseThrow().scope());
      JobRequest none = await(jobs.submit(request("b-scope-3", Optional.empty(), ReportScope.NONE), T0.plusSeconds(4)));
      assertEquals(Optional.of(ReportScope.NONE), await(jobs.find(none.requestId())).orElseThrow().scope());

      ClaimedJob claim = await(jobs.claimNext(T0.plusSeconds(5), LEASE, 3)).orElseThrow();
      assertEquals(byCreator.requestId(), claim.requestId());
      assertEquals(CREATOR_SCOPE, claim.scope(), "the worker generates under the stored scope");

      // a job stored before scopes were recorded
      try (Connection c = db.dataSource().getConnection();
           PreparedStatement ps = c.prepareStatement("UPDATE exhaust_job SET scope_consent_org = NULL, scope_location_org = NULL,"
               + " scope_every_location = NULL WHERE request_id = ?")) {
        ps.setString(1, byAdmin.requestId());
        assertEquals(1, ps.executeUpdate());
      }
      assertEquals(Optional.empty(), await(jobs.find(byAdmin.requestId())).orElseThrow().scope());
      ClaimedJob legacy = await(jobs.claimNext(T0.plusSeconds(6), LEASE, 3)).orElseThrow();
      assertEquals(byAdmin.requestId(), legacy.requestId());
      assertEquals(ReportScope.NONE, legacy.scope(), "generated with no personal data");
    }

    @Test
    void aSubmittedJobIsClaimedOnceAndAnIdenticalPendingRequestIsTheSameJob() throws Exception {
      JobRequest first = await(jobs.submit(request("b1", Optional.empty()), T0));
      assertEquals(JobStatus.SUBMITTED, first.status());
      assertEquals(first.requestId(), await(jobs.submit(request("b1", Optional.empty()), T0.plusSeconds(1))).requestId());
      assertNotEquals(first.requestId(), await(jobs.submit(request("b1", Optional.of("k")), T0.plusSeconds(2))).requestId(),
          "another key");

      ClaimedJob claim = await(jobs.claimNext(T0, LEASE, 3)).orElseThrow();
      assertEquals(first.requestId(), claim.requestId(), "the oldest first");
      assertEquals(1, claim.attempt());
      assertEquals(JobStatus.PROCESSING, claim.job().status());
      ClaimedJob second = await(jobs.claimNext(T0.plusSeconds(5), LEASE, 3)).orElseThrow();
      assertNotEquals(first.requestId(), second.requestId());
      assertEquals(Optional.of("k"), second.encryptionKey(), "the key, unsealed for the worker");
      assertEquals(Optional.empty(), await(jobs.claimNext(T0.plusSeconds(5), LEASE, 3)), "nothing else is runnable");
      assertEquals(first.requestId(), await(jobs.submit(request("b1", Optional.empty()), T0)).requestId(),
          "still the same job while it runs");
    }

    @Test
    void aJobWithoutSignsOfLifeIsTakenOverAndTheOldClaimChangesNothing() throws Exception {
      await(jobs.submit(request("b2", Optional.of("secret")), T0));
      ClaimedJob old = await(jobs.claimNext(T0, LEASE, 3)).orElseThrow();
      assertTrue(await(jobs.heartbeat(old, 30, T0.plusSeconds(30))));
      assertEquals(Optional.empty(), await(jobs.claimNext(T0.plusSeconds(80), LEASE, 3)), "alive 50 s ago: still its worker's");
      ClaimedJob taken = await(jobs.claimNext(T0.plusSeconds(91), LEASE, 3)).orElseThrow();
      assertEquals(2, taken.attempt());
      assertEquals(Optional.of("secret"), taken.encryptionKey());

      assertFalse(await(jobs.heartbeat(old, 60, T0.plusSeconds(92))), "the old worker is fenced out");
      assertFalse(await(jobs.complete(old, file(10), "x.zip", T0.plusSeconds(93), T0.plusSeconds(1000))));
      assertEquals(Optional.empty(), await(jobs.fail(old, "late", T0.plusSeconds(94), 3, Duration.ZERO)));
      JobRequest row = await(jobs.find(taken.requestId())).orElseThrow();
      assertEquals(JobStatus.PROCESSING, row.status());
      assertEquals(2, row.attempts());
      assertNull(row.errMessage());
    }

    @Test
    void failedAttemptsWaitTheRetryDelayThenTheLastOneFailsTheJobAndForgetsTheKey() throws Exception {
      JobRequest job = await(jobs.submit(request("b3", Optional.of("secret")), T0));
      Instant now = T0;
      for (int attempt = 1; attempt <= 3; attempt++) {
        ClaimedJob claim = await(jobs.claimNext(now, LEASE, 3)).orElseThrow();
        assertEquals(attempt, claim.attempt());
        JobStatus next = await(jobs.fail(claim, "boom " + attempt, now, 3, Duration.ofSeconds(30))).orElseThrow();
        assertEquals(attempt < 3 ? JobStatus.SUBMITTED : JobStatus.FAILED, next);
        if (attempt < 3) {
          assertEquals(Optional.empty(), await(jobs.claimNext(now.plusSeconds(29), LEASE, 3)), "not before the retry delay");
        }
        now = now.plusSeconds(30);
      }
      JobRequest failed = await(jobs.find(job.requestId())).orElseThrow();
      assertEquals(JobStatus.FAILED, failed.status());
      assertEquals("boom 3", failed.errMessage());
      assertNull(sealedKey(job.requestId()));
      assertEquals(Optional.empty(), await(jobs.claimNext(now.plusSeconds(3600), LEASE, 3)));
    }

    @Test
    void aDeadWorkersLastAttemptFailsTheJob() throws Exception {
      JobRequest job = await(jobs.submit(request("b4", Optional.empty()), T0));
      Instant now = T0;
      for (int attempt = 1; attempt <= 3; attempt++) {
        assertEquals(attempt, await(jobs.claimNext(now, LEASE, 3)).orElseThrow().attempt());
        now = now.plus(LEASE).plusSeconds(1); // its node died
      }
      assertEquals(Optional.empty(), await(jobs.claimNext(now, LEASE, 3)));
      JobRequest failed = await(jobs.find(job.requestId())).orElseThrow();
      assertEquals(JobStatus.FAILED, failed.status());
      assertEquals(3, failed.attempts());
      assertTrue(failed.errMessage().contains("stopped"), failed.errMessage());
    }

    @Test
    void aCompletedJobHasItsFileInPiecesUntilItExpires() throws Exception {
      JobRequest job = await(jobs.submit(request("b5", Optional.of("secret")), T0));
      assertNotNull(sealedKey(job.requestId()));
      assertNotEquals("secret", sealedKey(job.requestId()), "sealed, not plain");
      ClaimedJob claim = await(jobs.claimNext(T0.plusSeconds(1), LEASE, 3)).orElseThrow();
      int size = JdbcExhaustJobs.CHUNK_BYTES * 2 + 12_345;
      Path file = file(size);
      assertTrue(await(jobs.complete(claim, file, "b5_progress_20300101.zip", T0.plusSeconds(11), T0.plusSeconds(3600))));

      JobRequest done = await(jobs.find(job.requestId())).orElseThrow();
      assertEquals(JobStatus.SUCCESS, done.status());
      assertEquals(100, done.progress());
      assertEquals(10_000L, done.executionTimeMs());
      assertEquals((long) size, done.fileSize());
      assertEquals("b5_progress_20300101.zip", done.fileName());
      assertNull(sealedKey(job.requestId()), "the key is gone once the job finished");
      ByteString read = await(jobs.open(job.requestId()).runWith(Sink.fold(ByteString.emptyByteString(), ByteString::concat),
          testKit.system()));
      assertArrayEquals(Files.readAllBytes(file), read.toArray());

      assertEquals(0, await(jobs.purgeExpired(T0.plusSeconds(3599))));
      assertEquals(3, await(jobs.purgeExpired(T0.plusSeconds(3600))));
      assertEquals(0, await(jobs.open(job.requestId()).runWith(Sink.seq(), testKit.system())).size());
    }

    Path file(int bytes) throws Exception {
      byte[] data = new byte[bytes];
      new Random(bytes).nextBytes(data);
      Path file = Files.createTempFile(tmp, "report", ".zip");
      Files.write(file, data);
      return file;
    }

    String sealedKey(String requestId) throws Exception {
      try (Connection c = db.dataSource().getConnection();
           PreparedStatement ps = c.prepareStatement("SELECT encryption_key FROM exhaust_job WHERE request_id = ?")) {
        ps.setString(1, requestId);
        try (ResultSet rs = ps.executeQuery()) {
          assertTrue(rs.next());
          return rs.getString(1);
        }
      }
    }
  }
}
