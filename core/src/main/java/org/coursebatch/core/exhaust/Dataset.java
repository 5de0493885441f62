package org.coursebatch.core.exhaust;

import java.util.Arrays;
import java.util.Optional;

/** The reports a job can produce, by their Sunbird dataset ids. */
public enum Dataset {
  /** One row per enrolled learner: progress, scores per assessment, progress per unit, certificate. */
  PROGRESS("progress-exhaust", "progress"),
  /** One row per enrolled learner who consented to share their data with the course. */
  USERINFO("userinfo-exhaust", "userinfo"),
  /** One row per question response of every assessment attempt. */
  RESPONSE("response-exhaust", "response");

  private final String id;
  private final String reportKey;

  Dataset(String id, String reportKey) {
    this.id = id;
    this.reportKey = reportKey;
  }

  /** The wire id, e.g. {@code progress-exhaust}. */
  public String id() {
    return id;
  }

  /** The short name used in file names, e.g. {@code progress}. */
  public String reportKey() {
    return reportKey;
  }

  public static Optional<Dataset> fromId(String id) {
    return Arrays.stream(values()).filter(d -> d.id.equals(id)).findFirst();
  }
}
