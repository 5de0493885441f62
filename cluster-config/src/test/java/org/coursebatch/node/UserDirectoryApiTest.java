package org.coursebatch.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.coursebatch.core.testing.MutableClock;
import org.coursebatch.node.ApiClient.Reply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The built-in user directory over HTTP against a running node on the embedded H2 default: who may
 * write and read profiles, and that a template's {@code user.rootOrgId} criterion is checked
 * against the profile recorded there when learners complete a course.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class UserDirectoryApiTest {

  static final String ORG_ADMIN = "org-admin-1";
  static final String CREATOR = "creator-1";
  static final String CURATOR = "curator-1";
  static final Duration PROJECTION = Duration.ofSeconds(20);

  TestNode node;
  ApiClient api;
  MutableClock clock;

  @BeforeAll
  void startNode() throws Exception {
    Path dir = Files.createTempDirectory("user-directory-api");
    clock = MutableClock.startingNow();
    node = TestNode.start(dir, null, clock);
    api = node.client();
  }

  @AfterAll
  void stopNode() {
    if (node != null) {
      node.close();
    }
  }

  // ---- helpers ----

  static String user(String name) {
    return name + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  static String adminToken() {
    return TestNode.token(ORG_ADMIN, "ORG_ADMIN");
  }

  Reply call(String method, String path, String token, Object request) {
    return api.call(method, path, token, request);
  }

  Reply putProfile(String token, String userId, Object rootOrgId) {
    Map<String, Object> request = new HashMap<>();
    request.put("rootOrgId", rootOrgId);
    return call("PUT", "/v1/user/profile/" + userId, token, request);
  }

  Reply getProfile(String token, String userId) {
    return call("GET", "/v1/user/profile/" + userId, token, null);
  }

  static void assertOk(Reply r, String apiId) {
    assertEquals(200, r.status(), r.toString());
    assertEquals(apiId, r.body().path("id").asText(), r.toString());
    assertEquals("success", r.body().path("params").path("status").asText(), r.toString());
  }

  static void assertError(Reply r, int status, String err, String apiId) {
    assertEquals(status, r.status(), r.toString());
    assertEquals(err, r.err(), r.toString());
    assertEquals(err, r.body().path("params").path("status").asText(), r.toString());
    assertEquals(apiId, r.body().path("id").asText(), r.toString());
    assertFalse(r.errmsg() == null || r.errmsg().isBlank(), r.toString());
    assertEquals("{}", r.result().toString(), r.toString());
  }

  void assertStoredRootOrg(String userId, String rootOrgId) {
    Reply r = getProfile(adminToken(), userId);
    assertOk(r, "api.user.profile.read");
    assertEquals(userId, r.result().path("profile").path("userId").asText(), r.toString());
    JsonNode stored = r.result().path("profile").path("rootOrgId");
    assertEquals(rootOrgId, stored.isNull() ? null : stored.asText(), r.toString());
  }

  // ---- profiles ----

  @Test
  void anAdminRecordsAProfileAndTheUserReadsIt() {
    String learner = user("learner");
    Reply put = putProfile(adminToken(), learner, "org-a");
    assertOk(put, "api.user.profile.put");
    assertEquals("SUCCESS", put.result().path("response").asText(), put.toString());
    assertEquals(learner, put.result().path("userId").asText(), put.toString());

    Reply own = getProfile(TestNode.token(learner), learner);
    assertOk(own, "api.user.profile.read");
    assertEquals(learner, own.result().path("profile").path("userId").asText(), own.toString());
    assertEquals("org-a", own.result().path("profile").path("rootOrgId").asText(), own.toString());
    assertStoredRootOrg(learner, "org-a");

    assertOk(putProfile(TestNode.token("sys-admin-1", "SYSTEM_ADMINISTRATION"), learner, null), "api.user.profile.put");
    assertStoredRootOrg(learner, null);
  }

  @Test
  void writingNeedsAnAdminRole() {
    String learner = user("learner");
    assertOk(putProfile(adminToken(), learner, "org-a"), "api.user.profile.put");
    for (String token : List.of(TestNode.token(learner), TestNode.token(CURATOR, "CONTENT_CREATOR"))) {
      Reply r = putProfile(token, learner, "org-b");
      assertError(r, 403, "FORBIDDEN", "api.user.profile.put");
      assertEquals("FORBIDDEN", r.body().path("responseCode").asText());
      assertEquals("Writing the user directory needs one of the roles [ORG_ADMIN, SYSTEM_ADMINISTRATION].", r.errmsg());
    }
    assertStoredRootOrg(learner, "org-a");
  }

  @Test
  void readingSomeoneElsesProfileIs401() {
    String learner = user("learner");
    assertOk(putProfile(adminToken(), learner, "org-a"), "api.user.profile.put");
    Reply r = getProfile(TestNode.token(user("other"), "CONTENT_CREATOR"), learner);
    assertError(r, 401, "UNAUTHORIZED_USER", "api.user.profile.read");
    assertError(getProfile(null, learner), 401, "UNAUTHORIZED_USER", "api.user.profile.read");
    assertError(getProfile(TestNode.token(user("other")), user("nobody")), 401, "UNAUTHORIZED_USER", "api.user.profile.read");
  }

  @Test
  void anUnknownUserIs404() {
    String nobody = user("nobody");
    Reply byAdmin = getProfile(adminToken(), nobody);
    assertError(byAdmin, 404, "RESOURCE_NOT_FOUND", "api.user.profile.read");
    assertEquals("User " + nobody + " has no profile in the user directory.", byAdmin.errmsg());
    assertError(getProfile(TestNode.token(nobody), nobody), 404, "RESOURCE_NOT_FOUND", "api.user.profile.read");
  }

  @Test
  void badBodiesAre400AndRecordNothing() {
    String learner = user("learner");
    Reply notAString = putProfile(adminToken(), learner, 42);
    assertError(notAString, 400, "DATA_TYPE_ERROR", "api.user.profile.put");
    assertEquals("Data type of rootOrgId should be String.", notAString.errmsg());
    assertError(api.send("PUT", "/v1/user/profile/" + learner, "{}", Map.of("Authorization", "Bearer " + adminToken())),
        400, "MANDATORY_PARAMETER_MISSING", "api.user.profile.put");
    assertError(getProfile(adminToken(), learner), 404, "RESOURCE_NOT_FOUND", "api.user.profile.read");
  }

  // ---- the rootOrgId certificate criterion, end to end ----

  @Test
  void onlyTheLearnerOfTheTemplatesRootOrganisationGetsACertificate() {
    String suffix = UUID.randomUUID().toString().substring(0, 8);
    String courseId = "do_course_" + suffix;
    String leafId = courseId + "_leaf";
    Map<String, Object> course = Map.of("name", "Course " + courseId, "status", "Live", "trackable", Map.of("enabled", "Yes"),
        "children", List.of(Map.of("identifier", leafId, "name", "Video", "mimeType", "video/mp4")));
    String curator = TestNode.token(CURATOR, "CONTENT_CREATOR");
    Reply registered = call("PUT", "/v1/catalog/course/" + courseId, curator, course);
    assertEquals(200, registered.status(), registered.toString());
    assertEquals(1, registered.result().path("leafNodesCount").asInt(), registered.toString());

    String templateId = "tmpl_org_a_" + suffix;
    Reply asset = call("PUT", "/v1/catalog/certificate-template/" + templateId, curator, Map.of(
        "name", "Org A completion", "url", "https://certs/" + templateId + ".svg",
        "issuer", Map.of("name", "Org A", "url", "https://org-a"),
        "signatoryList", List.of(Map.of("name", "CEO", "id", "CEO", "designation", "CEO", "image", "https://img"))));
    assertEquals(200, asset.status(), asset.toString());

    LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
    Reply created = call("POST", "/v1/course/batch/create", TestNode.token(CREATOR), Map.of(
        "courseId", courseId, "name", "Batch " + suffix, "enrollmentType", "open",
        "startDate", today.toString(), "endDate", today.plusDays(30).toString()));
    assertEquals(200, created.status(), created.toString());
    String batchId = created.result().path("batchId").asText();

    Map<String, Object> criteria = Map.of("enrollment", Map.of("status", 2), "user", Map.of("rootOrgId", "org-a"));
    Reply added = call("PATCH", "/v1/course/batch/cert/template/add", TestNode.token(CREATOR), Map.of("batch",
        Map.of("courseId", courseId, "batchId", batchId, "template", Map.of("identifier", templateId, "criteria", criteria))));
    assertEquals(200, added.status(), added.toString());

    String inOrgA = user("learner-a");
    String inOrgB = user("learner-b");
    for (var learner : Map.of(inOrgA, "org-a", inOrgB, "org-b").entrySet()) {
      Reply enrolled = call("POST", "/v1/course/enroll", TestNode.token(learner.getKey()),
          Map.of("courseId", courseId, "batchId", batchId));
      assertEquals(200, enrolled.status(), enrolled.toString());
      assertOk(putProfile(adminToken(), learner.getKey(), learner.getValue()), "api.user.profile.put");
    }
    for (String learner : List.of(inOrgA, inOrgB)) {
      Reply progress = call("PATCH", "/v1/content/state/update", TestNode.token(learner), Map.of("contents", List.of(
          Map.of("courseId", courseId, "batchId", batchId, "contentId", leafId, "status", 2))));
      assertEquals(200, progress.status(), progress.toString());
      assertEquals("SUCCESS", progress.result().path(leafId).asText(), progress.toString());
    }

    JsonNode a = completedEnrolment(inOrgA, batchId);
    assertEquals(1, a.path("certificates").size(), a.toString());
    assertEquals(templateId, a.path("certificates").path(0).path("templateId").asText(), a.toString());
    assertEquals(a.path("certificates"), a.path("issuedCertificates"), a.toString());

    JsonNode b = completedEnrolment(inOrgB, batchId);
    assertTrue(b.path("certificates").isArray() && b.path("certificates").isEmpty(), "org-b is not the template's root organisation: " + b);
    assertTrue(b.path("issuedCertificates").isEmpty(), b.toString());
  }

  /**
   * The learner's entry for the batch once the enrolment list (a projection) shows it completed.
   * Completion and the certificates it earns are recorded together, so a completed entry shows
   * every certificate the completion issued.
   */
  JsonNode completedEnrolment(String learner, String batchId) {
    long deadline = System.nanoTime() + PROJECTION.toNanos();
    JsonNode last = null;
    while (System.nanoTime() < deadline) {
      Reply r = call("GET", "/v1/user/courses/list/" + learner, TestNode.token(learner), null);
      assertEquals(200, r.status(), r.toString());
      for (JsonNode entry : r.result().path("courses")) {
        if (entry.path("batchId").asText().equals(batchId)) {
          last = entry;
          if (entry.path("status").asInt() == 2) {
            return entry;
          }
        }
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    fail("The enrolment of " + learner + " never showed as completed; last: " + last);
    return null;
  }
}
