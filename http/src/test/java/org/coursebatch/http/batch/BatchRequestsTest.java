package org.coursebatch.http.batch;

import static org.coursebatch.http.RequestAssertions.assertRejected;
import static org.coursebatch.http.RequestAssertions.rejection;
import static org.coursebatch.http.RequestAssertions.req;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.coursebatch.core.batch.BatchSearch.Sort;
import org.coursebatch.core.batch.BatchSearch.SortField;
import org.coursebatch.core.batch.BatchStatus;
import org.coursebatch.core.batch.Change;
import org.coursebatch.core.batch.EnrollmentType;
import org.coursebatch.core.batch.NewBatch;
import org.coursebatch.core.certificate.CertificateTemplate;
import org.coursebatch.core.error.ErrorCode;
import org.coursebatch.core.error.Rejection;
import org.coursebatch.core.json.JsonFields;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Sunbird's controller-level checks, as BatchRequests decodes requests. */
class BatchRequestsTest {

  static void assertRejectedWithWireCode(String wireCode, Supplier<?> decode) {
    assertEquals(wireCode, rejection(decode).code().code());
  }

  @Nested
  class Create {

    static final String VALID = "'courseId':'do_1','name':'Batch 1','enrollmentType':'open','startDate':'2024-03-01'";

    NewBatch create(String fields) {
      return BatchRequests.newBatch(req("{" + fields + "}"));
    }

    @Test
    void minimalRequest() {
      NewBatch b = create(VALID);
      assertEquals("do_1", b.courseId());
      assertEquals("Batch 1", b.name());
      assertEquals(EnrollmentType.OPEN, b.enrollmentType());
      assertEquals(LocalDate.of(2024, 3, 1), b.startDate());
      assertNull(b.endDate());
      assertNull(b.enrollmentEndDate());
      assertNull(b.description());
      assertNull(b.tandc());
      assertEquals(List.of(), b.createdFor());
      assertEquals(List.of(), b.mentors());
    }

    @Test
    void everyField() {
      NewBatch b = create("'courseId':'do_1','name':'  Batch 1 ','description':'d','tandc':'t','enrollmentType':'invite-only',"
          + "'startDate':'2024-03-01','endDate':'2024-06-30','enrollmentEndDate':'2024-03-15',"
          + "'createdFor':['org1','org2'],'mentors':['m1','m2','m1']");
      assertEquals("Batch 1", b.name(), "trimmed");
      assertEquals("d", b.description());
      assertEquals("t", b.tandc());
      assertEquals(EnrollmentType.INVITE_ONLY, b.enrollmentType());
      assertEquals(LocalDate.of(2024, 6, 30), b.endDate());
      assertEquals(LocalDate.of(2024, 3, 15), b.enrollmentEndDate());
      assertEquals(List.of("org1", "org2"), b.createdFor());
      assertEquals(List.of("m1", "m2"), b.mentors(), "duplicate mentors are removed");
    }

    @Test
    void collectionIdIsAnAliasOfCourseId() {
      assertEquals("do_2", create("'collectionId':'do_2','name':'B','enrollmentType':'open','startDate':'2024-03-01'").courseId());
      assertEquals("do_2", create("'courseId':' ','collectionId':'do_2','name':'B','enrollmentType':'open','startDate':'2024-03-01'").courseId());
      assertEquals("do_1", create(VALID + ",'collectionId':'do_2'").courseId(), "courseId wins when both are given");
    }

    @Test
    void unknownFieldsAreIgnored() {
      NewBatch b = create(VALID + ",'createdBy':'someone-else','status':2,'id':'x','extra':{'a':[1,2]}");
      assertEquals("do_1", b.courseId());
    }

    @Test
    void nullFieldsReadAsAbsent() {
      NewBatch b = create(VALID + ",'endDate':null,'description':null,'createdFor':null");
      assertNull(b.endDate());
      assertNull(b.description());
      assertEquals(List.of(), b.createdFor());
    }

    @Test
    void courseIdOrCollectionIdIsMandatory() {
      assertRejected(ErrorCode.MANDATORY_PARAMETER_MISSING, "Mandatory parameter courseId/collectionId is missing.",
          () -> create("'name':'B','enrollmentType':'open','startDate':'2024-03-01'"));
      assertRejected(ErrorCode.MANDATORY_PARAMETER_MISSING, "Mandatory parameter courseId/collectionId is missing.",
          () -> create("'courseId':'','name':'B','enrollmentType':'open','startDate':'2024-03-01'"));
    }

