package org.coursebatch.persistence.enrollment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.coursebatch.core.enrollment.ContentState;
import org.coursebatch.core.enrollment.EnrollmentEvent;
import org.coursebatch.core.enrollment.EnrollmentEvent.*;
import org.coursebatch.core.enrollment.Participation;
import org.coursebatch.persistence.db.DatabaseSettings;
import org.coursebatch.persistence.db.JsonDocuments;
import org.coursebatch.persistence.db.Upsert;
import org.coursebatch.persistence.projection.ReadModelHandler;

/**
 * Keeps the enrolment read model ({@code enrollment}, {@code content_state},
 * {@code assessment_attempt}, {@code enrollment_certificate}) in the projection's transaction.
 * Every event carries absolute values (the entity merged them before recording), so each one is
 * written as an upsert and replaying the journal from offset zero ends with the same rows.
 * Mirrors {@link org.coursebatch.core.enrollment.Enrollment#apply}.
 */
public final class EnrollmentReadModelHandler extends ReadModelHandler<EnrollmentEvent> {

  private static final String INSERT_ENROLLMENT = "INSERT INTO enrollment (batch_id, user_id, course_id, participation,"
      + " invited, progress, completion_percentage, status, updated_at) VALUES (?, ?, ?, ?, FALSE, 0, 0, 0, ?)";

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
      updateEnrollment(c, e, e.courseId(), "invited = TRUE");
    } else if (event instanceof ParticipantRemoved e) {
      updateEnrollment(c, e, null, "invited = FALSE");
    } else if (event instanceof Enrolled e) {
      updateEnrollment(c, e, e.courseId(), "participation = ?, waitlist_ticket = NULL, enrolled_date = ?, added_by = ?",
          Participation.ACTIVE.name(), e.at(), e.actor());
    } else if (event instanceof Waitlisted e) {
      updateEnrollment(c, e, e.courseId(), "participation = ?, waitlist_ticket = ?, added_by = ?",
          Participation.WAITLISTED.name(), e.ticket(), e.actor());
    } else if (event instanceof PromotedFromWaitlist e) {
      updateEnrollment(c, e, null, "participation = ?, waitlist_ticket = NULL, enrolled_date = ?",
          Participation.ACTIVE.name(), e.at());
    } else if (event instanceof Unenrolled e) {
      updateEnrollment(c, e, null, "participation = ?, waitlist_ticket = NULL", Participation.INACTIVE.name());
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
    } else {
      throw new IllegalStateException("Unknown enrollment event " + event);
    }
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
    String sql = "UPDATE enrollment SET " + (assignments == null ? "" : assignments + ", ")
        + "course_id = COALESCE(?, course_id), updated_at = ? WHERE batch_id = ? AND user_id = ?";
    List<Object> params = new ArrayList<>(List.of(values));
    params.add(courseId);
    params.add(e.at());
    params.add(e.batchId());
    params.add(e.userId());
    if (execute(c, sql, params.toArray()) == 0) {
      execute(c, INSERT_ENROLLMENT, e.batchId(), e.userId(), courseId, Participation.NONE.name(), e.at());
      execute(c, sql, params.toArray());
    }
  }

  private static int execute(Connection c, String sql, Object... params) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < params.length; i++) {
        bind(ps, i + 1, params[i]);
      }
      return ps.executeUpdate();
    }
  }

  /** Instants are stored as epoch millis. */
  private static void bind(PreparedStatement ps, int index, Object value) throws SQLException {
    if (value == null) {
      ps.setNull(index, Types.NULL);
    } else if (value instanceof String s) {
      ps.setString(index, s);
    } else if (value instanceof Instant t) {
      ps.setLong(index, t.toEpochMilli());
    } else if (value instanceof Long l) {
      ps.setLong(index, l);
    } else if (value instanceof Integer i) {
      ps.setInt(index, i);
    } else if (value instanceof Double d) {
      ps.setDouble(index, d);
    } else if (value instanceof Boolean b) {
      ps.setBoolean(index, b);
    } else {
      throw new IllegalArgumentException("No SQL binding for " + value.getClass());
    }
  }
}
