package org.coursebatch.node;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.coursebatch.node.ApiClient.Reply;
import org.coursebatch.persistence.testing.OnBothDatabases;
import org.coursebatch.persistence.testing.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Nodes whose courses and certificate templates come from a content service, over HTTP against a
 * real database: a fake Sunbird content service running as an HTTP server knows the courses (the
 * built-in catalog holds none), and fails or is down where a test says.
 */
@OnBothDatabases
class ContentServiceApiTest {

  @Nested
  class Contract extends NodeApiContract {

    Contract(TestDatabase database) {
      super(database);
    }

    static final String LEARNER_PREFIX = "learner";

    /** The content service of this class's node; started before it (see {@link #configOverrides}). */
    final FakeContentService content = FakeContentService.start();

    /** The node asks {@link #content}, keeping what it reads for an hour. */
    @Override
    Map<String, Object> configOverrides() {
      return contentSettings(content.url(), "1h");
    }

    @AfterAll
    void stopContentService() {
      content.close();
    }

    /**
     * Settings of a node whose content service is at {@code url}: one retry, and 5 s a call, ample for
     * a node's first call (its HTTP client starts then) on a busy machine; no test waits for it.
     */
    static Map<String, Object> contentSettings(String url, String cacheExpiry) {
      return Map.of("course-batch.content.url", url, "course-batch.content.timeout", "5s",
          "course-batch.content.retries", 1, "course-batch.content.retry-backoff", "50ms",
          "course-batch.content.breaker.max-failures", 1_000, "course-batch.content.cache.expiry", cacheExpiry,
          "course-batch.content.cache.not-found-expiry", "0s");
    }

    /** A node of its own (own data, own database) whose content service is at {@code url}, caching nothing. */
    TestNode nodeWithContentService(String url) throws Exception {
      return nodeWith(contentSettings(url, "0s"));
    }

    static String courseId() {
      return "do_remote_" + UUID.randomUUID().toString().substring(0, 8);
    }

