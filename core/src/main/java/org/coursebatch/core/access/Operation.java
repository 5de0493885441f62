package org.coursebatch.core.access;

/**
 * Every kind of thing a caller may ask of the service, as the access policy decides it. Each route
 * of the API names one (openapi.yaml's {@code x-access}), and docs/security.md's authorization
 * table has one row each.
 */
public enum Operation {
  PUBLIC("Health and the API document", true),
  BATCH_CREATE("Create a batch", false),
  BATCH_READ("Read or search batches", false),
  BATCH_CHANGE("Update a batch, add or remove its certificate templates", false),
  BATCH_HISTORY("Read the journal history of a batch or of its enrolments, or their state at an instant", false),
  BATCH_ADMINISTER("List a batch's participants, issue its certificates, request its reports", false),
  SELF_ENROL("Enrol or unenrol oneself", false),
  SELF_PROGRESS("Update or read one's own progress", false),
  LEARNER_ENROL("Enrol, unenrol, invite or remove another user (single, participants, bulk items)", false),
  LEARNER_READ("Read a user's profile, consents or enrolments", false),
  LEARNER_CONSENT("Record a user's consent", false),
  LEARNER_WRITE("Write or erase a user's profile", false),
  ENROLMENT_READ("Read one enrolment (bulk administration)", false),
  REPORT_READ("Read or list report requests", false),
  REPORT_DOWNLOAD("Download a report", false),
  CATALOG_READ("Read the built-in catalog", false),
  CATALOG_WRITE("Register courses and certificate templates", false),
  GROUP_WRITE("Write groups of the built-in groups store", false),
  GROUP_READ("Read a group or its activity aggregates", false);

  private final String description;
  private final boolean open;

  Operation(String description, boolean open) {
    this.description = description;
    this.open = open;
  }

  public String description() {
    return description;
  }

  /** Whether anonymous callers may do it (no token needed). */
  public boolean open() {
    return open;
  }
}
