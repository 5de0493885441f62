package org.coursebatch.core.exhaust;

import java.util.Optional;
import org.coursebatch.core.access.ReportScope;

/**
 * A job a worker has taken up: its row as claimed and the file's password, if any. The claim is
 * fenced by {@link JobRequest#attempts()}: once another worker reclaims the job (the lease ran
 * out), the count moves on and this claim's updates no longer apply.
 */
public record ClaimedJob(JobRequest job, Optional<String> encryptionKey) {

  public ClaimedJob {
    encryptionKey = encryptionKey == null ? Optional.empty() : encryptionKey;
  }

  public String requestId() {
    return job.requestId();
  }

  /**
   * The personal data the report may hold: the scope fixed at submission, or none for a job
   * stored before scopes were recorded.
   */
  public ReportScope scope() {
    return job.scope().orElse(ReportScope.NONE);
  }

  /** The claim's fencing token. */
  public int attempt() {
    return job.attempts();
  }
}
