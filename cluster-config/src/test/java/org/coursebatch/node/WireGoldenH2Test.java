package org.coursebatch.node;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.coursebatch.core.testing.MutableClock;
import org.coursebatch.http.auth.JwtKeys;
import org.coursebatch.http.auth.TokenIssuer;
import org.coursebatch.node.WireTranscript.Exchange;
import org.junit.jupiter.api.Test;

/**
 * Every route's answers, byte for byte: one fixed scenario on a node with a clock that stands
 * still reaches each route of the route tables with a successful answer and the usual refusals,
 * and its transcript must equal {@code wire/golden-answers.txt}. It guards changes to how the HTTP
 * layer builds its answers, which must not change a byte on the wire. With
 * {@code -Dwire.golden.update=true} the file is written instead.
 *
 * <p>The node's clock stands still (moved once, by a fixed step), so the envelope's ts, dates and
 * epoch millis are compared as sent. What still differs from run to run is replaced: the ids the
 * node generates (batches, enrolments, forms and their tokens, jobs) by placeholders of the values
 * captured, message ids and journal hashes (which cover generated ids) by numbered placeholders,
 * and a zip's size. Answers that are not JSON (the OpenAPI document, zips) are not compared; the
 * items of a streamed bulk answer, which come as each completes, are compared in sorted order.
 */
class WireGoldenH2Test {

  static final Path GOLDEN = Path.of("src/test/resources/wire/golden-answers.txt");
  static final Path ACTUAL = Path.of("target/wire/actual-answers.txt");
  /** The node's clock: dates and timestamps in the answers follow from it. */
  static final Instant NOW = Instant.parse("2030-06-14T09:30:15.250Z");
  static final Duration PROJECTION = Duration.ofSeconds(20);
  static final Duration JOB = Duration.ofSeconds(40);

  static final String CURATOR = "curator-1";
  static final String CREATOR = "creator-1";
  static final String MENTOR = "mentor-1";
  static final String ORG_ADMIN = "org-admin-1";
  static final String SYS_ADMIN = Directory.SYSTEM_ADMIN;
  static final String COURSE = "do_wire";
  static final String TEMPLATE = "tmpl-wire";

  private static final ObjectMapper JSON = new ObjectMapper();
  /** Tokens issued a day before the node's now: the node refuses an iat in its future. */
  private static final TokenIssuer ISSUER = new TokenIssuer(JwtKeys.load(TestNode.JWT_SECRET, "", Path.of("unused")), "roles",
      Clock.fixed(NOW.minus(Duration.ofDays(1)), ZoneOffset.UTC));
  private static final Map<String, String> ROLES = Map.of(CURATOR, "CONTENT_CREATOR", CREATOR, "CONTENT_CREATOR",
      ORG_ADMIN, "ORG_ADMIN", SYS_ADMIN, "SYSTEM_ADMINISTRATION");

  private final WireTranscript transcript = new WireTranscript();
  private String base;
  private String management;
  private MutableClock clock;

  @Test
  void everyRouteAnswersAsTheGoldenFileSays() throws Exception {
    int managementPort = FreePorts.next();
    clock = new MutableClock(NOW);
    try (TestNode node = new TestNode(Files.createTempDirectory("wire-golden"), null, clock,
        Map.of("akka.management.http.port", managementPort))) {
      node.startNode();
      base = node.baseUrl();
      management = "http://127.0.0.1:" + managementPort;
      try {
        scenario();
      } finally {
        // What the node answered, also when the scenario broke off: to diff with the golden file.
        Files.createDirectories(ACTUAL.getParent());
        Files.writeString(ACTUAL, transcript.text(), StandardCharsets.UTF_8);
      }
    }
    assertEveryDocumentedRouteAnswered();
    transcript.compareWith(GOLDEN, Boolean.getBoolean("wire.golden.update"));
  }

  /** A route that openapi.yaml documents and the scenario never got a 200 from would go unguarded. */
  private void assertEveryDocumentedRouteAnswered() throws Exception {
    List<String> unanswered = new ArrayList<>();
    for (DocumentedRoutes.Route route : DocumentedRoutes.all()) {
      String[] literal = route.withIds("\0").split("\0", -1);
      List<String> quoted = new ArrayList<>();
      for (String part : literal) {
        quoted.add(Pattern.quote(part));
      }
      Pattern path = Pattern.compile(String.join("[^/]+", quoted) + "(\\?.*)?");
      boolean answered = transcript.exchanges().stream().anyMatch(e ->
          e.method().equals(route.method()) && e.status() == 200 && path.matcher(e.path()).matches());
      if (!answered) {
        unanswered.add(route.toString());
      }
    }
    assertEquals(List.of(), unanswered, "documented routes the scenario got no 200 from");
  }