    @Test
    void nameIsMandatory() {
      assertRejected(ErrorCode.MANDATORY_PARAMETER_MISSING, "Mandatory parameter name is missing.",
          () -> create("'courseId':'do_1','enrollmentType':'open','startDate':'2024-03-01'"));
      assertRejected(ErrorCode.MANDATORY_PARAMETER_MISSING, "Mandatory parameter name is missing.",
          () -> create("'courseId':'do_1','name':'  ','enrollmentType':'open','startDate':'2024-03-01'"));
      assertRejected(ErrorCode.DATA_TYPE_ERROR, "Data type of name should be String.",
          () -> create("'courseId':'do_1','name':7,'enrollmentType':'open','startDate':'2024-03-01'"));
    }

    @Test
    void enrollmentTypeIsMandatoryAndOpenOrInviteOnly() {
      assertRejected(ErrorCode.MANDATORY_PARAMETER_MISSING, "Mandatory parameter enrollmentType is missing.",
          () -> create("'courseId':'do_1','name':'B','startDate':'2024-03-01'"));
      assertRejected(ErrorCode.INVALID_PARAMETER_VALUE, "Invalid value closed for parameter enrollmentType. Please provide a valid value.",
          () -> create("'courseId':'do_1','name':'B','enrollmentType':'closed','startDate':'2024-03-01'"));
      assertEquals(EnrollmentType.INVITE_ONLY,
          create("'courseId':'do_1','name':'B','enrollmentType':'INVITE-ONLY','startDate':'2024-03-01'").enrollmentType());
      assertEquals(EnrollmentType.OPEN,
          create("'courseId':'do_1','name':'B','enrollmentType':'Open','startDate':'2024-03-01'").enrollmentType());
    }

    @Test
    void startDateIsMandatory() {
      assertRejected(ErrorCode.MANDATORY_PARAMETER_MISSING, "Mandatory parameter startDate is missing.",
          () -> create("'courseId':'do_1','name':'B','enrollmentType':'open'"));
    }

    @Test
    void datesMustBeStrictYearMonthDay() {
      for (String bad : List.of("'2024/01/01'", "'2024-02-30'", "20240101", "'01-03-2024'", "'2024-1-5'", "'tomorrow'", "true")) {
        assertRejected(ErrorCode.DATE_FORMAT_ERROR, "Date format error.",
            () -> create("'courseId':'do_1','name':'B','enrollmentType':'open','startDate':" + bad));
        assertRejectedWithWireCode("DATE_FORMAT_ERRROR",
            () -> create("'courseId':'do_1','name':'B','enrollmentType':'open','startDate':" + bad));
      }
      assertRejected(ErrorCode.DATE_FORMAT_ERROR, null, () -> create(VALID + ",'endDate':'2024-13-01'"));
      assertRejected(ErrorCode.DATE_FORMAT_ERROR, null, () -> create(VALID + ",'enrollmentEndDate':'2024-04-31'"));
      assertEquals(LocalDate.of(2024, 2, 29), create(VALID.replace("2024-03-01", "2024-02-29")).startDate(), "leap day");
    }

    @Test
    void createdForAndMentorsMustBeLists() {
      assertRejected(ErrorCode.DATA_TYPE_ERROR, "Data type of createdFor should be Arrays.", () -> create(VALID + ",'createdFor':'org1'"));
      assertRejected(ErrorCode.DATA_TYPE_ERROR, "Data type of mentors should be Arrays.", () -> create(VALID + ",'mentors':'m1'"));
      assertRejected(ErrorCode.INVALID_PARAMETER_VALUE, null, () -> create(VALID + ",'createdFor':['']"));
      assertRejected(ErrorCode.INVALID_PARAMETER_VALUE, null, () -> create(VALID + ",'mentors':[7]"));
    }

    @Test
    void maxParticipantsIsAnOptionalPositiveWholeNumber() {
      assertNull(create(VALID).maxParticipants(), "no capacity");
      assertNull(create(VALID + ",'maxParticipants':null").maxParticipants());
      assertEquals(30, create(VALID + ",'maxParticipants':30").maxParticipants());
      assertEquals(1, create(VALID + ",'maxParticipants':'1'").maxParticipants(), "a numeric string");
      for (String bad : List.of("0", "-5")) {
        assertRejected(ErrorCode.INVALID_PARAMETER_VALUE,
            "Invalid value " + bad + " for parameter maxParticipants (a whole number of at least 1). Please provide a valid value.",
            () -> create(VALID + ",'maxParticipants':" + bad));
      }
      for (String bad : List.of("2.5", "'ten'", "true", "[3]", "1e12")) {
        assertRejected(ErrorCode.DATA_TYPE_ERROR, "Data type of maxParticipants should be Integer.",
            () -> create(VALID + ",'maxParticipants':" + bad));
      }
    }

