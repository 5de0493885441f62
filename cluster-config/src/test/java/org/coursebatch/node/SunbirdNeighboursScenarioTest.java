package org.coursebatch.node;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.coursebatch.node.ApiClient.Reply;
import org.coursebatch.persistence.db.DatabaseSettings;
import org.coursebatch.persistence.testing.TestDatabases;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * A node dropped into a Sunbird deployment: courses and certificate templates come from a content
 * service, users, their organisations and consents from a user service (both real HTTP servers
 * answering in Sunbird's formats), and the node's own catalog and user directory stay empty. A
 * batch of a course only the content service knows is created, a learner enrols, makes progress
 * and is issued a certificate, an org admin bulk-enrols 1,000 learners only the user service
 * knows, and all three reports are run: every course and user detail in them comes from the two
 * services. On PostgreSQL, as in production.
 */
class SunbirdNeighboursScenarioTest extends NodeApiContract {

  static final String ORG = "org-sunbird";
  static final String ORG_ADMIN = "sunbird-org-admin";
  static final int BULK_LEARNERS = 1_000;
  static final String KEY = "a-key-for-the-zip";

  FakeContentService content;
  FakeUserService users;

  @Override
  DatabaseSettings database(Path dataDir) {
    return TestDatabases.freshPostgres();
  }

  /** Called once, as the node starts: both services answer before the node asks them. */
  @Override
  Map<String, Object> configOverrides() {
    try {
      if (users == null) {
        content = FakeContentService.start();
        users = FakeUserService.start();
        for (String staff : List.of(CREATOR, MENTOR, ORG_ADMIN)) {
          users.user(staff, ORG);
        }
      }
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    Map<String, Object> settings = new HashMap<>(ContentServiceApiTest.Contract.contentSettings(content.url(), "1h"));
    settings.putAll(Map.of("course-batch.users.url", users.url(), "course-batch.users.page-size", 200,
        "course-batch.users.timeout", "5s"));
    return settings;
  }

  @AfterAll
  void stopServices() {
    if (content != null) {
      content.close();
    }
    if (users != null) {
      users.close();
    }
  }

  @Test
  void aBatchLivesOnCoursesAndUsersFromSunbirdsOwnServices() throws Exception {
    String courseId = "do_sunbird_" + UUID.randomUUID().toString().substring(0, 8);
    content.course(courseId, true);
    String templateId = "do_template_" + UUID.randomUUID().toString().substring(0, 8);
    content.template(templateId);

    // A batch of a course only the content service knows, for the user service's organisation.
    Map<String, Object> batch = ongoingBatch(courseId);
    batch.put("createdFor", List.of(ORG));
    String batchId = createBatch(batch);

    // A learner of the organisation enrols, completes both leaves, scores the quiz, consents and,
    // once the batch has a template from the content service, is issued a certificate on request.
    String learner = learner();
    users.user(learner, ORG);
    users.consent(learner, courseId, ORG, "ACTIVE", "2024-05-01 10:00:00:000+0000");
    assertEquals(200, ContentServiceApiTest.Contract.enrol(api, learner, courseId, batchId).status());
    Reply progress = ContentServiceApiTest.Contract.completeLeaves(api, learner, courseId, batchId);
    assertEquals(200, progress.status(), progress.toString());
    Reply attempt = api.call("PATCH", "/v1/content/state/update", token(learner),
        Map.of("assessments", List.of(attempt(learner, courseId, batchId, "attempt-1", 2))));
    assertEquals(200, attempt.status(), attempt.toString());
    pollUntil(learner + "'s completion", PROJECTION, () -> api.call("GET", "/v1/user/courses/list/" + learner, token(learner), null)
        .result().path("courses").path(0), e -> e.path("completionPercentage").asInt() == 100);
    Reply template = call("PATCH", "/v1/course/batch/cert/template/add", CREATOR, Map.of("batch", Map.of("courseId", courseId,
        "batchId", batchId, "template", Map.of("identifier", templateId, "criteria", Map.of("enrollment", Map.of("status", 2))))));
    assertEquals(200, template.status(), template.toString());
    Reply issued = call("POST", "/v1/course/batch/cert/issue", CREATOR,
        Map.of("courseId", courseId, "batchId", batchId, "userIds", List.of(learner)));
    assertEquals(200, issued.status(), issued.toString());
    assertEquals(templateId, issued.result().path("users").path(learner).path("issued").path(0).path("templateId").asText(),
        issued.toString());

    // The org admin bulk-enrols 1,000 learners the user service places in the organisation.
    List<String> learners = new ArrayList<>();
    for (int i = 0; i < BULK_LEARNERS; i++) {
      learners.add(learner());
      users.user(learners.get(i), ORG);
    }
    String adminToken = token(ORG_ADMIN, "ORG_ADMIN");
    Reply forms = api.call("POST", "/v1/enrollments/batch/forms/create", adminToken,
        Map.of("peers", learners.stream().map(u -> Map.of("batchId", batchId, "userId", u)).toList()));
    assertEquals(200, forms.status(), forms.toString());
    List<JsonNode> issuedForms = new ArrayList<>();
    forms.result().path("forms").forEach(issuedForms::add);
    assertEquals(BULK_LEARNERS, issuedForms.size());
    Reply enrolled = api.call("POST", "/v1/enrollments/batch/create", adminToken, Map.of("forms", issuedForms));
    assertEquals(200, enrolled.status(), enrolled.toString());
    assertEquals(BULK_LEARNERS, enrolled.result().at("/summary/succeeded").asInt(), enrolled.result().path("summary").toString());
    pollUntil("the enrolments of " + batchId, PROJECTION,
        () -> ExhaustApiTest.Contract.count(node, "SELECT COUNT(*) FROM enrollment WHERE batch_id = ?", batchId),
        n -> n == BULK_LEARNERS + 1);

    // All three reports: course names from the content service, people from the user service.
    List<List<String>> progressReport = ExhaustApiTest.Contract.report(api, adminToken, courseId, batchId, "progress-exhaust", null);
    assertEquals(BULK_LEARNERS + 2, progressReport.size(), "the header and every learner");
    List<String> header = progressReport.get(0);
    Set<String> reported = new HashSet<>();
    for (List<String> row : progressReport.subList(1, progressReport.size())) {
      assertEquals("Remote course " + courseId, row.get(header.indexOf("Collection Name")), row.toString());
      assertEquals("Karnataka", row.get(header.indexOf("State")), row.toString());
      assertEquals("S-" + ORG, row.get(header.indexOf("School Id")), row.toString());
      reported.add(row.get(header.indexOf("User UUID")));
    }
    assertTrue(reported.containsAll(learners) && reported.contains(learner), "every learner is in the progress report");

    List<List<String>> userInfo = ExhaustApiTest.Contract.report(api, adminToken, courseId, batchId, "userinfo-exhaust", KEY);
    assertEquals(2, userInfo.size(), "the header and the one learner who consented: " + userInfo);
    List<String> person = userInfo.get(1);
    assertTrue(person.containsAll(List.of(learner, "First " + learner + " Last", learner + "@example.org", "Org " + ORG,
        "Remote course " + courseId)), person.toString());

    List<List<String>> responses = ExhaustApiTest.Contract.report(api, adminToken, courseId, batchId, "response-exhaust", null);
    assertEquals(2, responses.size(), "the header and the one attempt: " + responses);
    assertTrue(responses.get(1).contains(learner), responses.toString());

    // Nothing of either service was copied into the node's own tables.
    assertEquals(0, ExhaustApiTest.Contract.count(node, "SELECT COUNT(*) FROM catalog_course WHERE course_id <> ?", ""));
    assertEquals(0, ExhaustApiTest.Contract.count(node, "SELECT COUNT(*) FROM user_profile WHERE user_id <> ?", ""));
    assertEquals(0, ExhaustApiTest.Contract.count(node, "SELECT COUNT(*) FROM user_consent WHERE user_id <> ?", ""));
    assertTrue(content.requestsFor(courseId) >= 1 && content.requestsFor(templateId) >= 1, "both came from the content service");
  }

  static String learner() {
    return "learner-" + UUID.randomUUID().toString().substring(0, 8);
  }
}