  private void scenario() {
    transcript.opaqueBodies("/openapi\\.yaml");
    transcript.opaqueBodies(".*/jobrequest/download/.*");
    transcript.unorderedResponses("/v1/enrollments/batch/.*");
    // The zip holds the batch ids, so its compressed size moves with them.
    transcript.normalise("\"fileSize\":\\d+", "\"fileSize\":<zip-size>");
    operations();
    catalog();
    users();
    String[] batches = batches();
    enrolments(batches[0], batches[1]);
    groups(batches[0]);
    history(batches[0]);
    exhaust(batches[0]);
    bulk(batches[0], batches[2]);
    refusals();
    validation();
  }

  // ---- the scenario, route group by route group ----

  private void operations() {
    record("GET", "/health", null, null);
    record("GET", "/openapi.yaml", null, null);
    record("POST", "/openapi.yaml", null, o());
    transcript.recordWhen(management, "GET", "/ready", Map.of(), null, e -> e.status() == 200, PROJECTION);
    transcript.record(management, "GET", "/alive", Map.of(), null);
  }

  private void catalog() {
    record("PUT", "/v1/catalog/course/" + COURSE, CURATOR, course());
    record("GET", "/v1/catalog/course/" + COURSE, "learner-a", null);
    record("GET", "/v1/catalog/course/do_missing", "learner-a", null);
    record("PUT", "/v1/catalog/course/do_refused", "learner-a", course());
    record("PUT", "/v1/catalog/certificate-template/" + TEMPLATE, CURATOR, o("name", "Wire template", "url", "https://certs/wire.svg",
        "issuer", o("name", "Issuer", "url", "https://issuer"),
        "signatoryList", List.of(o("name", "CEO", "id", "CEO", "designation", "CEO", "image", "https://img"))));
    record("GET", "/v1/catalog/certificate-template/" + TEMPLATE, "learner-a", null);
    record("GET", "/v1/catalog/certificate-template/tmpl-missing", "learner-a", null);
  }

  private void users() {
    record("PUT", "/v1/user/profile/learner-a", SYS_ADMIN, o("rootOrgId", Directory.ORG, "firstName", "Asha", "lastName", "Rao",
        "email", "asha@example.org", "phone", "+91 98450 12345", "state", "Karnataka", "district", "Bengaluru"));
    for (String user : List.of(CREATOR, ORG_ADMIN, MENTOR, "learner-b", "learner-c", "learner-d", "learner-e", "learner-f",
        "learner-g", "learner-h", "learner-i", "erase-me")) {
      send("PUT", "/v1/user/profile/" + user, SYS_ADMIN, o("rootOrgId", Directory.ORG));
    }
    record("GET", "/v1/user/profile/learner-a", "learner-a", null);
    record("GET", "/v1/user/profile/nobody", SYS_ADMIN, null);
    record("GET", "/v1/user/profile/learner-b", "learner-a", null);
    record("DELETE", "/v1/user/profile/erase-me", SYS_ADMIN, null);
    record("POST", "/v1/user/consent/update", "learner-a",
        o("consent", o("status", "ACTIVE", "objectId", COURSE, "consumerId", Directory.ORG)));
    record("POST", "/api/user/v1/consent/update", "learner-b",
        o("consent", o("status", "REVOKED", "objectId", COURSE, "consumerId", Directory.ORG, "objectType", "Collection")));
    record("POST", "/v1/user/consent/read", "learner-a", o("consent", o("filters", o("userId", "learner-a"))));
    record("POST", "/api/user/v1/consent/read", ORG_ADMIN, o("consent", o("filters", o("userId", "learner-b", "objectId", COURSE))));
    record("POST", "/v1/user/consent/read", "learner-c", o("consent", o("filters", o("userId", "learner-c"))));
  }

