package org.coursebatch.http.enrollment;

import static org.coursebatch.http.RequestAssertions.assertRejected;
import static org.coursebatch.http.RequestAssertions.req;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.coursebatch.core.enrollment.AssessmentAttempt;
import org.coursebatch.core.enrollment.ContentUpdate;
import org.coursebatch.core.enrollment.EnrollmentService.ProgressItem;
import org.coursebatch.core.enrollment.QuestionResponse;
import org.coursebatch.core.error.ErrorCode;
import org.coursebatch.http.RequestAssertions;
import org.coursebatch.http.enrollment.EnrollmentRequests.EnrolRequest;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Sunbird's controller-level checks of the content-state update and read requests. */
class ContentStateRequestsTest {

  static final String ME = EnrollmentRequestsTest.ME;

  @Nested
  class StateUpdate {

    static final String CONTENT = "'contentId':'do_c1','courseId':'do_1','batchId':'b1','status':2";
    static final String ASSESS = "{'eid':'ASSESS','ets':1700000000000,'edata':{'item':{'id':'q1','title':'Q 1','type':'mcq','maxscore':2,"
        + "'params':[{'1':'A'},{'2':'B'}]},'score':1,'resvalues':[{'1':'A'}],'duration':3.5}}";
    static final Map<String, String> ATTEMPT_FIELDS = attemptFields();
    static final String ATTEMPT = attemptWithout("");

    static Map<String, String> attemptFields() {
      Map<String, String> fields = new LinkedHashMap<>();
      fields.put("assessmentTs", "1700000000000");
      fields.put("courseId", "'do_1'");
      fields.put("contentId", "'do_qs1'");
      fields.put("batchId", "'b1'");
      fields.put("userId", "'" + ME + "'");
      fields.put("attemptId", "'a1'");
      fields.put("events", "[" + ASSESS + "]");
      return fields;
    }

    /** The fields of a valid attempt but {@code field}. */
    static String attemptWithout(String field) {
      return ATTEMPT_FIELDS.entrySet().stream().filter(e -> !e.getKey().equals(field))
          .map(e -> "'" + e.getKey() + "':" + e.getValue()).collect(Collectors.joining(","));
    }

    ContentStateRequests.StateUpdate update(String fields) {
      return ContentStateRequests.stateUpdate(req("{" + fields + "}"), ME);
    }

    ContentStateRequests.StateUpdate content(String item) {
      return update("'contents':[{" + item + "}]");
    }

    ContentStateRequests.StateUpdate attempt(String item) {
      return update("'assessments':[{" + item + "}]");
    }

    /** The update records nothing of its one item, which is left out with {@code code} (and {@code message}, unless null). */
    void assertLeftOut(ErrorCode code, String message, Supplier<ContentStateRequests.StateUpdate> decode) {
      var u = decode.get();
      assertEquals(List.of(), u.items(), u.toString());
      assertEquals(1, u.invalid().size(), u.toString());
      assertEquals(code, u.invalid().get(0).why().code(), u.toString());
      if (message != null) {
        assertEquals(message, u.invalid().get(0).why().message());
      }
    }

    @Test
    void aContentWithEveryField() {
      var u = content(CONTENT + ",'progress':100,'lastAccessTime':'2024-03-05 10:15:30:123+0530',"
          + "'lastCompletedTime':'2024-03-05 10:20:00:000+0000','progressdetails':{'current':[3],'max':9}");
      assertNull(u.sync());
      ProgressItem item = u.items().get(0);
      assertEquals("b1", item.batchId());
      assertEquals("do_1", item.courseId());
      assertNull(item.attempt());
      ContentUpdate c = item.content();
      assertEquals("do_c1", c.contentId());
      assertEquals(2, c.status());
      assertEquals(100, c.progress());
      assertEquals(Instant.parse("2024-03-05T04:45:30.123Z"), c.lastAccessTime());
      assertEquals(Instant.parse("2024-03-05T10:20:00Z"), c.lastCompletedTime());
      assertEquals(RequestAssertions.json("{'current':[3],'max':9}"), c.progressDetails());
    }

    @Test
    void aMinimalContent() {
      ContentUpdate c = content("'contentId':'do_c1','collectionId':'do_1','batchId':'b1','status':'1'").items().get(0).content();
      assertEquals(1, c.status());
      assertNull(c.progress());
      assertNull(c.lastAccessTime());
      assertNull(c.lastCompletedTime());
      assertNull(c.progressDetails());
    }

