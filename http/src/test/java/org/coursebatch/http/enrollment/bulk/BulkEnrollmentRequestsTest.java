package org.coursebatch.http.enrollment.bulk;

import static org.coursebatch.http.RequestAssertions.assertRejected;
import static org.coursebatch.http.RequestAssertions.req;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Instant;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.coursebatch.core.enrollment.bulk.AliasRequest;
import org.coursebatch.core.enrollment.bulk.EnrollmentForm;
import org.coursebatch.core.enrollment.bulk.EnrollmentPeer;
import org.coursebatch.core.error.ErrorCode;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The shape checks of bulk enrolment requests: a fault refuses the whole request before the session sees it. */
class BulkEnrollmentRequestsTest {

  @Nested
  class FormsForCreate {

    @Test
    void peersAndRecordTypesAreRead() {
      var r = BulkEnrollmentRequests.formsForCreate(req("{'peers':[{'batchId':'b1','userId':'u1'},{'batchId':'b1','userId':'u1'}],"
          + "'recordTypes':['enrollment:progress@coursebatch']}"));
      assertEquals(List.of(new EnrollmentPeer("b1", "u1"), new EnrollmentPeer("b1", "u1")), r.peers(), "duplicates are kept");
      assertEquals(List.of("enrollment:progress@coursebatch"), r.recordTypes());
    }

    @Test
    void absentRecordTypesAreNoneAndMissingIdsAreTheSessionsToRefuse() {
      var r = BulkEnrollmentRequests.formsForCreate(req("{'peers':[{'userId':'u1'},{'batchId':'b1','userId':null}],'recordTypes':null}"));
      assertEquals(List.of(new EnrollmentPeer(null, "u1"), new EnrollmentPeer("b1", null)), r.peers());
      assertEquals(List.of(), r.recordTypes());
    }

    @Test
    void peersMustBeAListOfObjects() {
      assertRejected(ErrorCode.NULL_ARGUMENT, "peers is required.", () -> BulkEnrollmentRequests.formsForCreate(req("{}")));
      assertRejected(ErrorCode.NULL_ARGUMENT, "peers is required.", () -> BulkEnrollmentRequests.formsForCreate(req("{'peers':null}")));
      assertRejected(ErrorCode.DATA_TYPE_ERROR, "Data type of peers should be List.",
          () -> BulkEnrollmentRequests.formsForCreate(req("{'peers':{'batchId':'b1'}}")));
      assertRejected(ErrorCode.DATA_TYPE_ERROR, "Data type of peers[1] should be Map.",
          () -> BulkEnrollmentRequests.formsForCreate(req("{'peers':[{'batchId':'b1','userId':'u1'},'u2']}")));
      assertRejected(ErrorCode.NULL_ARGUMENT, "peers[0] is required.", () -> BulkEnrollmentRequests.formsForCreate(req("{'peers':[null]}")));
      assertRejected(ErrorCode.DATA_TYPE_ERROR, "Data type of peers[0].userId should be String.",
          () -> BulkEnrollmentRequests.formsForCreate(req("{'peers':[{'batchId':'b1','userId':7}]}")));
    }

    @Test
    void recordTypesMustBeAListOfStrings() {
      assertRejected(ErrorCode.DATA_TYPE_ERROR, "Data type of recordTypes should be Arrays.",
          () -> BulkEnrollmentRequests.formsForCreate(req("{'peers':[],'recordTypes':'enrollment:progress@coursebatch'}")));
      assertRejected(ErrorCode.INVALID_PARAMETER_VALUE, null,
          () -> BulkEnrollmentRequests.formsForCreate(req("{'peers':[],'recordTypes':[1]}")));
    }
  }

  @Nested
  class Forms {

