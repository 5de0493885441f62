package org.coursebatch.core.exhaust;

import akka.NotUsed;
import akka.stream.javadsl.Source;
import akka.util.ByteString;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.coursebatch.core.batch.BatchService;
import org.coursebatch.core.batch.BatchView;
import org.coursebatch.core.catalog.CourseCatalog;
import org.coursebatch.core.error.ErrorCode;
import org.coursebatch.core.error.RejectedException;
import org.coursebatch.core.error.Rejection;
import org.coursebatch.core.access.AccessChecks;
import org.coursebatch.core.access.AccessPolicy;
import org.coursebatch.core.access.Operation;
import org.coursebatch.core.access.ReportScope;
import org.coursebatch.core.access.Requester;
import org.coursebatch.core.identity.Caller;
import org.coursebatch.core.json.FieldLimits;

/**
 * The report requests: who may ask for a batch's reports, what a request must say, and who may
 * see a request and download its file. Results complete with the job, or fail with a
 * {@link RejectedException} (nothing stored).
 *
 * <p>A batch's reports may be requested by those who administer it (its creator, its mentors, the
 * org admins of an organisation it was created for, system admins: {@link AccessPolicy},
 * docs/security.md), each for themself: {@code requestedBy} is the caller. They and the requester
 * see the request. Each request records the personal data its report may hold
 * ({@link ReportScope}, from the requester's roles and root organisation); the requester alone
 * downloads the file, while they still administer the batch and their scope still covers the
 * recorded one.
 */
public final class ExhaustService {

  /** The only output format: CSV (in a zip). */
  public static final String CSV = "csv";
  /** How many requests of a tag a list shows, most recent first. */
  public static final int LIST_LIMIT = 100;

  static final int MAX_TAG_LENGTH = FieldLimits.LABEL;
  static final int MAX_KEY_LENGTH = FieldLimits.ENCRYPTION_KEY;
  static final int MAX_ID_LENGTH = FieldLimits.ID;

  private final ExhaustJobs jobs;
  private final ExhaustFiles files;
  private final BatchService batches;
  private final CourseCatalog catalog;
  private final AccessChecks access;
  private final Clock clock;

  public ExhaustService(ExhaustJobs jobs, ExhaustFiles files, BatchService batches, CourseCatalog catalog,
      AccessChecks access, Clock clock) {
    this.jobs = jobs;
    this.files = files;
    this.batches = batches;
    this.catalog = catalog;
    this.access = access;
    this.clock = clock;
  }

  /**
   * A request as it arrives; every field but {@code datasetConfig} may be null (absent).
   *
   * @param requestedBy whom the request is for: the caller when absent, and nobody else (the report's
   *     personal data follows the requester's authority)
   * @param channel the requesting channel (Sunbird's {@code X-Channel-Id})
   */
  public record Submission(String tag, String dataset, String batchId, String requestedBy, String encryptionKey,
      String outputFormat, JsonNode datasetConfig, String channel) {}

  /** A finished file to send: the job (name, size) and its bytes. */
  public record Download(JobRequest job, Source<ByteString, NotUsed> bytes) {}

  /**
   * Checks the request in Sunbird's order (tag, dataset, then the dataset's configuration), then
   * the batch and the caller's right to its reports, then what the dataset needs (user info: a
   * key, and a course that asks for consent), and stores the job.
   */
  public CompletionStage<JobRequest> submit(Submission s, Caller caller) {
    NewJobRequest checked;
    try {
      checked = check(s, caller);
    } catch (RejectedException e) {
      return CompletableFuture.failedFuture(e);
    }
    return batches.find(checked.batchId()).thenCompose(found -> {
      BatchView view = found.orElseThrow(() -> ErrorCode.BATCH_NOT_FOUND.reject(checked.batchId()).asException());
      // The requester's organisation is looked up even when the batch alone decides: the scope needs it.
      return access.requester(caller).thenCompose(who -> {
        access.policy().require(Operation.BATCH_ADMINISTER, who, AccessPolicy.Target.batch(view.batch()));
        NewJobRequest request = new NewJobRequest(checked.tag(), checked.dataset(), checked.batchId(),
            view.batch().courseId(), checked.requestedBy(), checked.requestedChannel(), checked.outputFormat(),
            checked.datasetConfig(), checked.encryptionKey(), access.policy().reportScope(who));
        if (request.dataset() != Dataset.USERINFO) {
          return jobs.submit(request, clock.instant());
        }
        return catalog.findCourse(request.courseId()).thenCompose(course -> {
          if (course.isEmpty() || !course.get().userConsent()) {
            throw ErrorCode.USER_CONSENT_NOT_REQUESTED.reject().asException();
          }
          return jobs.submit(request, clock.instant());
        });
      });
    });
  }

