package org.coursebatch.persistence.enrollment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.coursebatch.core.enrollment.ContentState;
import org.coursebatch.core.enrollment.EnrollmentEvent;
import org.coursebatch.core.enrollment.EnrollmentEvent.*;
import org.coursebatch.core.enrollment.Participation;
import org.coursebatch.persistence.db.DatabaseSettings;
import org.coursebatch.persistence.db.JsonDocuments;
import org.coursebatch.persistence.db.SqlParameters;
import org.coursebatch.persistence.db.Upsert;
import org.coursebatch.persistence.projection.ReadModelHandler;

/**
 * Keeps the enrolment read model ({@code enrollment}, {@code content_state},
 * {@code assessment_attempt}, {@code enrollment_certificate}) in the projection's transaction.
 * Every event carries absolute values (the entity merged them before recording), so each one is
 * written as an upsert and replaying the journal from offset zero ends with the same rows. The one
 * count, the incarnation, goes up on an admission and is set back to the deleted enrolment's by
 * {@link EnrollmentDeleted}, which a replay over rows left in place therefore also ends with.
 * Mirrors {@link org.coursebatch.core.enrollment.Enrollment#apply}.
 */
public final class EnrollmentReadModelHandler extends ReadModelHandler<EnrollmentEvent> {

  private static final String INSERT_ENROLLMENT = "INSERT INTO enrollment (batch_id, user_id, course_id, participation,"
      + " incarnation, invited, progress, completion_percentage, status, updated_at) VALUES (?, ?, ?, ?, ?, FALSE, 0, 0, 0, ?)";
  /**
   * A learner's first enrolment in a batch, in one statement: the row {@link #admit} would make of
   * it (incarnation 1), written only when the learner has none. Most events of a busy batch are
   * these, and its projection applies them one after the other (four statements each otherwise).
   */
  private static final String FIRST_ENROLMENT = "INSERT INTO enrollment (batch_id, user_id, course_id, participation,"
      + " incarnation, invited, enrolled_date, added_by, progress, completion_percentage, status, updated_at)"
      + " SELECT CAST(? AS VARCHAR(100)), CAST(? AS VARCHAR(100)), CAST(? AS VARCHAR(100)), CAST(? AS VARCHAR(16)), 1,"
      + " FALSE, CAST(? AS BIGINT), CAST(? AS VARCHAR(100)), 0, 0, 0, CAST(? AS BIGINT)"
      + " WHERE NOT EXISTS (SELECT 1 FROM enrollment WHERE batch_id = ? AND user_id = ?)";
  private static final String NEXT_INCARNATION = "UPDATE enrollment SET incarnation = incarnation + 1"
      + " WHERE batch_id = ? AND user_id = ? AND participation IN ('NONE', 'DELETED')";

  private static final String CONTENT_COLUMNS = "batch_id, user_id, content_id, course_id, status, progress,"
      + " view_count, completed_count, last_access_time, last_completed_time, progress_details, updated_at";
  private static final String ATTEMPT_COLUMNS = "batch_id, user_id, content_id, attempt_id, course_id, assessment_ts,"
      + " total_score, total_max_score, responses, recorded_at";
  private static final String CERTIFICATE_COLUMNS = "certificate_id, batch_id, user_id, course_id, template_id,"
      + " issued_at, reissue";

  private final ObjectWriter writer;
  private final String putContent;
  private final String putAttempt;
  private final String putCertificate;

  public EnrollmentReadModelHandler(ObjectMapper mapper, DatabaseSettings.Vendor vendor) {
    this.writer = JsonDocuments.writer(mapper);
    this.putContent = Upsert.sql(vendor, "content_state", "batch_id, user_id, content_id", CONTENT_COLUMNS);
    this.putAttempt = Upsert.sql(vendor, "assessment_attempt", "batch_id, user_id, content_id, attempt_id", ATTEMPT_COLUMNS);
    this.putCertificate = Upsert.sql(vendor, "enrollment_certificate", "certificate_id", CERTIFICATE_COLUMNS);
  }

  @Override
  protected void apply(Connection c, EnrollmentEvent event) throws Exception {
    if (event instanceof ParticipantInvited e) {
      // A deleted learner who is invited again is a participant without an enrolment, as before any.
      updateEnrollment(c, e, e.courseId(), "invited = TRUE, participation = CASE WHEN participation = 'DELETED' THEN 'NONE'"
          + " ELSE participation END");
    } else if (event instanceof ParticipantRemoved e) {
      updateEnrollment(c, e, null, "invited = FALSE");
    } else if (event instanceof Enrolled e) {
      if (execute(c, FIRST_ENROLMENT, e.batchId(), e.userId(), e.courseId(), Participation.ACTIVE.name(), e.at(), e.actor(),
          e.at(), e.batchId(), e.userId()) == 0) {
        admit(c, e, e.courseId(), "participation = ?, waitlist_ticket = NULL, enrolled_date = ?, added_by = ?, left_on = NULL",
            Participation.ACTIVE.name(), e.at(), e.actor());
      }
    } else if (event instanceof Waitlisted e) {
      admit(c, e, e.courseId(), "participation = ?, waitlist_ticket = ?, added_by = ?, left_on = NULL",
          Participation.WAITLISTED.name(), e.ticket(), e.actor());
    } else if (event instanceof PromotedFromWaitlist e) {
      updateEnrollment(c, e, null, "participation = ?, waitlist_ticket = NULL, enrolled_date = ?, left_on = NULL",
          Participation.ACTIVE.name(), e.at());
    } else if (event instanceof Unenrolled e) {
      updateEnrollment(c, e, null, "participation = ?, waitlist_ticket = NULL, left_on = ?", Participation.INACTIVE.name(),
          e.at());
    } else if (event instanceof SeatReturned) {
      // Only the entity and the batch track seats.
    } else if (event instanceof ContentProgressRecorded e) {
      recordContents(c, e);
    } else if (event instanceof AssessmentAttempted e) {
      execute(c, putAttempt, e.batchId(), e.userId(), e.contentId(), e.attemptId(), e.courseId(), e.assessmentTs(),
          e.totalScore(), e.totalMaxScore(), writer.writeValueAsString(e.responses()), e.at());
      updateEnrollment(c, e, e.courseId(), null);
    } else if (event instanceof EnrollmentCompleted e) {
      updateEnrollment(c, e, e.courseId(), "completed_on = ?, status = 2", e.at());
    } else if (event instanceof CertificateIssued e) {
      execute(c, putCertificate, e.certificateId(), e.batchId(), e.userId(), e.courseId(), e.templateId(), e.at(),
          e.reissue());
      updateEnrollment(c, e, e.courseId(), null);
    } else if (event instanceof EnrollmentDeleted e) {
      delete(c, e);
    } else {
      throw new IllegalStateException("Unknown enrollment event " + event);
    }
  }

