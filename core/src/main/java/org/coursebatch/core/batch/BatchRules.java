package org.coursebatch.core.batch;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.coursebatch.core.JournalEvent;
import org.coursebatch.core.access.AccessPolicy;
import org.coursebatch.core.batch.BatchEvent.*;
import org.coursebatch.core.certificate.CertificateTemplate;
import org.coursebatch.core.error.ErrorCode;
import org.coursebatch.core.error.Rejection;
import org.coursebatch.core.identity.Caller;
import org.coursebatch.core.identity.EntityIds;

/**
 * The batch rules as pure functions of the current batch, the request and the clock. Each returns
 * either a rejection or the events to record; the entity only persists what these decide.
 * Checks run in the order Sunbird runs them, so the first error a client sees is the same.
 */
public final class BatchRules {

  private BatchRules() {}

  /** Either a rejection or the events a command produces. */
  public record Decision(Rejection rejection, List<BatchEvent> events) {
    static Decision reject(Rejection r) {
      return new Decision(r, List.of());
    }

    static Decision accept(List<BatchEvent> events) {
      return new Decision(null, List.copyOf(events));
    }

    public boolean rejected() {
      return rejection != null;
    }
  }

  /** The longest batch name: the read model's column. */
  public static final int MAX_NAME_LENGTH = 1000;

  /**
   * What the read model can hold: a name of at most {@value #MAX_NAME_LENGTH} characters, and
   * mentor and organisation ids that can exist ({@link EntityIds}). An event beyond these would be
   * journalled and then stop the projection that cannot write it.
   */
  public static Optional<Rejection> checkTexts(String name, List<String> createdFor, List<String> mentors) {
    if (name != null && name.length() > MAX_NAME_LENGTH) {
      return Optional.of(ErrorCode.VALUE_TOO_LONG.reject("name", MAX_NAME_LENGTH, name.length()));
    }
    for (var ids : List.of(Map.entry("createdFor", createdFor), Map.entry("mentors", mentors))) {
      for (String id : ids.getValue() == null ? List.<String>of() : ids.getValue()) {
        if (!EntityIds.canExist(id)) {
          return Optional.of(ErrorCode.INVALID_PARAMETER_VALUE.reject(EntityIds.quoted(id), ids.getKey()));
        }
      }
    }
    return Optional.empty();
  }

  /** Create: date rules of Sunbird's create validator; the status is computed from the clock. */
  public static Decision create(String batchId, NewBatch b, String timeZone, Caller caller, Instant now) {
    LocalDate today = LocalDate.ofInstant(now, java.time.ZoneId.of(timeZone));
    Optional<Rejection> invalid = checkDates(b.startDate(), b.endDate(), b.enrollmentEndDate(), today)
        .or(() -> checkTexts(b.name(), b.createdFor(), b.mentors()));
    if (invalid.isPresent()) {
      return Decision.reject(invalid.get());
    }
    // A batch starting today is in progress from its creation (Sunbird computes status 1).
    BatchStatus initial = b.startDate().isEqual(today) ? BatchStatus.IN_PROGRESS : BatchStatus.UPCOMING;
    BatchCreated created = new BatchCreated(batchId, b.courseId(), b.name(), b.description(), b.tandc(),
        b.enrollmentType(), b.startDate(), b.endDate(), b.enrollmentEndDate(), timeZone, b.createdFor(), b.mentors(),
        initial, caller.userId(), now, b.maxParticipants());
    return Decision.accept(List.of(created));
  }

  /**
   * The date rules of a new batch alone, so that a caller can refuse bad dates before it looks
   * anything up (Sunbird's validator checks dates before the course).
   */
  public static Optional<Rejection> checkNewDates(NewBatch b, String timeZone, Instant now) {
    return checkDates(b.startDate(), b.endDate(), b.enrollmentEndDate(), LocalDate.ofInstant(now, java.time.ZoneId.of(timeZone)));
  }

  /**
   * The dates of an update request alone, before the batch is looked up (lms-service's validator):
   * an end not after a start given with it is END_DATE_ERROR, an end before today (in the
   * service's zone) INVALID_BATCH_END_DATE_ERROR. What needs the stored batch stays with
   * {@link #update}.
   */
  public static Optional<Rejection> checkUpdateDates(BatchChanges c, String timeZone, Instant now) {
    LocalDate start = c.startDate().orElse(null);
    LocalDate end = c.endDate().orElse(null);
    if (start != null && end != null && !end.isAfter(start)) {
      return Optional.of(ErrorCode.END_DATE_ERROR.reject());
    }
    if (end != null && end.isBefore(LocalDate.ofInstant(now, java.time.ZoneId.of(timeZone)))) {
      return Optional.of(ErrorCode.INVALID_BATCH_END_DATE_ERROR.reject());
    }
    return Optional.empty();
  }