    @Test
    void participantsAreRefused() {
      assertRejected(ErrorCode.INVALID_REQUEST_PARAMETER, "Invalid parameter participants in request.",
          () -> create(VALID + ",'participants':['u1']"));
      assertRejected(ErrorCode.INVALID_REQUEST_PARAMETER, null, () -> create(VALID + ",'participants':null"));
    }

    @Test
    void checksRunInSunbirdOrder() {
      assertRejected(ErrorCode.MANDATORY_PARAMETER_MISSING, "Mandatory parameter courseId/collectionId is missing.",
          () -> create("'enrollmentType':'closed','startDate':'bad'"));
      assertRejected(ErrorCode.MANDATORY_PARAMETER_MISSING, "Mandatory parameter name is missing.",
          () -> create("'courseId':'do_1','enrollmentType':'closed','startDate':'bad'"));
      assertRejected(ErrorCode.INVALID_PARAMETER_VALUE, null,
          () -> create("'courseId':'do_1','name':'B','enrollmentType':'closed','startDate':'bad'"));
    }
  }

  @Nested
  class Update {

    static final String IDS = "'id':'b1','courseId':'do_1'";

    BatchRequests.Update update(String fields) {
      return BatchRequests.update(req("{" + fields + "}"));
    }

    @Test
    void absentFieldsAreKept() {
      var u = update(IDS);
      assertEquals("b1", u.batchId());
      var c = u.changes();
      assertEquals("do_1", c.courseId());
      for (Change<?> change : List.of(c.name(), c.description(), c.tandc(), c.enrollmentType(), c.startDate(), c.endDate(),
          c.enrollmentEndDate(), c.createdFor(), c.mentors(), c.maxParticipants())) {
        assertFalse(change.present(), "kept: " + change);
      }
    }

    @Test
    void nullClearsOptionalFields() {
      var c = update(IDS + ",'endDate':null,'enrollmentEndDate':null,'description':null,'tandc':null,'createdFor':null,'mentors':null")
          .changes();
      assertEquals(Change.to(null), c.endDate());
      assertEquals(Change.to(null), c.enrollmentEndDate());
      assertEquals(Change.to(null), c.description());
      assertEquals(Change.to(null), c.tandc());
      assertEquals(Change.to(List.of()), c.createdFor());
      assertEquals(Change.to(List.of()), c.mentors());
      assertFalse(c.name().present());
      assertFalse(c.startDate().present());
    }

    @Test
    void valuesAreSet() {
      var c = update(IDS + ",'name':' New name ','description':'d','tandc':'t','enrollmentType':'INVITE-ONLY','startDate':'2024-03-02',"
          + "'endDate':'2024-07-01','enrollmentEndDate':'2024-03-20','createdFor':['o1'],'mentors':['m1','m1','m2']").changes();
      assertEquals(Change.to("New name"), c.name());
      assertEquals(Change.to("d"), c.description());
      assertEquals(Change.to("t"), c.tandc());
      assertEquals(Change.to(EnrollmentType.INVITE_ONLY), c.enrollmentType());
      assertEquals(Change.to(LocalDate.of(2024, 3, 2)), c.startDate());
      assertEquals(Change.to(LocalDate.of(2024, 7, 1)), c.endDate());
      assertEquals(Change.to(LocalDate.of(2024, 3, 20)), c.enrollmentEndDate());
      assertEquals(Change.to(List.of("o1")), c.createdFor());
      assertEquals(Change.to(List.of("m1", "m2")), c.mentors());
    }

    @Test
    void batchIdAndCollectionIdAreAliases() {
      var u = update("'batchId':'b2','collectionId':'do_2'");
      assertEquals("b2", u.batchId());
      assertEquals("do_2", u.changes().courseId());
    }

    @Test
    void statusIsAcceptedFrom0To2AndIgnored() {
      for (String ok : List.of("0", "1", "2", "'2'")) {
        assertDoesNotThrow(() -> update(IDS + ",'status':" + ok));
      }
      // As lms-service reads it (Integer.parseInt of the value's text), whatever is not 0, 1 or 2 is INVALID_PROGRESS_STATUS.
      for (String bad : List.of("3", "-1", "'7'", "'abc'", "'done'", "1.5", "true", "' 1'", "{}")) {
        assertRejected(ErrorCode.INVALID_PROGRESS_STATUS,
            "Progress status value should be NOT_STARTED(0), STARTED(1), COMPLETED(2).", () -> update(IDS + ",'status':" + bad));
      }
      assertDoesNotThrow(() -> update(IDS + ",'status':null"));
    }