  /** Three batches of the course: ongoing and open, ongoing and invite-only, upcoming and open. */
  private String[] batches() {
    LocalDate today = LocalDate.ofInstant(NOW, ZoneOffset.UTC);
    String b1 = captureBatch(record("POST", "/v1/course/batch/create", CREATOR, batch("Open batch", "open", today, today.plusDays(30))));
    String b2 = captureBatch(record("POST", "/private/v1/course/batch/create", CREATOR,
        batch("Invited batch", "invite-only", today, today.plusDays(60))));
    String b3 = captureBatch(record("POST", "/api/course/v1/batch/create", CREATOR,
        batch("Next batch", "open", today.plusDays(7), today.plusDays(37))));
    record("PATCH", "/v1/course/batch/update", CREATOR, o("id", b1, "courseId", COURSE, "name", "Open batch (renamed)",
        "description", "Renamed once"));
    record("PATCH", "/api/course/v1/batch/update", CREATOR, o("id", b3, "courseId", COURSE, "endDate", today.plusDays(40).toString()));
    record("PATCH", "/v1/course/batch/update", "learner-a", o("id", b1, "courseId", COURSE, "name", "Not mine"));
    record("GET", "/v1/course/batch/read/" + b1, "learner-a", null);
    record("GET", "/api/course/v1/batch/read/" + b3, "learner-a", null);
    record("GET", "/v1/course/batch/read/0000000000", "learner-a", null);
    Map<String, Object> certificate = o("enrollment", o("status", 2));
    record("PATCH", "/v1/course/batch/cert/template/add", CREATOR,
        o("batch", o("courseId", COURSE, "batchId", b1, "template", o("identifier", TEMPLATE, "criteria", certificate))));
    record("PATCH", "/api/course/batch/cert/v1/template/add", CREATOR,
        o("batch", o("courseId", COURSE, "batchId", b2, "template", o("identifier", TEMPLATE, "criteria", certificate))));
    record("PATCH", "/v1/course/batch/cert/template/remove", CREATOR,
        o("batch", o("courseId", COURSE, "batchId", b2, "template", o("identifier", TEMPLATE))));
    record("PATCH", "/api/course/batch/cert/v1/template/add", CREATOR,
        o("batch", o("courseId", COURSE, "batchId", b3, "template", o("identifier", TEMPLATE, "criteria", certificate))));
    record("PATCH", "/api/course/batch/cert/v1/template/remove", CREATOR,
        o("batch", o("courseId", COURSE, "batchId", b3, "template", o("identifier", TEMPLATE))));
    Map<String, Object> search = o("filters", o("courseId", COURSE), "sort_by", o("name", "asc"));
    recordWhen("POST", "/v1/course/batch/search", "learner-a", search,
        e -> e.body().contains("\"count\":3") && e.body().contains("renamed") && e.body().split("\"cert_templates\":\\{}", -1).length == 3
            && !e.body().contains("\"updatedBy\":null")
            && e.body().contains("\"endDate\":\"" + today.plusDays(40) + "\""));
    recordWhen("POST", "/api/course/v1/batch/list", "learner-a",
        o("filters", o("courseId", COURSE, "enrollmentType", "open"), "sort_by", o("startDate", "desc"),
            "fields", List.of("batchId", "name", "status")),
        e -> e.body().contains("\"count\":2"));
    record("POST", "/v1/course/batch/search", "learner-a", o("filters", o("courseId", COURSE), "limit", 100_000));
    record("POST", "/api/course/v1/batch/list", "learner-a", o("filters", o("status", 7)));
    return new String[] {b1, b2, b3};
  }