  private static Optional<Rejection> checkDates(LocalDate start, LocalDate end, LocalDate enrollmentEnd, LocalDate today) {
    if (start.isBefore(today)) {
      return Optional.of(ErrorCode.COURSE_BATCH_START_DATE_INVALID.reject());
    }
    if (end != null && !end.isAfter(start)) {
      return Optional.of(ErrorCode.END_DATE_ERROR.reject());
    }
    if (enrollmentEnd != null && enrollmentEnd.isBefore(start)) {
      return Optional.of(ErrorCode.ENROLLMENT_END_DATE_START_ERROR.reject());
    }
    if (enrollmentEnd != null && end != null && enrollmentEnd.isAfter(end)) {
      return Optional.of(ErrorCode.ENROLLMENT_END_DATE_END_ERROR.reject());
    }
    return Optional.empty();
  }

  /**
   * Update: only the creator or a mentor; the start date is frozen once the batch has started;
   * dates keep the create rules; moving the end date is its own event, and an ended batch whose
   * end moves into the future is reopened.
   */
  public static Decision update(Batch current, BatchChanges c, Caller caller, Instant now) {
    if (!Objects.equals(c.courseId(), current.courseId())) {
      return Decision.reject(ErrorCode.INVALID_COURSE_BATCH_ID.reject());
    }
    if (!AccessPolicy.mayChange(caller, current)) {
      return Decision.reject(ErrorCode.UNAUTHORIZED_USER.reject());
    }
    Optional<Rejection> badText = checkTexts(c.name().orElse(null), c.createdFor().orElse(List.of()), c.mentors().orElse(List.of()));
    if (badText.isPresent()) {
      return Decision.reject(badText.get());
    }
    LocalDate today = current.today(now);
    BatchStatus statusNow = current.statusAt(now);

    LocalDate start = c.startDate().orElse(current.startDate());
    if (c.startDate().differsFrom(current.startDate())
        && (statusNow != BatchStatus.UPCOMING || start.isBefore(today))) {
      return Decision.reject(ErrorCode.INVALID_BATCH_START_DATE_ERROR.reject());
    }
    LocalDate end = c.endDate().orElse(current.endDate());
    if (c.endDate().differsFrom(current.endDate()) && end != null && end.isBefore(today)) {
      return Decision.reject(statusNow == BatchStatus.ENDED
          ? ErrorCode.COURSE_BATCH_END_DATE_ERROR.reject()
          : ErrorCode.INVALID_BATCH_END_DATE_ERROR.reject());
    }
    if (end != null && !end.isAfter(start)) {
      return Decision.reject(ErrorCode.END_DATE_ERROR.reject());
    }
    LocalDate enrollmentEnd = c.enrollmentEndDate().orElse(current.enrollmentEndDate());
    if (enrollmentEnd != null && enrollmentEnd.isBefore(start)) {
      return Decision.reject(ErrorCode.ENROLLMENT_END_DATE_START_ERROR.reject());
    }
    if (enrollmentEnd != null && end != null && enrollmentEnd.isAfter(end)) {
      return Decision.reject(ErrorCode.ENROLLMENT_END_DATE_END_ERROR.reject());
    }
    if (c.enrollmentEndDate().differsFrom(current.enrollmentEndDate()) && enrollmentEnd != null
        && enrollmentEnd.isBefore(today)) {
      return Decision.reject(ErrorCode.ENROLLMENT_END_DATE_UPDATE_ERROR.reject());
    }

    Optional<Rejection> badCapacity = checkCapacityChange(current, c.maxParticipants());
    if (badCapacity.isPresent()) {
      return Decision.reject(badCapacity.get());
    }

    List<BatchEvent> events = new ArrayList<>();
    BatchUpdated updated = new BatchUpdated(current.batchId(),
        c.name().orElse(current.name()),
        c.description().orElse(current.description()),
        c.tandc().orElse(current.tandc()),
        c.enrollmentType().orElse(current.enrollmentType()),
        start,
        enrollmentEnd,
        c.createdFor().orElse(current.createdFor()),
        c.mentors().orElse(current.mentors()),
        caller.userId(), now);
    if (changesAnything(current, updated)) {
      events.add(updated);
    }
    if (!Objects.equals(end, current.endDate())) {
      boolean later = end == null || (current.endDate() != null && end.isAfter(current.endDate()));
      events.add(later
          ? new EndDateExtended(current.batchId(), current.endDate(), end, caller.userId(), now)
          : new EndDateBroughtForward(current.batchId(), current.endDate(), end, caller.userId(), now));
    }
    if (c.maxParticipants().differsFrom(current.maxParticipants())) {
      int max = c.maxParticipants().value();
      events.add(new CapacityChanged(current.batchId(), current.maxParticipants(), max, caller.userId(), now));
      // A larger capacity admits waiting learners at once.
      events.addAll(SeatRules.fillSeats(current.seats(), max, current.batchId(), caller.userId(), now));
    }
    return withStatusTransitions(current, events, caller.userId(), now);
  }

