package org.coursebatch.node;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.coursebatch.node.ApiClient.Reply;
import org.coursebatch.persistence.db.DatabaseSettings;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * A node whose users come from a Sunbird user service (a real HTTP server in this JVM) and which
 * holds no profile of its own: authority comes from the root organisations the service gives,
 * bulk enrolment reports the learners it does not know item by item, reports show the profiles
 * and consents it holds, and the node's own profile routes say where users are changed.
 */
class UserServiceNodeTest extends NodeApiContract {

  static final String ORG_A = "org-remote-a";
  static final String ORG_B = "org-remote-b";
  static final String ORG_ADMIN = "remote-org-admin";
  static final int PAGE_SIZE = 50;
  private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("dd/MM/yyyy").withZone(ZoneOffset.UTC);

  FakeUserService users;

  @Override
  DatabaseSettings database(Path dataDir) {
    return null;
  }

  /** Called once, as the node starts: the service must answer before the node asks it. */
  @Override
  Map<String, Object> configOverrides() {
    try {
      if (users == null) {
        users = FakeUserService.start();
        users.user(CREATOR, ORG_A);
        users.user(ORG_ADMIN, ORG_A);
      }
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    // No cache of root organisations: what the node asks is what it needs, not what it remembers.
    return Map.of("course-batch.users.url", users.url(), "course-batch.users.page-size", PAGE_SIZE,
        "course-batch.users.parallelism", 2, "course-batch.users.timeout", "5s", "course-batch.users.cache.ttl", "0s");
  }

  @AfterAll
  void stopService() {
    if (users != null) {
      users.close();
    }
  }

  static String orgAdminToken() {
    return token(ORG_ADMIN, "ORG_ADMIN");
  }

  /** A new user the service places in {@code org}. */
  String learnerOf(String org) {
    String id = "learner-" + UUID.randomUUID().toString().substring(0, 8);
    users.user(id, org);
    return id;
  }

  String batchForOrgA(String courseId) {
    Map<String, Object> batch = ongoingBatch(courseId);
    batch.put("createdFor", List.of(ORG_A));
    return createBatch(batch);
  }

  Reply onBehalf(String courseId, String batchId, String userId) {
    return api.call("POST", "/v1/course/admin/enroll", orgAdminToken(),
        Map.of("courseId", courseId, "batchId", batchId, "userId", userId));
  }

  @Test
  void theServicesOrgAdminEnrolsLearnersOfTheirOrganisationOnly() {
    String courseId = registerCourse(true);
    String batchId = batchForOrgA(courseId);
    String ours = learnerOf(ORG_A);
    String theirs = learnerOf(ORG_B);

    Reply enrolled = onBehalf(courseId, batchId, ours);
    assertEquals(200, enrolled.status(), enrolled.toString());
    assertError(onBehalf(courseId, batchId, theirs), 401, "UNAUTHORIZED_USER");
    assertError(onBehalf(courseId, batchId, "nobody-" + UUID.randomUUID()), 401, "UNAUTHORIZED_USER");
  }

  @Test
  void bulkEnrolmentReportsTheLearnersTheServiceDoesNotKnowItemByItem() {
    String courseId = registerCourse(true);
    String batchId = batchForOrgA(courseId);
    List<String> learners = new ArrayList<>();
    List<String> unknown = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      if (i % 40 == 7) {
        String nobody = "nobody-" + UUID.randomUUID().toString().substring(0, 8);
        unknown.add(nobody);
        learners.add(nobody);
      } else {
        learners.add(learnerOf(ORG_A));
      }
    }
    int searchesBefore = users.searches().size();

    Reply formsReply = api.call("POST", "/v1/enrollments/batch/forms/create", orgAdminToken(),
        Map.of("peers", learners.stream().map(u -> Map.of("batchId", batchId, "userId", u)).toList()));
    assertEquals(200, formsReply.status(), formsReply.toString());
    List<JsonNode> forms = new ArrayList<>();
    formsReply.result().path("forms").forEach(forms::add);
    assertEquals(200, forms.size());
    Reply applied = api.call("POST", "/v1/enrollments/batch/create", orgAdminToken(), Map.of("forms", forms));
    assertEquals(200, applied.status(), applied.toString());
    assertEquals("OK", applied.body().path("responseCode").asText(), applied.toString());

    Map<String, JsonNode> byUser = new HashMap<>();
    Map<String, String> userOfForm = new HashMap<>();
    forms.forEach(f -> userOfForm.put(f.path("id").asText(), f.path("userId").asText()));
    applied.result().path("responses").forEach(item -> byUser.put(userOfForm.get(item.path("formId").asText()), item));
    assertEquals(200, byUser.size());
    for (String learner : learners) {
      JsonNode item = byUser.get(learner);
      if (unknown.contains(learner)) {
        assertFalse(item.path("successful").asBoolean(true), item.toString());
        assertEquals("USER_NOT_FOUND", item.at("/error/err").asText(), item.toString());
        assertTrue(item.at("/error/errmsg").asText().contains(learner), item.toString());
      } else {
        assertTrue(item.path("successful").asBoolean(false), item.toString());
      }
    }
    assertEquals(195, applied.result().at("/summary/succeeded").asInt(), applied.result().path("summary").toString());

    // Two requests of 200 learners each: the learners' pages, and the caller and the batch's
    // creator a few times, not a search per learner.
    List<List<String>> searches = users.searches().subList(searchesBefore, users.searches().size());
    assertTrue(searches.size() <= 2 * (200 / PAGE_SIZE) + 8, searches.size() + " searches: " + searches.stream().map(List::size).toList());
    assertTrue(searches.stream().allMatch(ids -> ids.size() <= PAGE_SIZE), "at most a page of ids a search");
  }

