package org.coursebatch.node;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.coursebatch.node.ApiClient.Reply;
import org.coursebatch.persistence.db.DatabaseSettings;
import org.coursebatch.persistence.testing.TestDatabases;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The personal data of a learner of organisation V reaches only those entitled to it, over HTTP
 * on PostgreSQL: the victim has a full profile and gave ACTIVE consent for course C naming V. A
 * user without roles and a course creator of organisation W try to create a batch, enrol the
 * victim on their behalf, add them as a participant and read them in reports of their batch;
 * they end with no victim enrolled and not one of the victim's personal values in any file. V's
 * org admin gets the victim's user-info row and location columns; a consent naming W does not
 * put a learner in V's reports; a report is downloaded only while its requester's roles and
 * organisation still cover what it was made to hold.
 */
class ExhaustPersonalDataPostgresTest extends NodeApiContract {

  static final String PASSWORD = "attackers-own-key";
  static final String SYSTEM_ADMIN = "system-admin-1";

  String run;
  String orgV;
  String orgW;
  String courseId;
  /** A learner of V who consented to share the course's data with V. */
  String victim;
  /** Another learner of V, who consented to share it with W only. */
  String toW;
  String adminV;
  String creatorW;
  String roleless;
  /** W's batch of the course, created for V and W, with {@link #roleless} as a mentor. */
  String batchW;
  /** V's batch of the course, in which V's admin enrolled the victim and {@link #toW}. */
  String batchV;

  Map<String, String> victimData;

  @Override
  DatabaseSettings database(Path dataDir) {
    return TestDatabases.freshPostgres();
  }

  /** Who may create a batch is part of the attack: the default roles, not the test nodes' open ones. */
  @Override
  Map<String, Object> configOverrides() {
    return TestNode.DEFAULT_ROLES;
  }

  @BeforeAll
  void fixture() {
    run = UUID.randomUUID().toString().substring(0, 6);
    orgV = "org-v-" + run;
    orgW = "org-w-" + run;
    victim = "victim-" + run;
    toW = "to-w-" + run;
    adminV = "admin-v-" + run;
    creatorW = "creator-w-" + run;
    roleless = "roleless-" + run;
    courseId = ExhaustApiTest.Contract.registerNestedCourse(api, true);

    victimData = new LinkedHashMap<>();
    victimData.put("name", "Vera Victim " + run);
    victimData.put("email", "vera." + run + "@example.org");
    victimData.put("phone", "+9198765" + (10000 + Math.abs(run.hashCode()) % 90000));
    victimData.put("state", "Statevania " + run);
    victimData.put("district", "Districtopolis " + run);
    victimData.put("block", "Blockhill " + run);
    victimData.put("cluster", "Clustertown " + run);
    victimData.put("schoolId", "SCH-" + run);
    victimData.put("schoolName", "Victim Valley School " + run);
    victimData.put("orgName", "Org Vee " + run);
    putProfile(victim, orgV, victimData);
    putProfile(toW, orgV, Map.of("name", "Wanda " + run, "state", "Westshire " + run));
    putProfile(adminV, orgV, Map.of());
    putProfile(creatorW, orgW, Map.of());
    consent(victim, orgV);
    consent(toW, orgW);

    Map<String, Object> forW = batchRequestFor(List.of(orgV, orgW));
    forW.put("mentors", List.of(roleless));
    Reply w = api.call("POST", "/v1/course/batch/create", token(creatorW, "CONTENT_CREATOR"), forW);
    assertEquals(200, w.status(), w.toString());
    batchW = w.result().path("batchId").asText();

    Reply v = api.call("POST", "/v1/course/batch/create", adminToken(), batchRequestFor(List.of(orgV)));
    assertEquals(200, v.status(), v.toString());
    batchV = v.result().path("batchId").asText();
    for (String learner : List.of(victim, toW)) {
      Reply enrolled = api.call("POST", "/v1/course/admin/enroll", adminToken(),
          Map.of("courseId", courseId, "batchId", batchV, "userId", learner));
      assertEquals(200, enrolled.status(), "V's admin enrols V's learner: " + enrolled);
    }
    awaitEnrolled(batchV, 2);
  }

