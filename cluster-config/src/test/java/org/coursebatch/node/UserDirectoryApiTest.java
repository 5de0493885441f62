package org.coursebatch.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.coursebatch.node.ApiClient.Reply;
import org.coursebatch.persistence.testing.OnBothDatabases;
import org.coursebatch.persistence.testing.TestDatabase;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The built-in user directory over HTTP against a running node and a real database: who may
 * write, erase and read profiles and consents, what is refused, that personal data stays out of
 * the journal, and that a template's {@code user.rootOrgId} criterion is checked against the
 * profile recorded there when learners complete a course.
 *
 * <p>{@link Contract#ORG_ADMIN} is an org admin of {@code org-a}, where the tests' learners are
 * placed; {@link Contract#OTHER_ORG_ADMIN} administers {@code org-b} and so none of them.
 */
@OnBothDatabases
class UserDirectoryApiTest {

  @Nested
  class Contract extends NodeApiContract {

    Contract(TestDatabase database) {
      super(database);
    }

    static final String ORG_ADMIN = "org-admin-1";
    static final String OTHER_ORG_ADMIN = "org-admin-b";
    /** How long the certificate test waits for the enrolment list (a projection) to show a completion. */
    static final Duration COMPLETION = Duration.ofSeconds(20);

    @BeforeAll
    void placeTheOrgAdmins() {
      Directory.place(api, "org-a", ORG_ADMIN);
      Directory.place(api, "org-b", OTHER_ORG_ADMIN);
    }

    // ---- helpers ----

    static String user(String name) {
      return name + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** An org admin of {@code org-a}. */
    static String adminToken() {
      return TestNode.token(ORG_ADMIN, "ORG_ADMIN");
    }

    /** An org admin of {@code org-b}. */
    static String otherAdminToken() {
      return TestNode.token(OTHER_ORG_ADMIN, "ORG_ADMIN");
    }

    /** A request with a token (the contract's {@code call} takes a user). */
    Reply send(String method, String path, String token, Object request) {
      return api.call(method, path, token, request);
    }

    Reply putProfile(String token, String userId, Object rootOrgId) {
      Map<String, Object> request = new HashMap<>();
      request.put("rootOrgId", rootOrgId);
      return send("PUT", "/v1/user/profile/" + userId, token, request);
    }

    Reply getProfile(String token, String userId) {
      return send("GET", "/v1/user/profile/" + userId, token, null);
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

    /** The profile as a system admin reads it (whatever organisation it names). */
    void assertStoredRootOrg(String userId, String rootOrgId) {
      Reply r = getProfile(Directory.systemAdminToken(), userId);
      assertOk(r, "api.user.profile.read");
      assertEquals(userId, r.result().path("profile").path("userId").asText(), r.toString());
      JsonNode stored = r.result().path("profile").path("rootOrgId");
      assertEquals(rootOrgId, stored.isNull() ? null : stored.asText(), r.toString());
    }

    // ---- profiles ----

    /** An org admin places a user the directory does not know yet in their own organisation. */
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

    /**
     * A profile is written by a system admin, or by an org admin for a user of their own
     * organisation that the profile keeps there; an admin role alone is not enough.
     */
    @Test
    void writingNeedsAuthorityOverTheUsersOrganisation() {
      String learner = user("learner");
      assertOk(putProfile(adminToken(), learner, "org-a"), "api.user.profile.put");
      String writeRefused = "Writing a user's profile needs one of the roles [SYSTEM_ADMINISTRATION], or one of [ORG_ADMIN]"
          + " in the user's root organisation, which the profile must keep.";
      for (String token : List.of(TestNode.token(learner), TestNode.token(CURATOR, "CONTENT_CREATOR"), otherAdminToken())) {
        Reply r = putProfile(token, learner, "org-b");
        assertError(r, 403, "FORBIDDEN", "api.user.profile.put");
        assertEquals("FORBIDDEN", r.body().path("responseCode").asText());
        assertEquals(writeRefused, r.errmsg());
      }
      assertError(putProfile(otherAdminToken(), learner, "org-a"), 403, "FORBIDDEN", "api.user.profile.put");
      Reply moved = putProfile(adminToken(), learner, "org-b");
      assertError(moved, 403, "FORBIDDEN", "api.user.profile.put");
      assertEquals(writeRefused, moved.errmsg(), "an org admin does not move their user into another organisation");
      assertStoredRootOrg(learner, "org-a");

      assertOk(putProfile(Directory.systemAdminToken(), learner, "org-b"), "api.user.profile.put");
      assertStoredRootOrg(learner, "org-b");
      assertError(putProfile(adminToken(), learner, "org-a"), 403, "FORBIDDEN", "api.user.profile.put");
      assertStoredRootOrg(learner, "org-b");
    }

    /** A profile is read by the user, the org admins of the user's organisation and system admins only. */
    @Test
    void readingSomeoneElsesProfileIs401() {
      String learner = user("learner");
      assertOk(putProfile(adminToken(), learner, "org-a"), "api.user.profile.put");
      Reply r = getProfile(TestNode.token(user("other"), "CONTENT_CREATOR"), learner);
      assertError(r, 401, "UNAUTHORIZED_USER", "api.user.profile.read");
      assertError(getProfile(otherAdminToken(), learner), 401, "UNAUTHORIZED_USER", "api.user.profile.read");
      assertError(getProfile(null, learner), 401, "UNAUTHORIZED_USER", "api.user.profile.read");
      assertError(getProfile(TestNode.token(user("other")), user("nobody")), 401, "UNAUTHORIZED_USER", "api.user.profile.read");
      assertOk(getProfile(adminToken(), learner), "api.user.profile.read");
      assertOk(getProfile(Directory.systemAdminToken(), learner), "api.user.profile.read");
    }

    /**
     * An unknown user is 404 to themself and to system admins. An org admin has no authority over a
     * user the directory places in no organisation, so reading one is refused before anything tells
     * whether they exist.
     */
    @Test
    void anUnknownUserIs404() {
      String nobody = user("nobody");
      Reply bySystemAdmin = getProfile(Directory.systemAdminToken(), nobody);
      assertError(bySystemAdmin, 404, "RESOURCE_NOT_FOUND", "api.user.profile.read");
      assertEquals("User " + nobody + " has no profile in the user directory.", bySystemAdmin.errmsg());
      assertError(getProfile(TestNode.token(nobody), nobody), 404, "RESOURCE_NOT_FOUND", "api.user.profile.read");
      assertError(getProfile(adminToken(), nobody), 401, "UNAUTHORIZED_USER", "api.user.profile.read");
    }

    @Test
    void badBodiesAre400AndRecordNothing() {
      String learner = user("learner");
      Reply notAString = putProfile(adminToken(), learner, 42);
      assertError(notAString, 400, "DATA_TYPE_ERROR", "api.user.profile.put");
      assertEquals("Data type of rootOrgId should be String.", notAString.errmsg());
      assertError(api.send("PUT", "/v1/user/profile/" + learner, "{}", Map.of("Authorization", "Bearer " + adminToken())),
          400, "MANDATORY_PARAMETER_MISSING", "api.user.profile.put");
      assertError(getProfile(Directory.systemAdminToken(), learner), 404, "RESOURCE_NOT_FOUND", "api.user.profile.read");
    }

    // ---- personal data ----

    /** A profile with every field, the personal ones naming the learner so that they can be looked for. */
    static Map<String, Object> personalData(String learner) {
      Map<String, Object> p = new LinkedHashMap<>();
      p.put("rootOrgId", "org-a");
      p.put("name", "Aarti Sharma " + learner);
      p.put("email", learner + "@example.org");
      p.put("phone", "+91 98450 " + Math.abs(learner.hashCode() % 100_000));
      p.put("state", "Karnataka");
      p.put("district", "Bengaluru Urban");
      p.put("block", "Anekal");
      p.put("cluster", "Attibele");
      p.put("schoolId", "29200100101");
      p.put("schoolName", "School of " + learner);
      p.put("orgName", "Karnataka State Education Board");
      p.put("userType", "teacher");
      p.put("userSubType", "hm");
      p.put("declaredBoard", "CBSE");
      return p;
    }

    Reply putPersonalData(String token, String userId, Map<String, Object> request) {
      return send("PUT", "/v1/user/profile/" + userId, token, request);
    }

    Reply erase(String token, String userId) {
      return send("DELETE", "/v1/user/profile/" + userId, token, null);
    }

    @Test
    void anAdminRecordsPersonalDataAndTheUserReadsItBack() {
      String learner = user("learner");
      Map<String, Object> data = personalData(learner);
      assertOk(putPersonalData(adminToken(), learner, data), "api.user.profile.put");

      Reply own = getProfile(TestNode.token(learner), learner);
      assertOk(own, "api.user.profile.read");
      JsonNode profile = own.result().path("profile");
      assertEquals(learner, profile.path("userId").asText(), own.toString());
      data.forEach((field, value) -> assertEquals(value, profile.path(field).asText(), field));
      assertEquals(data.size() + 1, profile.size(), own.toString());

      assertOk(putPersonalData(adminToken(), learner, Map.of("rootOrgId", "org-a", "email", "  new-" + learner + "@example.org ")),
          "api.user.profile.put");
      JsonNode replaced = getProfile(adminToken(), learner).result().path("profile");
      assertEquals("new-" + learner + "@example.org", replaced.path("email").asText(), "trimmed");
      assertTrue(replaced.path("name").isNull() && replaced.path("schoolName").isNull(), "a PUT replaces the whole profile: " + replaced);
    }

    @Test
    void badPersonalDataIs400AndRecordsNothing() {
      String learner = user("learner");
      Map<String, String> refused = Map.of(
          "email", "EMAIL_FORMAT_ERROR",
          "phone", "INVALID_PHONE_NO_FORMAT",
          "name", "INVALID_PARAMETER_VALUE",
          "schoolId", "DATA_TYPE_ERROR");
      Map<String, Object> bad = Map.of("email", "not-an-email", "phone", "call me", "name", "n".repeat(201), "schoolId", 42);
      refused.forEach((field, err) -> {
        Map<String, Object> data = personalData(learner);
        data.put(field, bad.get(field));
        Reply r = putPersonalData(adminToken(), learner, data);
        assertError(r, 400, err, "api.user.profile.put");
      });
      assertEquals("Email is invalid.", putPersonalData(adminToken(), learner, Map.of("email", "a@b")).errmsg());
      assertEquals("Please provide a valid phone number.", putPersonalData(adminToken(), learner, Map.of("phone", "12")).errmsg());
      assertError(getProfile(Directory.systemAdminToken(), learner), 404, "RESOURCE_NOT_FOUND", "api.user.profile.read");
    }

    // ---- consent ----

    static Map<String, Object> consent(String status, String userId, String courseId) {
      Map<String, Object> c = new HashMap<>();
      c.put("status", status);
      if (userId != null) {
        c.put("userId", userId);
      }
      c.put("consumerId", "org-a");
      c.put("objectId", courseId);
      c.put("objectType", "Collection");
      return Map.of("consent", c);
    }

    static Map<String, Object> consentFilters(Map<String, Object> filters) {
      return Map.of("consent", Map.of("filters", filters));
    }

    Reply readConsents(String path, String token, String userId) {
      return send("POST", path, token, consentFilters(Map.of("userId", userId)));
    }

    @Test
    void aLearnerGivesAndRevokesConsentForACourse() {
      String learner = user("learner");
      String courseId = "do_consent_" + UUID.randomUUID().toString().substring(0, 8);
      Reply given = send("POST", "/v1/user/consent/update", TestNode.token(learner), consent("ACTIVE", learner, courseId));
      assertOk(given, "api.user.consent.update");
      assertEquals(learner, given.result().path("consent").path("userId").asText(), given.toString());
      assertEquals("User Consent updated successfully.", given.result().path("message").asText(), given.toString());

      Reply read = readConsents("/api/user/v1/consent/read", TestNode.token(learner), learner);
      assertOk(read, "api.user.consent.read");
      JsonNode first = read.result().path("consents").path(0);
      assertEquals(1, read.result().path("consents").size(), read.toString());
      assertEquals(Map.of("status", "ACTIVE", "userId", learner, "consumerId", "org-a", "objectId", courseId, "objectType", "Collection"),
          Map.of("status", first.path("status").asText(), "userId", first.path("userId").asText(),
              "consumerId", first.path("consumerId").asText(), "objectId", first.path("objectId").asText(),
              "objectType", first.path("objectType").asText()));
      assertEquals(first.path("createdOn"), first.path("lastUpdatedOn"), read.toString());

      clock.advance(Duration.ofMinutes(5));
      assertOk(send("POST", "/api/user/v1/consent/update", TestNode.token(learner), consent("REVOKED", null, courseId)),
          "api.user.consent.update");
      Reply revoked = send("POST", "/v1/user/consent/read", TestNode.token(learner),
          consentFilters(Map.of("userId", learner, "objectId", courseId)));
      assertOk(revoked, "api.user.consent.read");
      JsonNode now = revoked.result().path("consents").path(0);
      assertEquals("REVOKED", now.path("status").asText(), revoked.toString());
      assertEquals(first.path("createdOn"), now.path("createdOn"), "the first answer's instant stays");
      assertFalse(first.path("lastUpdatedOn").equals(now.path("lastUpdatedOn")), revoked.toString());

      Reply otherCourse = send("POST", "/v1/user/consent/read", TestNode.token(learner),
          consentFilters(Map.of("userId", learner, "objectId", courseId + "_other")));
      assertError(otherCourse, 404, "USER_CONSENT_NOT_FOUND", "api.user.consent.read");
      assertEquals("User consent not found.", otherCourse.errmsg());
    }

    /** A consent is recorded and read by the learner, the org admins of the learner's organisation and system admins. */
    @Test
    void consentIsTheLearnersOrTheirAdminsToRecordAndRead() {
      String learner = user("learner");
      Directory.place(api, "org-a", learner);
      String courseId = "do_consent_" + UUID.randomUUID().toString().substring(0, 8);
      String stranger = TestNode.token(user("other"), "CONTENT_CREATOR");
      assertError(send("POST", "/v1/user/consent/update", stranger, consent("ACTIVE", learner, courseId)),
          401, "UNAUTHORIZED_USER", "api.user.consent.update");
      assertError(send("POST", "/v1/user/consent/update", otherAdminToken(), consent("ACTIVE", learner, courseId)),
          401, "UNAUTHORIZED_USER", "api.user.consent.update");
      assertError(send("POST", "/v1/user/consent/update", null, consent("ACTIVE", learner, courseId)),
          401, "UNAUTHORIZED_USER", "api.user.consent.update");
      assertError(readConsents("/v1/user/consent/read", TestNode.token(learner), learner), 404, "USER_CONSENT_NOT_FOUND",
          "api.user.consent.read");

      assertOk(send("POST", "/v1/user/consent/update", adminToken(), consent("ACTIVE", learner, courseId)), "api.user.consent.update");
      assertOk(readConsents("/v1/user/consent/read", TestNode.token(learner), learner), "api.user.consent.read");
      assertOk(readConsents("/v1/user/consent/read", adminToken(), learner), "api.user.consent.read");
      assertOk(readConsents("/v1/user/consent/read", Directory.systemAdminToken(), learner), "api.user.consent.read");
      assertError(readConsents("/v1/user/consent/read", stranger, learner), 401, "UNAUTHORIZED_USER", "api.user.consent.read");
      assertError(readConsents("/v1/user/consent/read", otherAdminToken(), learner), 401, "UNAUTHORIZED_USER", "api.user.consent.read");

      String parent = user("parent");
      String managed = user("managed");
      Reply forManaged = api.send("POST", "/v1/user/consent/update", ApiClient.envelope(consent("ACTIVE", null, courseId)),
          Map.of("Authorization", "Bearer " + TestNode.token(parent), "x-authenticated-for", TestNode.managedUserToken(managed, parent)));
      assertOk(forManaged, "api.user.consent.update");
      assertEquals(managed, forManaged.result().path("consent").path("userId").asText(), "the managed user answers through the parent");
      assertOk(readConsents("/v1/user/consent/read", TestNode.token(managed), managed), "api.user.consent.read");
    }

    @Test
    void badConsentRequestsAre400AndRecordNothing() {
      String learner = user("learner");
      String token = TestNode.token(learner);
      Reply status = send("POST", "/v1/user/consent/update", token, consent("GIVEN", learner, "do_1"));
      assertError(status, 400, "INVALID_CONSENT_STATUS", "api.user.consent.update");
      assertEquals("Consent status GIVEN is invalid; use ACTIVE or REVOKED.", status.errmsg());
      Reply noCourse = send("POST", "/v1/user/consent/update", token, Map.of("consent", Map.of("status", "ACTIVE")));
      assertError(noCourse, 400, "MANDATORY_PARAMETER_MISSING", "api.user.consent.update");
      assertEquals("Mandatory parameter consent.objectId is missing.", noCourse.errmsg());
      assertError(send("POST", "/v1/user/consent/update", token, Map.of("consent", "ACTIVE")), 400, "DATA_TYPE_ERROR",
          "api.user.consent.update");
      assertError(send("POST", "/api/user/v1/consent/update", token, Map.of()), 400, "MANDATORY_PARAMETER_MISSING",
          "api.user.consent.update");
      assertError(api.send("POST", "/v1/user/consent/update", "{not json", Map.of("Authorization", "Bearer " + token)),
          400, "INVALID_REQUESTED_DATA", "api.user.consent.update");
      assertError(readConsents("/v1/user/consent/read", token, learner), 404, "USER_CONSENT_NOT_FOUND", "api.user.consent.read");

      Reply noUser = send("POST", "/v1/user/consent/read", token, consentFilters(Map.of("objectId", "do_1")));
      assertError(noUser, 400, "MANDATORY_PARAMETER_MISSING", "api.user.consent.read");
      assertEquals("Mandatory parameter consent.filters.userId is missing.", noUser.errmsg());
    }

    // ---- erasure ----

    /** An org admin erases the profile of a user of their organisation; nobody else but a system admin may. */
    @Test
    void anAdminErasesAProfileWithItsConsents() {
      String learner = user("learner");
      String other = user("other");
      assertOk(putPersonalData(adminToken(), learner, personalData(learner)), "api.user.profile.put");
      Directory.place(api, "org-a", other);
      for (String course : List.of("do_erase_a", "do_erase_b")) {
        assertOk(send("POST", "/v1/user/consent/update", TestNode.token(learner), consent("ACTIVE", learner, course)),
            "api.user.consent.update");
      }
      assertOk(send("POST", "/v1/user/consent/update", TestNode.token(other), consent("ACTIVE", other, "do_erase_a")),
          "api.user.consent.update");

      for (String token : List.of(TestNode.token(learner), TestNode.token(CURATOR, "CONTENT_CREATOR"), otherAdminToken())) {
        Reply r = erase(token, learner);
        assertError(r, 403, "FORBIDDEN", "api.user.profile.delete");
      }
      assertError(erase(null, learner), 401, "UNAUTHORIZED_USER", "api.user.profile.delete");
      assertOk(getProfile(adminToken(), learner), "api.user.profile.read");

      Reply erased = erase(adminToken(), learner);
      assertOk(erased, "api.user.profile.delete");
      assertEquals("SUCCESS", erased.result().path("response").asText(), erased.toString());
      assertEquals(learner, erased.result().path("userId").asText(), erased.toString());
      assertTrue(erased.result().path("profileErased").asBoolean(), erased.toString());
      assertEquals(2, erased.result().path("consentsErased").asInt(), erased.toString());

      // Erased, the user is in no organisation: a system admin tells what is left.
      String systemAdmin = Directory.systemAdminToken();
      assertError(getProfile(systemAdmin, learner), 404, "RESOURCE_NOT_FOUND", "api.user.profile.read");
      assertError(readConsents("/v1/user/consent/read", systemAdmin, learner), 404, "USER_CONSENT_NOT_FOUND", "api.user.consent.read");
      assertError(getProfile(adminToken(), learner), 401, "UNAUTHORIZED_USER", "api.user.profile.read");
      assertOk(readConsents("/v1/user/consent/read", adminToken(), other), "api.user.consent.read");

      Reply again = erase(adminToken(), learner);
      assertOk(again, "api.user.profile.delete");
      assertFalse(again.result().path("profileErased").asBoolean(), again.toString());
      assertEquals(0, again.result().path("consentsErased").asInt(), again.toString());
    }

    @Test
    void personalDataNeverEntersTheJournalAndErasureLeavesTheEnrolment() {
      String courseId = registerCourse(true);
      String batchId = createBatch(ongoingBatch(courseId));
      String learner = user("learner");
      Map<String, Object> data = personalData(learner);
      assertOk(putPersonalData(adminToken(), learner, data), "api.user.profile.put");
      assertOk(send("POST", "/v1/user/consent/update", TestNode.token(learner), consent("ACTIVE", learner, courseId)),
          "api.user.consent.update");
      Reply enrolled = call("POST", "/v1/course/enroll", learner, Map.of("courseId", courseId, "batchId", batchId));
      assertEquals(200, enrolled.status(), enrolled.toString());
      Reply progress = call("PATCH", "/v1/content/state/update", learner, Map.of("contents", List.of(
          Map.of("courseId", courseId, "batchId", batchId, "contentId", courseId + "_c1", "status", 2))));
      assertEquals(200, progress.status(), progress.toString());

      List<String> events = JournalProbe.allEvents(node.node()).stream().map(String::valueOf).toList();
      assertTrue(events.stream().anyMatch(e -> e.contains(learner)), "the learner's events are in the journal");
      for (String field : List.of("name", "email", "phone", "schoolName")) {
        String value = (String) data.get(field);
        assertTrue(events.stream().noneMatch(e -> e.contains(value)), field + " is in the journal");
      }

      assertOk(erase(adminToken(), learner), "api.user.profile.delete");
      JsonNode entry = pollUntil("the enrolment list", PROJECTION,
          () -> call("GET", "/v1/user/courses/list/" + learner, learner, null).result().path("courses"),
          courses -> courses.size() == 1).get(0);
      assertEquals(batchId, entry.path("batchId").asText(), "the enrolment (ids only) outlives the erasure: " + entry);
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
      Reply registered = send("PUT", "/v1/catalog/course/" + courseId, curator, course);
      assertEquals(200, registered.status(), registered.toString());
      assertEquals(1, registered.result().path("leafNodesCount").asInt(), registered.toString());

      String templateId = "tmpl_org_a_" + suffix;
      Reply asset = send("PUT", "/v1/catalog/certificate-template/" + templateId, curator, Map.of(
          "name", "Org A completion", "url", "https://certs/" + templateId + ".svg",
          "issuer", Map.of("name", "Org A", "url", "https://org-a"),
          "signatoryList", List.of(Map.of("name", "CEO", "id", "CEO", "designation", "CEO", "image", "https://img"))));
      assertEquals(200, asset.status(), asset.toString());

      LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
      Reply created = send("POST", "/v1/course/batch/create", TestNode.token(CREATOR), Map.of(
          "courseId", courseId, "name", "Batch " + suffix, "enrollmentType", "open",
          "startDate", today.toString(), "endDate", today.plusDays(30).toString()));
      assertEquals(200, created.status(), created.toString());
      String batchId = created.result().path("batchId").asText();

      Map<String, Object> criteria = Map.of("enrollment", Map.of("status", 2), "user", Map.of("rootOrgId", "org-a"));
      Reply added = send("PATCH", "/v1/course/batch/cert/template/add", TestNode.token(CREATOR), Map.of("batch",
          Map.of("courseId", courseId, "batchId", batchId, "template", Map.of("identifier", templateId, "criteria", criteria))));
      assertEquals(200, added.status(), added.toString());

      String inOrgA = user("learner-a");
      String inOrgB = user("learner-b");
      for (var learner : Map.of(inOrgA, "org-a", inOrgB, "org-b").entrySet()) {
        Reply enrolled = send("POST", "/v1/course/enroll", TestNode.token(learner.getKey()),
            Map.of("courseId", courseId, "batchId", batchId));
        assertEquals(200, enrolled.status(), enrolled.toString());
        Directory.place(api, learner.getValue(), learner.getKey());
      }
      for (String learner : List.of(inOrgA, inOrgB)) {
        Reply progress = send("PATCH", "/v1/content/state/update", TestNode.token(learner), Map.of("contents", List.of(
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
      long deadline = System.nanoTime() + COMPLETION.toNanos();
      JsonNode last = null;
      while (System.nanoTime() < deadline) {
        Reply r = send("GET", "/v1/user/courses/list/" + learner, TestNode.token(learner), null);
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
}