  private void enrolments(String b1, String b2) {
    Map<String, Object> enrolment = o("courseId", COURSE, "batchId", b1);
    record("POST", "/v1/course/enroll", "learner-a", enrolment);
    record("POST", "/api/course/v1/enroll", "learner-b", enrolment);
    record("POST", "/api/course/v1/enrol", "learner-c", enrolment);
    record("POST", "/v1/course/enroll", "learner-a", enrolment);
    record("POST", "/v1/course/enroll", "learner-d", enrolment);
    record("POST", "/v1/course/unenroll", "learner-c", enrolment);
    record("POST", "/api/course/v1/unenroll", "learner-d", enrolment);
    record("POST", "/v1/course/enroll", "learner-c", enrolment);
    record("POST", "/api/course/v1/unenrol", "learner-c", enrolment);
    record("POST", "/v1/course/admin/enroll", CREATOR, o("courseId", COURSE, "batchId", b1, "userId", "learner-e"));
    record("POST", "/api/course/v1/admin/enroll", ORG_ADMIN, o("courseId", COURSE, "batchId", b1, "userId", "learner-f"));
    record("POST", "/v1/course/admin/unenroll", CREATOR, o("courseId", COURSE, "batchId", b1, "userId", "learner-f"));
    record("POST", "/api/course/v1/admin/unenroll", ORG_ADMIN, o("courseId", COURSE, "batchId", b1, "userId", "learner-e"));
    record("POST", "/v1/course/admin/enroll", "learner-a", o("courseId", COURSE, "batchId", b1, "userId", "learner-g"));

    record("POST", "/v1/course/enroll", "learner-a", o("courseId", COURSE, "batchId", b2));
    record("POST", "/v1/course/batch/participants/add", CREATOR, o("batchId", b2, "userIds", List.of("learner-a", "learner-b")));
    record("POST", "/api/course/v1/batch/participants/add", ORG_ADMIN, o("batchId", b2, "userIds", List.of("learner-c", "learner-d")));
    record("POST", "/v1/course/batch/participants/remove", CREATOR, o("batchId", b2, "userIds", List.of("learner-b")));
    record("POST", "/api/course/v1/batch/participants/remove", ORG_ADMIN, o("batchId", b2, "userIds", List.of("learner-c")));
    record("POST", "/v1/course/enroll", "learner-a", o("courseId", COURSE, "batchId", b2));

    record("PATCH", "/v1/content/state/update", "learner-a", o("contents", List.of(
        o("courseId", COURSE, "batchId", b1, "contentId", COURSE + "_c1", "status", 2, "progress", 100)), "assessments", List.of()));
    record("PATCH", "/api/course/v1/content/state/update", "learner-a", o("contents", List.of(
        o("courseId", COURSE, "batchId", b1, "contentId", COURSE + "_a1", "status", 2)), "assessments", List.of(attempt("learner-a", b1))));
    record("PATCH", "/v1/user/content/state", "learner-b", o("contents", List.of(
        o("courseId", COURSE, "batchId", b1, "contentId", COURSE + "_c1", "status", 1, "progress", 40),
        o("courseId", "do_other", "batchId", b1, "contentId", "do_other_c1", "status", 2)), "assessments", List.of()));
    record("POST", "/v1/content/state/read", "learner-a", o("courseId", COURSE, "batchId", b1));
    record("POST", "/api/course/v1/content/state/read", "learner-b",
        o("courseId", COURSE, "batchId", b1, "contentIds", List.of(COURSE + "_c1"), "fields", List.of("progress", "score")));
    record("POST", "/v1/course/batch/cert/issue", CREATOR, o("courseId", COURSE, "batchId", b1, "userIds", List.of("learner-a")));
    record("POST", "/api/course/batch/cert/v1/issue", CREATOR,
        o("courseId", COURSE, "batchId", b1, "userIds", List.of("learner-b"), "reIssue", true));

    // Who has left is known once the read model has every enrolment of the batch.
    awaitParticipants(b1, false, List.of("learner-c", "learner-d", "learner-e", "learner-f"), List.of());
    recordWhen("POST", "/v1/batch/participants/list", MENTOR, o("batch", o("batchId", b1)),
        e -> e.body().contains("\"participants\":[\"learner-a\",\"learner-b\"]"));
    recordWhen("POST", "/api/course/v1/batch/participants/list", CREATOR, o("batch", o("batchId", b2, "active", true)),
        e -> e.body().contains("\"participants\":[\"learner-a\"]"));
    recordWhen("GET", "/v1/user/courses/list/learner-a", "learner-a", null,
        e -> e.body().contains("issuedCertificates\":[{") && e.body().contains("\"completionPercentage\":100")
            && e.body().contains("\"batchId\":\"" + b2 + "\""));
    recordWhen("GET", "/api/course/v1/user/enrollment/list/learner-b", "learner-b", null,
        e -> e.body().contains("\"lastReadContentId\":\"" + COURSE + "_c1\""));
    record("GET", "/v1/user/courses/list/learner-b", "learner-a", null);
  }

  private void groups(String b1) {
    record("PUT", "/v1/group/group-wire", SYS_ADMIN, o("name", "Study circle", "members", List.of(
        o("userId", "learner-a", "name", "Asha", "role", "admin"),
        o("userId", "learner-b", "name", "Bala", "role", "member"),
        o("userId", "learner-c", "name", "Chitra", "role", "member"))));
    record("PUT", "/v1/group/group-refused", "learner-a", o("name", "Mine", "members", List.of()));
    record("GET", "/v1/group/group-wire", "learner-b", null);
    record("GET", "/v1/group/group-missing", SYS_ADMIN, null);
    Map<String, Object> agg = o("groupId", "group-wire", "activityId", COURSE, "activityType", "Course");
    recordWhen("POST", "/v1/group/activity/agg", "learner-a", agg,
        e -> e.body().contains("\"metric\":\"score:" + COURSE + "_a1\"") && e.body().contains("\"userId\":\"learner-b\""));
    record("POST", "/api/data/v1/group/activity/agg", "learner-b", agg);
    record("POST", "/v1/group/activity/agg", "learner-d", agg);
  }

