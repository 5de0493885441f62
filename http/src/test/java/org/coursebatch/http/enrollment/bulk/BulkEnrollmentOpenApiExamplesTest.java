package org.coursebatch.http.enrollment.bulk;

import static org.coursebatch.http.OpenApiExamples.assertSameJson;
import static org.coursebatch.http.OpenApiExamples.requestOf;
import static org.coursebatch.http.enrollment.bulk.BulkEnrollmentFixtures.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.io.IOException;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import org.coursebatch.core.enrollment.Participation;
import org.coursebatch.core.enrollment.bulk.AliasRequest;
import org.coursebatch.core.enrollment.bulk.AliasResponse;
import org.coursebatch.core.enrollment.bulk.CreateResponse;
import org.coursebatch.core.enrollment.bulk.DeleteResponse;
import org.coursebatch.core.enrollment.bulk.EnrollmentBatchAdmin;
import org.coursebatch.core.enrollment.bulk.EnrollmentForm;
import org.coursebatch.core.enrollment.bulk.EnrollmentPeer;
import org.coursebatch.core.enrollment.bulk.EnrollmentProgress;
import org.coursebatch.core.enrollment.bulk.UpdateResponse;
import org.coursebatch.core.error.ErrorCode;
import org.coursebatch.http.OpenApiExamples;
import org.coursebatch.http.api.Envelope;
import org.coursebatch.http.ops.OpsEndpoints;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The bulk enrolment examples of openapi.yaml are real: request examples decode to what the
 * session is given, results are what the bulk result records write for the outcomes they describe,
 * and the item schemas document every field written.
 */
class BulkEnrollmentOpenApiExamplesTest {

  private static final String WAITING = "5f2d8c1e-6a7b-4c3d-9e0f-1a2b3c4d5e6f";
  private static final String WAITING_ID = BATCH_ID + ":" + WAITING + ":1";
  private static OpenApiExamples doc;
  private static JsonNode yaml;

  @BeforeAll
  static void load() throws IOException {
    doc = OpenApiExamples.load();
    yaml = new ObjectMapper(new YAMLFactory()).readTree(OpsEndpoints.openApiDocument());
  }

  @Test
  void formRequestsDecode() {
    var forms = doc.requestExamples("FormsForCreate");
    var withProgress = BulkEnrollmentRequests.formsForCreate(requestOf(forms.get(0)));
    assertEquals(List.of(new EnrollmentPeer(BATCH_ID, LEARNER), new EnrollmentPeer(BATCH_ID, OTHER_LEARNER)), withProgress.peers());
    assertEquals(EnrollmentBatchAdmin.SUPPORTED_RECORD_TYPES, withProgress.recordTypes());
    assertEquals(List.of(), BulkEnrollmentRequests.formsForCreate(requestOf(forms.get(1))).recordTypes());

    assertEquals(List.of(ENROLLMENT.toString(), "sis-2024-0042"),
        BulkEnrollmentRequests.enrollmentIds(requestOf(doc.requestExamples("EnrollmentIds").get(0))));
    assertEquals(List.of(new AliasRequest(ENROLLMENT.toString(), "sis-2024-0042"), new AliasRequest(OTHER_ENROLLMENT.toString(), "sis-2024-0043")),
        BulkEnrollmentRequests.aliases(requestOf(doc.requestExamples("Aliases").get(0))));
  }

  @Test
  void submittedFormsDecodeToTheirTokens() {
    var create = doc.requestExamples("SubmitCreateForms");
    assertEquals(List.of(submitted(CREATE_FORM_ID, CREATE_TOKEN, null)), BulkEnrollmentRequests.createForms(requestOf(create.get(0))));
    assertEquals(List.of(submitted(null, CREATE_TOKEN, null), submitted(null, OTHER_CREATE_TOKEN, null)),
        BulkEnrollmentRequests.createForms(requestOf(create.get(1))));
    assertEquals(List.of(submitted(UPDATE_FORM_ID, UPDATE_TOKEN, false)),
        BulkEnrollmentRequests.updateForms(requestOf(doc.requestExamples("SubmitUpdateForms").get(0))));
    assertSameJson(doc.requestExamples("SubmitCreateForms").get(0).at("/request/forms/0"),
        tree(EnrollmentFormsResult.Form.of(createForm(CREATE_FORM_ID, LEARNER, CREATE_TOKEN))));
  }

  private static EnrollmentForm submitted(String id, String token, Boolean active) {
    return new EnrollmentForm(id, null, null, null, null, List.of(), null, List.of(), token, active);
  }

  @Test
  void formsAreWhatTheRecordsWrite() {
    assertSameJson(doc.responseExample("EnrollmentFormsForCreate").get("result"), tree(EnrollmentFormsResult.of(createForms())));
    assertSameJson(doc.responseExample("EnrollmentFormsForUpdate").get("result"), tree(EnrollmentFormsResult.of(List.of(updateForm()))));
  }

  private static <T> void assertItems(JsonNode example, List<T> outcomes, Function<T, ?> render) {
    ArrayNode items = Envelope.JSON.createArrayNode();
    outcomes.forEach(o -> items.add(tree(render.apply(o))));
    assertSameJson(example.at("/result/responses"), items);
  }

