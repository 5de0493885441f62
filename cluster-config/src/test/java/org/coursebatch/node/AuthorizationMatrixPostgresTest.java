package org.coursebatch.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.stream.StreamSupport;
import org.coursebatch.core.access.Operation;
import org.coursebatch.core.testing.AuthorizationTable;
import org.coursebatch.core.testing.AuthorizationTable.Identity;
import org.coursebatch.node.ApiClient.Reply;
import org.coursebatch.node.DocumentedRoutes.Route;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The authorization matrix over HTTP on PostgreSQL: every route openapi.yaml documents, as every
 * identity of docs/security.md's authorization table, with a valid request against the table's
 * fixture (see {@code AccessPolicyTableTest}). The answer must be the cell of the route's
 * {@code x-access}: {@code no} is 401 or 403 in the envelope, {@code yes} anything else but
 * never a 5xx. Routes that answer with what the caller may see (the report list of a tag, the bulk
 * deletions of the caller's catalog) show a {@code yes} by including the target and a {@code no}
 * by leaving it out (or refusing).
 *
 * <p>Cells that would unenrol, delete or erase act on a learner of organisation A enrolled just
 * for them (the enrolled learner acts on themself); self-enrolment has a batch of its own, the
 * deletion of a whole batch's enrolments a batch of its own, and the deletion of everything in the
 * caller's catalog runs last. The built-in groups store's routes are covered: the node has no
 * groups service.
 */
class AuthorizationMatrixPostgresTest {

  /** Routes whose cells run after all others: they delete every enrolment of the caller's catalog. */
  private static final Set<String> LAST = Set.of("deleteAllEnrollments");

  private static final Identity SYSTEM_ADMIN = Identity.SYSTEM_ADMIN;
  private static final Identity LEARNER = Identity.ENROLLED_LEARNER;
  private static final String ORG_A = AuthorizationTable.ORG_A;

  private static TestNode node;
  private static ApiClient api;

  private String courseId;
  private final String templateId = "matrix-template";
  private final String groupId = "matrix-group";
  private final String reportTag = "matrix-reports";
  private String batchId;
  private String selfBatchId;
  /** A batch whose template no probe removes: issuing needs one (as in lms-service). */
  private String certificateBatchId;
  private String scratchBatchId;
  private String enrollmentId;
  private String requestId;
  private JsonNode createForm;
  private JsonNode updateForm;
  private int made;

  @BeforeAll
  static void start() throws Exception {
    node = TestNode.onFreshPostgres("batch-authz-matrix", TestNode.DEFAULT_ROLES);
    api = node.client();
  }

  @AfterAll
  static void stop() {
    if (node != null) {
      node.closeAndDropDatabase();
    }
  }

  @Test
  void everyRouteAnswersEveryIdentityAsTheTableSays() throws Exception {
    AuthorizationTable table = AuthorizationTable.read();
    setUpFixture();

    List<Route> routes = new ArrayList<>(DocumentedRoutes.all());
    routes.sort((a, b) -> Boolean.compare(LAST.contains(family(a)), LAST.contains(family(b))));
    List<String> wrong = new ArrayList<>();
    int cells = 0;
    Map<String, Integer> answers = new TreeMap<>();
    for (Route route : routes) {
      Operation op;
      try {
        op = Operation.valueOf(route.access());
      } catch (IllegalArgumentException e) {
        wrong.add(route + ": x-access names no Operation: '" + route.access() + "'");
        continue;
      }
      for (Identity who : Identity.values()) {
        String cell = route + " as " + who.column() + " (" + op + ")";
        Probe probe;
        try {
          probe = probe(family(route), who);
        } catch (IllegalArgumentException e) {
          wrong.add(route + ": " + e.getMessage());
          break;
        }
        Reply r = send(route, who, probe);
        cells++;
        answers.merge(refused(r) ? "refused (401/403)" : r.status() == 200 ? "200" : r.status() / 100 + "xx", 1, Integer::sum);
        String malformed = malformed(r);
        String problem = problem(r, probe, table.allows(op, who));
        if (malformed != null) {
          wrong.add(cell + ": " + malformed);
        } else if (problem != null) {
          wrong.add(cell + ": " + problem);
        }
      }
    }
    System.out.printf("authorization matrix: %d cells checked (%d routes x %d identities), answers %s%n",
        cells, routes.size(), Identity.values().length, answers);
    assertEquals(List.of(), wrong, "cells that differ from docs/security.md's authorization table");
    assertTrue(cells >= 70 * Identity.values().length, "cells: " + cells);
  }

  private static boolean refused(Reply r) {
    return r.status() == 401 || r.status() == 403;
  }

  /** What is wrong with the answer whatever the cell says (a 5xx, a refusal without the envelope), or null. */
  private static String malformed(Reply r) {
    if (r.status() >= 500) {
      return "a " + r.status() + ": " + brief(r);
    }
    if (refused(r) && !r.body().path("params").path("status").isTextual()) {
      return "a refusal without the envelope: " + brief(r);
    }
    return null;
  }

  /** Why the answer is not the table's cell, or null when it is. */
  private static String problem(Reply r, Probe probe, boolean expected) {
    boolean allowed = !refused(r) && (probe.showsTarget() == null || probe.showsTarget().test(r));
    if (allowed == expected) {
      return null;
    }
    return "the table says " + (expected ? "yes" : "no") + ", the answer was " + brief(r);
  }

  private static String brief(Reply r) {
    String text = r.toString();
    return text.length() > 300 ? text.substring(0, 300) + "..." : text;
  }

  /** The operationId without the suffix of its other paths: the routes of one family take the same request. */
  private static String family(Route route) {
    return route.operationId().replaceFirst("(GatewayDocs|Gateway|Private|Alias)$", "");
  }

  // ---- what each cell sends ----

  /**
   * What one cell sends: the path parameters, the query (null: none), the body's {@code request}
   * (null: none), and for routes that answer with what the caller may see, whether the answer
   * shows the target (null: the status tells).
   */
  record Probe(Map<String, String> params, String query, Object request, Predicate<Reply> showsTarget) {

    static Probe body(Object request) {
      return new Probe(Map.of(), null, request, null);
    }

    static Probe path(String name, String value) {
      return new Probe(Map.of(name, value), null, null, null);
    }

    static Probe none() {
      return new Probe(Map.of(), null, null, null);
    }

    Probe with(Object body) {
      return new Probe(params, query, body, showsTarget);
    }

    Probe showing(Predicate<Reply> shows) {
      return new Probe(params, query, request, shows);
    }
  }

  private Probe probe(String family, Identity who) {
    String learner = LEARNER.userId();
    return switch (family) {
      case "health", "getOpenApiDocument" -> Probe.none();
      case "createBatch" -> Probe.body(Map.of("courseId", courseId, "name", "Matrix batch of " + who.column(),
          "enrollmentType", "open", "startDate", today().toString()));
      case "updateBatch" -> Probe.body(Map.of("id", batchId, "courseId", courseId, "name", "Matrix batch"));
      case "readBatch", "readBatchHistory" -> Probe.path("batchId", batchId);
      case "searchBatches", "listBatches" -> Probe.body(Map.of("filters", Map.of("batchId", batchId)));
      case "addCertificateTemplate" -> Probe.body(Map.of("batch", Map.of("courseId", courseId, "batchId", batchId,
          "template", Map.of("identifier", templateId, "criteria", Map.of("enrollment", Map.of("status", 2))))));
      case "removeCertificateTemplate" -> Probe.body(Map.of("batch", Map.of("courseId", courseId, "batchId", batchId,
          "template", Map.of("identifier", templateId))));
      case "enrol", "unenrol" -> Probe.body(Map.of("courseId", courseId, "batchId", selfBatchId));
      case "adminEnrol" -> Probe.body(Map.of("courseId", courseId, "batchId", batchId, "userId", learner));
      case "adminUnenrol" -> Probe.body(Map.of("courseId", courseId, "batchId", batchId, "userId", actedOn(who)));
      case "addParticipants" -> Probe.body(Map.of("batchId", batchId, "userIds", List.of(learner)));
      case "removeParticipants" -> Probe.body(Map.of("batchId", batchId, "userIds", List.of(actedOn(who))));
      case "listParticipants" -> Probe.body(Map.of("batch", Map.of("batchId", batchId)));
      case "listUserEnrollments" -> Probe.path("uid", learner);
      case "updateContentState" -> Probe.body(Map.of("contents", List.of(Map.of("contentId", courseId + "_c1",
          "courseId", courseId, "batchId", batchId, "status", 1))));
      case "readContentState" -> Probe.body(Map.of("courseId", courseId, "batchId", batchId));
      case "issueCertificates" -> Probe.body(Map.of("courseId", courseId, "batchId", certificateBatchId, "userIds", List.of(learner)));
      case "putCourse" -> {
        String id = courseId + "_" + (++made);
        yield Probe.path("courseId", id).with(course(id));
      }
      case "getCourse" -> Probe.path("courseId", courseId);
      case "putCertificateTemplateAsset" -> Probe.path("templateId", templateId + "-" + (++made)).with(templateAsset());
      case "getCertificateTemplateAsset" -> Probe.path("templateId", templateId);
      case "putUserProfile" -> Probe.path("userId", learner).with(Map.of("rootOrgId", ORG_A));
      case "getUserProfile" -> Probe.path("userId", learner);
      case "eraseUserProfile" -> Probe.path("userId", who == LEARNER ? learner : freshUser());
      case "updateUserConsent" -> Probe.body(Map.of("consent", consent(learner)));
      case "readUserConsent" -> Probe.body(Map.of("consent", Map.of("filters", Map.of("userId", learner))));
      case "getEnrollmentFormsForCreate" -> Probe.body(Map.of("peers", List.of(Map.of("batchId", batchId, "userId", learner)),
          "recordTypes", List.of()));
      case "createEnrollments" -> Probe.body(Map.of("forms", List.of(createForm)));
      case "getEnrollmentFormsForUpdate" -> Probe.body(Map.of("enrollmentIds", List.of(enrollmentId)));
      case "updateEnrollments" -> Probe.body(Map.of("forms", List.of(updateForm)));
      case "deleteEnrollments" -> Probe.body(Map.of("enrollmentIds", List.of(batchId + ":" + actedOn(who) + ":1")));
      case "deleteEnrollmentsForProgramOffering" -> Probe.path("batchId", scratchBatchId);
      case "deleteEnrollmentsForStudent" -> {
        String target = who == LEARNER ? learner : seen(freshLearner(batchId), true);
        yield Probe.path("userId", target).showing(deletes(batchId, target));
      }
      case "deleteIneffectiveEnrollmentsByDate" -> {
        String target = seen(leftLearner(), false);
        yield new Probe(Map.of(), "date=" + Instant.now().plus(Duration.ofHours(1)), null, deletes(batchId, target));
      }
      case "deleteAllEnrollments" -> {
        String target = seen(freshLearner(batchId), true);
        yield Probe.none().showing(deletes(batchId, target));
      }
      case "aliasEnrollments" -> Probe.body(Map.of("aliases", List.of(Map.of("enrollmentId", enrollmentId,
          "aliasId", "matrix-alias-" + (++made)))));
      case "getEnrollment", "readEnrollmentHistory" -> Probe.path("enrollmentId", enrollmentId);
      case "submitJobRequest" -> Probe.body(report("matrix-submitted"));
      case "listJobRequests" -> Probe.path("tag", reportTag).showing(r -> r.status() == 200
          && r.result().path("jobs").findValuesAsText("requestId").contains(requestId));
      case "readJobRequest", "downloadJobRequest" -> Probe.path("requestId", requestId);
      case "groupActivityAggregates" -> Probe.body(Map.of("groupId", groupId, "activityId", courseId, "activityType", "Course"));
      case "putGroup" -> Probe.path("groupId", groupId + "-" + (++made)).with(group());
      case "getGroup" -> Probe.path("groupId", groupId);
      default -> throw new IllegalArgumentException("no request for operation " + family
          + ": add one to AuthorizationMatrixPostgresTest.probe");
    };
  }

  /** The learner a cell that unenrols or deletes acts on: the enrolled learner themself, else one enrolled for the cell. */
  private String actedOn(Identity who) {
    return who == LEARNER ? LEARNER.userId() : freshLearner(batchId);
  }

  /** Whether a bulk deletion's streamed items include the deletion of {@code user}'s enrolment in the batch. */
  private static Predicate<Reply> deletes(String batch, String user) {
    String prefix = batch + ":" + user + ":";
    return r -> r.status() == 200 && StreamSupport.stream(r.result().path("responses").spliterator(), false)
        .anyMatch(item -> item.path("successful").asBoolean()
            && (item.path("primaryId").asText("").startsWith(prefix) || item.path("enrollmentId").asText("").startsWith(prefix)));
  }

  private Reply send(Route route, Identity who, Probe probe) {
    String path = route.path();
    for (Map.Entry<String, String> p : probe.params().entrySet()) {
      path = path.replace("{" + p.getKey() + "}", p.getValue());
    }
    if (path.contains("{")) {
      throw new IllegalStateException(route + ": no value for a path parameter of " + path);
    }
    if (probe.query() != null) {
      path += "?" + probe.query();
    }
    String body = route.jsonBody() ? ApiClient.envelope(probe.request() == null ? Map.of() : probe.request()) : null;
    Map<String, String> headers = who == Identity.ANONYMOUS ? Map.of() : Map.of("Authorization", "Bearer " + token(who));
    return api.send(route.method(), path, body, headers);
  }

  // ---- the fixture ----

  /**
   * Profiles for every identity; a course and a certificate template; the batch (creator, mentor,
   * created for A), a batch for self-enrolment and a batch whose enrolments are deleted; the
   * enrolled learner and another learner enrolled, the learner's consent, a group of the learner, a
   * report requested by the creator, and bulk enrolment forms for the learner.
   */
  private void setUpFixture() {
    for (Identity who : Identity.values()) {
      if (who != Identity.ANONYMOUS) {
        ok(as(SYSTEM_ADMIN, "PUT", "/v1/user/profile/" + who.userId(), Map.of("rootOrgId", who.rootOrgId().orElseThrow())));
      }
    }
    courseId = NodeApiContract.registerCourse(api, true);
    ok(as(SYSTEM_ADMIN, "PUT", "/v1/catalog/certificate-template/" + templateId, templateAsset()));
    batchId = newBatch("Matrix batch");
    selfBatchId = newBatch("Matrix self-enrolment batch");
    certificateBatchId = newBatch("Matrix certificate batch");
    ok(as(Identity.CREATOR, "PATCH", "/v1/course/batch/cert/template/add", Map.of("batch", Map.of("courseId", courseId,
        "batchId", certificateBatchId, "template", Map.of("identifier", templateId, "criteria", Map.of("enrollment", Map.of("status", 2)))))));
    scratchBatchId = newBatch("Matrix scratch batch");
    for (Identity who : List.of(LEARNER, Identity.ANOTHER_LEARNER)) {
      ok(as(who, "POST", "/v1/course/enroll", Map.of("courseId", courseId, "batchId", batchId)));
    }
    enrollmentId = batchId + ":" + LEARNER.userId() + ":1";
    ok(as(LEARNER, "POST", "/v1/user/consent/update", Map.of("consent", consent(LEARNER.userId()))));
    ok(as(SYSTEM_ADMIN, "PUT", "/v1/group/" + groupId, group()));
    requestId = ok(as(Identity.CREATOR, "POST", "/v1/jobrequest/submit", report(reportTag))).result().path("requestId").asText();
    createForm = ok(as(SYSTEM_ADMIN, "POST", "/v1/enrollments/batch/forms/create", Map.of(
        "peers", List.of(Map.of("batchId", batchId, "userId", LEARNER.userId())), "recordTypes", List.of())))
        .result().path("forms").path(0);
    ObjectNode update = ok(as(SYSTEM_ADMIN, "POST", "/v1/enrollments/batch/forms/update",
        Map.of("enrollmentIds", List.of(enrollmentId)))).result().path("forms").path(0).deepCopy();
    updateForm = update.put("active", true);
    seen(LEARNER.userId(), true);
  }

  private String newBatch(String name) {
    Map<String, Object> request = Map.of("courseId", courseId, "name", name, "enrollmentType", "open",
        "startDate", today().toString(), "endDate", today().plusDays(30).toString(),
        "createdFor", List.of(ORG_A), "mentors", List.of(Identity.MENTOR.userId()));
    return ok(as(Identity.CREATOR, "POST", "/v1/course/batch/create", request)).result().path("batchId").asText();
  }

  /** A user of organisation A the directory knows, enrolled in nothing. */
  private String freshUser() {
    String userId = "matrix-user-" + (++made);
    ok(as(SYSTEM_ADMIN, "PUT", "/v1/user/profile/" + userId, Map.of("rootOrgId", ORG_A)));
    return userId;
  }

  /** A learner of organisation A who enrolled in {@code batch} themself. */
  private String freshLearner(String batch) {
    String userId = freshUser();
    ok(api.call("POST", "/v1/course/enroll", TestNode.token(userId), Map.of("courseId", courseId, "batchId", batch)));
    return userId;
  }

  /** A learner of organisation A who enrolled in the batch and left it: an enrolment no longer in effect. */
  private String leftLearner() {
    String userId = freshLearner(batchId);
    ok(api.call("POST", "/v1/course/unenroll", TestNode.token(userId), Map.of("courseId", courseId, "batchId", batchId)));
    return userId;
  }

  /** Waits until the read side lists the learner among the batch's participants ({@code active}) or those who left. */
  private String seen(String userId, boolean active) {
    NodeApiContract.pollUntil(userId + " in the participant list", Duration.ofSeconds(20),
        () -> as(SYSTEM_ADMIN, "POST", "/v1/batch/participants/list", Map.of("batch", Map.of("batchId", batchId, "active", active))),
        r -> r.status() == 200 && r.result().path("batch").path("participants").toString().contains("\"" + userId + "\""));
    return userId;
  }

  private Map<String, Object> course(String id) {
    return Map.of("identifier", id, "name", "Course " + id, "status", "Live", "trackable", Map.of("enabled", "Yes"),
        "children", List.of(Map.of("identifier", id + "_u1", "name", "Unit 1", "mimeType", "application/vnd.ekstep.content-collection",
            "children", List.of(Map.of("identifier", id + "_c1", "name", "Video", "mimeType", "video/mp4")))));
  }

  private static Map<String, Object> templateAsset() {
    return Map.of("name", "Matrix template", "url", "https://certs.example.org/matrix.svg",
        "issuer", Map.of("name", "Issuer", "url", "https://issuer.example.org"),
        "signatoryList", List.of(Map.of("name", "CEO", "id", "CEO", "designation", "CEO", "image", "https://img.example.org/ceo.png")));
  }

  private Map<String, Object> consent(String userId) {
    return Map.of("status", "ACTIVE", "userId", userId, "consumerId", ORG_A, "objectId", courseId);
  }

  private Map<String, Object> group() {
    return Map.of("name", "Matrix group", "members", List.of(Map.of("userId", LEARNER.userId())));
  }

  private Map<String, Object> report(String tag) {
    return Map.of("tag", tag, "dataset", "progress-exhaust", "datasetConfig", Map.of("batchId", batchId));
  }

  private static LocalDate today() {
    return LocalDate.now(ZoneOffset.UTC);
  }

  private static String token(Identity who) {
    return TestNode.token(who.userId(), who.roles().toArray(String[]::new));
  }

  private static Reply as(Identity who, String method, String path, Object request) {
    return api.call(method, path, token(who), request);
  }

  private static Reply ok(Reply r) {
    assertEquals(200, r.status(), r.toString());
    return r;
  }

}