  private void history(String b1) {
    record("GET", "/v1/course/batch/" + b1 + "/history", CREATOR, null);
    record("GET", "/api/course/v1/batch/" + b1 + "/history?limit=2", CREATOR, null);
    record("GET", "/v1/course/batch/" + b1 + "/history", "learner-a", null);
    record("GET", "/v1/course/batch/" + b1 + "/history?limit=many", CREATOR, null);
    record("GET", "/api/course/v1/batch/0000000000/history", CREATOR, null);
  }

  private void exhaust(String b1) {
    String tag = COURSE + "_" + b1;
    Map<String, Object> progress = o("tag", tag, "dataset", "progress-exhaust", "datasetConfig", o("batchId", b1), "output_format", "csv");
    String first = captureJob(record("POST", "/v1/jobrequest/submit", ORG_ADMIN, progress));
    recordWhen("GET", "/v1/jobrequest/read/" + first, ORG_ADMIN, null, e -> e.body().contains("\"status\":\"SUCCESS\""));
    Map<String, Object> responses = o("tag", tag, "dataset", "response-exhaust", "datasetConfig", o("batchId", b1),
        "output_format", "csv", "encryptionKey", "s3cret-key!");
    // Jobs are listed newest first; a job of the same instant would come in no fixed order.
    clock.advance(Duration.ofMinutes(1));
    String second = captureJob(record("POST", "/api/course/v1/jobrequest/submit", ORG_ADMIN, responses));
    recordWhen("GET", "/api/course/v1/jobrequest/read/" + second, ORG_ADMIN, null, e -> e.body().contains("\"status\":\"SUCCESS\""));
    record("GET", "/v1/jobrequest/list/" + tag, ORG_ADMIN, null);
    record("GET", "/api/course/v1/jobrequest/list/" + tag, ORG_ADMIN, null);
    record("GET", "/v1/jobrequest/download/" + first, ORG_ADMIN, null);
    record("GET", "/api/course/v1/jobrequest/download/" + second, ORG_ADMIN, null);
    record("GET", "/v1/jobrequest/read/missing-job", ORG_ADMIN, null);
    record("GET", "/v1/jobrequest/download/" + first, "learner-a", null);
    record("POST", "/v1/jobrequest/submit", ORG_ADMIN, o("tag", tag, "dataset", "no-such-exhaust", "datasetConfig", o("batchId", b1)));
  }

