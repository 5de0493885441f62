package org.coursebatch.core.batch;

import com.fasterxml.jackson.annotation.JsonInclude;
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
  @Type(value = BatchEvent.CapacityChanged.class, name = "CapacityChanged"),
  @Type(value = BatchEvent.SeatTaken.class, name = "SeatTaken"),
  @Type(value = BatchEvent.SeatWaitlisted.class, name = "SeatWaitlisted"),
  @Type(value = BatchEvent.SeatReleased.class, name = "SeatReleased"),
  @Type(value = BatchEvent.SeatPromoted.class, name = "SeatPromoted"),
  @Type(value = BatchEvent.PromotionConfirmed.class, name = "PromotionConfirmed"),
})
public sealed interface BatchEvent extends JournalEvent {

  String batchId();

  /**
   * A batch was created; {@code actor} is its creator. {@code timeZone} fixes how its dates map to
   * instants. {@code maxParticipants} (null: no limit) was added later and is left out of the JSON
   * when absent, so batches recorded before it read back unchanged.
   */
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
      Instant at,
      @JsonInclude(JsonInclude.Include.NON_NULL) Integer maxParticipants)
      implements BatchEvent {

    public BatchCreated(String batchId, String courseId, String name, String description, String tandc,
        EnrollmentType enrollmentType, LocalDate startDate, LocalDate endDate, LocalDate enrollmentEndDate,
        String timeZone, List<String> createdFor, List<String> mentors, BatchStatus status, String actor, Instant at) {
      this(batchId, courseId, name, description, tandc, enrollmentType, startDate, endDate, enrollmentEndDate,
          timeZone, createdFor, mentors, status, actor, at, null);
    }
  }

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

  /** The capacity of a batch that has one changed (raised, or lowered without removing anyone). */
  record CapacityChanged(String batchId, int previousMaxParticipants, int maxParticipants, String actor, Instant at)
      implements BatchEvent {}

  /** A learner took one of the seats of a batch with a capacity. */
  record SeatTaken(String batchId, String userId, String actor, Instant at) implements BatchEvent {}

  /** The batch was full: the learner waits for a seat, in the order of {@code ticket}. */
  record SeatWaitlisted(String batchId, String userId, long ticket, String actor, Instant at) implements BatchEvent {}

  /** A learner gave up a seat or a place on the waitlist (unenrolled, or declined a promotion). */
  record SeatReleased(String batchId, String userId, String actor, Instant at) implements BatchEvent {}

  /** A seat freed up (or the capacity grew) and the first waiting learner got it. */
  record SeatPromoted(String batchId, String userId, String actor, Instant at) implements BatchEvent {}

  /** The promoted learner's enrolment recorded the promotion. */
  record PromotionConfirmed(String batchId, String userId, String actor, Instant at) implements BatchEvent {}
}
