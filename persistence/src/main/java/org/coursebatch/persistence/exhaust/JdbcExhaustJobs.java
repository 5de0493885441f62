package org.coursebatch.persistence.exhaust;

import akka.NotUsed;
import akka.actor.typed.ActorSystem;
import akka.japi.Pair;
import akka.stream.javadsl.Source;
import akka.util.ByteString;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import org.coursebatch.core.access.ReportScope;
import org.coursebatch.core.exhaust.ClaimedJob;
import org.coursebatch.core.exhaust.Dataset;
import org.coursebatch.core.exhaust.ExhaustFiles;
import org.coursebatch.core.exhaust.ExhaustJobs;
import org.coursebatch.core.exhaust.JobRequest;
import org.coursebatch.core.exhaust.JobStatus;
import org.coursebatch.core.exhaust.NewJobRequest;
import org.coursebatch.persistence.db.Database;
import org.coursebatch.persistence.db.JsonDocuments;
import org.coursebatch.persistence.db.SqlParameters;
import org.coursebatch.persistence.secret.ServiceSecrets;

/**
 * The job table ({@code exhaust_job}) and the finished files ({@code exhaust_file_chunk}, pieces
 * of {@value #CHUNK_BYTES} bytes). Claims are compare-and-set updates (the row's status and
 * attempt count as read), so they work the same on H2 and PostgreSQL without row locks held
 * across a job; every later update of a claim names the attempt it belongs to.
 */
public final class JdbcExhaustJobs implements ExhaustJobs, ExhaustFiles {

  /** The name of the key report passwords are sealed with, in {@code service_secret}. */
  public static final String KEY_NAME = "exhaust-key";

  static final int CHUNK_BYTES = 1 << 20;
  /** Runnable jobs looked at per claim; more are only needed when others claim the same ones. */
  private static final int CANDIDATES = 10;
  private static final int MAX_ERROR_LENGTH = 2000;
  private static final SecureRandom RANDOM = new SecureRandom();

  private static final String COLUMNS = "request_id, tag, dataset, batch_id, course_id, requested_by, requested_channel,"
      + " output_format, dataset_config, encrypted, status, attempts, progress, err_message, submitted_at, started_at,"
      + " completed_at, execution_time, heartbeat_at, updated_at, file_name, file_size, expires_at, scope_consent_org,"
      + " scope_location_org, scope_every_location";
  private static final String FENCE = " WHERE request_id = ? AND status = 'PROCESSING' AND attempts = ?";

  private final Database db;
  private final ObjectMapper mapper;
  private final Executor executor;
  private final SealedKeys keys;

  public JdbcExhaustJobs(ActorSystem<?> system, Database db, ServiceSecrets secrets) {
    this(system, db, secrets.getOrCreate(KEY_NAME));
  }

  JdbcExhaustJobs(ActorSystem<?> system, Database db, byte[] sealingKey) {
    this.db = db;
    this.mapper = JsonDocuments.mapper(system);
    this.executor = Database.jdbcExecutor(system);
    this.keys = new SealedKeys(sealingKey);
  }