  /**
   * The capacity is fixed at creation as "limited" or "unlimited": a batch created without one has
   * learners whose seats were never counted, so a limit cannot start later; a limit can be raised
   * or lowered (lowering removes nobody), not removed.
   */
  private static Optional<Rejection> checkCapacityChange(Batch current, Change<Integer> max) {
    if (!max.differsFrom(current.maxParticipants())) {
      return Optional.empty();
    }
    if (!current.hasCapacity()) {
      return Optional.of(ErrorCode.CAPACITY_FIXED_AT_CREATION.reject());
    }
    if (max.value() == null) {
      return Optional.of(ErrorCode.INVALID_PARAMETER_VALUE.reject("null", "maxParticipants"));
    }
    return Optional.empty();
  }

  /** Attach (or replace) a certificate template: only the batch's creator or mentors, on the batch's own course. */
  public static Decision addTemplate(Batch current, String courseId, CertificateTemplate template, Caller caller, Instant now) {
    Optional<Rejection> denied = checkTemplateAccess(current, courseId, caller);
    if (denied.isPresent()) {
      return Decision.reject(denied.get());
    }
    var added = new CertificateTemplateAdded(current.batchId(), template, caller.userId(), now);
    return withStatusTransitions(current, new ArrayList<>(List.of(added)), caller.userId(), now);
  }

  /** Detach a certificate template; detaching one that is not attached changes nothing and succeeds. */
  public static Decision removeTemplate(Batch current, String courseId, String templateId, Caller caller, Instant now) {
    Optional<Rejection> denied = checkTemplateAccess(current, courseId, caller);
    if (denied.isPresent()) {
      return Decision.reject(denied.get());
    }
    if (!current.certTemplates().containsKey(templateId)) {
      return Decision.accept(List.of());
    }
    var removed = new CertificateTemplateRemoved(current.batchId(), templateId, caller.userId(), now);
    return withStatusTransitions(current, new ArrayList<>(List.of(removed)), caller.userId(), now);
  }

  private static Optional<Rejection> checkTemplateAccess(Batch batch, String courseId, Caller caller) {
    if (!batch.courseId().equals(courseId)) {
      return Optional.of(ErrorCode.BATCH_NOT_LINKED_TO_COURSE.reject());
    }
    if (!AccessPolicy.mayChange(caller, batch)) {
      return Optional.of(ErrorCode.UNAUTHORIZED_USER.reject());
    }
    return Optional.empty();
  }

  /**
   * Surrounds a command's events with status transitions: those the clock had already made due
   * (recorded as the system's) before them, and those the command itself causes (the caller's),
   * e.g. a start moved to today or an ended batch reopened. Nothing to change: no events at all.
   */
  private static Decision withStatusTransitions(Batch current, List<BatchEvent> events, String actor, Instant now) {
    if (events.isEmpty()) {
      return Decision.accept(List.of());
    }
    List<BatchEvent> all = new ArrayList<>(dueTransitions(current, now));
    all.addAll(events);
    BatchState after = current;
    for (BatchEvent e : all) {
      after = after.apply(e);
    }
    all.addAll(statusTransitions((Batch) after, now, actor));
    return Decision.accept(all);
  }

  private static boolean changesAnything(Batch b, BatchUpdated u) {
    return !(Objects.equals(b.name(), u.name())
        && Objects.equals(b.description(), u.description())
        && Objects.equals(b.tandc(), u.tandc())
        && b.enrollmentType() == u.enrollmentType()
        && Objects.equals(b.startDate(), u.startDate())
        && Objects.equals(b.enrollmentEndDate(), u.enrollmentEndDate())
        && b.createdFor().equals(u.createdFor())
        && b.mentors().equals(u.mentors()));
  }

  /**
   * The events that bring the recorded status in line with the clock: started, ended, or reopened
   * after an end-date extension. Empty when the recorded status is already right.
   * {@code actor} is {@link JournalEvent#SYSTEM} for time-driven transitions.
   */
  public static List<BatchEvent> statusTransitions(Batch b, Instant now, String actor) {
    BatchStatus target = b.statusAt(now);
    List<BatchEvent> events = new ArrayList<>(2);
    BatchStatus recorded = b.status();
    if (recorded == BatchStatus.UPCOMING && target != BatchStatus.UPCOMING) {
      events.add(new BatchStarted(b.batchId(), b.startsAt(), actor, now));
      recorded = BatchStatus.IN_PROGRESS;
    }
    if (recorded == BatchStatus.IN_PROGRESS && target == BatchStatus.ENDED) {
      events.add(new BatchEnded(b.batchId(), b.endsAt().orElseThrow(), actor, now));
    }
    if (recorded == BatchStatus.ENDED && target == BatchStatus.IN_PROGRESS) {
      events.add(new BatchReopened(b.batchId(), actor, now));
    }
    return events;
  }

  /** Transitions due because time passed, recorded by the system. */
  public static List<BatchEvent> dueTransitions(Batch b, Instant now) {
    return statusTransitions(b, now, JournalEvent.SYSTEM);
  }
}
