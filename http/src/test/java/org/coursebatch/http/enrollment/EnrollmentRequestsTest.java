package org.coursebatch.http.enrollment;

import static org.coursebatch.http.RequestAssertions.assertRejected;
import static org.coursebatch.http.RequestAssertions.req;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.coursebatch.core.error.ErrorCode;
import org.coursebatch.http.enrollment.EnrollmentRequests.EnrolRequest;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;


/** Sunbird's controller-level checks of the enrolment, participant, enrolment-list and certificate-issue requests. */
class EnrollmentRequestsTest {

  static final String ME = "learner-1";

  /** {@code n} quoted user ids, for JSON lists. */
  static String userIds(int n) {
    return IntStream.rangeClosed(1, n).mapToObj(i -> "'u" + i + "'").collect(Collectors.joining(",", "[", "]"));
  }

  @Nested
  class Enrol {

    EnrolRequest self(String fields) {
      return EnrollmentRequests.self(req("{" + fields + "}"), ME);
    }

    EnrolRequest admin(String fields) {
      return EnrollmentRequests.onBehalf(req("{" + fields + "}"));
    }

    @Test
    void selfEnrolmentIsForTheEffectiveUserWhateverTheBodySays() {
      assertEquals(new EnrolRequest("do_1", "b1", ME), self("'courseId':'do_1','batchId':'b1'"));
      assertEquals(new EnrolRequest("do_1", "b1", ME), self("'courseId':'do_1','batchId':'b1','userId':'someone-else'"));
      assertEquals(new EnrolRequest("do_2", "b1", ME), self("'collectionId':'do_2','batchId':'b1'"));
      assertEquals(new EnrolRequest("do_1", "b1", ME), self("'courseId':'do_1','collectionId':'do_2','batchId':'b1'"));
    }

    @Test
    void courseIdThenBatchIdAreMandatory() {
      assertRejected(ErrorCode.MANDATORY_PARAMETER_MISSING, "Mandatory parameter courseId/collectionId is missing.", () -> self("'batchId':'b1'"));
      assertRejected(ErrorCode.MANDATORY_PARAMETER_MISSING, "Mandatory parameter courseId/collectionId is missing.",
          () -> self("'courseId':' ','batchId':'b1'"));
      assertRejected(ErrorCode.MANDATORY_PARAMETER_MISSING, "Mandatory parameter courseId/collectionId is missing.", () -> self(""));
      assertRejected(ErrorCode.MANDATORY_PARAMETER_MISSING, "Mandatory parameter batchId is missing.", () -> self("'courseId':'do_1'"));
      assertRejected(ErrorCode.MANDATORY_PARAMETER_MISSING, "Mandatory parameter batchId is missing.",
          () -> self("'courseId':'do_1','batchId':''"));
      assertRejected(ErrorCode.DATA_TYPE_ERROR, "Data type of batchId should be String.", () -> self("'courseId':'do_1','batchId':7"));
    }

    @Test
    void adminEnrolmentNeedsTheUserId() {
      assertEquals(new EnrolRequest("do_1", "b1", "u9"), admin("'courseId':'do_1','batchId':'b1','userId':'u9'"));
      assertRejected(ErrorCode.MANDATORY_PARAMETER_MISSING, "Mandatory parameter userId is missing.", () -> admin("'courseId':'do_1','batchId':'b1'"));
      assertRejected(ErrorCode.MANDATORY_PARAMETER_MISSING, "Mandatory parameter courseId/collectionId is missing.", () -> admin("'userId':'u9'"));
      assertRejected(ErrorCode.MANDATORY_PARAMETER_MISSING, "Mandatory parameter batchId is missing.", () -> admin("'courseId':'do_1','userId':'u9'"));
    }
  }

  @Nested
  class Participants {

    EnrollmentRequests.Participants participants(String fields) {
      return EnrollmentRequests.participants(req("{" + fields + "}"));
    }

    @Test
    void batchIdAndUserIds() {
      var p = participants("'batchId':'b1','userIds':['u1',' u2 ']");
      assertEquals("b1", p.batchId());
      assertEquals(List.of("u1", "u2"), p.userIds());
    }

    @Test
    void sunbirdsOldValidatorCodes() {
      assertRejected(ErrorCode.COURSE_BATCH_ID_MISSING, "Course batch Id required", () -> participants("'userIds':['u1']"));
      assertRejected(ErrorCode.COURSE_BATCH_ID_MISSING, null, () -> participants("'batchId':' ','userIds':['u1']"));
      assertRejected(ErrorCode.USERID_MISSING, "UserId is mandatory.", () -> participants("'batchId':'b1'"));
      assertRejected(ErrorCode.USERID_MISSING, null, () -> participants("'batchId':'b1','userIds':[]"));
      assertRejected(ErrorCode.USERID_MISSING, null, () -> participants("'batchId':'b1','userIds':null"));
      assertEquals("COURSE_BATCH_ID_MISSING", ErrorCode.COURSE_BATCH_ID_MISSING.code());
      assertEquals("USERID_MISSING", ErrorCode.USERID_MISSING.code());
    }

    @Test
    void userIdsMustBeAListOfNonBlankStrings() {
      for (String bad : List.of("'u1'", "['u1','']", "['u1',7]", "[null]", "{'u1':true}")) {
        assertRejected(ErrorCode.DATA_TYPE_ERROR, "Data type of userIds should be a list of non-blank strings.",
            () -> participants("'batchId':'b1','userIds':" + bad));
      }
    }

