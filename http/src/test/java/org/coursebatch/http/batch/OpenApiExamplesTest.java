package org.coursebatch.http.batch;

import org.coursebatch.core.access.AccessPolicy;
import org.coursebatch.core.access.AccessRoles;
import static org.coursebatch.http.OpenApiExamples.assertSameJson;
import static org.coursebatch.http.OpenApiExamples.requestOf;
import static org.coursebatch.http.OpenApiExamples.ts;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.Done;
import akka.http.javadsl.model.HttpRequest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.coursebatch.core.batch.Batch;
import org.coursebatch.core.batch.BatchQueries;
import org.coursebatch.core.batch.BatchSearch;
import org.coursebatch.core.batch.BatchStatus;
import org.coursebatch.core.batch.BatchView;
import org.coursebatch.core.batch.EnrollmentType;
import org.coursebatch.core.catalog.CatalogAdmin;
import org.coursebatch.core.catalog.Course;
import org.coursebatch.core.catalog.CourseCatalog;
import org.coursebatch.core.certificate.CertificateCriteria;
import org.coursebatch.core.certificate.CertificateTemplate;
import org.coursebatch.core.certificate.CertificateTemplateAsset;
import org.coursebatch.core.certificate.Signatory;
import org.coursebatch.core.identity.Caller;
import org.coursebatch.http.OpenApiExamples;
import org.coursebatch.http.api.ApiRequest;
import org.coursebatch.http.api.Endpoint;
import org.coursebatch.http.api.Envelope;
import org.coursebatch.http.catalog.CatalogEndpoints;
import org.coursebatch.http.ops.OpsEndpoints;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The examples of openapi.yaml are real: its request examples are accepted by the request
 * decoding, and its read, search and catalog results are exactly what the handlers produce.
 */
class OpenApiExamplesTest {

  private static final Caller CALLER = Caller.of("95e4942d-cbe8-477d-aebd-ad8e6de4bfc8", "CONTENT_CREATOR");

  private static OpenApiExamples doc;

  @BeforeAll
  static void load() {
    doc = OpenApiExamples.load();
  }

  private static List<JsonNode> requestExamples(String requestBody) {
    return doc.requestExamples(requestBody);
  }

  private static JsonNode responseExample(String response) {
    return doc.responseExample(response);
  }

  private static JsonNode call(List<Endpoint> endpoints, String method, String path, Map<String, String> params, JsonNode body)
      throws Exception {
    Endpoint e = endpoints.stream().filter(x -> x.method().name().equals(method) && x.path().equals(path)).findFirst().orElseThrow();
    var request = new ApiRequest(HttpRequest.create(), params, Optional.of(CALLER), Optional.ofNullable(body));
    return Envelope.JSON.valueToTree(e.handler().handle(request).toCompletableFuture().get(5, TimeUnit.SECONDS));
  }

  @Test
  void createExamplesDecode() {
    for (JsonNode example : requestExamples("CreateBatch")) {
      var batch = BatchRequests.newBatch(requestOf(example));
      assertEquals("do_1131396442662912001425", batch.courseId());
      assertNotNull(batch.startDate());
    }
  }

  @Test
  void updateExamplesDecode() {
    for (JsonNode example : requestExamples("UpdateBatch")) {
      var update = BatchRequests.update(requestOf(example));
      assertEquals("01315728917531852810", update.batchId());
      assertEquals("do_1131396442662912001425", update.changes().courseId());
    }
    var clearing = BatchRequests.update(requestOf(requestExamples("UpdateBatch").get(1)));
    assertTrue(clearing.changes().enrollmentEndDate().present());
    assertNull(clearing.changes().enrollmentEndDate().value());
  }

  @Test
  void searchExamplesDecode() {
    for (JsonNode example : requestExamples("SearchBatches")) {
      var search = BatchRequests.search(requestOf(example), 1000);
      assertEquals(List.of("do_1131396442662912001425"), search.courseIds().subList(0, 1));
    }
    var combined = BatchRequests.search(requestOf(requestExamples("SearchBatches").get(1)), 1000);
    assertEquals(List.of(BatchStatus.UPCOMING, BatchStatus.IN_PROGRESS), combined.statuses());
    assertEquals(2, combined.sort().size());
  }

