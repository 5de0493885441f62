package org.coursebatch.http.enrollment.bulk;

import static org.coursebatch.http.RequestAssertions.json;
import static org.coursebatch.http.enrollment.bulk.BulkEnrollmentFixtures.*;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.coursebatch.core.enrollment.Participation;
import org.coursebatch.core.enrollment.bulk.AliasResponse;
import org.coursebatch.core.enrollment.bulk.CreateResponse;
import org.coursebatch.core.enrollment.bulk.DeleteResponse;
import org.coursebatch.core.enrollment.bulk.EnrollmentForm;
import org.coursebatch.core.enrollment.bulk.EnrollmentProgress;
import org.coursebatch.core.enrollment.bulk.UpdateResponse;
import org.coursebatch.core.error.ErrorCode;
import org.coursebatch.http.api.Envelope;
import org.junit.jupiter.api.Test;

/** The JSON of forms, of each kind of item response and of an enrolment (the openapi.yaml examples check whole results). */
class BulkEnrollmentResultsTest {

  private static final String ID = ENROLLMENT.toString();

  /** {@code value} as the API writes it. */
  private static JsonNode tree(Object value) {
    return Envelope.JSON.valueToTree(value);
  }

  private static List<String> fieldNames(JsonNode o) {
    List<String> out = new java.util.ArrayList<>();
    o.fieldNames().forEachRemaining(out::add);
    return out;
  }

  @Test
  void aCreateFormHasNoEnrollmentIdAndItsMetadataCarriesValues() {
    JsonNode f = tree(EnrollmentFormsResult.Form.of(createForm(CREATE_FORM_ID, LEARNER, CREATE_TOKEN)));
    assertEquals(List.of("id", "kind", "batchId", "userId", "recordTypes", "expiresAt", "metadata", "token"), fieldNames(f));
    assertEquals("create", f.get("kind").asText());
    assertEquals("2024-05-01T11:00:01Z", f.get("expiresAt").asText(), "an ISO-8601 instant");
    assertEquals(json("['enrollment:progress@coursebatch']"), f.get("recordTypes"));
    assertEquals(json("{'name':'userId','type':'string','readOnly':true,'required':true,'value':'" + LEARNER + "',"
        + "'description':'The learner (student) to enrol.'}"), f.at("/metadata/1"));
    assertEquals(CREATE_TOKEN, f.get("token").asText());
  }

  @Test
  void anUpdateFormNamesItsEnrolmentAndItsBooleanField() {
    JsonNode f = tree(EnrollmentFormsResult.Form.of(updateForm()));
    assertEquals("update", f.get("kind").asText());
    assertEquals(ID, f.get("enrollmentId").asText());
    assertEquals(json("[]"), f.get("recordTypes"));
    JsonNode active = f.at("/metadata/3");
    assertEquals("active", active.get("name").asText());
    assertEquals("boolean", active.get("type").asText());
    assertEquals(false, active.get("readOnly").asBoolean());
    assertEquals(true, active.get("value").booleanValue());
    assertEquals(false, f.has("active"), "a form as issued sets nothing");
  }

  @Test
  void aSubmittedFormShowsOnlyWhatItHas() {
    var submitted = new EnrollmentForm("f1", null, null, null, null, List.of(), null, List.of(), "t1", false);
    assertEquals(json("{'id':'f1','recordTypes':[],'metadata':[],'token':'t1','active':false}"), tree(EnrollmentFormsResult.Form.of(submitted)));
  }

  @Test
  void formsAreListedInOrder() {
    JsonNode result = tree(EnrollmentFormsResult.of(createForms()));
    assertEquals(List.of(CREATE_FORM_ID, OTHER_CREATE_FORM_ID), result.get("forms").findValuesAsText("id"));
  }

  @Test
  void createResponses() {
    assertEquals(json("{'formId':'f1','enrollmentId':'" + ID + "','successful':true,'participation':'ACTIVE'}"),
        tree(CreateItem.of(new CreateResponse("f1", ID, Participation.ACTIVE, null, null, null))));
    assertEquals(json("{'formId':'f1','enrollmentId':'" + ID + "','successful':true,'participation':'WAITLISTED','waitlistPosition':3,"
            + "'progress':{'status':1,'progress':2,'completionPercentage':40}}"),
        tree(CreateItem.of(new CreateResponse("f1", ID, Participation.WAITLISTED, 3, new EnrollmentProgress(1, 2, 40), null))));
    assertEquals(json("{'formId':'f2','successful':false,'error':{'err':'USER_ALREADY_ENROLLED_COURSE',"
            + "'errmsg':'User has already Enrolled this course .','responseCode':'CLIENT_ERROR'}}"),
        tree(CreateItem.of(new CreateResponse("f2", null, null, null, null, ErrorCode.USER_ALREADY_ENROLLED_COURSE.reject()))));
  }

