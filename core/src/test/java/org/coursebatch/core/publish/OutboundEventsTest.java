package org.coursebatch.core.publish;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.TextNode;
import java.nio.file.Files;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.coursebatch.core.JournalEvent;
import org.coursebatch.core.batch.BatchEvent;
import org.coursebatch.core.batch.BatchStatus;
import org.coursebatch.core.batch.EnrollmentType;
import org.coursebatch.core.certificate.CertificateTemplate;
import org.coursebatch.core.certificate.Signatory;
import org.coursebatch.core.enrollment.ContentState;
import org.coursebatch.core.enrollment.EnrollmentEvent;
import org.coursebatch.core.enrollment.QuestionResponse;
import org.coursebatch.core.enrollment.bulk.EnrollmentAliasEvent;
import org.junit.jupiter.api.Test;

class OutboundEventsTest {

  private static final Instant WRITTEN = Instant.parse("2026-12-07T09:00:00.123Z");
  private static final Instant AT = Instant.parse("2026-12-07T08:59:59Z");
  private static final String BATCH_PID = "CourseBatch|b1";
  private static final String LEARNER_PID = "Enrollment|b1:u1";

  private static OutboundEvent only(String pid, long seq, Object event) {
    List<OutboundEvent> out = OutboundEvents.of(pid, seq, WRITTEN, event);
    assertEquals(1, out.size(), out.toString());
    OutboundEvent e = out.get(0);
    assertEquals(pid + "#" + seq, e.eventId());
    assertEquals(1, e.version());
    assertEquals(WRITTEN, e.occurredAt());
    assertEquals("b1", e.batchId());
    return e;
  }

  private static OutboundEvent batch(Object event) {
    OutboundEvent e = only(BATCH_PID, 3, event);
    assertEquals("b1", e.key());
    assertNull(e.userId());
    return e;
  }

  private static OutboundEvent learner(Object event) {
    OutboundEvent e = only(LEARNER_PID, 5, event);
    assertEquals("b1:u1", e.key());
    assertEquals("u1", e.userId());
    return e;
  }

  @Test
  void batchCreatedCarriesItsIdsDatesAndStatusButNoText() {
    OutboundEvent e = batch(new BatchEvent.BatchCreated("b1", "do_c", "Secret name of Jane", "Call Jane on 555", "terms",
        EnrollmentType.INVITE_ONLY, LocalDate.of(2026, 12, 10), LocalDate.of(2027, 1, 10), null, "Asia/Kolkata",
        List.of("org1"), List.of("m1", "m2"), BatchStatus.UPCOMING, "creator", AT, 30));
    assertEquals("batch.created", e.type());
    assertEquals("creator", e.actor());
    assertEquals("do_c", e.courseId());
    JsonNode c = e.change();
    assertEquals("do_c", c.path("courseId").asText());
    assertEquals("invite-only", c.path("enrollmentType").asText());
    assertEquals("2026-12-10", c.path("startDate").asText());
    assertEquals("2027-01-10", c.path("endDate").asText());
    assertTrue(c.path("enrollmentEndDate").isNull());
    assertEquals("Asia/Kolkata", c.path("timeZone").asText());
    assertEquals("[\"org1\"]", c.path("createdFor").toString());
    assertEquals("[\"m1\",\"m2\"]", c.path("mentors").toString());
    assertEquals(0, c.path("status").asInt());
    assertEquals(30, c.path("maxParticipants").asInt());
    String json = OutboundJson.of(e).toString();
    assertFalse(json.contains("Jane"), json);
    assertFalse(json.contains("terms"), json);
  }

  @Test
  void batchCreatedWithoutACapacitySaysSo() {
    OutboundEvent e = batch(new BatchEvent.BatchCreated("b1", "do_c", "n", null, null, EnrollmentType.OPEN,
        LocalDate.of(2026, 12, 10), null, null, "UTC", List.of(), List.of(), BatchStatus.IN_PROGRESS, "creator", AT));
    assertTrue(e.change().path("maxParticipants").isNull());
    assertTrue(e.change().path("endDate").isNull());
    assertEquals(1, e.change().path("status").asInt());
  }