  @Test
  void certificateTemplateExamplesDecode() {
    for (JsonNode example : requestExamples("AddCertificateTemplate")) {
      var r = BatchRequests.templateRequest(requestOf(example));
      var template = BatchRequests.template(r.template());
      assertEquals("Test_Template_4", template.identifier());
      assertEquals(2, template.criteria().enrollmentStatus());
    }
    for (JsonNode example : requestExamples("RemoveCertificateTemplate")) {
      var r = BatchRequests.templateRequest(requestOf(example));
      assertEquals("01315728917531852810", r.batchId());
    }
  }

  /** The batch of the read example. */
  private static Batch readExampleBatch() {
    var issuer = Envelope.JSON.createObjectNode().put("name", "Gujarat Council of Educational Research and Training")
        .put("url", "https://gcert.gujarat.gov.in/gcert/");
    var notify = Envelope.JSON.createObjectNode().put("emailTemplateType", "defaultCertTemp").put("subject", "Completion certificate")
        .put("stateImgUrl", "https://example.org/state.png").put("regards", "Minister of Gujarat").put("regardsperson", "Chairperson");
    var template = new CertificateTemplate("Test_Template_4", "Course completion", "https://example.org/cert/cbse.svg",
        new CertificateCriteria(2, null, null), issuer,
        List.of(new Signatory("CEO Gujarat", "CEO", "CEO", "https://example.org/signature.jpg")), notify, null);
    return new Batch("01315728917531852810", "do_1131396442662912001425", "test cert scalability", "batch description1", null,
        EnrollmentType.OPEN, LocalDate.parse("2020-11-23"), LocalDate.parse("2021-12-30"), null, "UTC",
        List.of("0126796199493140480"), List.of("7e5aa1c4-8b8a-4a55-9f5c-1f0b7f2a0c11"),
        "95e4942d-cbe8-477d-aebd-ad8e6de4bfc8", Instant.parse("2020-11-04T10:54:31.731Z"),
        "95e4942d-cbe8-477d-aebd-ad8e6de4bfc8", Instant.parse("2020-11-20T08:01:12.006Z"), BatchStatus.IN_PROGRESS,
        Map.of("Test_Template_4", template), null, null);
  }

  @Test
  void readExampleIsWhatBatchJsonWrites() {
    JsonNode example = responseExample("BatchRead");
    var view = BatchView.of(readExampleBatch(), ts(example));
    assertSameJson(example.at("/result/response"), BatchJson.view(view));
  }

  /**
   * The tree search's {@code fields=} and the enrolment lists pick fields from writes the record's
   * bytes: a stored decimal keeps its trailing zeros (a tree made with Jackson's default drops them).
   */
  @Test
  void aBatchAsATreeWritesTheBytesOfItsRecord() {
    Batch batch = readExampleBatch();
    var template = batch.certTemplates().get("Test_Template_4");
    var issuer = ((com.fasterxml.jackson.databind.node.ObjectNode) template.issuer().deepCopy())
        .put("weight", new java.math.BigDecimal("1.10"));
    var withDecimal = batch.withCertTemplates(Map.of(template.identifier(), new CertificateTemplate(template.identifier(),
        template.name(), template.url(), template.criteria(), issuer, template.signatoryList(), template.notifyTemplate(),
        template.additionalProps())), batch.updatedBy(), batch.updatedDate());
    var view = BatchView.of(withDecimal, Instant.parse("2020-11-28T09:12:44.318Z"));
    String tree = Envelope.text(BatchJson.view(view));
    assertEquals(Envelope.text(BatchDocument.of(view)), tree);
    assertTrue(tree.contains("\"weight\":1.10"), tree);
  }

  @Test
  void searchExampleIsWhatTheSearchEndpointAnswers() throws Exception {
    JsonNode example = responseExample("BatchSearchResult");
    Instant now = ts(example);
    var batch = new Batch("01315728917531852810", "do_1131396442662912001425", "test cert scalability", "batch description1", null,
        EnrollmentType.OPEN, LocalDate.parse("2020-11-23"), null, null, "UTC", List.of(), List.of(),
        "95e4942d-cbe8-477d-aebd-ad8e6de4bfc8", Instant.parse("2020-11-04T10:54:31.731Z"), null, null, BatchStatus.IN_PROGRESS, Map.of(), null, null);
    AtomicReference<BatchSearch> asked = new AtomicReference<>();
    BatchQueries queries = (search, at) -> {
      asked.set(search);
      return CompletableFuture.completedFuture(new BatchSearch.Page(15, List.of(BatchView.of(batch, at))));
    };
    var endpoints = new BatchEndpoints(null, queries, Clock.fixed(now, ZoneOffset.UTC), 1000, new AccessPolicy(AccessRoles.SUNBIRD)).endpoints();
    JsonNode body = requestExamples("SearchBatches").get(0);
    for (String path : List.of("/v1/course/batch/search", "/api/course/v1/batch/list")) {
      JsonNode result = call(endpoints, "POST", path, Map.of(), body);
      assertSameJson(example.get("result"), result);
      assertEquals(List.of("do_1131396442662912001425"), asked.get().courseIds());
      assertEquals(2, asked.get().limit());
    }
  }