    @Test
    void atMostAThousandUsers() {
      assertEquals(1000, participants("'batchId':'b1','userIds':" + userIds(1000)).userIds().size());
      assertRejected(ErrorCode.INVALID_PARAMETER_VALUE,
          "Invalid value 1001 user ids for parameter userIds (at most 1000 in one request). Please provide a valid value.",
          () -> participants("'batchId':'b1','userIds':" + userIds(1001)));
    }
  }

  @Nested
  class ParticipantList {

    EnrollmentRequests.ParticipantList list(String request) {
      return EnrollmentRequests.participantList(req(request));
    }

    @Test
    void activeDefaultsToTrue() {
      assertEquals(new EnrollmentRequests.ParticipantList("b1", true), list("{'batch':{'batchId':'b1'}}"));
      assertEquals(new EnrollmentRequests.ParticipantList("b1", true), list("{'batch':{'batchId':'b1','active':null}}"));
      assertEquals(new EnrollmentRequests.ParticipantList("b1", false), list("{'batch':{'batchId':'b1','active':false}}"));
    }

    @Test
    void batchMapAndBatchIdAreMandatory() {
      assertRejected(ErrorCode.INVALID_REQUESTED_DATA, "Requested data for this operation is not valid.", () -> list("{'batchId':'b1'}"));
      assertRejected(ErrorCode.DATA_TYPE_ERROR, "Data type of batch should be Map.", () -> list("{'batch':'b1'}"));
      assertRejected(ErrorCode.MANDATORY_PARAMETER_MISSING, "Mandatory parameter batchId is missing.", () -> list("{'batch':{}}"));
      assertRejected(ErrorCode.MANDATORY_PARAMETER_MISSING, null, () -> list("{'batch':{'batchId':''}}"));
    }

    @Test
    void activeMustBeABoolean() {
      for (String bad : List.of("'true'", "1", "'yes'")) {
        assertRejected(ErrorCode.DATA_TYPE_ERROR, "Data type of batch.active should be Boolean.",
            () -> list("{'batch':{'batchId':'b1','active':" + bad + "}}"));
      }
    }
  }

  @Test
  void enrolmentListQueryReadsCommaLists() {
    var q = EnrollmentRequests.listQuery(Optional.of("contentType, topic,,topic"), Optional.of("name,endDate,certificates"));
    assertEquals(List.of("contentType", "topic"), q.courseFields());
    assertEquals(List.of("name", "endDate", "certificates"), q.batchFields());
    var none = EnrollmentRequests.listQuery(Optional.empty(), Optional.of(" "));
    assertTrue(none.courseFields().isEmpty() && none.batchFields().isEmpty());
  }

  @Nested
  class CertificateIssue {

    EnrollmentRequests.CertificateIssue issue(String fields, String reIssue) {
      return EnrollmentRequests.certificateIssue(req("{" + fields + "}"), Optional.ofNullable(reIssue));
    }

    static final String VALID = "'courseId':'do_1','batchId':'b1','userIds':['u1','u2']";

    @Test
    void reIssueIsTrueOrFalse() {
      assertEquals(new EnrollmentRequests.CertificateIssue("do_1", "b1", List.of("u1", "u2"), false), issue(VALID, null));
      assertTrue(issue(VALID, "true").reissue());
      assertTrue(issue(VALID, "TRUE").reissue());
      assertFalse(issue(VALID, "false").reissue());
      for (String bad : List.of("yes", "1", "")) {
        assertRejected(ErrorCode.INVALID_PARAMETER_VALUE,
            "Invalid value " + bad + " for parameter reIssue (true or false). Please provide a valid value.", () -> issue(VALID, bad));
      }
    }

    @Test
    void courseBatchAndUsersAreMandatory() {
      assertRejected(ErrorCode.MANDATORY_PARAMETER_MISSING, "Mandatory parameter courseId is missing.", () -> issue("'batchId':'b1','userIds':['u1']", null));
      assertRejected(ErrorCode.MANDATORY_PARAMETER_MISSING, "Mandatory parameter batchId is missing.", () -> issue("'courseId':'do_1','userIds':['u1']", null));
      assertRejected(ErrorCode.MANDATORY_PARAMETER_MISSING, "Mandatory parameter userIds is missing.", () -> issue("'courseId':'do_1','batchId':'b1'", null));
      assertRejected(ErrorCode.MANDATORY_PARAMETER_MISSING, "Mandatory parameter userIds is missing.",
          () -> issue("'courseId':'do_1','batchId':'b1','userIds':[]", null));
      assertRejected(ErrorCode.DATA_TYPE_ERROR, "Data type of userIds should be a list of non-blank strings.",
          () -> issue("'courseId':'do_1','batchId':'b1','userIds':'u1'", null));
    }

    @Test
    void atMostAThousandUsers() {
      assertRejected(ErrorCode.INVALID_PARAMETER_VALUE, null,
          () -> issue("'courseId':'do_1','batchId':'b1','userIds':" + userIds(1001), null));
      assertEquals(List.of("u1"), issue("'courseId':'do_1','batchId':'b1','userIds':['u1']", null).userIds());
    }
  }
}