  @Test
  void streamedItemsAreWhatTheRecordsWrite() {
    var progress = new EnrollmentProgress(0, 0, 0);
    assertItems(doc.responseExamples("EnrollmentsCreated").get("mixed"), List.of(
        new CreateResponse(CREATE_FORM_ID, ENROLLMENT.toString(), Participation.ACTIVE, null, progress, null),
        new CreateResponse("3c9b8a7d-6e5f-4a3b-9c2d-1e0f9a8b7c6d", WAITING_ID, Participation.WAITLISTED, 1, progress, null),
        new CreateResponse(OTHER_CREATE_FORM_ID, null, null, null, null, ErrorCode.USER_ALREADY_ENROLLED_COURSE.reject()),
        new CreateResponse("d4c3b2a1-0f9e-4d8c-8b7a-69584f3e2d1c", null, null, null, null,
            ErrorCode.FORM_EXPIRED.reject("d4c3b2a1-0f9e-4d8c-8b7a-69584f3e2d1c", java.time.Instant.parse("2024-05-01T09:30:00Z")))),
        CreateItem::of);

    String usedForm = "f0e1d2c3-b4a5-4968-8776-655443322110";
    assertItems(doc.responseExamples("EnrollmentsUpdated").get("mixed"), List.of(
        new UpdateResponse(UPDATE_FORM_ID, ENROLLMENT.toString(), Participation.INACTIVE, null, null),
        new UpdateResponse(usedForm, OTHER_ENROLLMENT.toString(), null, null, ErrorCode.FORM_ALREADY_USED.reject(usedForm)),
        new UpdateResponse("0a1b2c3d-4e5f-4a6b-8c7d-8e9f0a1b2c3d", WAITING_ID, null, null, ErrorCode.NULL_ARGUMENT.reject("active"))),
        UpdateItem::of);

    var deleted = List.of(new DeleteResponse(ENROLLMENT.toString(), ENROLLMENT.toString(), null),
        new DeleteResponse("sis-2024-0043", OTHER_ENROLLMENT.toString(), null),
        new DeleteResponse("sis-unknown", null, ErrorCode.ENROLLMENT_NOT_FOUND.reject("sis-unknown")));
    var deletions = doc.responseExamples("EnrollmentsDeleted");
    assertItems(deletions.get("byIdOrAlias"), deleted, DeleteItem::of);
    assertItems(deletions.get("brokenOff"), deleted.subList(0, 1), DeleteItem::of);

    String misfit = BATCH_ID + ":" + LEARNER + ":7";
    assertItems(doc.responseExamples("EnrollmentsAliased").get("mixed"), List.of(
        new AliasResponse("sis-2024-0042", ENROLLMENT.toString(), null, null),
        new AliasResponse("sis-2024-0043", OTHER_ENROLLMENT.toString(), WAITING_ID, null),
        new AliasResponse(misfit, null, null, ErrorCode.ALIAS_INVALID.reject("Alias " + misfit
            + " has the form of an enrolment id (batchId:userId:number); choose one that does not."))),
        AliasItem::of);
  }

  @Test
  void theEnrolmentReadIsWhatItsRecordWrites() {
    assertSameJson(doc.responseExample("EnrollmentRead").get("result"), tree(EnrollmentReadResult.of(found())));
  }

  /** {@code value} as the API writes it. */
  private static JsonNode tree(Object value) {
    return Envelope.JSON.valueToTree(value);
  }

  private static Set<String> properties(String schema) {
    Set<String> out = new TreeSet<>();
    yaml.at("/components/schemas/" + schema + "/properties").fieldNames().forEachRemaining(out::add);
    return out;
  }

  private static void assertDocumented(String schema, JsonNode objects) {
    for (JsonNode o : objects) {
      o.fieldNames().forEachRemaining(f -> assertTrue(properties(schema).contains(f), schema + " documents " + f));
    }
  }

  @Test
  void theSchemasDocumentEveryFieldWritten() {
    assertDocumented("CreateItem", doc.responseExamples("EnrollmentsCreated").get("mixed").at("/result/responses"));
    assertDocumented("UpdateItem", doc.responseExamples("EnrollmentsUpdated").get("mixed").at("/result/responses"));
    assertDocumented("DeleteItem", doc.responseExamples("EnrollmentsDeleted").get("byIdOrAlias").at("/result/responses"));
    assertDocumented("AliasItem", doc.responseExamples("EnrollmentsAliased").get("mixed").at("/result/responses"));
    assertDocumented("ItemError", Envelope.JSON.createArrayNode().add(tree(ItemError.of(ErrorCode.OPERATION_FAILED.reject("x")))));
    JsonNode updateForm = tree(EnrollmentFormsResult.Form.of(updateForm()));
    assertDocumented("EnrollmentForm", Envelope.JSON.createArrayNode().add(updateForm));
    assertDocumented("FormField", updateForm.get("metadata"));
    Set<String> written = new TreeSet<>();
    tree(EnrollmentReadResult.of(found())).get("enrollment").fieldNames().forEachRemaining(written::add);
    written.add("completedOn");
    assertEquals(written, properties("Enrollment"), "the enrolment read");
  }
}