    @Test
    void nameMustNotBeBlank() {
      // lms-service's message quotes the value as it is.
      assertRejected(ErrorCode.INVALID_PARAMETER_VALUE, "Invalid value    for parameter name. Please provide a valid value.",
          () -> update(IDS + ",'name':'  '"));
      assertRejected(ErrorCode.INVALID_PARAMETER_VALUE, "Invalid value  for parameter name. Please provide a valid value.",
          () -> update(IDS + ",'name':''"));
      assertRejected(ErrorCode.INVALID_PARAMETER_VALUE, "Invalid value null for parameter name. Please provide a valid value.",
          () -> update(IDS + ",'name':null"));
    }

    @Test
    void enrollmentTypeMustBeValid() {
      assertRejected(ErrorCode.INVALID_PARAMETER_VALUE, "Invalid value closed for parameter enrollmentType. Please provide a valid value.",
          () -> update(IDS + ",'enrollmentType':'closed'"));
      assertRejected(ErrorCode.MANDATORY_PARAMETER_MISSING, "Mandatory parameter enrollmentType is missing.",
          () -> update(IDS + ",'enrollmentType':null"));
      assertRejected(ErrorCode.MANDATORY_PARAMETER_MISSING, null, () -> update(IDS + ",'enrollmentType':' '"));
    }

    @Test
    void idIsMandatory() {
      assertRejected(ErrorCode.MANDATORY_PARAMETER_MISSING, "Mandatory parameter id is missing.", () -> update("'courseId':'do_1'"));
      assertRejected(ErrorCode.MANDATORY_PARAMETER_MISSING, "Mandatory parameter id is missing.", () -> update("'id':' ','courseId':'do_1'"));
    }

    @Test
    void courseIdIsMandatory() {
      assertRejected(ErrorCode.MANDATORY_PARAMETER_MISSING, "Mandatory parameter courseId/collectionId is missing.", () -> update("'id':'b1'"));
    }

    @Test
    void startDateCannotBeClearedOrMalformed() {
      assertRejected(ErrorCode.DATE_FORMAT_ERROR, "Date format error.", () -> update(IDS + ",'startDate':null"));
      assertRejected(ErrorCode.DATE_FORMAT_ERROR, null, () -> update(IDS + ",'startDate':'2024-02-30'"));
      assertRejected(ErrorCode.DATE_FORMAT_ERROR, null, () -> update(IDS + ",'endDate':'30-06-2024'"));
      assertRejected(ErrorCode.DATE_FORMAT_ERROR, null, () -> update(IDS + ",'enrollmentEndDate':20240630"));
    }

    @Test
    void maxParticipantsIsKeptSetOrAskedToBeRemoved() {
      assertFalse(update(IDS).changes().maxParticipants().present());
      assertEquals(Change.to(50), update(IDS + ",'maxParticipants':50").changes().maxParticipants());
      // The batch refuses to drop its capacity; decoding passes the request on.
      assertEquals(Change.to(null), update(IDS + ",'maxParticipants':null").changes().maxParticipants());
      assertRejected(ErrorCode.INVALID_PARAMETER_VALUE, null, () -> update(IDS + ",'maxParticipants':0"));
      assertRejected(ErrorCode.DATA_TYPE_ERROR, "Data type of maxParticipants should be Integer.",
          () -> update(IDS + ",'maxParticipants':'many'"));
    }

    @Test
    void participantsAreRefused() {
      assertRejected(ErrorCode.INVALID_REQUEST_PARAMETER, "Invalid parameter participants in request.",
          () -> update(IDS + ",'participants':['u1']"));
    }

    @Test
    void checksRunInSunbirdOrder() {
      // courseId, status, name, enrollmentType, id, dates
      assertRejected(ErrorCode.MANDATORY_PARAMETER_MISSING, "Mandatory parameter courseId/collectionId is missing.",
          () -> update("'status':3"));
      assertRejected(ErrorCode.INVALID_PROGRESS_STATUS, null, () -> update("'courseId':'do_1','status':3,'name':''"));
      assertRejected(ErrorCode.INVALID_PARAMETER_VALUE, "Invalid value  for parameter name. Please provide a valid value.",
          () -> update("'courseId':'do_1','name':'','enrollmentType':'closed'"));
      assertRejected(ErrorCode.INVALID_PARAMETER_VALUE, "Invalid value closed for parameter enrollmentType. Please provide a valid value.",
          () -> update("'courseId':'do_1','enrollmentType':'closed'"));
      assertRejected(ErrorCode.MANDATORY_PARAMETER_MISSING, "Mandatory parameter id is missing.",
          () -> update("'courseId':'do_1','startDate':'bad'"));
    }
  }

  @Nested
  class Search {

    org.coursebatch.core.batch.BatchSearch search(String request) {
      return BatchRequests.search(req(request), 1000);
    }