  // ---- those not entitled ----

  @Test
  void aUserWithoutRolesGetsNoBatchNoVictimAndNoneOfTheirData() throws Exception {
    String attacker = token(roleless);
    Reply created = api.call("POST", "/v1/course/batch/create", attacker, batchRequestFor(List.of(orgV)));
    assertError(created, 403, "FORBIDDEN");
    assertTrue(created.errmsg().startsWith("Creating batches needs one of the roles"), created.errmsg());
    attemptTheChain(attacker, "the user without roles");
  }

  @Test
  void aCourseCreatorOfAnotherOrganisationGetsNoVictimAndNoneOfTheirData() throws Exception {
    String attacker = token(creatorW, "CONTENT_CREATOR");
    Reply created = api.call("POST", "/v1/course/batch/create", attacker, batchRequestFor(List.of(orgV)));
    assertEquals(200, created.status(), "a creator may create batches, even one said to be for V: " + created);
    attemptTheChain(attacker, "W's creator");
  }

  /**
   * On W's batch, of which the attacker is creator or mentor: enrolling the victim on their behalf
   * and adding them as a participant are refused; the attacker's own reports of the batch, with
   * their own key, hold no row of the victim and none of their values. V's batch they do not
   * administer at all.
   */
  private void attemptTheChain(String attacker, String who) throws Exception {
    assertError(api.call("POST", "/v1/course/admin/enroll", attacker,
        Map.of("courseId", courseId, "batchId", batchW, "userId", victim)), 401, "UNAUTHORIZED_USER");
    assertError(api.call("POST", "/v1/course/batch/participants/add", attacker,
        Map.of("batchId", batchW, "userIds", List.of(victim))), 401, "UNAUTHORIZED_USER");
    assertError(api.call("POST", "/v1/jobrequest/submit", attacker, submission("userinfo-exhaust", batchV, PASSWORD)), 401,
        "UNAUTHORIZED_USER");
    assertError(api.call("POST", "/v1/jobrequest/submit", attacker, submission("progress-exhaust", batchV, null)), 401,
        "UNAUTHORIZED_USER");

    for (String dataset : List.of("progress-exhaust", "userinfo-exhaust")) {
      List<List<String>> rows = report(attacker, dataset, batchW);
      assertEquals(1, rows.size(), who + "'s " + dataset + " has the header only: " + rows);
      assertHoldsNothingOfTheVictim(rows, who + "'s " + dataset);
    }
    Reply participants = api.call("POST", "/v1/batch/participants/list", token(creatorW),
        Map.of("batch", Map.of("batchId", batchW)));
    assertEquals(200, participants.status(), participants.toString());
    assertFalse(participants.toString().contains(victim), "the victim is not enrolled in W's batch: " + participants);
  }

  /** A victim who enrols themself in W's batch shows W their progress, not their profile nor their consent to V. */
  @Test
  void aVictimWhoEnrolsThemselfInAnotherOrganisationsBatchShowsItNoPersonalData() throws Exception {
    Map<String, Object> request = batchRequestFor(List.of(orgW));
    Reply w = api.call("POST", "/v1/course/batch/create", token(creatorW, "CONTENT_CREATOR"), request);
    assertEquals(200, w.status(), w.toString());
    String batch = w.result().path("batchId").asText();
    Reply enrolled = api.call("POST", "/v1/course/enroll", token(victim), Map.of("courseId", courseId, "batchId", batch));
    assertEquals(200, enrolled.status(), enrolled.toString());
    awaitEnrolled(batch, 1);

    String creator = token(creatorW, "CONTENT_CREATOR");
    List<List<String>> progress = report(creator, "progress-exhaust", batch);
    assertEquals(2, progress.size(), progress.toString());
    assertEquals(victim, progress.get(1).get(4));
    assertEquals(List.of("", "", "", "", "", "", "", "", "", ""), progress.get(1).subList(5, 15), "no profile column");
    assertHoldsNothingOfTheVictim(progress, "W's progress report");
    List<List<String>> userInfo = report(creator, "userinfo-exhaust", batch);
    assertEquals(1, userInfo.size(), "the consent names V, not W: " + userInfo);
  }