  /** An in-memory catalog standing in for the built-in one. */
  private static final class MemoryCatalog implements CourseCatalog, CatalogAdmin {
    final Map<String, Course> courses = new java.util.HashMap<>();
    final Map<String, CertificateTemplateAsset> templates = new java.util.HashMap<>();

    @Override
    public CompletionStage<Optional<Course>> findCourse(String courseId) {
      return CompletableFuture.completedFuture(Optional.ofNullable(courses.get(courseId)));
    }

    @Override
    public CompletionStage<Optional<CertificateTemplateAsset>> findCertificateTemplate(String templateId) {
      return CompletableFuture.completedFuture(Optional.ofNullable(templates.get(templateId)));
    }

    @Override
    public CompletionStage<Done> putCourse(Course course, String actor) {
      courses.put(course.identifier(), course);
      return CompletableFuture.completedFuture(Done.getInstance());
    }

    @Override
    public CompletionStage<Done> putCertificateTemplate(CertificateTemplateAsset asset, String actor) {
      templates.put(asset.identifier(), asset);
      return CompletableFuture.completedFuture(Done.getInstance());
    }
  }

  @Test
  void catalogExamplesAreWhatTheCatalogEndpointsAnswer() throws Exception {
    var catalog = new MemoryCatalog();
    var endpoints = new CatalogEndpoints(catalog, catalog, new AccessPolicy(AccessRoles.SUNBIRD)).endpoints();

    String courseId = "do_1131396442662912001425";
    JsonNode putCourse = requestExamples("PutCourse").get(0);
    JsonNode registered = call(endpoints, "PUT", "/v1/catalog/course/{courseId}", Map.of("courseId", courseId), putCourse);
    assertSameJson(responseExample("CourseRegistered").get("result"), registered);
    JsonNode read = call(endpoints, "GET", "/v1/catalog/course/{courseId}", Map.of("courseId", courseId), null);
    assertSameJson(responseExample("CourseRead").get("result"), read);
    Course course = catalog.courses.get(courseId);
    assertTrue(course.trackable() && course.userConsent() && course.acceptsBatches());

    String templateId = "Test_Template_4";
    JsonNode putTemplate = requestExamples("PutCertificateTemplateAsset").get(0);
    JsonNode templateRegistered = call(endpoints, "PUT", "/v1/catalog/certificate-template/{templateId}",
        Map.of("templateId", templateId), putTemplate);
    assertSameJson(responseExample("CertificateTemplateAssetRegistered").get("result"), templateRegistered);
    JsonNode templateRead = call(endpoints, "GET", "/v1/catalog/certificate-template/{templateId}", Map.of("templateId", templateId), null);
    assertSameJson(responseExample("CertificateTemplateAssetRead").get("result"), templateRead);
  }

  @Test
  void successExamplesHaveTheResultShapesOfTheirSchemas() {
    ObjectNode created = Envelope.JSON.createObjectNode().put("response", "SUCCESS").put("batchId", "01315728917531852810");
    assertSameJson(created, responseExample("BatchCreated").get("result"));
    assertSameJson(created, responseExample("BatchUpdated").get("result"));
    ObjectNode success = Envelope.JSON.createObjectNode().put("response", "SUCCESS");
    assertSameJson(success, responseExample("CertificateTemplateAdded").get("result"));
    assertSameJson(success, responseExample("CertificateTemplateRemoved").get("result"));
  }

  @Test
  void healthExampleIsWhatTheHealthEndpointAnswers() throws Exception {
    JsonNode result = call(OpsEndpoints.endpoints(), "GET", "/health", Map.of(), null);
    assertSameJson(responseExample("Healthy").get("result"), result);
  }
}