    @Test
    void contentItemsAreCheckedInSunbirdsOrder() {
      assertRejected(ErrorCode.DATE_FORMAT_ERROR, "Date format error.", () -> content("'lastUpdatedTime':'2024-03-05'"));
      assertRejected(ErrorCode.DATE_FORMAT_ERROR, "Date format error.", () -> content("'lastCompletedTime':'2024-03-05'"));
      assertRejected(ErrorCode.COURSE_BATCH_ID_MISSING, "Course batch Id required", () -> content("'status':1"));
      assertRejected(ErrorCode.COURSE_ID_REQUIRED_ERROR, "Course id is mandatory.", () -> content("'contentId':'c','batchId':'b1','status':1"));
      assertRejected(ErrorCode.CONTENT_ID_REQUIRED_ERROR, "Content id is mandatory.", () -> content("'courseId':'do_1','batchId':'b1','status':1"));
      assertRejected(ErrorCode.CONTENT_STATUS_MISSING_ERROR, "content status is required .",
          () -> content("'courseId':'do_1','contentId':'c','batchId':'b1'"));
      assertRejected(ErrorCode.CONTENT_STATUS_MISSING_ERROR, null, () -> content("'courseId':'do_1','contentId':'c','batchId':'b1','status':null"));
      // A malformed lastAccessTime is not Sunbird's validator's: the item alone is left out.
      assertLeftOut(ErrorCode.DATE_FORMAT_ERROR, "Date format error.", () -> content("'lastAccessTime':'2024-03-05'," + CONTENT));
    }

    @Test
    void statusIsAWholeNumberFrom0To2() {
      for (String bad : List.of("3", "-1", "1.5", "'done'", "true")) {
        assertLeftOut(ErrorCode.INVALID_PROGRESS_STATUS, "Progress status value should be NOT_STARTED(0), STARTED(1), COMPLETED(2).",
            () -> content("'contentId':'c','courseId':'do_1','batchId':'b1','status':" + bad));
      }
    }

    @Test
    void progressIsAWholeNumberFrom0To100() {
      assertEquals(0, content(CONTENT + ",'progress':0").items().get(0).content().progress());
      assertLeftOut(ErrorCode.INVALID_PARAMETER_VALUE,
          "Invalid value 101 for parameter contents[0].progress (0 to 100). Please provide a valid value.", () -> content(CONTENT + ",'progress':101"));
      assertLeftOut(ErrorCode.INVALID_PARAMETER_VALUE, null, () -> content(CONTENT + ",'progress':-1"));
      assertLeftOut(ErrorCode.DATA_TYPE_ERROR, "Data type of contents[0].progress should be Integer.",
          () -> content(CONTENT + ",'progress':'half'"));
    }

    @Test
    void timestampsAreSunbirdsFormatStrictly() {
      for (String bad : List.of("'2024-03-05T10:15:30Z'", "'2024-02-30 10:15:30:123+0000'", "'2024-03-05 10:15:30+0000'",
          "'2024-03-05 10:15:30:123'", "1709633730123", "'yesterday'")) {
        assertLeftOut(ErrorCode.DATE_FORMAT_ERROR, null, () -> content(CONTENT + ",'lastAccessTime':" + bad));
        assertRejected(ErrorCode.DATE_FORMAT_ERROR, null, () -> content(CONTENT + ",'lastCompletedTime':" + bad));
        assertRejected(ErrorCode.DATE_FORMAT_ERROR, null, () -> content(CONTENT + ",'lastUpdatedTime':" + bad));
      }
      assertNull(content(CONTENT + ",'lastAccessTime':null").items().get(0).content().lastAccessTime());
    }

    @Test
    void itemsMustBeObjectsInLists() {
      assertRejected(ErrorCode.DATA_TYPE_ERROR, "Data type of contents should be List.", () -> update("'contents':{" + CONTENT + "}"));
      assertRejected(ErrorCode.DATA_TYPE_ERROR, "Data type of contents[1] should be Map.", () -> update("'contents':[{" + CONTENT + "},'c2']"));
      assertRejected(ErrorCode.DATA_TYPE_ERROR, "Data type of assessments[0] should be Map.", () -> update("'assessments':[null]"));
      assertLeftOut(ErrorCode.DATA_TYPE_ERROR, "Data type of contents[0].contentId should be String.",
          () -> content("'contentId':5,'courseId':'do_1','batchId':'b1','status':1"));
    }

