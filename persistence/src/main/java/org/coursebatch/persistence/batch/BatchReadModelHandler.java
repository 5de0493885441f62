package org.coursebatch.persistence.batch;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Optional;
import org.coursebatch.core.batch.Batch;
import org.coursebatch.core.batch.BatchEvent;
import org.coursebatch.core.batch.BatchState;
import org.coursebatch.persistence.db.JsonDocuments;
import org.coursebatch.persistence.projection.ReadModelHandler;

/**
 * Keeps the {@code course_batch} read model: folds each event into the stored batch with
 * {@link BatchState#apply} (the entity's own event handler, so the two cannot disagree) and
 * writes the result in the projection's transaction.
 */
public final class BatchReadModelHandler extends ReadModelHandler<BatchEvent> {

  private static final String INSERT = "INSERT INTO course_batch (course_id, name, enrollment_type, start_date, end_date,"
      + " enrollment_end_date, starts_at, ends_at, status, created_by, created_at, updated_at, document, batch_id)"
      + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
  private static final String UPDATE = "UPDATE course_batch SET course_id = ?, name = ?, enrollment_type = ?,"
      + " start_date = ?, end_date = ?, enrollment_end_date = ?, starts_at = ?, ends_at = ?, status = ?,"
      + " created_by = ?, created_at = ?, updated_at = ?, document = ? WHERE batch_id = ?";

  private final ObjectMapper mapper;
  private final ObjectWriter writer;

  public BatchReadModelHandler(ObjectMapper mapper) {
    this.mapper = mapper;
    this.writer = JsonDocuments.writer(mapper);
  }

  @Override
  protected void apply(Connection connection, BatchEvent event) throws Exception {
    Optional<Batch> stored = load(connection, event.batchId());
    // A BatchCreated starts from scratch, so a projection rebuilt from offset zero overwrites old rows.
    BatchState before = event instanceof BatchEvent.BatchCreated || stored.isEmpty() ? BatchState.empty() : stored.get();
    BatchState after = before.apply(event);
    if (!(after instanceof Batch batch)) {
      throw new IllegalStateException("Event " + event + " left batch " + event.batchId() + " without a batch");
    }
    write(connection, batch, stored.isPresent());
    Batch previous = stored.orElse(null);
    if (previous == null || !previous.mentors().equals(batch.mentors())) {
      replaceChildren(connection, "course_batch_mentor", "user_id", batch.batchId(), batch.mentors());
    }
    if (previous == null || !previous.createdFor().equals(batch.createdFor())) {
      replaceChildren(connection, "course_batch_org", "org_id", batch.batchId(), batch.createdFor());
    }
  }

  private Optional<Batch> load(Connection connection, String batchId) throws Exception {
    try (PreparedStatement ps = connection.prepareStatement("SELECT document FROM course_batch WHERE batch_id = ?")) {
      ps.setString(1, batchId);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(mapper.readValue(rs.getString(1), Batch.class)) : Optional.empty();
      }
    }
  }

  private void write(Connection connection, Batch b, boolean exists) throws Exception {
    try (PreparedStatement ps = connection.prepareStatement(exists ? UPDATE : INSERT)) {
      ps.setString(1, b.courseId());
      ps.setString(2, b.name());
      ps.setString(3, b.enrollmentType().wireName());
      setDate(ps, 4, b.startDate());
      setDate(ps, 5, b.endDate());
      // What clients see as enrollmentEndDate (explicit, or the day before the end date).
      setDate(ps, 6, b.effectiveEnrollmentEndDate().orElse(null));
      ps.setLong(7, b.startsAt().toEpochMilli());
      setMillis(ps, 8, b.endsAt().orElse(null));
      ps.setInt(9, b.status().code());
      ps.setString(10, b.createdBy());
      ps.setLong(11, b.createdDate().toEpochMilli());
      setMillis(ps, 12, b.updatedDate());
      ps.setString(13, writer.writeValueAsString(b));
      ps.setString(14, b.batchId());
      int rows = ps.executeUpdate();
      if (rows != 1) {
        throw new IllegalStateException("Expected to write 1 course_batch row for " + b.batchId() + ", wrote " + rows);
      }
    }
  }

  private static void replaceChildren(Connection connection, String table, String column, String batchId,
      Collection<String> values) throws SQLException {
    // Table and column names are constants of this class, never input.
    try (PreparedStatement delete = connection.prepareStatement("DELETE FROM " + table + " WHERE batch_id = ?")) {
      delete.setString(1, batchId);
      delete.executeUpdate();
    }
    var distinct = new LinkedHashSet<>(values);
    distinct.removeIf(Objects::isNull);
    if (distinct.isEmpty()) {
      return;
    }
    try (PreparedStatement insert = connection.prepareStatement(
        "INSERT INTO " + table + " (batch_id, " + column + ") VALUES (?, ?)")) {
      for (String value : distinct) {
        insert.setString(1, batchId);
        insert.setString(2, value);
        insert.addBatch();
      }
      insert.executeBatch();
    }
  }

  private static void setDate(PreparedStatement ps, int index, LocalDate date) throws SQLException {
    if (date == null) {
      ps.setNull(index, Types.DATE);
    } else {
      ps.setObject(index, date);
    }
  }

  private static void setMillis(PreparedStatement ps, int index, Instant instant) throws SQLException {
    if (instant == null) {
      ps.setNull(index, Types.BIGINT);
    } else {
      ps.setLong(index, instant.toEpochMilli());
    }
  }
}