  private void bulk(String b1, String b3) {
    Exchange forms = record("POST", "/v1/enrollments/batch/forms/create", CREATOR, o("peers", List.of(
        o("batchId", b3, "userId", "learner-h"), o("batchId", b3, "userId", "learner-i"))));
    List<Object> submitted = new ArrayList<>();
    for (JsonNode form : tree(forms).path("result").path("forms")) {
      transcript.capture("form", form.path("id").asText());
      transcript.capture("form-token", form.path("token").asText());
      submitted.add(form);
    }
    Exchange created = record("POST", "/v1/enrollments/batch/create", CREATOR, o("forms", submitted));
    // The outcomes stream in no fixed order: the ids are numbered in the order of the forms.
    Map<String, String> byForm = new LinkedHashMap<>();
    for (JsonNode item : tree(created).path("result").path("responses")) {
      byForm.put(item.path("formId").asText(), item.path("enrollmentId").asText());
    }
    List<String> ids = new ArrayList<>();
    for (Object form : submitted) {
      String id = byForm.get(((JsonNode) form).path("id").asText());
      transcript.capture("enrollment", id);
      ids.add(id);
    }
    assertEquals(2, ids.size(), created.body());
    awaitParticipants(b3, true, List.of("learner-h", "learner-i"), List.of());
    record("GET", "/v1/enrollments/" + ids.get(0), CREATOR, null);
    record("GET", "/v1/enrollments/" + ids.get(0) + "/history", CREATOR, null);
    record("GET", "/v1/enrollments/00000000-0000-0000-0000-000000000000", CREATOR, null);
    record("GET", "/v1/enrollments/00000000-0000-0000-0000-000000000000/history", CREATOR, null);
    Exchange updateForms = record("POST", "/v1/enrollments/batch/forms/update", CREATOR, o("enrollmentIds", List.of(ids.get(0), ids.get(1))));
    List<Object> updates = new ArrayList<>();
    for (JsonNode form : tree(updateForms).path("result").path("forms")) {
      transcript.capture("form", form.path("id").asText());
      transcript.capture("form-token", form.path("token").asText());
      updates.add(o("id", form.path("id").asText(), "token", form.path("token").asText(), "active", false));
    }
    updates.add(o("id", "unknown-form", "token", "unknown-token", "active", true));
    record("POST", "/v1/enrollments/batch/update", CREATOR, o("forms", updates));
    // The deletions below find enrolments in the read model: each waits for the one before to be there.
    awaitParticipants(b3, false, List.of("learner-h", "learner-i"), List.of());
    record("POST", "/v1/enrollments/batch/aliases", CREATOR, o("aliases", List.of(
        o("enrollmentId", ids.get(0), "aliasId", "alias-h"), o("enrollmentId", "unknown-enrollment", "aliasId", "alias-x"))));
    record("POST", "/v1/enrollments/batch/delete", CREATOR, o("enrollmentIds", List.of(ids.get(1), "unknown-enrollment")));
    awaitParticipants(b3, false, List.of("learner-h"), List.of("learner-i"));
    record("DELETE", "/v1/enrollments/batch/user/learner-h", CREATOR, null);
    awaitParticipants(b3, false, List.of(), List.of("learner-h", "learner-i"));
    awaitParticipants(b1, false, List.of("learner-c", "learner-d", "learner-e", "learner-f"), List.of());
    record("DELETE", "/v1/enrollments/batch/ineffective?date=" + LocalDate.ofInstant(NOW, ZoneOffset.UTC).plusDays(1), CREATOR, null);
    awaitParticipants(b1, false, List.of("learner-c", "learner-d", "learner-e", "learner-f"), List.of());
    record("DELETE", "/v1/enrollments/batch/ineffective?date=yesterday", CREATOR, null);
    record("DELETE", "/v1/enrollments/batch/ineffective", CREATOR, null);
    awaitParticipants(b1, false, List.of(), List.of("learner-c", "learner-d", "learner-e", "learner-f"));
    record("GET", "/v1/enrollments/alias-h/history", CREATOR, null);
    record("DELETE", "/v1/enrollments/batch/course-batch/" + b1, CREATOR, null);
    awaitParticipants(b1, true, List.of(), List.of("learner-a", "learner-b"));
    record("DELETE", "/v1/enrollments/batch/all", CREATOR, null);
  }

  /** The refusals every route shares: authentication, unknown paths and methods, bodies that are not JSON, too large or malformed. */
  private void refusals() {
    record("GET", "/v1/course/batch/read/0000000000", null, null);
    send(base, "GET", "/v1/course/batch/read/0000000000", Map.of("Authorization", "Bearer not-a-jwt"), null, true);
    record("GET", "/v1/nothing/here", CREATOR, null);
    record("GET", "/v1/course/batch/create", CREATOR, null);
    record("DELETE", "/v1/course/enroll", CREATOR, null);
    send(base, "POST", "/v1/course/enroll", Map.of("Authorization", "Bearer " + token("learner-a"), "Content-Type", "text/plain"),
        "courseId=do_wire".getBytes(StandardCharsets.UTF_8), true);
    send(base, "POST", "/v1/course/enroll", Map.of("Authorization", "Bearer " + token("learner-a"), "Content-Type", "application/json"),
        ("{\"request\": {\"courseId\": \"" + "x".repeat(70_000) + "\"}}").getBytes(StandardCharsets.UTF_8), true);
    send(base, "POST", "/v1/course/enroll", Map.of("Authorization", "Bearer " + token("learner-a"), "Content-Type", "application/json"),
        "{\"request\": {".getBytes(StandardCharsets.UTF_8), true);
    send(base, "POST", "/v1/course/enroll", Map.of("Authorization", "Bearer " + token("learner-a"), "Content-Type", "application/json"),
        "{\"request\": []}".getBytes(StandardCharsets.UTF_8), true);
    send(base, "POST", "/v1/course/enroll", Map.of("Authorization", "Bearer " + token("learner-a"), "Content-Type", "application/json"),
        new byte[0], true);
  }

