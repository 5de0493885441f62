package org.coursebatch.core.batch;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.coursebatch.core.batch.BatchEvent.*;
import org.coursebatch.core.certificate.CertificateTemplate;

/**
 * A course batch as recorded by its events. {@code status} is the status last recorded in the
 * journal; {@link #statusAt(Instant)} is what the clock says it is (they differ only until the
 * entity records the transition).
 *
 * <p>Dates are whole days in the batch's time zone: the batch starts at the first instant of
 * {@code startDate} and ends after the last instant of {@code endDate} (end dates are inclusive).
 *
 * <p>{@code maxParticipants} (null: unlimited) and {@code seats} only matter for batches with a
 * capacity; the learners of other batches are not in the batch's state at all (see the enrollment
 * package).
 */
public record Batch(
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
    String createdBy,
    Instant createdDate,
    String updatedBy,
    Instant updatedDate,
    BatchStatus status,
    Map<String, CertificateTemplate> certTemplates,
    Integer maxParticipants,
    Seats seats)
    implements BatchState {

  public Batch {
    createdFor = createdFor == null ? List.of() : List.copyOf(createdFor);
    mentors = mentors == null ? List.of() : List.copyOf(mentors);
    certTemplates = certTemplates == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(certTemplates));
    seats = seats == null ? Seats.NONE : seats;
  }

  static Batch created(BatchCreated e) {
    return new Batch(e.batchId(), e.courseId(), e.name(), e.description(), e.tandc(), e.enrollmentType(),
        e.startDate(), e.endDate(), e.enrollmentEndDate(), e.timeZone(), e.createdFor(), e.mentors(),
        e.actor(), e.at(), null, null, e.status(), Map.of(), e.maxParticipants(), Seats.NONE);
  }

  @Override
  public BatchState apply(BatchEvent event) {
    if (event instanceof BatchUpdated e) {
      return withDetails(e);
    } else if (event instanceof EndDateExtended e) {
      return withEndDate(e.endDate(), e.actor(), e.at());
    } else if (event instanceof EndDateBroughtForward e) {
      return withEndDate(e.endDate(), e.actor(), e.at());
    } else if (event instanceof BatchStarted) {
      return withStatus(BatchStatus.IN_PROGRESS);
    } else if (event instanceof BatchEnded) {
      return withStatus(BatchStatus.ENDED);
    } else if (event instanceof BatchReopened) {
      return withStatus(BatchStatus.IN_PROGRESS);
    } else if (event instanceof CertificateTemplateAdded e) {
      var templates = new LinkedHashMap<>(certTemplates);
      templates.put(e.template().identifier(), e.template());
      return withCertTemplates(templates, e.actor(), e.at());
    } else if (event instanceof CertificateTemplateRemoved e) {
      var templates = new LinkedHashMap<>(certTemplates);
      templates.remove(e.templateId());
      return withCertTemplates(templates, e.actor(), e.at());
    } else if (event instanceof CapacityChanged e) {
      return withMaxParticipants(e.maxParticipants(), e.actor(), e.at());
    } else if (event instanceof SeatTaken e) {
      return withSeats(seats.take(e.userId()));
    } else if (event instanceof SeatWaitlisted e) {
      return withSeats(seats.enqueue(e.userId(), e.ticket()));
    } else if (event instanceof SeatReleased e) {
      return withSeats(seats.release(e.userId()));
    } else if (event instanceof SeatPromoted e) {
      return withSeats(seats.promote(e.userId()));
    } else if (event instanceof PromotionConfirmed e) {
      return withSeats(seats.promotionConfirmed(e.userId()));
    } else if (event instanceof BatchCreated) {
      throw new IllegalStateException("Batch " + batchId + " already exists");
    }
    throw new IllegalStateException("Unknown event " + event);
  }

  /** A copy with the details an update sets (not the end date: its own events change it), as edited by its actor. */
  private Batch withDetails(BatchUpdated e) {
    return new Batch(batchId, courseId, e.name(), e.description(), e.tandc(), e.enrollmentType(), e.startDate(), endDate,
        e.enrollmentEndDate(), timeZone, e.createdFor(), e.mentors(), createdBy, createdDate, e.actor(), e.at(), status,
        certTemplates, maxParticipants, seats);
  }

  /** A copy with another end date, as edited by {@code actor} at {@code at}. */
  public Batch withEndDate(LocalDate newEnd, String actor, Instant at) {
    return new Batch(batchId, courseId, name, description, tandc, enrollmentType, startDate, newEnd,
        enrollmentEndDate, timeZone, createdFor, mentors, createdBy, createdDate, actor, at, status,
        certTemplates, maxParticipants, seats);
  }

  /** A copy with another recorded status; a transition is not an edit: updatedBy/updatedDate stay. */
  public Batch withStatus(BatchStatus newStatus) {
    return new Batch(batchId, courseId, name, description, tandc, enrollmentType, startDate, endDate,
        enrollmentEndDate, timeZone, createdFor, mentors, createdBy, createdDate, updatedBy, updatedDate, newStatus,
        certTemplates, maxParticipants, seats);
  }

  /** A copy with other certificate templates, as edited by {@code actor} at {@code at}. */
  public Batch withCertTemplates(Map<String, CertificateTemplate> templates, String actor, Instant at) {
    return new Batch(batchId, courseId, name, description, tandc, enrollmentType, startDate, endDate,
        enrollmentEndDate, timeZone, createdFor, mentors, createdBy, createdDate, actor, at, status,
        templates, maxParticipants, seats);
  }

  /** A copy with another capacity (null: unlimited), as edited by {@code actor} at {@code at}. */
  public Batch withMaxParticipants(Integer newMax, String actor, Instant at) {
    return new Batch(batchId, courseId, name, description, tandc, enrollmentType, startDate, endDate,
        enrollmentEndDate, timeZone, createdFor, mentors, createdBy, createdDate, actor, at, status,
        certTemplates, newMax, seats);
  }

  /** Seat bookkeeping is not an edit of the batch: updatedBy/updatedDate stay. */
  public Batch withSeats(Seats newSeats) {
    return new Batch(batchId, courseId, name, description, tandc, enrollmentType, startDate, endDate,
        enrollmentEndDate, timeZone, createdFor, mentors, createdBy, createdDate, updatedBy, updatedDate, status,
        certTemplates, maxParticipants, newSeats);
  }

  /** Whether enrolments are limited, so seats are allocated by this batch. */
  public boolean hasCapacity() {
    return maxParticipants != null;
  }

  public ZoneId zone() {
    ZoneId zone = ZONES.get(timeZone);
    if (zone == null) {
      zone = ZoneId.of(timeZone);
      if (ZONES.size() < MAX_ZONES_KEPT) {
        ZONES.putIfAbsent(timeZone, zone);
      }
    }
    return zone;
  }

  /**
   * Parsed zones by id: a batch's dates are turned into instants on every enrolment, and parsing
   * an id such as "UTC" builds its rules anew. The ids are the nodes' configured zones, so few;
   * the bound only keeps an odd journal from growing the map.
   */
  private static final java.util.concurrent.ConcurrentMap<String, ZoneId> ZONES = new java.util.concurrent.ConcurrentHashMap<>();

  private static final int MAX_ZONES_KEPT = 64;

  /** The first instant of the start date. */
  public Instant startsAt() {
    return startDate.atStartOfDay(zone()).toInstant();
  }

  /** The first instant after the (inclusive) end date, or empty for an open-ended batch. */
  public Optional<Instant> endsAt() {
    return Optional.ofNullable(endDate).map(d -> d.plusDays(1).atStartOfDay(zone()).toInstant());
  }

  /** The explicit enrolment end date, or else the day before the end date (Sunbird's default). */
  public Optional<LocalDate> effectiveEnrollmentEndDate() {
    if (enrollmentEndDate != null) {
      return Optional.of(enrollmentEndDate);
    }
    return Optional.ofNullable(endDate).map(d -> d.minusDays(1));
  }

  /** The first instant after the (inclusive) effective enrolment end date. */
  public Optional<Instant> enrollmentEndsAt() {
    return effectiveEnrollmentEndDate().map(d -> d.plusDays(1).atStartOfDay(zone()).toInstant());
  }

  /** The status the clock says the batch has at {@code now}. */
  public BatchStatus statusAt(Instant now) {
    return statusOf(startsAt(), endsAt().orElse(null), now);
  }

  static BatchStatus statusOf(Instant startsAt, Instant endsAt, Instant now) {
    if (now.isBefore(startsAt)) {
      return BatchStatus.UPCOMING;
    }
    if (endsAt != null && !now.isBefore(endsAt)) {
      return BatchStatus.ENDED;
    }
    return BatchStatus.IN_PROGRESS;
  }

  /** The next instant at which the status changes after the recorded status, if any. */
  public Optional<Instant> nextTransition() {
    return switch (status) {
      case UPCOMING -> Optional.of(startsAt());
      case IN_PROGRESS -> endsAt();
      case ENDED -> Optional.empty();
    };
  }

  /** The creator and the mentors may change a batch. */
  public boolean isAdministeredBy(String userId) {
    return userId != null && (userId.equals(createdBy) || mentors.contains(userId));
  }

  public LocalDate today(Instant now) {
    return LocalDate.ofInstant(now, zone());
  }
}