  @Test
  void aFormWhoseTokenCouldNotBeReadMayHaveNoFormId() {
    assertEquals(json("{'successful':false,'error':{'err':'NULL_ARGUMENT','errmsg':'token is required.','responseCode':'CLIENT_ERROR'}}"),
        tree(CreateItem.of(new CreateResponse(null, null, null, null, null, ErrorCode.NULL_ARGUMENT.reject("token")))));
  }

  @Test
  void updateResponses() {
    assertEquals(json("{'formId':'f1','enrollmentId':'" + ID + "','successful':true,'participation':'INACTIVE'}"),
        tree(UpdateItem.of(new UpdateResponse("f1", ID, Participation.INACTIVE, null, null))));
    assertEquals(json("{'formId':'f1','enrollmentId':'" + ID + "','successful':false,'error':{'err':'FORM_ALREADY_USED',"
            + "'errmsg':'Form f1 was already used; request a new form.','responseCode':'CLIENT_ERROR'}}"),
        tree(UpdateItem.of(new UpdateResponse("f1", ID, null, null, ErrorCode.FORM_ALREADY_USED.reject("f1")))));
  }

  @Test
  void deleteResponsesNameTheIdAsRequestedAndThePrimaryId() {
    assertEquals(json("{'enrollmentId':'sis-42','primaryId':'" + ID + "','successful':true}"),
        tree(DeleteItem.of(new DeleteResponse("sis-42", ID, null))));
    assertEquals(json("{'enrollmentId':'" + ID + "','primaryId':'" + ID + "','successful':true}"),
        tree(DeleteItem.of(new DeleteResponse(ID, ID, null))));
    assertEquals(json("{'enrollmentId':'nope','successful':false,'error':{'err':'NOT_FOUND','errmsg':'Enrollment nope does not exist.',"
            + "'responseCode':'RESOURCE_NOT_FOUND'}}"),
        tree(DeleteItem.of(new DeleteResponse("nope", null, ErrorCode.ENROLLMENT_NOT_FOUND.reject("nope")))));
  }

  @Test
  void aliasResponses() {
    assertEquals(json("{'aliasId':'sis-42','enrollmentId':'" + ID + "','successful':true}"),
        tree(AliasItem.of(new AliasResponse("sis-42", ID, null, null))));
    assertEquals(json("{'aliasId':'sis-42','enrollmentId':'" + ID + "','previousEnrollmentId':'b0:u0:1','successful':true}"),
        tree(AliasItem.of(new AliasResponse("sis-42", ID, "b0:u0:1", null))));
    assertEquals(json("{'aliasId':'b1:u1:1','successful':false,'error':{'err':'INVALID_ALIAS','errmsg':'bad','responseCode':'CLIENT_ERROR'}}"),
        tree(AliasItem.of(new AliasResponse("b1:u1:1", null, null, ErrorCode.ALIAS_INVALID.reject("bad")))));
  }

  @Test
  void itemErrorsCarryTheResponseCodeOfTheirCode() {
    assertEquals(json("{'err':'PERMISSION_DENIED','errmsg':'no','responseCode':'FORBIDDEN'}"),
        tree(ItemError.of(ErrorCode.PERMISSION_DENIED.reject("no"))));
    assertEquals(json("{'err':'OPERATION_FAILED','errmsg':'retry','responseCode':'SERVICE_UNAVAILABLE'}"),
        tree(ItemError.of(ErrorCode.OPERATION_FAILED.reject("retry"))));
  }

  @Test
  void anEnrolmentWithItsPrimaryIdAndNoNulls() {
    JsonNode e = tree(EnrollmentReadResult.of(found())).get("enrollment");
    assertEquals(List.of("enrollmentId", "batchId", "userId", "courseId", "participation", "active", "invited", "status", "progress",
        "completionPercentage", "enrolledDate", "addedBy", "lastReadContentId", "lastReadContentStatus", "lastContentAccessTime",
        "certificates"), fieldNames(e), "completedOn is left out until the course is completed");
    assertEquals(ID, e.get("enrollmentId").asText());
    assertEquals("ACTIVE", e.get("participation").asText());
    assertEquals(1, e.get("status").asInt());
    assertEquals(1, e.get("progress").asInt());
    assertEquals("2024-04-30 09:12:01:512+0000", e.get("enrolledDate").asText());
  }
}