  @Test
  void batchUpdatedCarriesTheNewValuesButNoText() {
    OutboundEvent e = batch(new BatchEvent.BatchUpdated("b1", "Renamed by Jane", "d", "t", EnrollmentType.OPEN,
        LocalDate.of(2026, 12, 11), LocalDate.of(2026, 12, 20), List.of("org2"), List.of("m3"), "mentor", AT));
    assertEquals("batch.updated", e.type());
    assertNull(e.courseId());
    assertEquals("open", e.change().path("enrollmentType").asText());
    assertEquals("2026-12-11", e.change().path("startDate").asText());
    assertEquals("2026-12-20", e.change().path("enrollmentEndDate").asText());
    assertEquals("[\"m3\"]", e.change().path("mentors").toString());
    assertFalse(e.change().toString().contains("Jane"));
  }

  @Test
  void endDateChangesEitherWay() {
    OutboundEvent later = batch(new BatchEvent.EndDateExtended("b1", LocalDate.of(2027, 1, 1), null, "creator", AT));
    assertEquals("batch.end-date-changed", later.type());
    assertEquals("2027-01-01", later.change().path("previousEndDate").asText());
    assertTrue(later.change().path("endDate").isNull());
    OutboundEvent earlier = batch(new BatchEvent.EndDateBroughtForward("b1", null, LocalDate.of(2026, 12, 31), "creator", AT));
    assertEquals("batch.end-date-changed", earlier.type());
    assertEquals("2026-12-31", earlier.change().path("endDate").asText());
  }

  @Test
  void statusTransitionsAreTheirOwnTypesAndTheNodeIsNoActor() {
    Instant effective = Instant.parse("2026-12-07T00:00:00Z");
    OutboundEvent started = batch(new BatchEvent.BatchStarted("b1", effective, JournalEvent.SYSTEM, AT));
    assertEquals("batch.started", started.type());
    assertNull(started.actor());
    assertEquals(1, started.change().path("status").asInt());
    assertEquals("2026-12-07T00:00:00Z", started.change().path("effectiveAt").asText());
    OutboundEvent ended = batch(new BatchEvent.BatchEnded("b1", effective, JournalEvent.SYSTEM, AT));
    assertEquals("batch.ended", ended.type());
    assertEquals(2, ended.change().path("status").asInt());
    OutboundEvent reopened = batch(new BatchEvent.BatchReopened("b1", "creator", AT));
    assertEquals("batch.reopened", reopened.type());
    assertEquals("creator", reopened.actor());
    assertEquals(1, reopened.change().path("status").asInt());
  }

  @Test
  void certificateTemplatesByIdOnly() {
    CertificateTemplate template = new CertificateTemplate("tmpl_1", "Template of Jane", "https://x/jane.svg", null,
        JsonNodeFactory.instance.objectNode().put("name", "Jane's org"), List.<Signatory>of(), null, null);
    OutboundEvent added = batch(new BatchEvent.CertificateTemplateAdded("b1", template, "creator", AT));
    assertEquals("batch.certificate-template-added", added.type());
    assertEquals("{\"templateId\":\"tmpl_1\"}", added.change().toString());
    OutboundEvent removed = batch(new BatchEvent.CertificateTemplateRemoved("b1", "tmpl_1", "creator", AT));
    assertEquals("batch.certificate-template-removed", removed.type());
    assertEquals("{\"templateId\":\"tmpl_1\"}", removed.change().toString());
  }

  @Test
  void capacityChanged() {
    OutboundEvent e = batch(new BatchEvent.CapacityChanged("b1", 10, 20, "creator", AT));
    assertEquals("batch.capacity-changed", e.type());
    assertEquals(10, e.change().path("previousMaxParticipants").asInt());
    assertEquals(20, e.change().path("maxParticipants").asInt());
  }