  @Test
  void reportsShowTheProfilesAndConsentsTheServiceHolds() throws Exception {
    String courseId = ExhaustApiTest.Contract.registerNestedCourse(api, true);
    String batchId = batchForOrgA(courseId);
    String consenting = learnerOf(ORG_A);
    String revoked = learnerOf(ORG_A);
    users.consent(consenting, courseId, ORG_A, "ACTIVE", "2024-05-01 10:00:00:000+0000");
    users.consent(revoked, courseId, ORG_A, "REVOKED", "2024-05-01 10:00:00:000+0000");
    for (String learner : List.of(consenting, revoked)) {
      assertEquals(200, call("POST", "/v1/course/enroll", learner, Map.of("courseId", courseId, "batchId", batchId)).status());
    }
    pollUntil("the enrolments of " + batchId, PROJECTION,
        () -> ExhaustApiTest.Contract.count(node, "SELECT COUNT(*) FROM enrollment WHERE batch_id = ?", batchId), n -> n == 2);

    List<List<String>> userInfo = report(courseId, batchId, "userinfo-exhaust", "a-key-for-the-zip");
    assertEquals(2, userInfo.size(), "the header and the consenting learner: " + userInfo);
    assertEquals(List.of(courseId, "Nested course " + courseId, batchId, "Batch of " + courseId, consenting,
        "First " + consenting + " Last", "student", "", "Karnataka", "", "", "", "S-" + ORG_A, "Model School", "Org " + ORG_A,
        consenting + "@example.org", "+919999999999", "true", "01/05/2024"), userInfo.get(1));

    List<List<String>> progress = report(courseId, batchId, "progress-exhaust", null);
    assertEquals(3, progress.size(), progress.toString());
    List<String> header = progress.get(0);
    for (List<String> row : progress.subList(1, 3)) {
      assertEquals("Karnataka", row.get(header.indexOf("State")), row.toString());
      assertEquals("S-" + ORG_A, row.get(header.indexOf("School Id")), row.toString());
      assertEquals(DAY.format(clock.instant()), row.get(header.indexOf("Enrolment Date")), row.toString());
    }
  }

  /** The rows of a report of the batch requested and downloaded by the org admin. */
  List<List<String>> report(String courseId, String batchId, String dataset, String key) throws Exception {
    return ExhaustApiTest.Contract.report(api, orgAdminToken(), courseId, batchId, dataset, key);
  }

  @Test
  void aUserServiceThatCannotAnswerIsServiceUnavailableNeverAServerError() throws Exception {
    TestNode down = nodeWith(Map.of("course-batch.users.url", "http://127.0.0.1:" + FreePorts.next(),
        "course-batch.users.timeout", "1s", "course-batch.users.retries", 0));
    try {
      ApiClient client = down.client();
      String courseId = registerCourse(client, true);
      Map<String, Object> batch = ongoingBatch(courseId);
      batch.put("createdFor", List.of(ORG_A));
      String batchId = createBatch(client, batch);
      for (Reply r : List.of(
          client.call("POST", "/v1/course/admin/enroll", orgAdminToken(), Map.of("courseId", courseId, "batchId", batchId,
              "userId", "someone")),
          client.call("POST", "/v1/enrollments/batch/forms/create", orgAdminToken(),
              Map.of("peers", List.of(Map.of("batchId", batchId, "userId", "someone")))),
          client.call("GET", "/v1/user/profile/someone", orgAdminToken(), null))) {
        assertError(r, 503, "SERVICE_UNAVAILABLE");
        assertTrue(r.errmsg().startsWith("Error while fetching user details: the user service is unavailable"), r.toString());
      }
    } finally {
      down.close();
    }
  }

  @Test
  void theNodesOwnProfileRoutesSayUsersAreChangedInTheUserService() {
    String learner = learnerOf(ORG_A);
    String admin = Directory.systemAdminToken();
    for (Reply r : List.of(
        api.call("PUT", "/v1/user/profile/" + learner, admin, Map.of("rootOrgId", ORG_B)),
        api.call("DELETE", "/v1/user/profile/" + learner, admin, null),
        api.call("POST", "/v1/user/consent/update", token(learner), Map.of("consent",
            Map.of("status", "ACTIVE", "objectId", "do_x", "consumerId", ORG_A))),
        api.call("POST", "/v1/user/consent/read", token(learner), Map.of("consent", Map.of("filters", Map.of("userId", learner)))))) {
      assertError(r, 400, "NOT_SUPPORTED");
      assertTrue(r.errmsg().contains("user service"), r.toString());
    }
    Reply read = api.call("GET", "/v1/user/profile/" + learner, orgAdminToken(), null);
    assertEquals(200, read.status(), read.toString());
    assertEquals(ORG_A, read.result().at("/profile/rootOrgId").asText(), "read from the user service: " + read);
    assertEquals("First " + learner + " Last", read.result().at("/profile/name").asText());
    assertError(api.call("GET", "/v1/user/profile/" + learnerOf(ORG_B), orgAdminToken(), null), 401, "UNAUTHORIZED_USER");
  }
}