  private NewJobRequest check(Submission s, Caller caller) {
    String tag = FieldLimits.requireWithin(required(s.tag(), "tag"), "tag", MAX_TAG_LENGTH);
    String datasetId = required(s.dataset(), "dataset");
    Dataset dataset = Dataset.fromId(datasetId).orElseThrow(() -> ErrorCode.INVALID_PARAMETER_VALUE
        .reject(datasetId, "dataset (progress-exhaust, userinfo-exhaust or response-exhaust)").asException());
    String batchId = required(s.batchId(), "datasetConfig.batchId");
    String format = s.outputFormat() == null || s.outputFormat().isBlank() ? CSV : s.outputFormat();
    if (!format.equalsIgnoreCase(CSV)) {
      throw ErrorCode.INVALID_PARAMETER_VALUE.reject(format, "output_format (csv)").asException();
    }
    // The message tells the key's length only, never the key.
    Optional<String> key = Optional.ofNullable(s.encryptionKey()).filter(k -> !k.isEmpty())
        .map(k -> FieldLimits.requireWithin(k, "encryptionKey", MAX_KEY_LENGTH));
    if (dataset == Dataset.USERINFO && key.isEmpty()) {
      throw ErrorCode.MANDATORY_PARAMETER_MISSING.reject("encryptionKey").asException();
    }
    String requestedBy = s.requestedBy() == null || s.requestedBy().isBlank() ? caller.userId() : s.requestedBy();
    String channel = s.channel() == null || s.channel().isBlank() ? null : s.channel();
    for (var v : new String[][] {{requestedBy, "requestedBy"}, {batchId, "datasetConfig.batchId"}, {channel, "X-Channel-Id"}}) {
      FieldLimits.requireWithin(v[0], v[1], MAX_ID_LENGTH);
    }
    FieldLimits.requireWithin(s.datasetConfig() == null ? null : s.datasetConfig().toString(), "datasetConfig", FieldLimits.JSON_OBJECT);
    // The request's shape first, then whom it is for: the caller, and nobody else.
    if (!requestedBy.equals(caller.userId())) {
      throw ErrorCode.UNAUTHORIZED_USER.reject().asException();
    }
    return new NewJobRequest(tag, dataset, batchId, null, requestedBy, channel, format.toLowerCase(java.util.Locale.ROOT),
        s.datasetConfig(), key, ReportScope.NONE);
  }

  private static String required(String value, String name) {
    if (value == null || value.isBlank()) {
      throw ErrorCode.MANDATORY_PARAMETER_MISSING.reject(name).asException();
    }
    return value;
  }

  /** The requests of a tag the caller may see, most recent first (at most {@value #LIST_LIMIT} are looked at). */
  public CompletionStage<List<JobRequest>> list(String tag, Caller caller) {
    return jobs.listByTag(tag, LIST_LIMIT).thenCompose(all -> access.requester(caller).thenCompose(who -> {
      List<String> batchIds = List.copyOf(new LinkedHashSet<>(all.stream().map(JobRequest::batchId).toList()));
      Map<String, Optional<BatchView>> views = new HashMap<>();
      CompletionStage<Void> lookups = CompletableFuture.completedFuture(null);
      for (String batchId : batchIds) {
        lookups = lookups.thenCompose(x -> batches.find(batchId)).thenAccept(v -> views.put(batchId, v));
      }
      return lookups.thenApply(x -> all.stream().filter(j -> mayRead(who, j, views.get(j.batchId()))).toList());
    }));
  }

  /** The request, if the caller may see it (else UNAUTHORIZED_USER); JOB_NOT_FOUND when there is none. */
  public CompletionStage<JobRequest> read(String requestId, Caller caller) {
    return jobs.find(requestId).thenCompose(found -> {
      JobRequest job = found.orElseThrow(() -> ErrorCode.JOB_NOT_FOUND.reject(requestId).asException());
      return batches.find(job.batchId()).thenCombine(access.requester(caller), (view, who) -> {
        if (!mayRead(who, job, view)) {
          throw ErrorCode.UNAUTHORIZED_USER.reject().asException();
        }
        return job;
      });
    });
  }

  private boolean mayRead(Requester who, JobRequest job, Optional<BatchView> view) {
    return access.policy().decide(Operation.REPORT_READ, who,
        AccessPolicy.Target.report(view.map(BatchView::batch).orElse(null), job.requestedBy())).allowed();
  }

  /** The file of a finished request the caller may see; JOB_FILE_NOT_AVAILABLE before SUCCESS or after it expired. */
  public CompletionStage<Download> download(String requestId, Caller caller) {
    return jobs.find(requestId).thenCompose(found -> {
      JobRequest job = found.orElseThrow(() -> ErrorCode.JOB_NOT_FOUND.reject(requestId).asException());
      return batches.find(job.batchId()).thenCombine(access.requester(caller), (view, who) -> {
        access.policy().require(Operation.REPORT_DOWNLOAD, who,
            AccessPolicy.Target.report(view.map(BatchView::batch).orElse(null), job.requestedBy()));
        requireScope(job, access.policy().reportScope(who));
        return job;
      });
    }).thenApply(job -> {
      if (job.status() != JobStatus.SUCCESS) {
        throw ErrorCode.JOB_FILE_NOT_AVAILABLE.reject(requestId, "it is " + job.status()).asException();
      }
      if (!job.downloadable(clock.instant())) {
        throw ErrorCode.JOB_FILE_NOT_AVAILABLE.reject(requestId, "it expired at " + job.expiresAt()).asException();
      }
      return new Download(job, files.open(requestId));
    });
  }

  /**
   * Refuses the file unless what the requester may see now covers what the report was made to
   * hold: their role or organisation may have changed since they asked. A report made before
   * scopes were recorded held every consenting learner and every location: a system admin's only.
   */
  private static void requireScope(JobRequest job, ReportScope now) {
    boolean covered = job.scope().map(now::covers).orElseGet(now::coversUnrecorded);
    if (!covered) {
      throw new Rejection(ErrorCode.UNAUTHORIZED_USER, job.scope().isPresent()
          ? "Report " + job.requestId() + " holds personal data your current roles and organisation no longer cover;"
              + " submit the request again."
          : "Report " + job.requestId() + " was made before reports were limited to their requester's organisation;"
              + " submit the request again, or ask a system admin for it.").asException();
    }
  }
}
