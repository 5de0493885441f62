package org.coursebatch.core.publish;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import org.coursebatch.core.batch.BatchEvent;
import org.coursebatch.core.enrollment.ContentState;
import org.coursebatch.core.enrollment.EnrollmentEvent;
import org.coursebatch.core.publish.SunbirdJobRequests.JobRequest;
import org.coursebatch.core.publish.SunbirdJobRequests.Kind;
import org.junit.jupiter.api.Test;

class SunbirdJobRequestsTest {

  private static final Instant WRITTEN = Instant.parse("2026-12-07T09:00:00.123Z");
  private static final Instant AT = Instant.parse("2026-12-07T08:59:59Z");

  private static List<JobRequest> requests(Object event) {
    return OutboundEvents.of("Enrollment|b1:u1", 9, WRITTEN, event).stream()
        .flatMap(e -> SunbirdJobRequests.of(e).stream()).toList();
  }

  private static void assertEnvelope(JsonNode body, String actor, String objectId, String objectType) {
    assertEquals("BE_JOB_REQUEST", body.path("eid").asText());
    assertEquals(WRITTEN.toEpochMilli(), body.path("ets").asLong());
    assertTrue(body.path("mid").asText().startsWith("LP." + WRITTEN.toEpochMilli() + "."), body.toString());
    assertEquals(actor, body.path("actor").path("id").asText());
    assertEquals("System", body.path("actor").path("type").asText());
    assertEquals("org.sunbird.platform", body.path("context").path("pdata").path("id").asText());
    assertEquals("1.0", body.path("context").path("pdata").path("ver").asText());
    assertEquals(objectId, body.path("object").path("id").asText());
    assertEquals(objectType, body.path("object").path("type").asText());
    assertEquals(1, body.path("edata").path("iteration").asInt());
  }

  @Test
  void completionAsksForTheCertificateAsSunbirdsAggregatorDoes() {
    List<JobRequest> out = requests(new EnrollmentEvent.EnrollmentCompleted("b1", "u1", "do_c", "u1", AT));
    assertEquals(1, out.size());
    JobRequest r = out.get(0);
    assertEquals(Kind.CERTIFICATE, r.kind());
    assertEquals("b1:u1", r.key());
    assertEnvelope(r.body(), "Course Certificate Generator", "b1_do_c", "CourseCertificateGeneration");
    JsonNode edata = r.body().path("edata");
    assertEquals("[\"u1\"]", edata.path("userIds").toString());
    assertEquals("issue-certificate", edata.path("action").asText());
    assertEquals("auto-issue", edata.path("trigger").asText());
    assertEquals("b1", edata.path("batchId").asText());
    assertEquals("do_c", edata.path("courseId").asText());
    assertFalse(edata.path("reIssue").asBoolean(true));
  }

  @Test
  void progressIsABatchEnrolmentUpdateWithEachContentsStatus() {
    ContentState a = new ContentState("do_1", 2, 100, 1, 1, AT, AT, null);
    ContentState b = new ContentState("do_2", 1, 40, 1, 0, AT, null, null);
    List<JobRequest> out = requests(new EnrollmentEvent.ContentProgressRecorded("b1", "u1", "do_c", List.of(a, b), 1, 50, "u1", AT));
    assertEquals(1, out.size());
    JobRequest r = out.get(0);
    assertEquals(Kind.ACTIVITY, r.kind());
    assertEnvelope(r.body(), "Course Batch Updater", "b1_u1", "CourseBatchEnrolment");
    JsonNode edata = r.body().path("edata");
    assertEquals("batch-enrolment-update", edata.path("action").asText());
    assertEquals("[{\"contentId\":\"do_1\",\"status\":2},{\"contentId\":\"do_2\",\"status\":1}]", edata.path("contents").toString());
    assertEquals("b1", edata.path("batchId").asText());
    assertEquals("u1", edata.path("userId").asText());
    assertEquals("do_c", edata.path("courseId").asText());
  }

  @Test
  void enrolmentAsksForASync() {
    List<JobRequest> out = requests(new EnrollmentEvent.Enrolled("b1", "u1", "do_c", false, "u1", AT));
    assertEquals(1, out.size());
    JobRequest r = out.get(0);
    assertEquals(Kind.ENROLMENT_SYNC, r.kind());
    assertEnvelope(r.body(), "Course Batch Updater", "b1_u1", "CourseBatchEnrolment");
    assertEquals("batch-enrolment-sync", r.body().path("edata").path("action").asText());
    assertEquals("[\"completionPercentage\",\"status\",\"progress\"]", r.body().path("edata").path("reset").toString());
  }

  @Test
  void theSameJournalEntryMakesTheSameMessage() {
    Object event = new EnrollmentEvent.EnrollmentCompleted("b1", "u1", "do_c", "u1", AT);
    assertEquals(requests(event).get(0).body(), requests(event).get(0).body());
    Object other = new EnrollmentEvent.EnrollmentCompleted("b1", "u1", "do_c", "u1", AT);
    String otherMid = OutboundEvents.of("Enrollment|b1:u1", 10, WRITTEN, other).stream()
        .flatMap(e -> SunbirdJobRequests.of(e).stream()).findFirst().orElseThrow().body().path("mid").asText();
    assertNotEquals(requests(event).get(0).body().path("mid").asText(), otherMid);
  }

  @Test
  void otherEventsAskForNothing() {
    assertEquals(List.of(), requests(new EnrollmentEvent.Unenrolled("b1", "u1", "u1", AT)));
    assertEquals(List.of(), requests(new EnrollmentEvent.CertificateIssued("b1", "u1", "do_c", "t", "c", false, "u1", AT)));
    assertEquals(List.of(), requests(new BatchEvent.BatchReopened("b1", "creator", AT)));
  }
}