  /**
   * Enrolled and Waitlisted: a learner without an enrolment (never enrolled, or deleted) starts the
   * next incarnation, one without a row yet the first; one who is enrolled, waiting or has left
   * keeps theirs. The count goes up in a statement of its own before {@code assignments} change the
   * participation, so nothing depends on the order in which a database evaluates a SET list.
   */
  private static void admit(Connection c, EnrollmentEvent e, String courseId, String assignments, Object... values)
      throws SQLException {
    execute(c, NEXT_INCARNATION, e.batchId(), e.userId());
    writeEnrollment(c, e, courseId, 1, assignments, values);
  }

  /**
   * The learner's progress, attempts and certificates in the batch go; the row stays as a
   * tombstone that keeps the course and the incarnation, so enrolling again counts on from it. The
   * incarnation is set from the event rather than kept as found: a replay over rows left in place
   * (whose count may be ahead) ends with the same rows as the first run.
   */
  private static void delete(Connection c, EnrollmentDeleted e) throws SQLException {
    for (String table : List.of("content_state", "assessment_attempt", "enrollment_certificate")) {
      execute(c, "DELETE FROM " + table + " WHERE batch_id = ? AND user_id = ?", e.batchId(), e.userId());
    }
    updateEnrollment(c, e, null, "participation = ?, incarnation = ?, invited = FALSE, enrolled_date = NULL,"
            + " added_by = NULL, waitlist_ticket = NULL, progress = 0, completion_percentage = 0, status = 0,"
            + " completed_on = NULL, last_read_content_id = NULL, last_read_content_status = NULL,"
            + " last_content_access_time = NULL, left_on = NULL",
        Participation.DELETED.name(), e.incarnation());
  }

  private void recordContents(Connection c, ContentProgressRecorded e) throws Exception {
    ContentState last = null;
    for (ContentState s : e.contents()) {
      // The journal gives back an absent JsonNode as NullNode: both are stored as no details.
      JsonNode given = s.progressDetails();
      String details = given == null || given.isNull() ? null : writer.writeValueAsString(given);
      execute(c, putContent, e.batchId(), e.userId(), s.contentId(), e.courseId(), s.status(), s.progress(),
          s.viewCount(), s.completedCount(), s.lastAccessTime(), s.lastCompletedTime(), details, e.at());
      last = s;
    }
    if (last == null) {
      updateEnrollment(c, e, e.courseId(), "progress = ?, completion_percentage = ?", e.completedLeaves(),
          e.completionPercentage());
      return;
    }
    Instant accessed = last.lastAccessTime() != null ? last.lastAccessTime() : e.at();
    updateEnrollment(c, e, e.courseId(), "progress = ?, completion_percentage = ?,"
            + " status = CASE WHEN completed_on IS NULL THEN 1 ELSE 2 END,"
            + " last_read_content_id = ?, last_read_content_status = ?, last_content_access_time = ?",
        e.completedLeaves(), e.completionPercentage(), last.contentId(), last.status(), accessed);
  }

  /**
   * Sets {@code assignments} (with {@code values} for their placeholders), the course when the
   * event names one, and {@code updated_at} on the enrolment's row, creating the row first when
   * the learner has none yet (never enrolled: participation NONE). Update-else-insert is safe: a
   * batch's events all go to one projection instance, the row's only writer.
   */
  private static void updateEnrollment(Connection c, EnrollmentEvent e, String courseId, String assignments,
      Object... values) throws SQLException {
    writeEnrollment(c, e, courseId, 0, assignments, values);
  }

  /** As {@link #updateEnrollment}; a row created here starts at {@code newRowIncarnation}. */
  private static void writeEnrollment(Connection c, EnrollmentEvent e, String courseId, int newRowIncarnation,
      String assignments, Object... values) throws SQLException {
    String sql = "UPDATE enrollment SET " + (assignments == null ? "" : assignments + ", ")
        + "course_id = COALESCE(?, course_id), updated_at = ? WHERE batch_id = ? AND user_id = ?";
    List<Object> params = new ArrayList<>(List.of(values));
    params.add(courseId);
    params.add(e.at());
    params.add(e.batchId());
    params.add(e.userId());
    if (execute(c, sql, params.toArray()) == 0) {
      execute(c, INSERT_ENROLLMENT, e.batchId(), e.userId(), courseId, Participation.NONE.name(), newRowIncarnation,
          e.at());
      execute(c, sql, params.toArray());
    }
  }

  private static int execute(Connection c, String sql, Object... params) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      SqlParameters.bindAll(ps, params);
      return ps.executeUpdate();
    }
  }
}
