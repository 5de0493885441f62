package org.coursebatch.http.enrollment;

import static org.coursebatch.http.OpenApiExamples.assertSameJson;
import static org.coursebatch.http.OpenApiExamples.requestOf;
import static org.coursebatch.http.OpenApiExamples.ts;
import static org.coursebatch.http.enrollment.EnrollmentFixtures.*;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.coursebatch.core.batch.BatchView;
import org.coursebatch.core.enrollment.EnrollmentService.EnrolOutcome;
import org.coursebatch.core.enrollment.EnrollmentService.ItemOutcome;
import org.coursebatch.core.enrollment.Participation;
import org.coursebatch.core.enrollment.ProgressReport;
import org.coursebatch.core.error.ErrorCode;
import org.coursebatch.http.OpenApiExamples;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The enrolment examples of openapi.yaml are real: request examples decode, and the results are
 * what the response records write for the fixtures they describe.
 */
class EnrollmentOpenApiExamplesTest {

  private static OpenApiExamples doc;

  @BeforeAll
  static void load() {
    doc = OpenApiExamples.load();
  }

  @Test
  void enrolExamplesDecode() {
    for (JsonNode example : doc.requestExamples("Enrol")) {
      assertEquals(new EnrollmentRequests.EnrolRequest(COURSE_ID, BATCH_ID, "me"), EnrollmentRequests.self(requestOf(example), "me"));
    }
    for (JsonNode example : doc.requestExamples("AdminEnrol")) {
      assertEquals(new EnrollmentRequests.EnrolRequest(COURSE_ID, BATCH_ID, LEARNER), EnrollmentRequests.onBehalf(requestOf(example)));
    }
  }

  @Test
  void participantExamplesDecode() {
    var p = EnrollmentRequests.participants(requestOf(doc.requestExamples("Participants").get(0)));
    assertEquals(List.of(LEARNER, OTHER_LEARNER), p.userIds());
    var lists = doc.requestExamples("ParticipantList");
    assertEquals(new EnrollmentRequests.ParticipantList(BATCH_ID, true), EnrollmentRequests.participantList(requestOf(lists.get(0))));
    assertEquals(new EnrollmentRequests.ParticipantList(BATCH_ID, false), EnrollmentRequests.participantList(requestOf(lists.get(1))));
  }

  @Test
  void contentStateExamplesDecode() {
    var updates = doc.requestExamples("UpdateContentState");
    var update = ContentStateRequests.stateUpdate(requestOf(updates.get(0)), LEARNER);
    assertEquals(2, update.items().size());
    var attempt = update.items().get(1).attempt();
    assertEquals(2, attempt.responses().size(), "the END event is not a response");
    assertEquals(3.0, attempt.totalScore());
    assertEquals(3.0, attempt.totalMaxScore());
    var sync = ContentStateRequests.stateUpdate(requestOf(updates.get(1)), LEARNER);
    assertEquals(new EnrollmentRequests.EnrolRequest(COURSE_ID, BATCH_ID, LEARNER), sync.sync());

    var reads = doc.requestExamples("ReadContentState");
    assertEquals(new ContentStateRequests.StateRead(COURSE_ID, BATCH_ID, List.of(), true), ContentStateRequests.stateRead(requestOf(reads.get(0))));
    assertEquals(List.of("do_content_1", "do_qs_1"), ContentStateRequests.stateRead(requestOf(reads.get(1))).contentIds());
  }

  @Test
  void certificateIssueExampleDecodes() {
    var r = EnrollmentRequests.certificateIssue(requestOf(doc.requestExamples("IssueCertificates").get(0)), Optional.of("true"));
    assertEquals(List.of(LEARNER, OTHER_LEARNER), r.userIds());
  }

  @Test
  void enrolResultsAreWhatTheRecordsWrite() {
    var examples = doc.responseExamples("Enrolled");
    assertSameJson(examples.get("enrolled").get("result"), EnrolResult.of(new EnrolOutcome(Participation.ACTIVE, null)));
    assertSameJson(examples.get("waitlisted").get("result"), EnrolResult.of(new EnrolOutcome(Participation.WAITLISTED, 3)));
    assertSameJson(doc.responseExample("Unenrolled").get("result"), EnrolResult.SUCCESS);
  }

  @Test
  void userOutcomesAreWhatTheRecordsWrite() {
    Map<String, ItemOutcome> participants = new LinkedHashMap<>();
    participants.put(LEARNER, new ItemOutcome(null, List.of()));
    participants.put(OTHER_LEARNER, new ItemOutcome(ErrorCode.SERVICE_UNAVAILABLE.reject(), List.of()));
    assertSameJson(doc.responseExample("ParticipantsChanged").get("result"), UserOutcomesResult.of(participants));

    Map<String, ItemOutcome> certificates = new LinkedHashMap<>();
    certificates.put(LEARNER, new ItemOutcome(null, List.of(CERTIFICATE)));
    certificates.put(OTHER_LEARNER, new ItemOutcome(ErrorCode.USER_NOT_ENROLLED_COURSE.reject(), List.of()));
    assertSameJson(doc.responseExample("CertificatesIssued").get("result"),
        CertificateIssueResult.of("do_1131396442662912001425", "01315728917531852810", certificates));

    assertSameJson(doc.responseExample("ParticipantList").get("result"), ParticipantListResult.of(List.of(LEARNER, OTHER_LEARNER)));
  }

  @Test
  void userEnrollmentListIsWhatItsRecordsWrite() {
    JsonNode example = doc.responseExample("UserEnrollmentList");
    var query = EnrollmentRequests.listQuery(Optional.of("status"), Optional.of("name,endDate,status,certificates"));
    var now = ts(example);
    var result = new UserEnrollmentListResult(List.of(
        UserEnrollment.of(completedRecord(), course(), query.courseFields(),
            BatchDetails.of(BatchView.of(batch(), now), query.batchFields())),
        UserEnrollment.of(waitlistedRecord(), course(), query.courseFields(),
            BatchDetails.of(BatchView.of(waitlistBatch(), now), query.batchFields()))));
    assertSameJson(example.get("result"), result);
  }

  @Test
  void contentStateResultsAreWhatTheRecordsWrite() {
    var updated = doc.responseExamples("ContentStateUpdated");
    Map<String, String> accepted = new LinkedHashMap<>();
    accepted.put("do_content_1", "SUCCESS");
    accepted.put(BATCH_ID, "SUCCESS");
    assertSameJson(updated.get("recorded").get("result"),
        (ContentStateUpdateResult.of(new ProgressReport(accepted, List.of(), List.of(), List.of(), List.of(), List.of(), List.of()), List.of())));
    var partly = new ProgressReport(Map.of("do_content_1", "SUCCESS"), List.of("0131572891753185281"),
        List.of("01315728917531852000"), List.of(WAITLIST_BATCH_ID), List.of(), List.of("01315728917531852777"), List.of());
    assertSameJson(updated.get("partly").get("result"), ContentStateUpdateResult.of(partly, List.of()));
    assertSameJson(updated.get("enrolmentSync").get("result"), ContentStateUpdateResult.SYNCED);

    var read = ContentStateRequests.stateRead(requestOf(doc.requestExamples("ReadContentState").get(0)));
    assertSameJson(doc.responseExample("ContentStateRead").get("result"),
        (ContentStateReadResult.of(enrollment(), read.courseId(), read.contentIds(), read.withScore())));
  }
}