  @Test
  void seatBookkeepingMakesNone() {
    for (Object event : List.of(new BatchEvent.SeatTaken("b1", "u1", "u1", AT),
        new BatchEvent.SeatWaitlisted("b1", "u1", 4, "u1", AT), new BatchEvent.SeatReleased("b1", "u1", "u1", AT),
        new BatchEvent.SeatPromoted("b1", "u1", "u2", AT), new BatchEvent.PromotionConfirmed("b1", "u1", "u1", AT),
        new EnrollmentEvent.SeatReturned("b1", "u1", "u1", AT))) {
      assertEquals(List.of(), OutboundEvents.of(BATCH_PID, 1, WRITTEN, event), event.toString());
    }
  }

  @Test
  void otherJournalEventsAndUnknownObjectsMakeNone() {
    assertEquals(List.of(), OutboundEvents.of("x|1", 1, WRITTEN, "not an event"));
    assertFalse(OutboundEvents.known("not an event"));
    assertEquals(List.of(), OutboundEvents.of("x|1", 1, WRITTEN, null));
    EnrollmentAliasEvent alias = new EnrollmentAliasEvent.AliasAssigned("alias-1", "b1:u1:1", null, "admin", AT);
    assertTrue(OutboundEvents.known(alias));
    assertEquals(List.of(), OutboundEvents.of("EnrollmentAlias|alias-1", 1, WRITTEN, alias));
  }

  @Test
  void invitations() {
    OutboundEvent invited = learner(new EnrollmentEvent.ParticipantInvited("b1", "u1", "do_c", "mentor", AT));
    assertEquals("enrolment.invited", invited.type());
    assertEquals("do_c", invited.courseId());
    assertEquals("mentor", invited.actor());
    OutboundEvent removed = learner(new EnrollmentEvent.ParticipantRemoved("b1", "u1", "mentor", AT));
    assertEquals("enrolment.uninvited", removed.type());
  }

  @Test
  void enrolledWaitlistedPromotedUnenrolled() {
    OutboundEvent enrolled = learner(new EnrollmentEvent.Enrolled("b1", "u1", "do_c", true, "u1", AT, "form-1"));
    assertEquals("enrolment.enrolled", enrolled.type());
    assertEquals("do_c", enrolled.courseId());
    assertEquals("{\"seat\":true,\"bulk\":true}", enrolled.change().toString());
    OutboundEvent waitlisted = learner(new EnrollmentEvent.Waitlisted("b1", "u1", "do_c", 7, "u1", AT));
    assertEquals("enrolment.waitlisted", waitlisted.type());
    assertEquals("{\"ticket\":7,\"bulk\":false}", waitlisted.change().toString());
    OutboundEvent promoted = learner(new EnrollmentEvent.PromotedFromWaitlist("b1", "u1", JournalEvent.SYSTEM, AT));
    assertEquals("enrolment.promoted", promoted.type());
    assertNull(promoted.actor());
    OutboundEvent unenrolled = learner(new EnrollmentEvent.Unenrolled("b1", "u1", "admin", AT));
    assertEquals("enrolment.unenrolled", unenrolled.type());
    assertEquals("admin", unenrolled.actor());
  }

  @Test
  void progressCarriesEachContentsStateButNotThePlayersDetails() {
    ContentState state = new ContentState("do_leaf", 2, 100, 3, 1, Instant.parse("2026-12-07T08:00:00Z"),
        Instant.parse("2026-12-07T08:30:00Z"), new TextNode("jane@example.org watched this"));
    OutboundEvent e = learner(new EnrollmentEvent.ContentProgressRecorded("b1", "u1", "do_c", List.of(state), 1, 50, "u1", AT));
    assertEquals("enrolment.progress-recorded", e.type());
    JsonNode content = e.change().path("contents").get(0);
    assertEquals("do_leaf", content.path("contentId").asText());
    assertEquals(2, content.path("status").asInt());
    assertEquals(100, content.path("progress").asInt());
    assertEquals(3, content.path("viewCount").asInt());
    assertEquals(1, content.path("completedCount").asInt());
    assertEquals("2026-12-07T08:00:00Z", content.path("lastAccessTime").asText());
    assertEquals("2026-12-07T08:30:00Z", content.path("lastCompletedTime").asText());
    assertEquals(1, e.change().path("completedLeaves").asInt());
    assertEquals(50, e.change().path("completionPercentage").asInt());
    assertFalse(e.change().toString().contains("jane"));
  }