  @Override
  public CompletionStage<JobRequest> submit(NewJobRequest r, Instant now) {
    return db.runAsync(executor, c -> {
      String pending = "SELECT " + COLUMNS + ", encryption_key FROM exhaust_job WHERE tag = ? AND dataset = ? AND batch_id = ?"
          + " AND requested_by = ? AND output_format = ? AND status IN ('SUBMITTED', 'PROCESSING') ORDER BY submitted_at";
      try (PreparedStatement ps = c.prepareStatement(pending)) {
        SqlParameters.bindAll(ps, r.tag(), r.dataset().id(), r.batchId(), r.requestedBy(), r.outputFormat());
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            Optional<String> key = Optional.ofNullable(rs.getString("encryption_key")).map(keys::open);
            JobRequest found = job(rs);
            // a requester whose roles or organisation changed since gets a job of their own
            if (key.equals(r.encryptionKey()) && found.scope().equals(Optional.of(r.scope()))) {
              return found;
            }
          }
        }
      }
      String id = HexFormat.of().formatHex(randomBytes(16));
      String config = r.datasetConfig() == null ? "{}" : mapper.writeValueAsString(r.datasetConfig());
      String insert = "INSERT INTO exhaust_job (request_id, tag, dataset, batch_id, course_id, requested_by, requested_channel,"
          + " output_format, dataset_config, encrypted, encryption_key, status, attempts, progress, submitted_at, not_before,"
          + " updated_at, scope_consent_org, scope_location_org, scope_every_location) VALUES ("
          + SqlParameters.placeholders(12) + ", 0, 0, ?, ?, ?, ?, ?, ?)";
      execute(c, insert, id, r.tag(), r.dataset().id(), r.batchId(), r.courseId(), r.requestedBy(), r.requestedChannel(),
          r.outputFormat(), config, r.encryptionKey().isPresent(), r.encryptionKey().map(keys::seal).orElse(null),
          JobStatus.SUBMITTED.name(), now, now, now, r.scope().consentOrg().orElse(null), r.scope().locationOrg().orElse(null),
          r.scope().everyLocation());
      return find(c, id).orElseThrow();
    });
  }

  @Override
  public CompletionStage<Optional<JobRequest>> find(String requestId) {
    return db.runAsync(executor, c -> find(c, requestId));
  }

  private Optional<JobRequest> find(Connection c, String requestId) throws Exception {
    List<JobRequest> found = jobs(c, "SELECT " + COLUMNS + " FROM exhaust_job WHERE request_id = ?", requestId);
    return found.stream().findFirst();
  }

  @Override
  public CompletionStage<List<JobRequest>> listByTag(String tag, int limit) {
    return db.runAsync(executor, c -> jobs(c, "SELECT " + COLUMNS + " FROM exhaust_job WHERE tag = ?"
        + " ORDER BY submitted_at DESC, request_id LIMIT ?", tag, limit));
  }

  @Override
  public CompletionStage<Optional<ClaimedJob>> claimNext(Instant now, Duration lease, int maxAttempts) {
    long staleBefore = now.minus(lease).toEpochMilli();
    return db.runAsync(executor, c -> {
      String candidates = "SELECT request_id, status, attempts FROM exhaust_job"
          + " WHERE (status = 'SUBMITTED' AND not_before <= ?) OR (status = 'PROCESSING' AND heartbeat_at < ?)"
          + " ORDER BY submitted_at, request_id LIMIT ?";
      List<Object[]> runnable = new ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement(candidates)) {
        SqlParameters.bindAll(ps, now, staleBefore, CANDIDATES);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            runnable.add(new Object[] {rs.getString(1), rs.getString(2), rs.getInt(3)});
          }
        }
      }
      for (Object[] job : runnable) {
        String id = (String) job[0];
        String status = (String) job[1];
        int attempts = (Integer) job[2];
        String expected = " WHERE request_id = ? AND status = ? AND attempts = ?";
        if (status.equals(JobStatus.PROCESSING.name()) && attempts >= maxAttempts) {
          // its worker stopped giving signs of life during the last attempt: give up
          execute(c, "UPDATE exhaust_job SET status = 'FAILED', encryption_key = NULL, completed_at = ?, updated_at = ?,"
              + " err_message = ?" + expected, now, now,
              "The node working on attempt " + attempts + " stopped; no attempts left", id, status, attempts);
          continue;
        }
        int claimed = execute(c, "UPDATE exhaust_job SET status = 'PROCESSING', attempts = attempts + 1, progress = 0,"
            + " started_at = ?, heartbeat_at = ?, updated_at = ?" + expected, now, now, now, id, status, attempts);
        if (claimed == 1) {
          try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + ", encryption_key FROM exhaust_job WHERE request_id = ?")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
              rs.next();
              return Optional.of(new ClaimedJob(job(rs), Optional.ofNullable(rs.getString("encryption_key")).map(keys::open)));
            }
          }
        }
      }
      return Optional.empty();
    });
  }

  @Override
  public CompletionStage<Boolean> heartbeat(ClaimedJob claim, int progress, Instant now) {
    return db.runAsync(executor, c -> execute(c, "UPDATE exhaust_job SET progress = ?, heartbeat_at = ?, updated_at = ?" + FENCE,
        progress, now, now, claim.requestId(), claim.attempt()) == 1);
  }

  @Override
  public CompletionStage<Boolean> complete(ClaimedJob claim, Path file, String fileName, Instant now, Instant expiresAt) {
    return db.runAsync(executor, c -> {
      c.setAutoCommit(false);
      try {
        long started = claim.job().startedAt() == null ? now.toEpochMilli() : claim.job().startedAt().toEpochMilli();
        int ours = execute(c, "UPDATE exhaust_job SET status = 'SUCCESS', progress = 100, encryption_key = NULL,"
                + " err_message = NULL, completed_at = ?, execution_time = ?, heartbeat_at = ?, updated_at = ?, file_name = ?,"
                + " file_size = ?, expires_at = ?" + FENCE,
            now, now.toEpochMilli() - started, now, now, fileName, Files.size(file), expiresAt, claim.requestId(),
            claim.attempt());
        if (ours == 1) {
          execute(c, "DELETE FROM exhaust_file_chunk WHERE request_id = ?", claim.requestId());
          storeChunks(c, claim.requestId(), file);
        }
        c.commit();
        return ours == 1;
      } catch (Exception e) {
        c.rollback();
        throw e;
      } finally {
        c.setAutoCommit(true);
      }
    });
  }

  private static void storeChunks(Connection c, String requestId, Path file) throws Exception {
    try (InputStream in = Files.newInputStream(file);
         PreparedStatement ps = c.prepareStatement("INSERT INTO exhaust_file_chunk (request_id, seq, data) VALUES (?, ?, ?)")) {
      int seq = 0;
      while (true) {
        byte[] chunk = in.readNBytes(CHUNK_BYTES);
        if (chunk.length == 0) {
          return;
        }
        ps.setString(1, requestId);
        ps.setInt(2, seq++);
        ps.setBytes(3, chunk);
        ps.executeUpdate();
      }
    }
  }

  @Override
  public CompletionStage<Optional<JobStatus>> fail(ClaimedJob claim, String message, Instant now, int maxAttempts,
      Duration retryDelay) {
    boolean last = claim.attempt() >= maxAttempts;
    String error = message.length() > MAX_ERROR_LENGTH ? message.substring(0, MAX_ERROR_LENGTH) : message;
    JobStatus next = last ? JobStatus.FAILED : JobStatus.SUBMITTED;
    return db.runAsync(executor, c -> {
      int ours = last
          ? execute(c, "UPDATE exhaust_job SET status = 'FAILED', encryption_key = NULL, err_message = ?, completed_at = ?,"
              + " heartbeat_at = NULL, updated_at = ?" + FENCE, error, now, now, claim.requestId(), claim.attempt())
          : execute(c, "UPDATE exhaust_job SET status = 'SUBMITTED', err_message = ?, not_before = ?, heartbeat_at = NULL,"
              + " updated_at = ?" + FENCE, error, now.plus(retryDelay), now, claim.requestId(), claim.attempt());
      return ours == 1 ? Optional.of(next) : Optional.<JobStatus>empty();
    });
  }

  @Override
  public CompletionStage<Integer> purgeExpired(Instant now) {
    return db.runAsync(executor, c -> execute(c, "DELETE FROM exhaust_file_chunk WHERE request_id IN (SELECT request_id"
        + " FROM exhaust_job WHERE status = 'SUCCESS' AND expires_at <= ?)", now));
  }

  /** The chunks in order, one query each as the stream asks for the next. */
  @Override
  public Source<ByteString, NotUsed> open(String requestId) {
    return Source.unfoldAsync(0, seq -> db.runAsync(executor, c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT data FROM exhaust_file_chunk WHERE request_id = ? AND seq = ?")) {
        SqlParameters.bindAll(ps, requestId, seq);
        try (ResultSet rs = ps.executeQuery()) {
          return rs.next() ? Optional.of(Pair.create(seq + 1, ByteString.fromArrayUnsafe(rs.getBytes(1))))
              : Optional.<Pair<Integer, ByteString>>empty();
        }
      }
    }));
  }

  private List<JobRequest> jobs(Connection c, String sql, Object... params) throws Exception {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      SqlParameters.bindAll(ps, params);
      List<JobRequest> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(job(rs));
        }
      }
      return out;
    }
  }

  private JobRequest job(ResultSet rs) throws Exception {
    long execution = rs.getLong("execution_time");
    Long executionTime = rs.wasNull() ? null : execution;
    long size = rs.getLong("file_size");
    Long fileSize = rs.wasNull() ? null : size;
    return new JobRequest(rs.getString("request_id"), rs.getString("tag"),
        Dataset.fromId(rs.getString("dataset")).orElseThrow(), rs.getString("batch_id"), rs.getString("course_id"),
        rs.getString("requested_by"), rs.getString("requested_channel"), rs.getString("output_format"),
        mapper.readTree(rs.getString("dataset_config")), rs.getBoolean("encrypted"), JobStatus.valueOf(rs.getString("status")),
        rs.getInt("attempts"), rs.getInt("progress"), rs.getString("err_message"), instant(rs, "submitted_at"),
        instant(rs, "started_at"), instant(rs, "completed_at"), executionTime, instant(rs, "heartbeat_at"),
        instant(rs, "updated_at"), rs.getString("file_name"), fileSize, instant(rs, "expires_at"), scope(rs));
  }

  /** The job's report scope; empty for a job stored before scopes were (no {@code scope_every_location}). */
  private static Optional<ReportScope> scope(ResultSet rs) throws SQLException {
    boolean every = rs.getBoolean("scope_every_location");
    if (rs.wasNull()) {
      return Optional.empty();
    }
    return Optional.of(new ReportScope(Optional.ofNullable(rs.getString("scope_consent_org")),
        Optional.ofNullable(rs.getString("scope_location_org")), every));
  }

  private static Instant instant(ResultSet rs, String column) throws SQLException {
    long millis = rs.getLong(column);
    return rs.wasNull() ? null : Instant.ofEpochMilli(millis);
  }

  private static int execute(Connection c, String sql, Object... params) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      SqlParameters.bindAll(ps, params);
      return ps.executeUpdate();
    }
  }

  private static byte[] randomBytes(int n) {
    byte[] b = new byte[n];
    RANDOM.nextBytes(b);
    return b;
  }
}
