package org.coursebatch.core.batch;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonSubTypes.Type;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.coursebatch.core.JournalEvent;
import org.coursebatch.core.certificate.CertificateTemplate;

/**
 * What happened to a batch. The {@code type} names below are what the journal stores; they are
 * part of the stored format and must never change (rename the Java class freely instead).
 */
@JsonSubTypes({
  @Type(value = BatchEvent.BatchCreated.class, name = "BatchCreated"),
  @Type(value = BatchEvent.BatchUpdated.class, name = "BatchUpdated"),
  @Type(value = BatchEvent.EndDateExtended.class, name = "EndDateExtended"),
  @Type(value = BatchEvent.EndDateBroughtForward.class, name = "EndDateBroughtForward"),
  @Type(value = BatchEvent.BatchStarted.class, name = "BatchStarted"),
  @Type(value = BatchEvent.BatchEnded.class, name = "BatchEnded"),
  @Type(value = BatchEvent.BatchReopened.class, name = "BatchReopened"),
  @Type(value = BatchEvent.CertificateTemplateAdded.class, name = "CertificateTemplateAdded"),
  @Type(value = BatchEvent.CertificateTemplateRemoved.class, name = "CertificateTemplateRemoved"),
})
public sealed interface BatchEvent extends JournalEvent {

  String batchId();

  /** A batch was created; {@code actor} is its creator. {@code timeZone} fixes how its dates map to instants. */
  record BatchCreated(
      String batchId,
      String courseId,
      String name,
      String description,
      String tandc,
      EnrollmentType enrollmentType,
      LocalDate startDate,
      LocalDate endDate,
      LocalDate enrollmentEndDate,
      String timeZone,
      List<String> createdFor,
      List<String> mentors,
      BatchStatus status,
      String actor,
      Instant at)
      implements BatchEvent {}

  /** The batch's descriptive fields, start date, enrolment end date, organisations or mentors changed; the values are the new ones. */
  record BatchUpdated(
      String batchId,
      String name,
      String description,
      String tandc,
      EnrollmentType enrollmentType,
      LocalDate startDate,
      LocalDate enrollmentEndDate,
      List<String> createdFor,
      List<String> mentors,
      String actor,
      Instant at)
      implements BatchEvent {}

  /** The end date moved later, or was removed ({@code endDate} null: the batch is open-ended). */
  record EndDateExtended(String batchId, LocalDate previousEndDate, LocalDate endDate, String actor, Instant at)
      implements BatchEvent {}

  /** The end date moved earlier, or was set on an open-ended batch. */
  record EndDateBroughtForward(String batchId, LocalDate previousEndDate, LocalDate endDate, String actor, Instant at)
      implements BatchEvent {}

  /** The start instant passed: the batch is in progress. {@code effectiveAt} is the start instant itself. */
  record BatchStarted(String batchId, Instant effectiveAt, String actor, Instant at) implements BatchEvent {}

  /** The end instant passed: the batch has ended. {@code effectiveAt} is the end instant itself. */
  record BatchEnded(String batchId, Instant effectiveAt, String actor, Instant at) implements BatchEvent {}

  /** An ended batch is in progress again because its end date was extended into the future. */
  record BatchReopened(String batchId, String actor, Instant at) implements BatchEvent {}

  /** A certificate template was attached (or replaced, when one with the same identifier was attached). */
  record CertificateTemplateAdded(String batchId, CertificateTemplate template, String actor, Instant at) implements BatchEvent {}

  /** A certificate template was detached. */
  record CertificateTemplateRemoved(String batchId, String templateId, String actor, Instant at) implements BatchEvent {}
}
