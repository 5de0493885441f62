package org.coursebatch.core.batch;

import java.time.LocalDate;
import java.util.List;
import org.coursebatch.core.CborSerializable;

/**
 * The fields of a batch to create, already checked for presence and format by the API layer.
 * {@code maxParticipants} null means no capacity limit.
 */
public record NewBatch(
    String courseId,
    String name,
    String description,
    String tandc,
    EnrollmentType enrollmentType,
    LocalDate startDate,
    LocalDate endDate,
    LocalDate enrollmentEndDate,
    List<String> createdFor,
    List<String> mentors,
    Integer maxParticipants)
    implements CborSerializable {

  /** A batch without a capacity. */
  public NewBatch(String courseId, String name, String description, String tandc, EnrollmentType enrollmentType,
      LocalDate startDate, LocalDate endDate, LocalDate enrollmentEndDate, List<String> createdFor, List<String> mentors) {
    this(courseId, name, description, tandc, enrollmentType, startDate, endDate, enrollmentEndDate, createdFor, mentors, null);
  }

  public NewBatch {
    createdFor = createdFor == null ? List.of() : List.copyOf(createdFor);
    mentors = mentors == null ? List.of() : mentors.stream().distinct().toList();
  }
}
