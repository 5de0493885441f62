package org.coursebatch.core.batch;

import java.time.LocalDate;
import java.util.List;
import org.coursebatch.core.CborSerializable;

/** The fields of a batch to create, already checked for presence and format by the API layer. */
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
    List<String> mentors)
    implements CborSerializable {

  public NewBatch {
    createdFor = createdFor == null ? List.of() : List.copyOf(createdFor);
    mentors = mentors == null ? List.of() : mentors.stream().distinct().toList();
  }
}