    @Test
    void emptyRequestHasTheDefaults() {
      var s = search("{}");
      assertEquals(BatchRequests.DEFAULT_LIMIT, s.limit());
      assertEquals(30, s.limit(), "lms-service's default");
      assertEquals(0, s.offset());
      assertTrue(s.batchIds().isEmpty() && s.courseIds().isEmpty() && s.statuses().isEmpty() && s.enrollmentTypes().isEmpty()
          && s.createdBy().isEmpty() && s.mentors().isEmpty() && s.createdFor().isEmpty() && s.sort().isEmpty());
      assertEquals(30, search("{'filters':{}}").limit());
    }

    @Test
    void fieldsAreAListOfNames() {
      assertEquals(List.of(), BatchRequests.fields(req("{}")));
      assertEquals(List.of("name", "batchId"), BatchRequests.fields(req("{'fields':['name','batchId']}")));
      assertRejected(ErrorCode.DATA_TYPE_ERROR, "Data type of fields should be List.", () -> BatchRequests.fields(req("{'fields':'name'}")));
      assertRejected(ErrorCode.DATA_TYPE_ERROR, null, () -> BatchRequests.fields(req("{'fields':['name',3]}")));
    }

    @Test
    void filtersTakeAValueOrAList() {
      var s = search("{'filters':{'batchId':['b1','b2'],'courseId':'do_1','status':1,'enrollmentType':'invite-only',"
          + "'createdBy':'u1','mentors':['m1'],'createdFor':'org1'}}");
      assertEquals(List.of("b1", "b2"), s.batchIds());
      assertEquals(List.of("do_1"), s.courseIds());
      assertEquals(List.of(BatchStatus.IN_PROGRESS), s.statuses());
      assertEquals(List.of(EnrollmentType.INVITE_ONLY), s.enrollmentTypes());
      assertEquals(List.of("u1"), s.createdBy());
      assertEquals(List.of("m1"), s.mentors());
      assertEquals(List.of("org1"), s.createdFor());
    }

    @Test
    void aliasesMergeIntoTheirFilter() {
      var s = search("{'filters':{'identifier':'b1','id':['b2'],'courseId':'do_1','collectionId':'do_2'}}");
      assertEquals(List.of("b1", "b2"), s.batchIds().stream().sorted().toList());
      assertEquals(List.of("do_1", "do_2"), s.courseIds().stream().sorted().toList());
    }

    @Test
    void statusIsANumberOrNumericStringFrom0To2() {
      assertEquals(List.of(BatchStatus.UPCOMING, BatchStatus.ENDED), search("{'filters':{'status':['0','2']}}").statuses());
      assertEquals(List.of(BatchStatus.IN_PROGRESS), search("{'filters':{'status':' 1 '}}").statuses());
      assertRejected(ErrorCode.INVALID_PARAMETER_VALUE, "Invalid value 3 for parameter filters.status (0, 1 or 2). Please provide a valid value.",
          () -> search("{'filters':{'status':3}}"));
      assertRejected(ErrorCode.INVALID_PARAMETER_VALUE, null, () -> search("{'filters':{'status':'started'}}"));
      assertRejected(ErrorCode.INVALID_PARAMETER_VALUE, null, () -> search("{'filters':{'status':[1,-1]}}"));
      assertRejected(ErrorCode.INVALID_PARAMETER_VALUE, null, () -> search("{'filters':{'status':1.5}}"));
    }

    @Test
    void enrollmentTypeFilterMustBeValid() {
      assertRejected(ErrorCode.INVALID_PARAMETER_VALUE, "Invalid value closed for parameter enrollmentType. Please provide a valid value.",
          () -> search("{'filters':{'enrollmentType':'closed'}}"));
    }

    @Test
    void unknownFilterIsRefused() {
      Rejection r = rejection(() -> search("{'filters':{'participants':'u1'}}"));
      assertEquals(ErrorCode.INVALID_PARAMETER_VALUE, r.code());
      assertEquals("Invalid value participants for parameter filters (supported: batchId, courseId, status, enrollmentType, createdBy, "
          + "mentors, createdFor). Please provide a valid value.", r.message());
      assertRejected(ErrorCode.INVALID_PARAMETER_VALUE, null, () -> search("{'filters':{'name':'B'}}"));
    }

    @Test
    void filterValuesMustBeScalarsOrListsOfThem() {
      assertEquals(List.of("123"), search("{'filters':{'createdBy':123}}").createdBy());
      assertRejected(ErrorCode.DATA_TYPE_ERROR, "Data type of filters.courseId should be a string, a number or a list of them.",
          () -> search("{'filters':{'courseId':{'in':['do_1']}}}"));
      assertRejected(ErrorCode.DATA_TYPE_ERROR, null, () -> search("{'filters':{'courseId':true}}"));
      assertRejected(ErrorCode.DATA_TYPE_ERROR, null, () -> search("{'filters':{'courseId':null}}"));
      assertRejected(ErrorCode.DATA_TYPE_ERROR, null, () -> search("{'filters':{'mentors':[['m1']]}}"));
      assertRejected(ErrorCode.DATA_TYPE_ERROR, "Data type of filters should be Map.", () -> search("{'filters':'courseId'}"));
    }

