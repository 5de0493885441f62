package org.coursebatch.http.enrollment;

import static org.coursebatch.http.RequestAssertions.json;
import static org.coursebatch.http.enrollment.EnrollmentFixtures.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.coursebatch.core.batch.BatchView;
import org.coursebatch.core.catalog.Course;
import org.coursebatch.core.enrollment.EnrollmentService.EnrolOutcome;
import org.coursebatch.core.enrollment.EnrollmentService.ItemOutcome;
import org.coursebatch.core.enrollment.Participation;
import org.coursebatch.core.enrollment.ProgressReport;
import org.coursebatch.core.error.ErrorCode;
import org.coursebatch.http.api.Envelope;
import org.coursebatch.http.batch.BatchJson;
import org.junit.jupiter.api.Test;

/** The result shapes of the enrolment endpoints (the openapi.yaml examples check whole results). */
class EnrollmentResultsTest {

  private static final Instant NOW = Instant.parse("2020-11-26T08:00:00Z");

  /** {@code value} as the API writes it. */
  private static JsonNode tree(Object value) {
    return Envelope.JSON.valueToTree(value);
  }

  private static Set<String> fieldNames(JsonNode o) {
    Set<String> out = new java.util.TreeSet<>();
    o.fieldNames().forEachRemaining(out::add);
    return out;
  }

  @Test
  void enrolmentSaysWaitlistedOnlyWhenWaiting() {
    assertEquals(json("{'response':'SUCCESS'}"), tree(EnrolResult.of(new EnrolOutcome(Participation.ACTIVE, null))));
    assertEquals(json("{'response':'SUCCESS','waitlisted':true,'waitlistPosition':1}"),
        tree(EnrolResult.of(new EnrolOutcome(Participation.WAITLISTED, 1))));
  }

  @Test
  void userOutcomesCarryTheFailureOrTheCertificates() {
    Map<String, ItemOutcome> outcomes = new LinkedHashMap<>();
    outcomes.put("u1", new ItemOutcome(null, List.of(CERTIFICATE)));
    outcomes.put("u2", new ItemOutcome(ErrorCode.USER_NOT_ENROLLED_COURSE.reject(), List.of()));
    outcomes.put("u3", new ItemOutcome(null, List.of()));
    assertEquals(json("{'response':'SUCCESS','users':{'u1':{'status':'SUCCESS'},"
            + "'u2':{'status':'FAILED','err':'USER_NOT_ENROLLED_COURSE','errmsg':'User is not enrolled to given course batch.'},"
            + "'u3':{'status':'SUCCESS'}}}"),
        tree(UserOutcomesResult.of(outcomes)));
    JsonNode withIssued = tree(CertificateIssueResult.of("c", "b", outcomes)).get("users");
    assertEquals(json("[{'certificateId':'" + CERTIFICATE.certificateId() + "','templateId':'Test_Template_4'}]"), withIssued.at("/u1/issued"));
    assertEquals(json("[]"), withIssued.at("/u3/issued"), "succeeded, nothing due");
    assertFalse(withIssued.get("u2").has("issued"));
  }

  @Test
  void participantsAreCounted() {
    assertEquals(json("{'batch':{'count':2,'participants':['u1','u2']}}"), tree(ParticipantListResult.of(List.of("u1", "u2"))));
    assertEquals(json("{'batch':{'count':0,'participants':[]}}"), tree(ParticipantListResult.of(List.of())));
  }

  @Test
  void progressListsRefusingBatchesOnlyWhenThereAreSome() {
    assertEquals(json("{'c1':'SUCCESS','b1':'SUCCESS'}"),
        tree(ContentStateUpdateResult.of(new ProgressReport(new LinkedHashMap<>(Map.of("c1", "SUCCESS", "b1", "SUCCESS")), List.of(), List.of(), List.of(), List.of(), List.of(), List.of()), List.of())));
    assertEquals(json("{'BATCH_NOT_EXISTS':['b1'],'NOT_A_ON_GOING_BATCH':['b2'],'NOT_ENROLLED':['b3','b4']}"),
        tree(ContentStateUpdateResult.of(new ProgressReport(Map.of(), List.of("b1"), List.of("b2"), List.of("b3", "b4"), List.of(), List.of(), List.of()), List.of())));
  }

  @Test
  void contentStatesWithSunbirdsFieldsAndTheBestAttemptOnlyWhenAsked() {
    JsonNode all = tree(ContentStateReadResult.of(enrollment(), COURSE_ID, List.of(), false)).get("contentList");
    assertEquals(2, all.size());
    JsonNode video = all.get(0);
    assertEquals(Set.of("contentId", "courseId", "collectionId", "batchId", "status", "progress", "viewCount", "completedCount",
        "lastAccessTime", "lastCompletedTime", "progressdetails"), fieldNames(video));
    assertEquals("2020-11-24 10:00:00:000+0000", video.get("lastAccessTime").asText());
    assertEquals(json("{'current':[120],'max':120}"), video.get("progressdetails"));
    assertTrue(all.get(1).get("progressdetails").isNull());
    assertFalse(all.get(1).has("score"), "score only when asked for");

    JsonNode withScore = tree(ContentStateReadResult.of(enrollment(), COURSE_ID, List.of(), true)).get("contentList");
    assertFalse(withScore.get(0).has("score"), "no attempts at a video");
    assertEquals(json("[{'attemptId':'attempt-2','totalScore':3.0,'totalMaxScore':3.0,'attempts':2}]"), withScore.get(1).get("score"));
  }

