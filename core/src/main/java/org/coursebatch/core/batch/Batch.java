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
      return toBuilder().name(e.name()).description(e.description()).tandc(e.tandc())
          .enrollmentType(e.enrollmentType()).startDate(e.startDate()).enrollmentEndDate(e.enrollmentEndDate())
          .createdFor(e.createdFor()).mentors(e.mentors()).updated(e.actor(), e.at()).build();
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

  /** A copy with another end date, as edited by {@code actor} at {@code at}. */
  public Batch withEndDate(LocalDate newEnd, String actor, Instant at) {
    return toBuilder().endDate(newEnd).updated(actor, at).build();
  }

  /** A copy with another recorded status; a transition is not an edit: updatedBy/updatedDate stay. */
  public Batch withStatus(BatchStatus newStatus) {
    return toBuilder().status(newStatus).build();
  }

  /** A copy with other certificate templates, as edited by {@code actor} at {@code at}. */
  public Batch withCertTemplates(Map<String, CertificateTemplate> templates, String actor, Instant at) {
    return toBuilder().certTemplates(templates).updated(actor, at).build();
  }

  /** A copy with another capacity (null: unlimited), as edited by {@code actor} at {@code at}. */
  public Batch withMaxParticipants(Integer newMax, String actor, Instant at) {
    return toBuilder().maxParticipants(newMax).updated(actor, at).build();
  }

  /** Seat bookkeeping is not an edit of the batch: updatedBy/updatedDate stay. */
  public Batch withSeats(Seats newSeats) {
    return toBuilder().seats(newSeats).build();
  }

  /** A builder that starts from this batch, to change some of its fields in a copy. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /** Whether enrolments are limited, so seats are allocated by this batch. */
  public boolean hasCapacity() {
    return maxParticipants != null;
  }

  public ZoneId zone() {
    return ZoneId.of(timeZone);
  }

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

  /**
   * Changes some fields of a batch in a copy. Only the fields that events change can be set; the
   * rest (ids, time zone, creator) are those of the batch it started from.
   */
  public static final class Builder {
    private final Batch from;
    private String name;
    private String description;
    private String tandc;
    private EnrollmentType enrollmentType;
    private LocalDate startDate;
    private LocalDate endDate;
    private LocalDate enrollmentEndDate;
    private List<String> createdFor;
    private List<String> mentors;
    private String updatedBy;
    private Instant updatedDate;
    private BatchStatus status;
    private Map<String, CertificateTemplate> certTemplates;
    private Integer maxParticipants;
    private Seats seats;

    private Builder(Batch from) {
      this.from = from;
      name = from.name;
      description = from.description;
      tandc = from.tandc;
      enrollmentType = from.enrollmentType;
      startDate = from.startDate;
      endDate = from.endDate;
      enrollmentEndDate = from.enrollmentEndDate;
      createdFor = from.createdFor;
      mentors = from.mentors;
      updatedBy = from.updatedBy;
      updatedDate = from.updatedDate;
      status = from.status;
      certTemplates = from.certTemplates;
      maxParticipants = from.maxParticipants;
      seats = from.seats;
    }

    public Builder name(String value) {
      name = value;
      return this;
    }

    public Builder description(String value) {
      description = value;
      return this;
    }

    public Builder tandc(String value) {
      tandc = value;
      return this;
    }

    public Builder enrollmentType(EnrollmentType value) {
      enrollmentType = value;
      return this;
    }

    public Builder startDate(LocalDate value) {
      startDate = value;
      return this;
    }

    public Builder endDate(LocalDate value) {
      endDate = value;
      return this;
    }

    public Builder enrollmentEndDate(LocalDate value) {
      enrollmentEndDate = value;
      return this;
    }

    public Builder createdFor(List<String> value) {
      createdFor = value;
      return this;
    }

    public Builder mentors(List<String> value) {
      mentors = value;
      return this;
    }

    /** Who edited the batch last, and when. */
    public Builder updated(String by, Instant at) {
      updatedBy = by;
      updatedDate = at;
      return this;
    }

    public Builder status(BatchStatus value) {
      status = value;
      return this;
    }

    public Builder certTemplates(Map<String, CertificateTemplate> value) {
      certTemplates = value;
      return this;
    }

    public Builder maxParticipants(Integer value) {
      maxParticipants = value;
      return this;
    }

    public Builder seats(Seats value) {
      seats = value;
      return this;
    }

    public Batch build() {
      return new Batch(from.batchId, from.courseId, name, description, tandc, enrollmentType, startDate, endDate,
          enrollmentEndDate, from.timeZone, createdFor, mentors, from.createdBy, from.createdDate, updatedBy,
          updatedDate, status, certTemplates, maxParticipants, seats);
    }
  }
}