    @Test
    void limitIsBetween0AndTheMaximum() {
      assertEquals(0, search("{'limit':0}").limit());
      assertEquals(1000, search("{'limit':1000}").limit());
      assertEquals(20, search("{'limit':'20'}").limit());
      Rejection tooMany = rejection(() -> search("{'limit':1001}"));
      assertEquals(ErrorCode.INVALID_PARAMETER_VALUE, tooMany.code());
      assertTrue(tooMany.message().contains("parameter limit (0 to 1000)"), tooMany.message());
      assertRejected(ErrorCode.INVALID_PARAMETER_VALUE, "Invalid value -1 for parameter limit (0 to 1000). Please provide a valid value.",
          () -> search("{'limit':-1}"));
      assertRejected(ErrorCode.INVALID_PARAMETER_VALUE, null, () -> BatchRequests.search(req("{'limit':51}"), 50));
      assertEquals(50, BatchRequests.search(req("{'limit':50}"), 50).limit());
      assertRejected(ErrorCode.DATA_TYPE_ERROR, "Data type of limit should be Integer.", () -> search("{'limit':'many'}"));
      assertRejected(ErrorCode.DATA_TYPE_ERROR, null, () -> search("{'limit':2.5}"));
    }

    @Test
    void offsetIsNotNegative() {
      assertEquals(40, search("{'offset':40}").offset());
      assertRejected(ErrorCode.INVALID_PARAMETER_VALUE, "Invalid value -1 for parameter offset. Please provide a valid value.",
          () -> search("{'offset':-1}"));
    }

    @Test
    void sortByKeepsTheGivenOrder() {
      assertEquals(List.of(new Sort(SortField.START_DATE, true), new Sort(SortField.NAME, false)),
          search("{'sort_by':{'startDate':'desc','name':'asc'}}").sort());
      assertEquals(List.of(new Sort(SortField.CREATED_DATE, true), new Sort(SortField.END_DATE, false)),
          search("{'sort_by':{'createdDate':'DESC','endDate':null}}").sort(), "case-insensitive; null is asc");
      for (SortField f : SortField.values()) {
        assertEquals(List.of(new Sort(f, false)), search("{'sort_by':{'" + f.wireName() + "':'asc'}}").sort());
      }
    }

    @Test
    void sortByRefusesUnknownFieldsAndDirections() {
      assertRejected(ErrorCode.INVALID_PARAMETER_VALUE, "Invalid value status for parameter sort_by (supported: createdDate, updatedDate, "
          + "startDate, endDate, enrollmentEndDate, name). Please provide a valid value.", () -> search("{'sort_by':{'status':'asc'}}"));
      assertRejected(ErrorCode.INVALID_PARAMETER_VALUE, "Invalid value up for parameter sort_by.startDate (asc or desc). Please provide a valid value.",
          () -> search("{'sort_by':{'startDate':'up'}}"));
      assertRejected(ErrorCode.INVALID_PARAMETER_VALUE, null, () -> search("{'sort_by':{'startDate':1}}"));
      assertRejected(ErrorCode.DATA_TYPE_ERROR, "Data type of sort_by should be Map.", () -> search("{'sort_by':'startDate'}"));
    }
  }

  /** Certificate template add/remove, sunbird-api.md §2.10. */
  @Nested
  class CertificateTemplates {

    static final String ISSUER = "'issuer':{'name':'Issuer','url':'https://example.org','publicKey':[7,8]}";
    static final String SIGNATORIES = "'signatoryList':[{'name':'CEO','id':'CEO','designation':'CEO','image':'https://example.org/s.png'}]";

    JsonFields batch(String batchFields) {
      return req("{'batch':{" + batchFields + "}}");
    }

    CertificateTemplate add(String template) {
      var r = BatchRequests.templateRequest(batch("'courseId':'do_1','batchId':'b1','template':" + template));
      return BatchRequests.template(r.template());
    }

    CertificateTemplate criteria(String criteria) {
      return add("{'identifier':'T1','criteria':" + criteria + "}");
    }