    static String learner() {
      return LEARNER_PREFIX + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    static void assertContentServiceUnavailable(Reply r, String because) {
      assertError(r, 503, "SERVICE_UNAVAILABLE");
      assertTrue(r.errmsg().startsWith("Error while fetching course details: the content service is unavailable ("), r.errmsg());
      assertTrue(r.errmsg().contains(because), r.errmsg());
    }

    static Reply enrol(ApiClient client, String user, String courseId, String batchId) {
      return client.call("POST", "/v1/course/enroll", token(user), Map.of("courseId", courseId, "batchId", batchId));
    }

    /** Reports the course's two leaves ({@code _c1}, {@code _a1}) completed. */
    static Reply completeLeaves(ApiClient client, String user, String courseId, String batchId) {
      List<Map<String, Object>> contents = List.of(
          Map.of("courseId", courseId, "batchId", batchId, "contentId", courseId + "_c1", "status", 2),
          Map.of("courseId", courseId, "batchId", batchId, "contentId", courseId + "_a1", "status", 2));
      return client.call("PATCH", "/v1/content/state/update", token(user), Map.of("contents", contents));
    }

    static JsonNode contentList(ApiClient client, String user, String courseId, String batchId) {
      Reply r = client.call("POST", "/v1/content/state/read", token(user), Map.of("courseId", courseId, "batchId", batchId));
      assertEquals(200, r.status(), r.toString());
      return r.result().path("contentList");
    }

    /** How many batches of the course a search finds. */
    static int batchesOf(ApiClient client, String courseId) {
      Reply r = client.call("POST", "/v1/course/batch/search", token(STRANGER), Map.of("filters", Map.of("courseId", courseId)));
      assertEquals(200, r.status(), r.toString());
      return r.result().path("response").path("count").asInt();
    }

    @Test
    void aCourseOnlyTheContentServiceKnowsGetsBatchesEnrolmentsAndProgress() {
      String courseId = courseId();
      content.course(courseId);
      String batchId = createBatch(ongoingBatch(courseId));
      JsonNode batch = read(batchId);
      assertEquals(courseId, batch.path("courseId").asText());

      String user = learner();
      Reply enrolled = enrol(api, user, courseId, batchId);
      assertEquals(200, enrolled.status(), enrolled.toString());
      Reply progress = completeLeaves(api, user, courseId, batchId);
      assertEquals(200, progress.status(), progress.toString());
      assertEquals("SUCCESS", progress.result().path(courseId + "_c1").asText(), progress.toString());
      assertEquals("SUCCESS", progress.result().path(courseId + "_a1").asText(), progress.toString());

      Reply attempt = api.call("PATCH", "/v1/content/state/update", token(user),
          Map.of("assessments", List.of(attempt(user, courseId, batchId, "attempt-1", 2))));
      assertEquals(200, attempt.status(), attempt.toString());

      JsonNode states = contentList(api, user, courseId, batchId);
      assertEquals(2, states.size(), states.toString());
      states.forEach(s -> assertEquals(2, s.path("status").asInt(), states.toString()));
      Reply scored = api.call("POST", "/v1/content/state/read", token(user),
          Map.of("courseId", courseId, "batchId", batchId, "fields", List.of("score")));
      JsonNode quiz = scored.result().path("contentList").findParent("score");
      assertNotNull(quiz, scored.toString());
      assertEquals(courseId + "_a1", quiz.path("contentId").asText(), "the attempt at the hierarchy's question set: " + scored);
      assertEquals(2.0, quiz.path("score").path(0).path("totalScore").asDouble(), scored.toString());
      JsonNode enrolment = pollUntil(user + "'s enrolment", PROJECTION, () -> {
        Reply r = api.call("GET", "/v1/user/courses/list/" + user, token(user), null);
        assertEquals(200, r.status(), r.toString());
        return r.result().path("courses").path(0);
      }, e -> e.path("progress").asInt() == 2);
      assertEquals("Remote course " + courseId, enrolment.path("courseName").asText(), "the course's metadata comes from the content service");
      assertEquals(2, enrolment.path("leafNodesCount").asInt());
      assertEquals(100, enrolment.path("completionPercentage").asInt(), "every leaf of the hierarchy is done: " + enrolment);
      assertEquals(1, content.requestsFor(courseId), "every lookup of the course after the first was answered from the cache");
    }

    @Test
    void anUnknownCourseIsTheAnswerItIsWithTheBuiltInCatalog() {
      String courseId = courseId();
      Reply r = call("POST", "/v1/course/batch/create", CREATOR, ongoingBatch(courseId));
      assertError(r, 400, "INVALID_COURSE_ID");
      assertEquals("Course doesnot exist. Please provide a valid course identifier", r.errmsg());
      assertEquals(1, content.requestsFor(courseId));
    }

    @Test
    void theCatalogIsReadFromTheContentServiceAndNotWrittenHere() {
      String courseId = courseId();
      content.course(courseId);
      Reply read = call("GET", "/v1/catalog/course/" + courseId, STRANGER, null);
      assertEquals(200, read.status(), read.toString());
      assertEquals("Remote course " + courseId, read.result().path("content").path("name").asText());

      Map<String, Object> course = Map.of("name", "A local copy", "trackable", Map.of("enabled", "Yes"),
          "children", List.of(Map.of("identifier", courseId + "_local", "mimeType", "video/mp4")));
      Reply put = api.call("PUT", "/v1/catalog/course/" + courseId, token(CURATOR, "CONTENT_CREATOR"), course);
      assertError(put, 400, "CATALOG_READ_ONLY");
      assertEquals("Courses come from the content service at " + content.url()
          + "; register or change them there, where this service reads them.", put.errmsg());
      Reply template = api.call("PUT", "/v1/catalog/certificate-template/tmpl-local", token(CURATOR, "ORG_ADMIN"),
          Map.of("name", "A local template", "url", "https://certs/local.svg"));
      assertError(template, 400, "CATALOG_READ_ONLY");
      assertTrue(template.errmsg().startsWith("Certificate templates come from the content service at "), template.errmsg());
      assertError(api.call("PUT", "/v1/catalog/course/" + courseId, token(STRANGER), course), 403, "FORBIDDEN");

      Reply again = call("GET", "/v1/catalog/course/" + courseId, STRANGER, null);
      assertEquals("Remote course " + courseId, again.result().path("content").path("name").asText(), "nothing was written");
    }

    @Test
    void aCertificateTemplateComesFromTheContentService() {
      String courseId = courseId();
      content.course(courseId);
      String templateId = "do_template_" + UUID.randomUUID().toString().substring(0, 8);
      content.template(templateId);
      String batchId = createBatch(ongoingBatch(courseId));
      Map<String, Object> template = new HashMap<>(Map.of("identifier", templateId, "criteria", Map.of("enrollment", Map.of("status", 2))));
      Reply add = call("PATCH", "/v1/course/batch/cert/template/add", MENTOR,
          Map.of("batch", Map.of("courseId", courseId, "batchId", batchId, "template", template)));
      assertEquals(200, add.status(), add.toString());
      JsonNode attached = read(batchId).path("cert_templates").path(templateId);
      assertEquals("Remote template " + templateId, attached.path("name").asText());
      assertEquals("https://cdn.example.org/" + templateId + ".svg", attached.path("url").asText());
      assertEquals("Remote issuer", attached.path("issuer").path("name").asText());

      Reply unknown = call("PATCH", "/v1/course/batch/cert/template/add", MENTOR, Map.of("batch", Map.of("courseId", courseId,
          "batchId", batchId, "template", Map.of("identifier", "do_no_such_template", "criteria", Map.of("enrollment", Map.of("status", 2))))));
      assertError(unknown, 400, "CLIENT_ERROR");
      assertEquals("Invalid template Id: do_no_such_template", unknown.errmsg());
    }

    /**
     * A node that caches nothing, over a content service that starts failing for a course: what
     * needed the course is refused with 503 and nothing is written.
     */
    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class WhenTheContentServiceFails {
      FakeContentService failing;
      TestNode own;
      ApiClient client;

      @BeforeAll
      void startServiceAndNode() throws Exception {
        failing = FakeContentService.start();
        own = nodeWithContentService(failing.url());
        client = own.client();
      }

      @AfterAll
      void stopServiceAndNode() {
        if (own != null) {
          own.close();
        }
        if (failing != null) {
          failing.close();
        }
      }

      @Test
      void aBatchIsNotCreated() {
        String courseId = courseId();
        failing.failing(courseId, 500);
        assertContentServiceUnavailable(client.call("POST", "/v1/course/batch/create", token(CREATOR, "CONTENT_CREATOR"),
            ongoingBatch(courseId)), "it answered HTTP 500");
        assertEquals(2, failing.requestsFor(courseId), "the call and one retry");
        failing.course(courseId);
        createBatch(client, ongoingBatch(courseId));
        pollUntil("the batch that was created", PROJECTION, () -> batchesOf(client, courseId), n -> n > 0);
        assertEquals(1, batchesOf(client, courseId), "only the batch created once the service answered");
      }

      @Test
      void progressIsNotRecorded() {
        String courseId = courseId();
        failing.course(courseId);
        String batchId = createBatch(client, ongoingBatch(courseId));
        String user = learner();
        assertEquals(200, enrol(client, user, courseId, batchId).status());

        failing.failing(courseId, 503);
        assertContentServiceUnavailable(completeLeaves(client, user, courseId, batchId), "it answered HTTP 503");
        failing.course(courseId);
        assertEquals(0, contentList(client, user, courseId, batchId).size(), "nothing was recorded");
      }
    }

    /** A node whose content service is down (nothing listens on its port). */
    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class WhenTheContentServiceIsDown {
      TestNode own;
      ApiClient client;
      String closedUrl;

      @BeforeAll
      void startNode() throws Exception {
        closedUrl = "http://127.0.0.1:" + FreePorts.next();
        own = nodeWithContentService(closedUrl);
        client = own.client();
      }

      @AfterAll
      void stopNode() {
        if (own != null) {
          own.close();
        }
      }

      @Test
      void requestsThatNeedACourseAreUnavailableAndChangeNothing() {
        String courseId = courseId();
        assertContentServiceUnavailable(client.call("POST", "/v1/course/batch/create", token(CREATOR, "CONTENT_CREATOR"),
            ongoingBatch(courseId)), "cannot reach " + closedUrl);
        assertEquals(0, batchesOf(client, courseId));
        assertContentServiceUnavailable(client.call("GET", "/v1/catalog/course/" + courseId, token(STRANGER), null),
            "cannot reach " + closedUrl);
      }
    }
  }
}