  // ---- those entitled ----

  @Test
  void theVictimsOrgAdminGetsTheirUserInfoRowAndLocationButNotALearnerWhoConsentedToAnotherOrganisation() throws Exception {
    List<List<String>> userInfo = report(adminToken(), "userinfo-exhaust", batchV);
    assertEquals(2, userInfo.size(), "the victim only; " + toW + " consented to W: " + userInfo);
    List<String> row = userInfo.get(1);
    assertEquals(victim, row.get(4));
    assertEquals(List.of(victimData.get("name"), "", "", victimData.get("state"), victimData.get("district"), victimData.get("block"),
        victimData.get("cluster"), victimData.get("schoolId"), victimData.get("schoolName"), victimData.get("orgName"),
        victimData.get("email"), victimData.get("phone"), "true"), row.subList(5, 18));

    List<List<String>> progress = report(adminToken(), "progress-exhaust", batchV);
    Map<String, List<String>> byUser = new HashMap<>();
    progress.subList(1, progress.size()).forEach(r -> byUser.put(r.get(4), r));
    assertEquals(List.of(victimData.get("state"), victimData.get("district"), victimData.get("orgName"), victimData.get("schoolId"),
        victimData.get("schoolName"), victimData.get("block"), victimData.get("cluster")), byUser.get(victim).subList(5, 12));
    assertEquals("Westshire " + run, byUser.get(toW).get(5), "a learner of V: their location, whatever their consent");
  }

  @Test
  void aReportIsDownloadedOnlyWhileTheRequestersRolesStillCoverWhatItHolds() throws Exception {
    JsonNode job = finished(submitOk(api.call("POST", "/v1/jobrequest/submit", adminToken(),
        submission("progress-exhaust", batchV, null)), "api.jobrequest.submit"), adminToken());
    String download = "/v1/jobrequest/download/" + job.path("requestId").asText();
    assertTrue(ExhaustApiTest.Contract.bytes(api, download, adminToken()).length > 0);
    // still the batch's creator, no longer an org admin: the location columns are no longer theirs to see
    Reply demoted = api.call("GET", download, token(adminV, "CONTENT_CREATOR"), null);
    assertError(demoted, 401, "UNAUTHORIZED_USER");
    assertTrue(demoted.errmsg().endsWith("submit the request again."), demoted.errmsg());
    // moved to W: V's learners are no longer theirs
    putProfile(adminV, orgW, Map.of());
    try {
      assertError(api.call("GET", download, adminToken(), null), 401, "UNAUTHORIZED_USER");
    } finally {
      putProfile(adminV, orgV, Map.of());
    }
    assertTrue(ExhaustApiTest.Contract.bytes(api, download, adminToken()).length > 0, "back in V");
  }

  @Test
  void aReportMadeBeforeScopesWereRecordedIsDownloadedByASystemAdminOnly() throws Exception {
    JsonNode byAdmin = finished(submitOk(api.call("POST", "/v1/jobrequest/submit", adminToken(),
        submission("userinfo-exhaust", batchV, PASSWORD)), "api.jobrequest.submit"), adminToken());
    String system = token(SYSTEM_ADMIN, "SYSTEM_ADMINISTRATION");
    JsonNode bySystem = finished(submitOk(api.call("POST", "/v1/jobrequest/submit", system,
        submission("userinfo-exhaust", batchV, PASSWORD)), "api.jobrequest.submit"), system);
    forgetScope(byAdmin.path("requestId").asText());
    forgetScope(bySystem.path("requestId").asText());

    Reply refused = api.call("GET", "/v1/jobrequest/download/" + byAdmin.path("requestId").asText(), adminToken(), null);
    assertError(refused, 401, "UNAUTHORIZED_USER");
    assertTrue(refused.errmsg().contains("ask a system admin"), refused.errmsg());
    assertTrue(ExhaustApiTest.Contract.bytes(api, "/v1/jobrequest/download/" + bySystem.path("requestId").asText(), system).length > 0);
  }