    @Test
    void fullTemplate() {
      var t = add("{'identifier':'T1','criteria':{'enrollment':{'status':'2'},'assessment':{'score':{'>=':70,'<=':'100','eq':80.5}},"
          + "'user':{'rootOrgId':'org1'}}," + ISSUER + "," + SIGNATORIES + ","
          + "'notifyTemplate':{'subject':'Done'},'additionalProps':{'x':1},'name':'ignored','url':'ignored'}");
      assertEquals("T1", t.identifier());
      assertEquals(2, t.criteria().enrollmentStatus());
      assertEquals(Map.of(">=", 70.0, "<=", 100.0, "eq", 80.5), t.criteria().assessmentScore());
      assertEquals("org1", t.criteria().userRootOrgId());
      assertEquals("Issuer", t.issuer().get("name").asText());
      assertEquals(1, t.signatoryList().size());
      assertEquals("CEO", t.signatoryList().get(0).name());
      assertEquals("Done", t.notifyTemplate().get("subject").asText());
      assertEquals(1, t.additionalProps().get("x").asInt());
      assertNull(t.name(), "name comes from the catalog asset");
      assertNull(t.url(), "url comes from the catalog asset");
    }

    @Test
    void enrollmentOrAssessmentAloneIsEnough() {
      var enrollment = criteria("{'enrollment':{'status':2}}");
      assertEquals(2, enrollment.criteria().enrollmentStatus());
      assertNull(enrollment.criteria().assessmentScore());
      assertNull(enrollment.criteria().userRootOrgId());
      var assessment = criteria("{'assessment':{'score':{'>=':60}}}");
      assertNull(assessment.criteria().enrollmentStatus());
      assertEquals(Map.of(">=", 60.0), assessment.criteria().assessmentScore());
      assertTrue(assessment.signatoryList().isEmpty());
      assertNull(assessment.issuer());
    }

    @Test
    void batchIsMandatoryAndAMap() {
      assertRejected(ErrorCode.MANDATORY_PARAMETER_MISSING, "Mandatory parameter batch is missing.", () -> BatchRequests.templateRequest(req("{}")));
      assertRejected(ErrorCode.DATA_TYPE_ERROR, "Data type of batch should be Map.",
          () -> BatchRequests.templateRequest(req("{'batch':'b1'}")));
    }

    @Test
    void courseIdIsMandatory() {
      assertRejected(ErrorCode.MANDATORY_PARAMETER_MISSING, "Mandatory parameter courseId is missing.",
          () -> BatchRequests.templateRequest(batch("'batchId':'b1','template':{'identifier':'T1'}")));
    }

    @Test
    void batchIdIsMandatory() {
      assertRejected(ErrorCode.MANDATORY_PARAMETER_MISSING, "Mandatory parameter batchId is missing.",
          () -> BatchRequests.templateRequest(batch("'courseId':'do_1','template':{'identifier':'T1'}")));
      assertRejected(ErrorCode.MANDATORY_PARAMETER_MISSING, "Mandatory parameter batchId is missing.",
          () -> BatchRequests.templateRequest(batch("'courseId':'do_1','batchId':'','template':{'identifier':'T1'}")));
    }

    @Test
    void templateIsMandatoryAndAMap() {
      assertRejected(ErrorCode.MANDATORY_PARAMETER_MISSING, "Mandatory parameter template is missing.",
          () -> BatchRequests.templateRequest(batch("'courseId':'do_1','batchId':'b1'")));
      assertRejected(ErrorCode.DATA_TYPE_ERROR, "Data type of template should be Map.",
          () -> BatchRequests.templateRequest(batch("'courseId':'do_1','batchId':'b1','template':'T1'")));
      assertRejected(ErrorCode.DATA_TYPE_ERROR, "Data type of template should be Map.",
          () -> BatchRequests.templateRequest(batch("'courseId':'do_1','batchId':'b1','template':['T1']")));
    }

    @Test
    void templateIdentifierIsMandatory() {
      assertRejected(ErrorCode.MANDATORY_PARAMETER_MISSING, "Mandatory parameter identifier is missing.",
          () -> BatchRequests.templateRequest(batch("'courseId':'do_1','batchId':'b1','template':{'criteria':{}}")));
    }

    @Test
    void removeNeedsOnlyTheIdentifier() {
      var r = BatchRequests.templateRequest(batch("'courseId':'do_1','batchId':'b1','template':{'identifier':'T1'}"));
      assertEquals("do_1", r.courseId());
      assertEquals("b1", r.batchId());
      assertEquals("T1", r.template().requiredString("identifier"));
    }

    @Test
    void criteriaIsMandatoryAndAMap() {
      assertRejected(ErrorCode.MANDATORY_PARAMETER_MISSING, "Mandatory parameter criteria is missing.", () -> add("{'identifier':'T1'}"));
      assertRejected(ErrorCode.DATA_TYPE_ERROR, "Data type of criteria should be Map.", () -> criteria("'enrollment'"));
    }

