package org.coursebatch.core.publish;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.coursebatch.core.JournalEvent;
import org.coursebatch.core.batch.BatchEvent;
import org.coursebatch.core.enrollment.ContentState;
import org.coursebatch.core.enrollment.EnrollmentEvent;

/**
 * Which outbound events one journal entry makes: a rule, no I/O. The types, their {@code change}
 * fields and the events that make none are listed in docs/events.md, which this class must match.
 *
 * <p>Events that make none: the batch's seat bookkeeping ({@code SeatTaken}, {@code SeatWaitlisted},
 * {@code SeatReleased}, {@code SeatPromoted}, {@code PromotionConfirmed}) and the enrolment's
 * {@code SeatReturned}, each the other entity's half of an enrolment event that is published
 * ({@code enrolment.enrolled}, {@code .waitlisted}, {@code .unenrolled}, {@code .promoted}); and any
 * journal event that is neither a batch's nor an enrolment's (bulk enrolment aliases).
 *
 * <p>Free text never leaves: a batch's name, description and terms, a template's name and design,
 * the player's progress details and an assessment's responses stay in the service (they may name
 * or describe a person). Dates are ISO-8601 strings, instants in UTC ({@code 2026-12-07T09:18:34Z}).
 */
public final class OutboundEvents {

  /** The schema version of every type published so far. */
  public static final int VERSION = 1;

  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  private OutboundEvents() {}

  /**
   * The events made from the journal entry {@code sequenceNr} of {@code persistenceId}, written at
   * {@code writtenAt}, holding {@code event} (unwrapped from its hash chain); none for an event that
   * matters to nobody outside, or one of a kind this rule does not know.
   */
  public static List<OutboundEvent> of(String persistenceId, long sequenceNr, Instant writtenAt, Object event) {
    String eventId = persistenceId + "#" + sequenceNr;
    if (event instanceof BatchEvent batchEvent) {
      return batch(eventId, writtenAt, batchEvent);
    }
    if (event instanceof EnrollmentEvent enrollmentEvent) {
      return enrollment(eventId, writtenAt, enrollmentEvent);
    }
    return List.of();
  }

  /** Whether {@link #of} knows {@code event}'s kind (an unknown kind makes no events and is worth a note). */
  public static boolean known(Object event) {
    return event instanceof JournalEvent;
  }

  private static List<OutboundEvent> batch(String eventId, Instant at, BatchEvent event) {
    if (event instanceof BatchEvent.BatchCreated e) {
      ObjectNode change = JSON.objectNode();
      change.put("courseId", e.courseId());
      change.put("enrollmentType", e.enrollmentType() == null ? null : e.enrollmentType().wireName());
      date(change, "startDate", e.startDate());
      date(change, "endDate", e.endDate());
      date(change, "enrollmentEndDate", e.enrollmentEndDate());
      change.put("timeZone", e.timeZone());
      ids(change, "createdFor", e.createdFor());
      ids(change, "mentors", e.mentors());
      change.put("status", e.status() == null ? null : e.status().code());
      if (e.maxParticipants() == null) {
        change.putNull("maxParticipants");
      } else {
        change.put("maxParticipants", e.maxParticipants());
      }
      return List.of(batchEvent(eventId, "batch.created", at, e, e.courseId(), change));
    }
    if (event instanceof BatchEvent.BatchUpdated e) {
      ObjectNode change = JSON.objectNode();
      change.put("enrollmentType", e.enrollmentType() == null ? null : e.enrollmentType().wireName());
      date(change, "startDate", e.startDate());
      date(change, "enrollmentEndDate", e.enrollmentEndDate());
      ids(change, "createdFor", e.createdFor());
      ids(change, "mentors", e.mentors());
      return List.of(batchEvent(eventId, "batch.updated", at, e, null, change));
    }
    if (event instanceof BatchEvent.EndDateExtended e) {
      return List.of(batchEvent(eventId, "batch.end-date-changed", at, e, null,
          endDate(e.previousEndDate(), e.endDate())));
    }
    if (event instanceof BatchEvent.EndDateBroughtForward e) {
      return List.of(batchEvent(eventId, "batch.end-date-changed", at, e, null,
          endDate(e.previousEndDate(), e.endDate())));
    }
    if (event instanceof BatchEvent.BatchStarted e) {
      return List.of(batchEvent(eventId, "batch.started", at, e, null,
          status(1).put("effectiveAt", iso(e.effectiveAt()))));
    }
    if (event instanceof BatchEvent.BatchEnded e) {
      return List.of(batchEvent(eventId, "batch.ended", at, e, null,
          status(2).put("effectiveAt", iso(e.effectiveAt()))));
    }
    if (event instanceof BatchEvent.BatchReopened e) {
      return List.of(batchEvent(eventId, "batch.reopened", at, e, null, status(1)));
    }
    if (event instanceof BatchEvent.CertificateTemplateAdded e) {
      return List.of(batchEvent(eventId, "batch.certificate-template-added", at, e,
          null, JSON.objectNode().put("templateId", e.template() == null ? null : e.template().identifier())));
    }
    if (event instanceof BatchEvent.CertificateTemplateRemoved e) {
      return List.of(batchEvent(eventId, "batch.certificate-template-removed", at,
          e, null, JSON.objectNode().put("templateId", e.templateId())));
    }
    if (event instanceof BatchEvent.CapacityChanged e) {
      return List.of(batchEvent(eventId, "batch.capacity-changed", at, e, null,
          JSON.objectNode().put("previousMaxParticipants", e.previousMaxParticipants())
              .put("maxParticipants", e.maxParticipants())));
    }
    // SeatTaken: none (see the class comment)
    // SeatWaitlisted: none (see the class comment)
    // SeatReleased: none (see the class comment)
    // SeatPromoted: none (see the class comment)
    // PromotionConfirmed: none (see the class comment)
    return List.of();
  }