    @Test
    void whatSunbirdsValidatorRequiresRefusesTheWholeRequest() {
      assertRejected(ErrorCode.CONTENT_ID_REQUIRED_ERROR, null,
          () -> update("'contents':[{" + CONTENT + "},{'courseId':'do_1','batchId':'b1','status':1}],'assessments':[{" + ATTEMPT + "}]"));
      assertRejected(ErrorCode.ATTEMPT_ID_REQUIRED_ERROR, "Please provide attempt id.",
          () -> update("'contents':[{" + CONTENT + "}],'assessments':[{" + ATTEMPT + "},{" + attemptWithout("attemptId") + "}]"));
      // Every item passes Sunbird's checks before any is read: a later missing status wins over an earlier bad progress.
      assertRejected(ErrorCode.CONTENT_STATUS_MISSING_ERROR, null,
          () -> update("'contents':[{" + CONTENT + ",'progress':500},{'courseId':'do_1','contentId':'c','batchId':'b1'}]"));
    }

    @Test
    void anItemThisServiceCannotRecordIsLeftOutAndTheOthersKept() {
      var u = update("'contents':[{" + CONTENT + ",'status':7},{'contentId':'do_c2','courseId':'do_1','batchId':'b1','status':1},"
          + "{'contentId':'" + "c".repeat(101) + "','courseId':'do_1','batchId':'b1','status':1},"
          + "{'contentId':'x\\u0001','courseId':'do_1','batchId':'b1','status':1}],"
          + "'assessments':[{" + ATTEMPT.replace("'attemptId':'a1'", "'attemptId':'a1','progress':1") + "},{" + ATTEMPT.replace(ME, "someone-else") + "}]");
      assertEquals(List.of("do_c2", "do_qs1"), u.items().stream()
          .map(i -> i.content() != null ? i.content().contentId() : i.attempt().contentId()).toList());
      assertEquals(List.of("contents[0]", "contents[2]", "contents[3]", "assessments[1]"),
          u.invalid().stream().map(ContentStateRequests.InvalidItem::item).toList());
      assertEquals(List.of(ErrorCode.INVALID_PROGRESS_STATUS, ErrorCode.VALUE_TOO_LONG, ErrorCode.INVALID_PARAMETER_VALUE, ErrorCode.USER_ID_MISMATCH),
          u.invalid().stream().map(i -> i.why().code()).toList());
      assertEquals("Parameter contents[2].contentId is at most 100 characters; 101 were given.", u.invalid().get(1).why().message());
      assertTrue(u.invalid().get(2).why().message().endsWith("for parameter request.contents[3].contentId. Please provide a valid value."),
          u.invalid().get(2).why().message());
    }

    @Test
    void anAttemptFromAssessEvents() {
      var u = update("'contents':[{" + CONTENT + "}],'assessments':[{" + ATTEMPT + "}]");
      assertEquals(2, u.items().size());
      ProgressItem item = u.items().get(1);
      assertNull(item.content());
      assertEquals("b1", item.batchId());
      assertEquals("do_1", item.courseId());
      AssessmentAttempt a = item.attempt();
      assertEquals("do_qs1", a.contentId());
      assertEquals("a1", a.attemptId());
      assertEquals(Instant.ofEpochMilli(1700000000000L), a.assessmentTs());
      QuestionResponse q = a.responses().get(0);
      assertEquals("q1", q.questionId());
      assertEquals("mcq", q.type());
      assertEquals("Q 1", q.title());
      assertEquals(1.0, q.score());
      assertEquals(2.0, q.maxScore());
      assertEquals(RequestAssertions.json("[{'1':'A'}]"), q.response());
      assertEquals(RequestAssertions.json("[{'1':'A'},{'2':'B'}]"), q.options());
      assertEquals(3.5, q.duration());
    }

    @Test
    void assessmentTsIsEpochMillisAsANumberOrANumericString() {
      var a = attempt(ATTEMPT.replace("'assessmentTs':1700000000000", "'assessmentTs':'1700000000001'")).items().get(0).attempt();
      assertEquals(Instant.ofEpochMilli(1700000000001L), a.assessmentTs());
      for (String bad : List.of("'soon'", "17.5", "-1", "true")) {
        assertLeftOut(ErrorCode.DATA_TYPE_ERROR, "Data type of assessments[0].assessmentTs should be epoch milliseconds (a whole number).",
            () -> attempt(ATTEMPT.replace("'assessmentTs':1700000000000", "'assessmentTs':" + bad)));
      }
    }