    @Test
    void criteriaNeedsEnrollmentOrAssessment() {
      assertRejected(ErrorCode.MANDATORY_PARAMETER_MISSING, "Mandatory parameter Enrollment or Status is missing.", () -> criteria("{}"));
      assertRejected(ErrorCode.MANDATORY_PARAMETER_MISSING, "Mandatory parameter Enrollment or Status is missing.",
          () -> criteria("{'user':{'rootOrgId':'org1'}}"));
    }

    @Test
    void enrollmentNeedsStatusAndNothingElse() {
      assertRejected(ErrorCode.MANDATORY_PARAMETER_MISSING, "Mandatory parameter status is missing.", () -> criteria("{'enrollment':{}}"));
      assertRejected(ErrorCode.INVALID_PROPERTY_ERROR, "Invalid property for Enrollment.",
          () -> criteria("{'enrollment':{'status':2,'progress':100}}"));
      assertRejected(ErrorCode.DATA_TYPE_ERROR, null, () -> criteria("{'enrollment':{'status':'completed'}}"));
      assertRejected(ErrorCode.DATA_TYPE_ERROR, null, () -> criteria("{'enrollment':2}"));
    }

    @Test
    void assessmentNeedsScoreAndNothingElse() {
      assertRejected(ErrorCode.MANDATORY_PARAMETER_MISSING, "Mandatory parameter score is missing.", () -> criteria("{'assessment':{}}"));
      assertRejected(ErrorCode.INVALID_PROPERTY_ERROR, "Invalid property for Assessment.",
          () -> criteria("{'assessment':{'score':{'>=':70},'attempts':1}}"));
    }

    @Test
    void scoreIsAMapOfKnownOperatorsToNumbers() {
      assertRejected(ErrorCode.DATA_TYPE_ERROR, "Data type of score should be Map.", () -> criteria("{'assessment':{'score':70}}"));
      assertRejected(ErrorCode.INVALID_PROPERTY_ERROR, "Invalid property for Score.", () -> criteria("{'assessment':{'score':{'>':70}}}"));
      assertRejected(ErrorCode.INVALID_PROPERTY_ERROR, "Invalid property for Score.", () -> criteria("{'assessment':{'score':{}}}"));
      assertRejected(ErrorCode.INVALID_PROPERTY_ERROR, "Invalid property for Score.",
          () -> criteria("{'assessment':{'score':{'>=':70,'gt':50}}}"));
      assertRejected(ErrorCode.DATA_TYPE_ERROR, "Data type of batch.template.criteria.assessment.score.>= should be Number.",
          () -> criteria("{'assessment':{'score':{'>=':'seventy'}}}"));
      for (String op : List.of(">=", "<=", "eq")) {
        assertEquals(Map.of(op, 50.0), criteria("{'assessment':{'score':{'" + op + "':50}}}").criteria().assessmentScore());
      }
    }

    @Test
    void userNeedsRootOrgId() {
      assertRejected(ErrorCode.DATA_TYPE_ERROR, "Data type of user should be Map.", () -> criteria("{'enrollment':{'status':2},'user':'org1'}"));
      assertRejected(ErrorCode.MANDATORY_PARAMETER_MISSING, "Mandatory parameter rootOrgId is missing.",
          () -> criteria("{'enrollment':{'status':2},'user':{}}"));
      assertRejected(ErrorCode.MANDATORY_PARAMETER_MISSING, "Mandatory parameter rootOrgId is missing.",
          () -> criteria("{'enrollment':{'status':2},'user':{'rootOrgId':' '}}"));
    }

    @Test
    void issuerIsAMapAndSignatoryListAList() {
      assertRejected(ErrorCode.DATA_TYPE_ERROR, null, () -> add("{'identifier':'T1','criteria':{'enrollment':{'status':2}},'issuer':'me'}"));
      assertRejected(ErrorCode.DATA_TYPE_ERROR, "Data type of signatoryList should be List.",
          () -> add("{'identifier':'T1','criteria':{'enrollment':{'status':2}},'signatoryList':{'name':'CEO'}}"));
    }

    @Test
    void everySignatoryNeedsEveryAttribute() {
      for (String missing : List.of("name", "id", "designation", "image")) {
        String signatory = "{'name':'CEO','id':'CEO','designation':'CEO','image':'i'}".replace("'" + missing + "':", "'other':");
        assertRejected(ErrorCode.INVALID_DATA, "Signatory list missing attribute",
            () -> add("{'identifier':'T1','criteria':{'enrollment':{'status':2}},'signatoryList':[" + signatory + "]}"));
      }
      assertRejected(ErrorCode.INVALID_DATA, "Signatory list missing attribute",
          () -> add("{'identifier':'T1','criteria':{'enrollment':{'status':2}},'signatoryList':['CEO']}"));
    }
  }
}