  @Test
  void contentStatesAreFilteredAndBelongToTheCourse() {
    JsonNode some = tree(ContentStateReadResult.of(enrollment(), COURSE_ID, List.of("do_qs_1", "do_unknown"), false)).get("contentList");
    assertEquals(1, some.size());
    assertEquals("do_qs_1", some.get(0).get("contentId").asText());
    assertEquals(json("{'contentList':[]}"), tree(ContentStateReadResult.of(enrollment(), "do_other", List.of(), true)));
    var never = org.coursebatch.core.enrollment.Enrollment.empty(BATCH_ID, LEARNER);
    assertEquals(json("{'contentList':[]}"), tree(ContentStateReadResult.of(never, COURSE_ID, List.of(), true)));
  }

  @Test
  void anEnrolmentEntryHasSunbirdsFieldsAndTheCourse() {
    JsonNode entry = tree(UserEnrollment.of(completedRecord(), course(), List.of(), null));
    assertEquals(Set.of("userId", "batchId", "courseId", "collectionId", "contentId", "active", "enrolledDate", "addedBy", "dateTime",
        "progress", "status", "completionPercentage", "completedOn", "lastReadContentId", "lastReadContentStatus", "lastContentAccessTime",
        "issuedCertificates", "certificates", "courseName", "description", "leafNodesCount", "courseLogoUrl", "content"), fieldNames(entry));
    assertEquals(COURSE_ID, entry.get("contentId").asText());
    assertEquals("2020-11-24 09:12:01:512+0000", entry.get("enrolledDate").asText());
    assertEquals(COMPLETED.toEpochMilli(), entry.get("dateTime").asLong());
    assertEquals(entry.get("issuedCertificates"), entry.get("certificates"));
    assertEquals(json("[{'identifier':'" + CERTIFICATE.certificateId() + "','templateId':'Test_Template_4',"
        + "'lastIssuedOn':'2020-11-24 10:30:00:250+0000','reissue':false}]"), entry.get("certificates"));
    assertEquals("https://example.org/statistics.png", entry.get("courseLogoUrl").asText());
    assertEquals(Set.of("identifier", "name", "description", "leafNodesCount", "appIcon"), fieldNames(entry.get("content")));
  }

  @Test
  void waitlistedEntriesSayWhereTheLearnerWaits() {
    JsonNode entry = tree(UserEnrollment.of(waitlistedRecord(), course(), List.of(), null));
    assertFalse(entry.get("active").asBoolean());
    assertTrue(entry.get("waitlisted").asBoolean());
    assertEquals(2, entry.get("waitlistPosition").asInt());
    assertTrue(entry.get("enrolledDate").isNull());
    assertFalse(tree(UserEnrollment.of(completedRecord(), course(), List.of(), null)).has("waitlisted"));
  }

  @Test
  void requestedCourseFieldsAreAddedAndTheCatalogsValuesWin() {
    var bare = new Course("do_bare", "Bare", "Live", true, false, 1, List.of(),
        json("{'identifier':'do_bare','name':'Old name','leafNodesCount':99,'topic':'maths'}"));
    JsonNode content = tree(CourseContent.of(bare, List.of("topic", "missing", "name")));
    assertEquals(json("{'identifier':'do_bare','name':'Bare','description':null,'leafNodesCount':1,'appIcon':null,"
        + "'topic':'maths','missing':null}"), content);
    JsonNode entry = tree(UserEnrollment.of(completedRecord(), bare, List.of(), null));
    assertTrue(entry.get("description").isNull());
    assertTrue(entry.get("courseLogoUrl").isNull());
  }

  @Test
  void batchDetailsAreTheRequestedBatchReadFieldsWithoutSeatHolders() {
    BatchView view = BatchView.of(waitlistBatch(), NOW);
    String id = view.batch().batchId();
    assertEquals(json("{'batchId':'" + id + "','identifier':'" + id + "','name':'Weekend cohort','status':0,'maxParticipants':2,"
        + "'participantCount':2,'waitlistCount':2}"),
        tree(BatchDetails.of(view, List.of("name", "certificates", "status", "maxParticipants", "participantCount", "waitlistCount"))));
    String full = BatchJson.view(view).toString();
    assertFalse(full.contains("holder-1") || full.contains("waiting-1") || full.contains(LEARNER), "no seat holder or waiting learner ids: " + full);
  }
}
