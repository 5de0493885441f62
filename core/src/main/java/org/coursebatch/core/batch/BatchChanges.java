package org.coursebatch.core.batch;

import java.time.LocalDate;
import java.util.List;
import org.coursebatch.core.CborSerializable;

/**
 * A partial update of a batch, already checked for format by the API layer. {@code courseId} must
 * name the batch's course (Sunbird selects the batch by course and batch id).
 */
public record BatchChanges(
    String courseId,
    Change<String> name,
    Change<String> description,
    Change<String> tandc,
    Change<EnrollmentType> enrollmentType,
    Change<LocalDate> startDate,
    Change<LocalDate> endDate,
    Change<LocalDate> enrollmentEndDate,
    Change<List<String>> createdFor,
    Change<List<String>> mentors,
    Change<Integer> maxParticipants)
    implements CborSerializable {

  public BatchChanges {
    mentors = mentors.map(m -> m.stream().distinct().toList());
    maxParticipants = maxParticipants == null ? Change.keep() : maxParticipants;
  }

  /** Changes that leave the capacity as it is. */
  public BatchChanges(String courseId, Change<String> name, Change<String> description, Change<String> tandc,
      Change<EnrollmentType> enrollmentType, Change<LocalDate> startDate, Change<LocalDate> endDate,
      Change<LocalDate> enrollmentEndDate, Change<List<String>> createdFor, Change<List<String>> mentors) {
    this(courseId, name, description, tandc, enrollmentType, startDate, endDate, enrollmentEndDate, createdFor,
        mentors, Change.keep());
  }

  public BatchChanges withMaxParticipants(Integer max) {
    return new BatchChanges(courseId, name, description, tandc, enrollmentType, startDate, endDate,
        enrollmentEndDate, createdFor, mentors, Change.to(max));
  }

  /** No field changes; useful as a base in tests. */
  public static BatchChanges none(String courseId) {
    return new BatchChanges(courseId, Change.keep(), Change.keep(), Change.keep(), Change.keep(), Change.keep(),
        Change.keep(), Change.keep(), Change.keep(), Change.keep());
  }

  public BatchChanges withStartDate(LocalDate d) {
    return new BatchChanges(courseId, name, description, tandc, enrollmentType, Change.to(d), endDate,
        enrollmentEndDate, createdFor, mentors, maxParticipants);
  }

  public BatchChanges withEndDate(LocalDate d) {
    return new BatchChanges(courseId, name, description, tandc, enrollmentType, startDate, Change.to(d),
        enrollmentEndDate, createdFor, mentors, maxParticipants);
  }

  public BatchChanges withEnrollmentEndDate(LocalDate d) {
    return new BatchChanges(courseId, name, description, tandc, enrollmentType, startDate, endDate, Change.to(d),
        createdFor, mentors, maxParticipants);
  }

  public BatchChanges withName(String n) {
    return new BatchChanges(courseId, Change.to(n), description, tandc, enrollmentType, startDate, endDate,
        enrollmentEndDate, createdFor, mentors, maxParticipants);
  }

  public BatchChanges withMentors(List<String> m) {
    return new BatchChanges(courseId, name, description, tandc, enrollmentType, startDate, endDate,
        enrollmentEndDate, createdFor, Change.to(m), maxParticipants);
  }
}