  @Test
  void assessmentCarriesScoresButNotTheResponses() {
    QuestionResponse response = new QuestionResponse("q1", "mcq", "What is Jane's phone?", 1, 2, null,
        new TextNode("555-0100"), 3.0);
    OutboundEvent e = learner(new EnrollmentEvent.AssessmentAttempted("b1", "u1", "do_c", "do_quiz", "att-1",
        Instant.parse("2026-12-07T08:10:00Z"), 1, 2, List.of(response), "u1", AT));
    assertEquals("enrolment.assessment-attempted", e.type());
    assertEquals("do_quiz", e.change().path("contentId").asText());
    assertEquals("att-1", e.change().path("attemptId").asText());
    assertEquals("2026-12-07T08:10:00Z", e.change().path("assessmentTs").asText());
    assertEquals(1.0, e.change().path("totalScore").asDouble());
    assertEquals(2.0, e.change().path("totalMaxScore").asDouble());
    assertEquals(1, e.change().path("questions").asInt());
    assertFalse(e.change().toString().contains("555"));
    assertFalse(e.change().toString().contains("Jane"));
  }

  @Test
  void completedCertificateIssuedDeleted() {
    OutboundEvent completed = learner(new EnrollmentEvent.EnrollmentCompleted("b1", "u1", "do_c", "u1", AT));
    assertEquals("enrolment.completed", completed.type());
    assertEquals("do_c", completed.courseId());
    assertEquals("2026-12-07T08:59:59Z", completed.change().path("completedAt").asText());
    OutboundEvent issued = learner(new EnrollmentEvent.CertificateIssued("b1", "u1", "do_c", "tmpl_1", "cert-9", true,
        "admin", AT));
    assertEquals("enrolment.certificate-issued", issued.type());
    assertEquals("{\"templateId\":\"tmpl_1\",\"certificateId\":\"cert-9\",\"reissue\":true}", issued.change().toString());
    OutboundEvent deleted = learner(new EnrollmentEvent.EnrollmentDeleted("b1", "u1", 2, "admin", AT));
    assertEquals("enrolment.deleted", deleted.type());
    assertEquals(2, deleted.change().path("incarnation").asInt());
  }

  /** One of each journal event that makes an outbound event. */
  static List<Object> onePerPublishedKind() {
    ContentState state = new ContentState("do_leaf", 2, 100, 1, 1, AT, AT, null);
    return List.of(
        new BatchEvent.BatchCreated("b1", "do_c", "n", null, null, EnrollmentType.OPEN, LocalDate.of(2026, 12, 10), null,
            null, "UTC", List.of(), List.of(), BatchStatus.UPCOMING, "creator", AT),
        new BatchEvent.BatchUpdated("b1", "n", null, null, EnrollmentType.OPEN, LocalDate.of(2026, 12, 10), null, List.of(),
            List.of(), "creator", AT),
        new BatchEvent.EndDateExtended("b1", null, null, "creator", AT),
        new BatchEvent.EndDateBroughtForward("b1", null, null, "creator", AT),
        new BatchEvent.BatchStarted("b1", AT, JournalEvent.SYSTEM, AT),
        new BatchEvent.BatchEnded("b1", AT, JournalEvent.SYSTEM, AT),
        new BatchEvent.BatchReopened("b1", "creator", AT),
        new BatchEvent.CertificateTemplateAdded("b1", new CertificateTemplate("t", null, null, null, null, null, null, null),
            "creator", AT),
        new BatchEvent.CertificateTemplateRemoved("b1", "t", "creator", AT),
        new BatchEvent.CapacityChanged("b1", 1, 2, "creator", AT),
        new EnrollmentEvent.ParticipantInvited("b1", "u1", "do_c", "mentor", AT),
        new EnrollmentEvent.ParticipantRemoved("b1", "u1", "mentor", AT),
        new EnrollmentEvent.Enrolled("b1", "u1", "do_c", false, "u1", AT),
        new EnrollmentEvent.Waitlisted("b1", "u1", "do_c", 1, "u1", AT),
        new EnrollmentEvent.PromotedFromWaitlist("b1", "u1", JournalEvent.SYSTEM, AT),
        new EnrollmentEvent.Unenrolled("b1", "u1", "u1", AT),
        new EnrollmentEvent.ContentProgressRecorded("b1", "u1", "do_c", List.of(state), 1, 100, "u1", AT),
        new EnrollmentEvent.AssessmentAttempted("b1", "u1", "do_c", "do_q", "a1", AT, 1, 1, List.of(), "u1", AT),
        new EnrollmentEvent.EnrollmentCompleted("b1", "u1", "do_c", "u1", AT),
        new EnrollmentEvent.CertificateIssued("b1", "u1", "do_c", "t", "c1", false, "u1", AT),
        new EnrollmentEvent.EnrollmentDeleted("b1", "u1", 1, "admin", AT));
  }