    @Test
    void everyAssessmentFieldIsMandatoryWithSunbirdsCodes() {
      Map<String, ErrorCode> codes = Map.of("assessmentTs", ErrorCode.ATTEMPTED_DATE_REQUIRED, "courseId", ErrorCode.COURSE_ID_REQUIRED_ERROR,
          "contentId", ErrorCode.CONTENT_ID_REQUIRED_ERROR, "batchId", ErrorCode.COURSE_BATCH_ID_MISSING, "userId", ErrorCode.USERID_MISSING,
          "attemptId", ErrorCode.ATTEMPT_ID_REQUIRED_ERROR, "events", ErrorCode.MANDATORY_PARAMETER_MISSING);
      for (String field : ATTEMPT_FIELDS.keySet()) {
        assertRejected(codes.get(field), null, () -> attempt(attemptWithout(field)));
      }
      assertRejected(ErrorCode.ATTEMPTED_DATE_REQUIRED, "Attempted data is required.", () -> attempt(attemptWithout("assessmentTs")));
      assertRejected(ErrorCode.MANDATORY_PARAMETER_MISSING, "Mandatory parameter events is missing.", () -> attempt(attemptWithout("events")));
      // An attempt without a scored answer cannot be scored: left out.
      assertLeftOut(ErrorCode.MANDATORY_PARAMETER_MISSING, "Mandatory parameter assessments[0].events is missing.",
          () -> attempt(ATTEMPT.replace("'events':[" + ASSESS + "]", "'events':[]")));
    }

    @Test
    void anAttemptOfAnotherUserIsRefused() {
      assertLeftOut(ErrorCode.USER_ID_MISMATCH,
          "Progress can only be recorded for the requesting user learner-1; assessments[0].userId someone-else names another user.",
          () -> attempt(ATTEMPT.replace(ME, "someone-else")));
      assertEquals("INVALID_REQUESTED_DATA", ErrorCode.USER_ID_MISMATCH.code());
    }

    @Test
    void aTopLevelUserIdMustBeTheEffectiveUser() {
      assertEquals(1, update("'userId':'" + ME + "','contents':[{" + CONTENT + "}]").items().size());
      assertEquals(1, update("'userId':'','contents':[{" + CONTENT + "}]").items().size());
      assertRejected(ErrorCode.USER_ID_MISMATCH,
          "Progress can only be recorded for the requesting user learner-1; userId someone-else names another user.",
          () -> update("'userId':'someone-else','contents':[{" + CONTENT + "}]"));
    }

    @Test
    void onlyAssessEventsCountAndTheLastAnswerToAQuestionWins() {
      String events = "{'eid':'START','edata':{}},"
          + "{'eid':'ASSESS','edata':{'item':{'id':'q1','maxscore':1},'score':0}},"
          + "{'eid':'ASSESS','edata':{'item':{'id':'q2','maxscore':1},'score':1}},"
          + "{'eid':'ASSESS','edata':{'item':{'id':'q1','maxscore':1},'score':1}},"
          + "{'eid':'END'}";
      var a = attempt(ATTEMPT.replace("'events':[" + ASSESS + "]", "'events':[" + events + "]")).items().get(0).attempt();
      assertEquals(List.of("q2", "q1"), a.responses().stream().map(QuestionResponse::questionId).toList());
      assertEquals(2.0, a.totalScore());
      assertEquals(2.0, a.totalMaxScore());
      QuestionResponse bare = a.responses().get(0);
      assertNull(bare.type());
      assertNull(bare.options());
      assertNull(bare.response());
      assertNull(bare.duration());
    }

    @Test
    void assessEventsNeedAQuestionId() {
      String noItem = "{'eid':'ASSESS','edata':{'score':1}}";
      assertLeftOut(ErrorCode.MANDATORY_PARAMETER_MISSING, "Mandatory parameter assessments[0].events[1].edata.item is missing.",
          () -> attempt(ATTEMPT.replace("'events':[" + ASSESS + "]", "'events':[" + ASSESS + "," + noItem + "]")));
      String noId = "{'eid':'ASSESS','edata':{'item':{'maxscore':1}}}";
      assertLeftOut(ErrorCode.MANDATORY_PARAMETER_MISSING, "Mandatory parameter assessments[0].events[0].edata.item.id is missing.",
          () -> attempt(ATTEMPT.replace("'events':[" + ASSESS + "]", "'events':[" + noId + "]")));
      String badScore = "{'eid':'ASSESS','edata':{'item':{'id':'q1'},'score':'full'}}";
      assertLeftOut(ErrorCode.DATA_TYPE_ERROR, "Data type of assessments[0].events[0].edata.score should be Number.",
          () -> attempt(ATTEMPT.replace("'events':[" + ASSESS + "]", "'events':[" + badScore + "]")));
    }