  private static List<OutboundEvent> enrollment(String eventId, Instant at, EnrollmentEvent event) {
    if (event instanceof EnrollmentEvent.ParticipantInvited e) {
      return List.of(learnerEvent(eventId, "enrolment.invited", at, e, e.courseId(),
          JSON.objectNode()));
    }
    if (event instanceof EnrollmentEvent.ParticipantRemoved e) {
      return List.of(learnerEvent(eventId, "enrolment.uninvited", at, e, null,
          JSON.objectNode()));
    }
    if (event instanceof EnrollmentEvent.Enrolled e) {
      return List.of(learnerEvent(eventId, "enrolment.enrolled", at, e, e.courseId(),
          JSON.objectNode().put("seat", e.seat()).put("bulk", e.formId() != null)));
    }
    if (event instanceof EnrollmentEvent.Waitlisted e) {
      return List.of(learnerEvent(eventId, "enrolment.waitlisted", at, e, e.courseId(),
          JSON.objectNode().put("ticket", e.ticket()).put("bulk", e.formId() != null)));
    }
    if (event instanceof EnrollmentEvent.PromotedFromWaitlist e) {
      return List.of(learnerEvent(eventId, "enrolment.promoted", at, e, null,
          JSON.objectNode()));
    }
    if (event instanceof EnrollmentEvent.Unenrolled e) {
      return List.of(learnerEvent(eventId, "enrolment.unenrolled", at, e, null,
          JSON.objectNode().put("bulk", e.formId() != null)));
    }
    // SeatReturned: none (see the class comment)
    if (event instanceof EnrollmentEvent.ContentProgressRecorded e) {
      ObjectNode change = JSON.objectNode();
      ArrayNode contents = change.putArray("contents");
      for (ContentState c : e.contents() == null ? List.<ContentState>of() : e.contents()) {
        contents.addObject()
            .put("contentId", c.contentId())
            .put("status", c.status())
            .put("progress", c.progress())
            .put("viewCount", c.viewCount())
            .put("completedCount", c.completedCount())
            .put("lastAccessTime", iso(c.lastAccessTime()))
            .put("lastCompletedTime", iso(c.lastCompletedTime()));
      }
      change.put("completedLeaves", e.completedLeaves());
      change.put("completionPercentage", e.completionPercentage());
      return List.of(learnerEvent(eventId, "enrolment.progress-recorded", at, e, e.courseId(), change));
    }
    if (event instanceof EnrollmentEvent.AssessmentAttempted e) {
      return List.of(learnerEvent(eventId, "enrolment.assessment-attempted", at, e,
          e.courseId(), JSON.objectNode()
              .put("contentId", e.contentId())
              .put("attemptId", e.attemptId())
              .put("assessmentTs", iso(e.assessmentTs()))
              .put("totalScore", e.totalScore())
              .put("totalMaxScore", e.totalMaxScore())
              .put("questions", e.responses() == null ? 0 : e.responses().size())));
    }
    if (event instanceof EnrollmentEvent.EnrollmentCompleted e) {
      return List.of(learnerEvent(eventId, "enrolment.completed", at, e, e.courseId(),
          JSON.objectNode().put("completedAt", iso(e.at()))));
    }
    if (event instanceof EnrollmentEvent.CertificateIssued e) {
      return List.of(learnerEvent(eventId, "enrolment.certificate-issued", at, e,
          e.courseId(), JSON.objectNode()
              .put("templateId", e.templateId())
              .put("certificateId", e.certificateId())
              .put("reissue", e.reissue())));
    }
    if (event instanceof EnrollmentEvent.EnrollmentDeleted e) {
      return List.of(learnerEvent(eventId, "enrolment.deleted", at, e, null,
          JSON.objectNode().put("incarnation", e.incarnation())));
    }
    return List.of();
  }

  private static OutboundEvent batchEvent(String eventId, String type, Instant at, BatchEvent e, String courseId,
      ObjectNode change) {
    return new OutboundEvent(eventId, type, VERSION, at, actor(e), e.batchId(), courseId, null, e.batchId(), change);
  }

  private static OutboundEvent learnerEvent(String eventId, String type, Instant at, EnrollmentEvent e, String courseId,
      ObjectNode change) {
    return new OutboundEvent(eventId, type, VERSION, at, actor(e), e.batchId(), courseId, e.userId(),
        e.batchId() + ":" + e.userId(), change);
  }

  /** The user who caused it; null when the node did ({@link JournalEvent#SYSTEM}). */
  private static String actor(JournalEvent e) {
    return e.actor() == null || JournalEvent.SYSTEM.equals(e.actor()) ? null : e.actor();
  }

  private static ObjectNode status(int code) {
    return JSON.objectNode().put("status", code);
  }

  private static ObjectNode endDate(LocalDate previous, LocalDate next) {
    ObjectNode change = JSON.objectNode();
    date(change, "previousEndDate", previous);
    date(change, "endDate", next);
    return change;
  }

  private static void date(ObjectNode node, String field, LocalDate date) {
    node.put(field, date == null ? null : date.toString());
  }

  private static void ids(ObjectNode node, String field, List<String> ids) {
    ArrayNode array = node.putArray(field);
    if (ids != null) {
      ids.forEach(array::add);
    }
  }

  private static String iso(Instant instant) {
    return instant == null ? null : instant.toString();
  }
}