  // ---- helpers ----

  /** V's org admin. */
  String adminToken() {
    return token(adminV, "ORG_ADMIN");
  }

  /** The profile as a system admin writes it over HTTP. */
  void putProfile(String userId, String rootOrgId, Map<String, String> data) {
    Map<String, Object> profile = new HashMap<>(data);
    profile.put("rootOrgId", rootOrgId);
    Reply r = api.call("PUT", "/v1/user/profile/" + userId, token(SYSTEM_ADMIN, "SYSTEM_ADMINISTRATION"), profile);
    assertEquals(200, r.status(), r.toString());
  }

  /** The learner's own ACTIVE consent for the course, naming {@code consumer}. */
  void consent(String learner, String consumer) {
    Reply r = api.call("POST", "/v1/user/consent/update", token(learner), Map.of("consent",
        Map.of("status", "ACTIVE", "objectId", courseId, "consumerId", consumer)));
    assertEquals(200, r.status(), r.toString());
  }

  Map<String, Object> batchRequestFor(List<String> orgs) {
    Map<String, Object> r = ongoingBatch(courseId);
    r.put("createdFor", orgs);
    r.remove("mentors");
    return r;
  }

  Map<String, Object> submission(String dataset, String batch, String key) {
    Map<String, Object> r = new HashMap<>(Map.of("tag", courseId + "_" + batch, "dataset", dataset,
        "datasetConfig", Map.of("batchId", batch)));
    if (key != null) {
      r.put("encryptionKey", key);
    }
    return r;
  }

  /** The rows of the report {@code token}'s user requests and downloads (userinfo with {@link #PASSWORD}). */
  List<List<String>> report(String token, String dataset, String batch) throws Exception {
    String key = dataset.equals("userinfo-exhaust") ? PASSWORD : null;
    JsonNode job = finished(submitOk(api.call("POST", "/v1/jobrequest/submit", token, submission(dataset, batch, key)),
        "api.jobrequest.submit"), token);
    assertEquals("SUCCESS", job.path("status").asText(), job.toString());
    return ExhaustApiTest.Contract.csv(ExhaustApiTest.Contract.bytes(api, job.at("/downloadUrls/0").asText(), token), key);
  }

  static JsonNode submitOk(Reply r, String apiId) {
    return ExhaustApiTest.Contract.submitOk(r, apiId);
  }

  JsonNode finished(JsonNode submitted, String token) {
    String id = submitted.path("requestId").asText();
    return pollUntil("job " + id, ExhaustApiTest.Contract.JOB, () -> api.call("GET", "/v1/jobrequest/read/" + id, token, null).result(),
        j -> List.of("SUCCESS", "FAILED").contains(j.path("status").asText()));
  }

  void assertHoldsNothingOfTheVictim(List<List<String>> rows, String what) {
    String all = rows.toString();
    victimData.forEach((field, value) -> assertFalse(all.contains(value), what + " holds the victim's " + field));
  }

  void awaitEnrolled(String batch, int n) {
    pollUntil("the enrolments of " + batch + " on the read side", PROJECTION,
        () -> ExhaustApiTest.Contract.count(node, "SELECT COUNT(*) FROM enrollment WHERE batch_id = ? AND participation = 'ACTIVE'", batch),
        count -> count == n);
  }

  /** What a job stored before scopes were recorded looks like. */
  void forgetScope(String requestId) throws Exception {
    try (Connection c = node.node().database().dataSource().getConnection();
         PreparedStatement ps = c.prepareStatement("UPDATE exhaust_job SET scope_consent_org = NULL, scope_location_org = NULL,"
             + " scope_every_location = NULL WHERE request_id = ?")) {
      ps.setString(1, requestId);
      assertEquals(1, ps.executeUpdate());
    }
  }
}