  /** A request without its fields to every route that takes a body: each answers its own validation refusal. */
  private void validation() {
    for (String[] route : List.of(
        new String[] {"PUT", "/v1/catalog/course/do_empty", CURATOR},
        new String[] {"PUT", "/v1/catalog/certificate-template/tmpl-empty", CURATOR},
        new String[] {"PUT", "/v1/group/group-empty", SYS_ADMIN},
        new String[] {"POST", "/v1/course/batch/create", CREATOR},
        new String[] {"POST", "/private/v1/course/batch/create", CREATOR},
        new String[] {"POST", "/api/course/v1/batch/create", CREATOR},
        new String[] {"PATCH", "/v1/course/batch/update", CREATOR},
        new String[] {"PATCH", "/api/course/v1/batch/update", CREATOR},
        new String[] {"PATCH", "/v1/course/batch/cert/template/add", CREATOR},
        new String[] {"PATCH", "/api/course/batch/cert/v1/template/add", CREATOR},
        new String[] {"PATCH", "/v1/course/batch/cert/template/remove", CREATOR},
        new String[] {"PATCH", "/api/course/batch/cert/v1/template/remove", CREATOR},
        new String[] {"POST", "/v1/course/enroll", "learner-a"},
        new String[] {"POST", "/api/course/v1/enroll", "learner-a"},
        new String[] {"POST", "/api/course/v1/enrol", "learner-a"},
        new String[] {"POST", "/v1/course/unenroll", "learner-a"},
        new String[] {"POST", "/api/course/v1/unenroll", "learner-a"},
        new String[] {"POST", "/api/course/v1/unenrol", "learner-a"},
        new String[] {"POST", "/v1/course/admin/enroll", CREATOR},
        new String[] {"POST", "/api/course/v1/admin/enroll", CREATOR},
        new String[] {"POST", "/v1/course/admin/unenroll", CREATOR},
        new String[] {"POST", "/api/course/v1/admin/unenroll", CREATOR},
        new String[] {"POST", "/v1/course/batch/participants/add", CREATOR},
        new String[] {"POST", "/api/course/v1/batch/participants/add", CREATOR},
        new String[] {"POST", "/v1/course/batch/participants/remove", CREATOR},
        new String[] {"POST", "/api/course/v1/batch/participants/remove", CREATOR},
        new String[] {"POST", "/v1/batch/participants/list", CREATOR},
        new String[] {"POST", "/api/course/v1/batch/participants/list", CREATOR},
        new String[] {"PATCH", "/v1/content/state/update", "learner-a"},
        new String[] {"PATCH", "/api/course/v1/content/state/update", "learner-a"},
        new String[] {"PATCH", "/v1/user/content/state", "learner-a"},
        new String[] {"POST", "/v1/content/state/read", "learner-a"},
        new String[] {"POST", "/api/course/v1/content/state/read", "learner-a"},
        new String[] {"POST", "/v1/course/batch/cert/issue", CREATOR},
        new String[] {"POST", "/api/course/batch/cert/v1/issue", CREATOR},
        new String[] {"POST", "/v1/user/consent/update", "learner-a"},
        new String[] {"POST", "/api/user/v1/consent/update", "learner-a"},
        new String[] {"POST", "/v1/user/consent/read", "learner-a"},
        new String[] {"POST", "/api/user/v1/consent/read", "learner-a"},
        new String[] {"POST", "/v1/enrollments/batch/forms/create", CREATOR},
        new String[] {"POST", "/v1/enrollments/batch/create", CREATOR},
        new String[] {"POST", "/v1/enrollments/batch/forms/update", CREATOR},
        new String[] {"POST", "/v1/enrollments/batch/update", CREATOR},
        new String[] {"POST", "/v1/enrollments/batch/delete", CREATOR},
        new String[] {"POST", "/v1/enrollments/batch/aliases", CREATOR},
        new String[] {"POST", "/v1/jobrequest/submit", ORG_ADMIN},
        new String[] {"POST", "/api/course/v1/jobrequest/submit", ORG_ADMIN},
        new String[] {"POST", "/v1/group/activity/agg", "learner-a"},
        new String[] {"POST", "/api/data/v1/group/activity/agg", "learner-a"})) {
      record(route[0], route[1], route[2], o());
    }
    record("PUT", "/v1/user/profile/learner-z", SYS_ADMIN, o("email", "not-an-email"));
  }

  // ---- requests ----

  private static Map<String, Object> course() {
    return o("identifier", COURSE, "name", "Wire course", "status", "Live", "trackable", o("enabled", "Yes"),
        "children", List.of(o("identifier", COURSE + "_u1", "name", "Unit 1", "mimeType", "application/vnd.ekstep.content-collection",
            "children", List.of(
                o("identifier", COURSE + "_c1", "name", "Video", "mimeType", "video/mp4"),
                o("identifier", COURSE + "_a1", "name", "Quiz", "mimeType", "application/vnd.sunbird.questionset",
                    "questions", List.of(o("identifier", "q1", "maxScore", 2)))))));
  }