  /** docs/events.md lists each type made, in a row that names every field of its {@code change} and the event it is made from. */
  @Test
  void theDocumentedTypesAreThoseMadeWithTheirFields() throws Exception {
    String doc = Files.readString(DocumentedEnvelope.DOC);
    Map<String, String> rows = new TreeMap<>();
    Matcher row = Pattern.compile("(?m)^\\| `((?:batch|enrolment)\\.[a-z-]+)` \\|(.*)$").matcher(doc);
    while (row.find()) {
      rows.put(row.group(1), row.group(2));
    }
    Map<String, List<Object>> made = new TreeMap<>();
    for (Object event : onePerPublishedKind()) {
      for (OutboundEvent e : OutboundEvents.of(BATCH_PID, 1, WRITTEN, event)) {
        made.computeIfAbsent(e.type(), t -> new java.util.ArrayList<>()).add(event);
        String documented = rows.getOrDefault(e.type(), "");
        assertTrue(documented.contains("`" + event.getClass().getSimpleName() + "`"), e.type() + " from " + event);
        e.change().fieldNames().forEachRemaining(field ->
            assertTrue(documented.contains("`" + field + "`"), e.type() + ": change field " + field + " is not documented"));
      }
    }
    assertEquals(rows.keySet(), made.keySet());
  }

  /** Every type's message is valid under the schema docs/events.md gives, and the schema refuses what is not. */
  @Test
  void everyTypeMatchesTheDocumentedSchema() {
    DocumentedEnvelope schema = DocumentedEnvelope.load();
    for (Object event : onePerPublishedKind()) {
      for (OutboundEvent e : OutboundEvents.of(LEARNER_PID, 2, WRITTEN, event)) {
        assertEquals(List.of(), schema.violations(OutboundJson.of(e)), e.toString());
      }
    }
    OutboundEvent enrolled = OutboundEvents.of(LEARNER_PID, 2, WRITTEN,
        new EnrollmentEvent.Enrolled("b1", "u1", "do_c", false, "u1", AT)).get(0);
    var extra = OutboundJson.of(enrolled);
    ((com.fasterxml.jackson.databind.node.ObjectNode) extra.get("change")).put("email", "jane@example.org");
    assertFalse(schema.violations(extra).isEmpty(), "a change field the doc does not give");
    var unknown = OutboundJson.of(enrolled).put("type", "enrolment.teleported");
    assertFalse(schema.violations(unknown).isEmpty(), "a type the doc does not give");
  }

  @Test
  void theEnvelopeCarriesEveryField() {
    OutboundEvent e = learner(new EnrollmentEvent.Enrolled("b1", "u1", "do_c", false, "u1", AT));
    JsonNode json = OutboundJson.of(e);
    assertEquals("Enrollment|b1:u1#5", json.path("eventId").asText());
    assertEquals("enrolment.enrolled", json.path("type").asText());
    assertEquals(1, json.path("version").asInt());
    assertEquals("2026-12-07T09:00:00.123Z", json.path("occurredAt").asText());
    assertEquals("u1", json.path("actor").asText());
    assertEquals("b1", json.path("batchId").asText());
    assertEquals("do_c", json.path("courseId").asText());
    assertEquals("u1", json.path("userId").asText());
    assertEquals("b1:u1", json.path("key").asText());
    assertEquals(e.change(), json.path("change"));
    assertEquals(10, json.size());
  }
}