    @Test
    void emptyListsWithCourseAndBatchAreAnEnrolmentSync() {
      var u = update("'courseId':'do_1','batchId':'b1','contents':[],'assessments':[]");
      assertTrue(u.items().isEmpty());
      assertEquals(new EnrolRequest("do_1", "b1", ME), u.sync());
      assertEquals(new EnrolRequest("do_2", "b1", ME), update("'collectionId':'do_2','batchId':'b1'").sync());
    }

    @Test
    void nothingToRecordIsRefused() {
      assertRejected(ErrorCode.MANDATORY_PARAMETER_MISSING, "Mandatory parameter contents/assessments is missing.", () -> update(""));
      assertRejected(ErrorCode.MANDATORY_PARAMETER_MISSING, "Mandatory parameter contents/assessments is missing.",
          () -> update("'courseId':'do_1','contents':[]"));
      assertRejected(ErrorCode.MANDATORY_PARAMETER_MISSING, null, () -> update("'batchId':'b1','assessments':null"));
    }
  }

  @Nested
  class StateRead {

    ContentStateRequests.StateRead read(String fields) {
      return ContentStateRequests.stateRead(req("{" + fields + "}"));
    }

    @Test
    void courseByAnyOfItsNames() {
      assertEquals(new ContentStateRequests.StateRead("do_1", "b1", List.of(), false), read("'courseId':'do_1','batchId':'b1','userId':'x'"));
      assertEquals("do_2", read("'collectionId':'do_2','batchId':'b1'").courseId());
      assertEquals("do_3", read("'courseIds':['do_3'],'batchId':'b1'").courseId());
    }

    @Test
    void contentIdsFilterAndScoreIsAField() {
      var r = read("'courseId':'do_1','batchId':'b1','contentIds':['c1','c2'],'fields':['progress','score']");
      assertEquals(List.of("c1", "c2"), r.contentIds());
      assertTrue(r.withScore());
      assertFalse(read("'courseId':'do_1','batchId':'b1','fields':['progress']").withScore());
      assertRejected(ErrorCode.DATA_TYPE_ERROR, "Data type of contentIds should be List.", () -> read("'courseId':'do_1','batchId':'b1','contentIds':'c1'"));
      assertRejected(ErrorCode.DATA_TYPE_ERROR, "Data type of fields should be Arrays.", () -> read("'courseId':'do_1','batchId':'b1','fields':'score'"));
    }

    @Test
    void courseAndBatchAreMandatory() {
      assertRejected(ErrorCode.MANDATORY_PARAMETER_MISSING, "Mandatory parameter courseId is missing.", () -> read("'batchId':'b1'"));
      assertRejected(ErrorCode.MANDATORY_PARAMETER_MISSING, "Mandatory parameter courseId is missing.", () -> read("'courseIds':[],'batchId':'b1'"));
      assertRejected(ErrorCode.MANDATORY_PARAMETER_MISSING, "Mandatory parameter batchId is missing.", () -> read("'courseId':'do_1'"));
    }

    @Test
    void courseIdsAndContentIdsAreListsWhateverElseIsGiven() {
      // As lms-service: the first of courseIds is the course, and the list types are checked before anything else.
      assertEquals("do_1", read("'courseIds':['do_1','do_2'],'batchId':'b1'").courseId());
      assertRejected(ErrorCode.DATA_TYPE_ERROR, "Data type of courseIds should be List.", () -> read("'courseIds':'do_1','batchId':'b1'"));
      assertRejected(ErrorCode.DATA_TYPE_ERROR, "Data type of courseIds should be List.", () -> read("'courseId':'do_1','courseIds':{},'batchId':'b1'"));
      assertRejected(ErrorCode.DATA_TYPE_ERROR, "Data type of contentIds should be List.", () -> read("'contentIds':'c1'"));
    }
  }
}