    @Test
    void onlyTheIdTheTokenAndActiveAreRead() {
      var created = BulkEnrollmentRequests.createForms(req("{'forms':[{'id':'f1','kind':'create','batchId':'b-other','token':'t1',"
          + "'active':false,'metadata':[{'name':'x'}]},{'token':'t2'}]}"));
      assertEquals(List.of(form("f1", "t1", null), form(null, "t2", null)), created, "create forms set nothing");

      var updated = BulkEnrollmentRequests.updateForms(req("{'forms':[{'id':'f1','token':'t1','active':false},{'token':'t2','active':true},"
          + "{'token':'t3'},{'token':'t4','active':null}]}"));
      assertEquals(List.of(form("f1", "t1", false), form(null, "t2", true), form(null, "t3", null), form(null, "t4", null)), updated);
    }

    private EnrollmentForm form(String id, String token, Boolean active) {
      return new EnrollmentForm(id, null, null, null, null, List.of(), null, List.of(), token, active);
    }

    @Test
    void aMissingTokenIsTheItemsProblemAWrongTypeTheRequests() {
      assertNull(BulkEnrollmentRequests.createForms(req("{'forms':[{'id':'f1'}]}")).get(0).token());
      assertRejected(ErrorCode.DATA_TYPE_ERROR, "Data type of forms[0].token should be String.",
          () -> BulkEnrollmentRequests.createForms(req("{'forms':[{'token':42}]}")));
      assertRejected(ErrorCode.DATA_TYPE_ERROR, "Data type of forms[0].id should be String.",
          () -> BulkEnrollmentRequests.createForms(req("{'forms':[{'id':{},'token':'t'}]}")));
    }

    @Test
    void activeMustBeABoolean() {
      assertRejected(ErrorCode.DATA_TYPE_ERROR, "Data type of forms[1].active should be Boolean.",
          () -> BulkEnrollmentRequests.updateForms(req("{'forms':[{'token':'t1','active':true},{'token':'t2','active':'false'}]}")));
      assertRejected(ErrorCode.DATA_TYPE_ERROR, "Data type of forms[0].active should be Boolean.",
          () -> BulkEnrollmentRequests.updateForms(req("{'forms':[{'token':'t1','active':0}]}")));
    }

    @Test
    void formsMustBeAListOfObjects() {
      assertRejected(ErrorCode.NULL_ARGUMENT, "forms is required.", () -> BulkEnrollmentRequests.createForms(req("{}")));
      assertRejected(ErrorCode.NULL_ARGUMENT, "forms is required.", () -> BulkEnrollmentRequests.updateForms(req("{'forms':null}")));
      assertRejected(ErrorCode.DATA_TYPE_ERROR, "Data type of forms should be List.", () -> BulkEnrollmentRequests.createForms(req("{'forms':'nope'}")));
      assertRejected(ErrorCode.DATA_TYPE_ERROR, "Data type of forms[0] should be Map.",
          () -> BulkEnrollmentRequests.updateForms(req("{'forms':['token']}")));
      assertRejected(ErrorCode.NULL_ARGUMENT, "forms[1] is required.", () -> BulkEnrollmentRequests.createForms(req("{'forms':[{},null]}")));
      assertEquals(List.of(), BulkEnrollmentRequests.createForms(req("{'forms':[]}")), "an empty list is the session's to answer");
    }
  }

  @Nested
  class EnrollmentIds {

    @Test
    void idsAreKeptAsGivenBlankAndNullOnesForTheSession() {
      assertEquals(List.of("b1:u1:1", "my-alias", " "), BulkEnrollmentRequests.enrollmentIds(req("{'enrollmentIds':['b1:u1:1','my-alias',' ']}")));
      assertEquals(Arrays.asList("b1:u1:1", null), BulkEnrollmentRequests.enrollmentIds(req("{'enrollmentIds':['b1:u1:1',null]}")));
    }

    @Test
    void idsMustBeAListOfStrings() {
      assertRejected(ErrorCode.NULL_ARGUMENT, "enrollmentIds is required.", () -> BulkEnrollmentRequests.enrollmentIds(req("{}")));
      assertRejected(ErrorCode.DATA_TYPE_ERROR, "Data type of enrollmentIds should be List.",
          () -> BulkEnrollmentRequests.enrollmentIds(req("{'enrollmentIds':'b1:u1:1'}")));
      assertRejected(ErrorCode.DATA_TYPE_ERROR, "Data type of enrollmentIds[1] should be String.",
          () -> BulkEnrollmentRequests.enrollmentIds(req("{'enrollmentIds':['b1:u1:1',{'id':'x'}]}")));
    }
  }