  private static Map<String, Object> batch(String name, String type, LocalDate start, LocalDate end) {
    return o("courseId", COURSE, "name", name, "description", "A batch of the wire course", "enrollmentType", type,
        "startDate", start.toString(), "endDate", end.toString(), "enrollmentEndDate", start.plusDays(10).toString(),
        "createdFor", List.of(Directory.ORG), "mentors", List.of(MENTOR));
  }

  private static Map<String, Object> attempt(String user, String batchId) {
    long at = NOW.toEpochMilli();
    Map<String, Object> item = o("id", "q1", "title", "Question 1", "type", "mcq", "maxscore", 2,
        "params", List.of(o("1", "{\"text\":\"A\"}"), o("2", "{\"text\":\"B\"}")));
    return o("assessmentTs", at, "courseId", COURSE, "contentId", COURSE + "_a1", "batchId", batchId, "userId", user,
        "attemptId", "attempt-1", "events", List.of(
            o("eid", "ASSESS", "ets", at, "edata", o("item", item, "score", 2, "resvalues", List.of(o("1", "{\"text\":\"A\"}")), "duration", 7)),
            o("eid", "END", "ets", at, "edata", o())));
  }

  /** An object whose fields keep the order given: answers that echo a request must not depend on a map's order. */
  static Map<String, Object> o(Object... keysAndValues) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      m.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    return m;
  }

  // ---- sending ----

  private static String token(String user) {
    String role = ROLES.get(user);
    return ISSUER.issue(user, role == null ? List.of() : List.of(role), Duration.ofDays(3000), "");
  }

  private static Map<String, String> headers(String user, boolean body) {
    Map<String, String> h = new LinkedHashMap<>();
    if (user != null) {
      h.put("Authorization", "Bearer " + token(user));
    }
    if (body) {
      h.put("Content-Type", "application/json");
    }
    return h;
  }

  private static byte[] envelope(Map<String, Object> request) {
    try {
      return JSON.writeValueAsBytes(o("request", request));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private Exchange record(String method, String path, String user, Map<String, Object> request) {
    return send(base, method, path, headers(user, request != null), request == null ? null : envelope(request), true);
  }

  private Exchange recordWhen(String method, String path, String user, Map<String, Object> request,
      Predicate<Exchange> done) {
    return transcript.recordWhen(base, method, path, headers(user, request != null), request == null ? null : envelope(request),
        done, method.equals("GET") && path.contains("jobrequest") ? JOB : PROJECTION);
  }

  /** Waits, asking unrecorded, until the read model lists {@code present} and not {@code absent} among the batch's (in)active participants. */
  private void awaitParticipants(String batchId, boolean active, List<String> present, List<String> absent) {
    NodeApiContract.pollUntil("participants of " + batchId, PROJECTION,
        () -> send(base, "POST", "/v1/batch/participants/list", headers(CREATOR, true),
            envelope(o("batch", o("batchId", batchId, "active", active))), false).body(),
        body -> present.stream().allMatch(u -> body.contains("\"" + u + "\""))
            && absent.stream().noneMatch(u -> body.contains("\"" + u + "\"")));
  }

  /** Setup that is not part of the transcript; it must succeed. */
  private void send(String method, String path, String user, Map<String, Object> request) {
    Exchange e = send(base, method, path, headers(user, request != null), envelope(request), false);
    assertEquals(200, e.status(), e.toString());
  }

  private Exchange send(String to, String method, String path, Map<String, String> headers, byte[] body, boolean record) {
    Exchange e = WireTranscript.send(to, method, path, headers, body);
    return record ? transcript.record(e) : e;
  }

  private String captureBatch(Exchange created) {
    assertEquals(200, created.status(), created.toString());
    String id = tree(created).path("result").path("batchId").asText();
    transcript.capture("batch", id);
    return id;
  }

  private String captureJob(Exchange submitted) {
    assertEquals(200, submitted.status(), submitted.toString());
    String id = tree(submitted).path("result").path("requestId").asText();
    transcript.capture("job", id);
    return id;
  }

  private static JsonNode tree(Exchange e) {
    try {
      return JSON.readTree(e.body());
    } catch (IOException ex) {
      throw new IllegalStateException(e.toString(), ex);
    }
  }
}