  @Nested
  class Aliases {

    @Test
    void eachAliasNamesItsEnrolmentAMissingAliasIdIsTheItemsProblem() {
      assertEquals(List.of(new AliasRequest("b1:u1:1", "sis-42"), new AliasRequest("sis-7", null)),
          BulkEnrollmentRequests.aliases(req("{'aliases':[{'enrollmentId':'b1:u1:1','aliasId':'sis-42'},{'enrollmentId':'sis-7'}]}")));
    }

    @Test
    void theEnrolmentOfEachAliasIsRequired() {
      assertRejected(ErrorCode.NULL_ARGUMENT, "aliases is required.", () -> BulkEnrollmentRequests.aliases(req("{'aliases':null}")));
      assertRejected(ErrorCode.NULL_ARGUMENT, "aliases[1].enrollmentId is required.",
          () -> BulkEnrollmentRequests.aliases(req("{'aliases':[{'enrollmentId':'b1:u1:1','aliasId':'a'},{'aliasId':'b'}]}")));
      assertRejected(ErrorCode.NULL_ARGUMENT, "aliases[0].enrollmentId is required.",
          () -> BulkEnrollmentRequests.aliases(req("{'aliases':[{'enrollmentId':' ','aliasId':'a'}]}")));
      assertRejected(ErrorCode.DATA_TYPE_ERROR, "Data type of aliases[0].aliasId should be String.",
          () -> BulkEnrollmentRequests.aliases(req("{'aliases':[{'enrollmentId':'b1:u1:1','aliasId':5}]}")));
      assertRejected(ErrorCode.DATA_TYPE_ERROR, "Data type of aliases[0] should be Map.",
          () -> BulkEnrollmentRequests.aliases(req("{'aliases':[['b1:u1:1','a']]}")));
    }
  }

  @Nested
  class IneffectiveDate {

    private final ZoneId kolkata = ZoneId.of("Asia/Kolkata");

    private Instant date(String text) {
      return BulkEnrollmentRequests.ineffectiveDate(Optional.ofNullable(text), kolkata);
    }

    @Test
    void aDayIsItsFirstInstantInTheServiceTimeZone() {
      assertEquals(Instant.parse("2024-04-30T18:30:00Z"), date("2024-05-01"));
      assertEquals(Instant.parse("2024-05-01T00:00:00Z"), BulkEnrollmentRequests.ineffectiveDate(Optional.of("2024-05-01"), ZoneId.of("UTC")));
    }

    @Test
    void anInstantIsTakenAsItIs() {
      assertEquals(Instant.parse("2024-05-01T10:15:30Z"), date("2024-05-01T10:15:30Z"));
      assertEquals(Instant.parse("2024-05-01T10:15:30.250Z"), date(" 2024-05-01T10:15:30.250Z "));
      assertEquals(Instant.parse("2024-05-01T04:45:30Z"), date("2024-05-01T10:15:30+05:30"));
      assertEquals(Instant.parse("2024-05-01T04:45:30Z"), date("2024-05-01T10:15:30 05:30"), "a '+' decoded as a space");
    }

    @Test
    void aMissingDateIsNullArgumentAnythingElseADateFormatError() {
      assertRejected(ErrorCode.NULL_ARGUMENT, "date is required.", () -> date(null));
      assertRejected(ErrorCode.NULL_ARGUMENT, "date is required.", () -> date(" "));
      for (String bad : List.of("yesterday", "2024-02-30", "2024-5-01", "01-05-2024", "2024-05-01T10:15", "1714550400", "2024-05-01 10:15:30")) {
        assertRejected(ErrorCode.DATE_FORMAT_ERROR, "Date format error.", () -> date(bad));
      }
    }
  }
}
