package org.coursebatch.node;

import static org.coursebatch.node.TestNode.token;
import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.coursebatch.core.json.FieldLimits;
import org.coursebatch.core.identity.EntityIds;
import org.coursebatch.core.testing.MutableClock;
import org.coursebatch.node.ApiClient.Reply;
import org.coursebatch.node.DocumentedRoutes.BoundedString;
import org.coursebatch.node.DocumentedRoutes.Route;
import org.coursebatch.persistence.db.DatabaseSettings;
import org.coursebatch.persistence.testing.TestDatabases;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Hostile input on PostgreSQL, which refuses a NUL byte, through every documented route:
 *
 * <ul>
 *   <li>Ids that nothing can have (a NUL or another control character, or longer than any id
 *       column) never reach an entity or the journal: every route with an id in its path answers
 *       404 in the envelope for each such id, ids in bodies are refused with a 4xx, and right after,
 *       as the first thing that starts an entity, a batch is created and a learner enrols (such a
 *       read used to restart its entity until the journal's circuit breaker opened for every entity
 *       of the node).
 *   <li>A control character anywhere in a JSON body is 400 on every route that takes one; a batch
 *       name, a mentor id or a content id longer than its column is 400; none of them is journalled
 *       (each used to be accepted and then stop the projection that could not write it), and
 *       afterwards a new batch shows in search and a new learner in the participant list.
 *   <li>Every string property of a documented request body with a {@code maxLength} (read from
 *       openapi.yaml, so a new one is covered as soon as it is documented) is taken at its maximum
 *       without a 5xx and refused one character beyond it with 400 naming the field, the journal
 *       and every read table unchanged.
 *   <li>Dates and instants outside 1970..9999 are 400 {@code DATE_FORMAT_ERRROR}, never 5xx.
 *   <li>Progress for content ids that are not leaves of the course is ignored and listed as such.
 *   <li>Free-form JSON nested as deep as a request may nest it is stored and read back by every
 *       read, though the answer nests it deeper.
 * </ul>
 */
class HostileInputPostgresTest {

  /** A NUL, another control character, and an id longer than the persistence id column. */
  private static final List<String> IMPOSSIBLE = List.of("x%00", "a%01b", "i".repeat(300));
  private static final String ADMIN = token("admin-1", "ORG_ADMIN", "CONTENT_CREATOR", "COURSE_MENTOR", "AUDITOR",
      "SYSTEM_ADMINISTRATION", "BOOK_CREATOR", "PUBLIC");

  private static final MutableClock CLOCK = MutableClock.startingNow();
  private static DatabaseSettings database;
  private static TestNode node;

  @BeforeAll
  static void start() throws Exception {
    database = TestDatabases.freshPostgres();
    node = new TestNode(Files.createTempDirectory("batch-hostile-input"), database, CLOCK, Map.of());
    node.startNode();
  }

  @AfterAll
  static void stop() {
    if (node != null) {
      node.close();
    }
    TestDatabases.dropPostgres(database);
  }

  /** The journal and every table a request can add rows to. */
  private static final List<String> STORED = List.of("event_journal", "course_batch", "course_batch_mentor",
      "course_batch_org", "catalog_course", "catalog_certificate_template", "enrollment", "content_state",
      "assessment_attempt", "enrollment_certificate", "user_profile", "user_consent", "learner_group",
      "learner_group_member", "exhaust_job");

  private static Map<String, Long> storedRows() throws SQLException {
    Map<String, Long> rows = new java.util.LinkedHashMap<>();
    try (Connection c = DriverManager.getConnection(database.url(), database.user(), database.password());
         Statement st = c.createStatement()) {
      for (String table : STORED) {
        try (ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM " + table)) {
          rs.next();
          rows.put(table, rs.getLong(1));
        }
      }
    }
    return rows;
  }

  /** The row counts once the read models have caught up with what earlier tests wrote (unchanged for a second). */
  private static Map<String, Long> settledRows() throws Exception {
    Map<String, Long> before = storedRows();
    for (int i = 0; i < 30; i++) {
      NodeApiContract.sleep(1000);
      Map<String, Long> now = storedRows();
      if (now.equals(before)) {
        return now;
      }
      before = now;
    }
    throw new AssertionError("the read models did not settle: " + before);
  }

  private static long journalRows() throws SQLException {
    try (Connection c = DriverManager.getConnection(database.url(), database.user(), database.password());
         Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM event_journal")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  @Test
  void impossibleIdsAreRefusedWithoutReachingTheJournalAndEntitiesStartRightAfter() throws Exception {
    ApiClient api = node.client();
    long journalBefore = journalRows();
    List<Route> routes = DocumentedRoutes.all().stream().filter(Route::hasPathIds).toList();
    assertTrue(routes.size() >= 15, "routes with ids in the document: " + routes.size());
    List<String> wrong = new ArrayList<>();
    int sent = 0;
    for (Route route : routes) {
      for (String id : IMPOSSIBLE) {
        String body = route.jsonBody() ? ApiClient.envelope(Map.of()) : null;
        Reply r = api.send(route.method(), route.withIds(id), body, Map.of("Authorization", "Bearer " + ADMIN));
        sent++;
        boolean envelope = r.body().path("params").path("status").isTextual();
        if (r.status() != 404 || !envelope || !"RESOURCE_NOT_FOUND".equals(r.err())) {
          wrong.add(route.method() + " " + route.path() + " with " + id.substring(0, Math.min(8, id.length())) + ": " + r);
        }
      }
    }
    assertEquals(List.of(), wrong, "of " + sent + " requests");
    System.out.printf("hostile input, impossible path ids: %d sent, each 404 in the envelope%n", sent);

    // Ids in bodies longer than any id: the learner's own enrolment and progress name such a batch,
    // an admin enrols such a user.
    String learner = token("learner-1");
    String longId = "b".repeat(101);
    Reply enrol = api.call("POST", "/v1/course/enroll", learner,
        Map.of("courseId", "do_x", "batchId", longId, "userId", "learner-1"));
    assertTrue(enrol.status() >= 400 && enrol.status() < 500, enrol.toString());
    Reply progress = api.call("PATCH", "/v1/content/state/update", learner, Map.of("userId", "learner-1",
        "contents", List.of(Map.of("contentId", "do_x_c1", "courseId", "do_x", "batchId", longId, "status", 2))));
    // As lms-service answers a batch that does not exist: 200, the batch listed under BATCH_NOT_EXISTS.
    assertEquals(200, progress.status(), progress.toString());
    assertEquals(longId, progress.result().path("BATCH_NOT_EXISTS").path(0).asText(), progress.toString());
    Reply admin = api.call("POST", "/v1/course/enroll", ADMIN,
        Map.of("courseId", "do_x", "batchId", "b1", "userId", "u".repeat(101)));
    assertTrue(admin.status() >= 400 && admin.status() < 500, admin.toString());

    assertEquals(journalBefore, journalRows(), "the refused requests journalled something");

    // The first entities this node starts: a new batch, then a learner's first enrolment.
    String courseId = NodeApiContract.registerCourse(api, true);
    String batchId = NodeApiContract.createBatch(api, Map.of("courseId", courseId, "name", "After impossible ids",
        "enrollmentType", "open", "startDate", LocalDate.now(ZoneOffset.UTC).toString()));
    Reply enrolled = api.call("POST", "/v1/course/enroll", learner,
        Map.of("courseId", courseId, "batchId", batchId, "userId", "learner-1"));
    assertEquals(200, enrolled.status(), enrolled.toString());
  }

  @Test
  void controlCharactersInBodiesAndOverlongTextsAreRefusedAndTheReadSideKeepsUp() throws Exception {
    ApiClient api = node.client();
    String courseId = NodeApiContract.registerCourse(api, true);
    long journalBefore = journalRows();
    List<Route> routes = DocumentedRoutes.all().stream().filter(Route::jsonBody).toList();
    assertTrue(routes.size() >= 20, "routes with a JSON body in the document: " + routes.size());
    List<String> wrong = new ArrayList<>();
    for (Route route : routes) {
      for (String hostile : List.of("x\u0000", "a\u001bb", "\u0085")) {
        String body = ApiClient.envelope(Map.of("courseId", courseId, "probe", List.of(Map.of("deep", hostile))));
        Reply r = api.send(route.method(), route.withIds("probe-1"), body, Map.of("Authorization", "Bearer " + ADMIN));
        if (r.status() != 400 || !"INVALID_PARAMETER_VALUE".equals(r.err())
            || !r.errmsg().contains("request.probe[0].deep")) {
          wrong.add(route.method() + " " + route.path() + ": " + r);
        }
      }
    }
    assertEquals(List.of(), wrong, "of " + routes.size() * 3 + " requests");
    System.out.printf("hostile input, control characters in bodies: %d sent, each 400 in the envelope%n", routes.size() * 3);

    // What the read model's columns cannot hold: refused before it is journalled.
    String today = LocalDate.now(ZoneOffset.UTC).toString();
    Reply longName = api.call("POST", "/v1/course/batch/create", ADMIN, Map.of("courseId", courseId,
        "name", "n".repeat(1001), "enrollmentType", "open", "startDate", today));
    assertEquals(400, longName.status(), longName.toString());
    assertEquals("Parameter name is at most 1000 characters; 1001 were given.", longName.errmsg());
    Reply longMentor = api.call("POST", "/v1/course/batch/create", ADMIN, Map.of("courseId", courseId,
        "name", "Batch", "enrollmentType", "open", "startDate", today, "mentors", List.of("m".repeat(101))));
    assertEquals(400, longMentor.status(), longMentor.toString());
    assertEquals("INVALID_PARAMETER_VALUE", longMentor.err(), longMentor.toString());
    String batchId = NodeApiContract.createBatch(api, Map.of("courseId", courseId, "name", "Hostile bodies",
        "enrollmentType", "open", "startDate", today));
    long afterCreate = journalRows();
    Reply rename = api.call("PATCH", "/v1/course/batch/update", token(NodeApiContract.CREATOR), Map.of("id", batchId, "courseId", courseId,
        "name", "n".repeat(1001)));
    assertEquals(400, rename.status(), rename.toString());
    String learner = token("learner-2");
    Reply enrolled = api.call("POST", "/v1/course/enroll", learner,
        Map.of("courseId", courseId, "batchId", batchId, "userId", "learner-2"));
    assertEquals(200, enrolled.status(), enrolled.toString());
    long afterEnrol = journalRows();
    // A content-state update records its items one by one: a hostile item is left out alone, none of it stored.
    Reply longContent = api.call("PATCH", "/v1/content/state/update", learner, Map.of("userId", "learner-2",
        "contents", List.of(Map.of("contentId", "c".repeat(101), "courseId", courseId, "batchId", batchId, "status", 2))));
    assertEquals(200, longContent.status(), longContent.toString());
    assertEquals("Parameter contents[0].contentId is at most 100 characters; 101 were given.",
        longContent.result().path("INVALID_ITEMS").path(0).path("errmsg").asText(), longContent.toString());
    assertEquals(afterEnrol, journalRows(), "a left-out progress item was journalled");
    Reply mixed = api.call("PATCH", "/v1/content/state/update", learner, Map.of("userId", "learner-2", "contents", List.of(
        Map.of("contentId", "x\u0000", "courseId", courseId, "batchId", batchId, "status", 2),
        Map.of("contentId", courseId + "_c1", "courseId", courseId, "batchId", batchId, "status", 1, "progressdetails", Map.of("at", "a\u001bb")),
        Map.of("contentId", courseId + "_c1", "courseId", courseId, "batchId", batchId, "status", 1, "progress", 30))));
    assertEquals(200, mixed.status(), mixed.toString());
    assertEquals("SUCCESS", mixed.result().path(courseId + "_c1").asText(), mixed.toString());
    JsonNode leftOut = mixed.result().path("INVALID_ITEMS");
    assertEquals(List.of("contents[0]", "contents[1]"), leftOut.findValuesAsText("item"), mixed.toString());
    assertEquals(List.of("INVALID_PARAMETER_VALUE", "INVALID_PARAMETER_VALUE"), leftOut.findValuesAsText("err"), mixed.toString());
    assertTrue(leftOut.get(1).path("errmsg").asText().contains("request.contents[1].progressdetails.at"), mixed.toString());
    assertEquals(afterEnrol + 1, journalRows(), "only the valid item was journalled");
    long afterProgress = journalRows();
    assertTrue(afterCreate > journalBefore && afterEnrol > afterCreate && afterProgress > afterEnrol, "the batch, enrolment and progress were journalled");

    // The projections were never handed anything they cannot write: the new batch and learner show.
    NodeApiContract.pollUntil("the batch in search", Duration.ofSeconds(20),
        () -> api.call("POST", "/v1/course/batch/search", ADMIN, Map.of("filters", Map.of("batchId", batchId))),
        r -> r.status() == 200 && r.result().path("response").path("count").asInt() == 1);
    NodeApiContract.pollUntil("the learner in the participant list", Duration.ofSeconds(20),
        () -> api.call("POST", "/v1/batch/participants/list", ADMIN, Map.of("batch", Map.of("batchId", batchId))),
        r -> r.status() == 200 && r.result().path("batch").path("participants").toString().contains("learner-2"));
  }

  @Test
  void everyDocumentedMaxLengthIsTakenAtItsMaximumAndRefusedBeyondIt() throws Exception {
    ApiClient api = node.client();
    List<Route> routes = DocumentedRoutes.all().stream().filter(r -> !r.boundedStrings().isEmpty()).toList();
    int fields = routes.stream().mapToInt(r -> r.boundedStrings().size()).sum();
    assertTrue(fields >= 60, "string properties with a maxLength in the document: " + fields);

    Map<String, Long> before = settledRows();
    List<String> wrong = new ArrayList<>();
    for (Route route : routes) {
      for (BoundedString field : route.boundedStrings()) {
        Reply r = sendWith(api, route, field, "y".repeat(field.maxLength() + 1));
        String expected = "Parameter " + field.parameter() + " is at most " + field.maxLength() + " characters";
        if (!refusedNaming(r, route, field, expected)) {
          wrong.add(route + " " + field.path() + " beyond " + field.maxLength() + ": " + r);
        }
      }
    }
    assertEquals(List.of(), wrong, "of " + fields + " fields one character too long");
    // The ids in the paths of the PUTs that store a new thing under them.
    for (String[] put : new String[][] {{"/v1/catalog/course/", "courseId"}, {"/v1/catalog/certificate-template/", "templateId"},
        {"/v1/group/", "groupId"}, {"/v1/user/profile/", "userId"}}) {
      Reply r = api.call("PUT", put[0] + "p".repeat(101), ADMIN, Map.of("name", "Named", "members", List.of()));
      if (r.status() != 400 || !("Parameter " + put[1] + " is at most 100 characters; 101 were given.").equals(r.errmsg())) {
        wrong.add("PUT " + put[0] + "{" + put[1] + "}: " + r);
      }
    }
    assertEquals(List.of(), wrong, "PUTs of a path id one character too long");
    assertEquals(before, storedRows(), "a refused request stored something");

    for (Route route : routes) {
      for (BoundedString field : route.boundedStrings()) {
        Reply r = sendWith(api, route, field, "y".repeat(field.maxLength()));
        if (r.status() >= 500) {
          wrong.add(route + " " + field.path() + " at " + field.maxLength() + ": " + r);
        }
      }
    }
    assertEquals(List.of(), wrong, "of " + fields + " fields at their maximum");
    System.out.printf("hostile input, documented lengths: %d sent, none 5xx, each past its maximum 400%n", fields * 2);
  }

  /**
   * Refused with {@code expected}: the whole request (400), or, for an item of a content-state
   * update (each item is recorded or left out on its own), that item alone (200, listed as left out).
   */
  private static boolean refusedNaming(Reply r, Route route, BoundedString field, String expected) {
    boolean stateItem = route.path().contains("content/state") && route.method().equals("PATCH")
        && (field.path().startsWith("request.contents[]") || field.path().startsWith("request.assessments[]"));
    if (!stateItem) {
      return r.status() == 400 && r.errmsg() != null && r.errmsg().startsWith(expected);
    }
    JsonNode invalid = r.result().path("INVALID_ITEMS");
    return r.status() == 200 && invalid.size() == 1 && invalid.get(0).path("errmsg").asText().startsWith(expected);
  }

  /**
   * The route's documented example with {@code field} set to {@code value}, sent by an admin of
   * every role acting as the example's {@code userId} (progress is only taken from its learner), or
   * as itself when that id is the field sent too long.
   */
  private static Reply sendWith(ApiClient api, Route route, BoundedString field, String value) {
    JsonNode body = route.exampleWith(field, value);
    String user = body.path("request").path("userId").asText("admin-1");
    if (user.length() > FieldLimits.ID) {
      user = "admin-1"; // no token names such a user (401): the field is the admin's to get wrong
    }
    String token = token(user, "ORG_ADMIN", "CONTENT_CREATOR", "COURSE_MENTOR", "AUDITOR", "SYSTEM_ADMINISTRATION",
        "BOOK_CREATOR", "PUBLIC");
    return api.send(route.method(), route.withExampleIds(), body.toString(), Map.of("Authorization", "Bearer " + token));
  }

  /**
   * Free-form JSON (progress details, a question's options, a template's issuer) as deep as a
   * request may nest it: stored, and answered by every read, although a response puts it deeper
   * inside the envelope than the request had it (a history: five levels more).
   */
  @Test
  void freeFormJsonAsDeepAsARequestMayNestItIsAnsweredByEveryRead() throws Exception {
    ApiClient api = node.client();
    String courseId = NodeApiContract.registerCourse(api, true);
    String templateId = "tmpl-" + courseId;
    assertEquals(200, api.call("PUT", "/v1/catalog/certificate-template/" + templateId, ADMIN, Map.of("name", "Deep",
        "url", "https://certs/deep.svg", "issuer", Map.of("name", "Issuer"), "signatoryList",
        List.of(Map.of("name", "CEO", "id", "CEO", "designation", "CEO", "image", "https://img")))).status());
    String batchId = NodeApiContract.createBatch(api, Map.of("courseId", courseId, "name", "Deep values",
        "enrollmentType", "open", "startDate", LocalDate.now(ZoneOffset.UTC).toString()));
    // {"request":{"batch":{"template":{"issuer":{"deep": here
    Reply template = api.send("PATCH", "/v1/course/batch/cert/template/add", "{\"request\":{\"batch\":{\"courseId\":\"" + courseId
        + "\",\"batchId\":\"" + batchId + "\",\"template\":{\"identifier\":\"" + templateId
        + "\",\"criteria\":{\"enrollment\":{\"status\":2}},\"issuer\":{\"name\":\"Issuer\",\"deep\":" + arrays(995) + "}}}}}",
        Map.of("Authorization", "Bearer " + token(NodeApiContract.CREATOR)));
    assertEquals(200, template.status(), template.toString());
    String learner = token("learner-deep");
    assertEquals(200, api.call("POST", "/v1/course/enroll", learner,
        Map.of("courseId", courseId, "batchId", batchId, "userId", "learner-deep")).status());
    // {"request":{"contents":[{"progressdetails": here; {"request":{"assessments":[{"events":[{"edata":{"item":{"params": here
    Reply progress = api.send("PATCH", "/v1/content/state/update", "{\"request\":{\"userId\":\"learner-deep\",\"contents\":[{"
        + "\"courseId\":\"" + courseId + "\",\"batchId\":\"" + batchId + "\",\"contentId\":\"" + courseId + "_c1\",\"status\":1,"
        + "\"progressdetails\":" + arrays(996) + "}],\"assessments\":[{\"assessmentTs\":" + System.currentTimeMillis()
        + ",\"courseId\":\"" + courseId + "\",\"batchId\":\"" + batchId + "\",\"contentId\":\"" + courseId + "_a1\","
        + "\"userId\":\"learner-deep\",\"attemptId\":\"a1\",\"events\":[{\"eid\":\"ASSESS\",\"edata\":{\"item\":{\"id\":\"q1\","
        + "\"maxscore\":2,\"params\":" + arrays(992) + "},\"score\":1}}]}]}}", Map.of("Authorization", "Bearer " + learner));
    assertEquals(200, progress.status(), progress.toString());
    assertEquals("SUCCESS", progress.result().path(courseId + "_c1").asText(), progress.toString());

    String enrollmentId = batchId + ":learner-deep:1";
    String now = CLOCK.instant().toString();
    Map<String, Reply> reads = new java.util.LinkedHashMap<>();
    reads.put("batch read", api.call("GET", "/v1/course/batch/read/" + batchId, ADMIN, null));
    reads.put("batch search", NodeApiContract.pollUntil("the batch in search", Duration.ofSeconds(20),
        () -> api.call("POST", "/v1/course/batch/search", ADMIN, Map.of("filters", Map.of("batchId", batchId))),
        r -> r.status() != 200 || r.raw().body().contains(arrays(995))));
    reads.put("content state read", api.call("POST", "/v1/content/state/read", learner, Map.of("courseId", courseId,
        "batchId", batchId, "fields", List.of("score"))));
    reads.put("batch history", api.call("GET", "/v1/course/batch/" + batchId + "/history", ADMIN, null));
    reads.put("batch at an instant", api.call("GET", "/v1/course/batch/" + batchId + "/history?at=" + now, ADMIN, null));
    reads.put("enrolment history", api.call("GET", "/v1/enrollments/" + enrollmentId + "/history", ADMIN, null));
    reads.put("enrolment at an instant", api.call("GET", "/v1/enrollments/" + enrollmentId + "/history?at=" + now, ADMIN, null));
    List<String> wrong = new ArrayList<>();
    reads.forEach((what, r) -> {
      // An enrolment's read has no progress details.
      boolean deepest = what.equals("enrolment at an instant") || r.raw().body().contains(arrays(what.startsWith("batch") ? 995 : 996));
      if (r.status() != 200 || !deepest) {
        wrong.add(what + ": " + r.status() + (deepest ? "" : " without the deep value") + " " + r.raw().body().substring(0, Math.min(300, r.raw().body().length())));
      }
    });
    assertEquals(List.of(), wrong);
  }

  /** Arrays nested {@code levels} deep. */
  private static String arrays(int levels) {
    return "[".repeat(levels) + "]".repeat(levels);
  }

  @Test
  void datesBeyondTheRangeAreRefusedAsDateErrors() throws Exception {
    ApiClient api = node.client();
    String courseId = NodeApiContract.registerCourse(api, true);
    String today = LocalDate.now(ZoneOffset.UTC).toString();
    String batchId = NodeApiContract.createBatch(api, Map.of("courseId", courseId, "name", "Dated",
        "enrollmentType", "open", "startDate", today));
    String learner = token("learner-dates");
    assertEquals(200, api.call("POST", "/v1/course/enroll", learner,
        Map.of("courseId", courseId, "batchId", batchId, "userId", "learner-dates")).status());
    long journalBefore = journalRows();

    List<Reply> refused = new ArrayList<>();
    refused.add(api.send("DELETE", "/v1/enrollments/batch/ineffective?date=%2B999999999-12-31T23:59:59Z", null,
        Map.of("Authorization", "Bearer " + ADMIN)));
    refused.add(api.send("DELETE", "/v1/enrollments/batch/ineffective?date=1969-12-31", null,
        Map.of("Authorization", "Bearer " + ADMIN)));
    for (String end : List.of("+999999999-12-31", "+10000-01-01")) {
      refused.add(api.call("POST", "/v1/course/batch/create", ADMIN, Map.of("courseId", courseId, "name", "Far",
          "enrollmentType", "open", "startDate", today, "endDate", end)));
    }
    refused.add(api.call("POST", "/v1/course/batch/create", ADMIN, Map.of("courseId", courseId, "name", "Far",
        "enrollmentType", "open", "startDate", "+999999999-12-31")));
    refused.add(api.call("PATCH", "/v1/course/batch/update", token(NodeApiContract.CREATOR), Map.of("id", batchId,
        "courseId", courseId, "enrollmentEndDate", "+10000-01-01")));
    refused.add(api.send("GET", "/v1/course/batch/" + batchId + "/history?at=1969-12-31T23:59:59Z", null,
        Map.of("Authorization", "Bearer " + ADMIN)));
    // A content-state item with such a date is left out alone (its update is recorded item by item).
    List<Reply> leftOut = new ArrayList<>();
    leftOut.add(api.call("PATCH", "/v1/content/state/update", learner, Map.of("userId", "learner-dates",
        "contents", List.of(Map.of("contentId", courseId + "_c1", "courseId", courseId, "batchId", batchId, "status", 2,
            "lastAccessTime", "+99999-11-23 06:59:52:152+0530")))));
    leftOut.add(api.call("PATCH", "/v1/content/state/update", learner, Map.of("userId", "learner-dates",
        "assessments", List.of(Map.of("contentId", courseId + "_a1", "courseId", courseId, "batchId", batchId,
            "userId", "learner-dates", "attemptId", "a1", "assessmentTs", 253402300800000L,
            "events", List.of(Map.of("eid", "ASSESS", "edata", Map.of("item", Map.of("id", "q1"), "score", 1))))))));
    List<String> wrong = new ArrayList<>();
    for (Reply r : refused) {
      if (r.status() != 400 || !"DATE_FORMAT_ERRROR".equals(r.err())) {
        wrong.add(r.toString());
      }
    }
    for (Reply r : leftOut) {
      if (r.status() != 200 || !"DATE_FORMAT_ERRROR".equals(r.result().path("INVALID_ITEMS").path(0).path("err").asText())) {
        wrong.add(r.toString());
      }
    }
    assertEquals(List.of(), wrong);
    assertEquals("Parameter endDate is +10000-01-01; dates from 1970-01-01 to 9999-12-31 are taken.", refused.get(3).errmsg());
    String accessRefusal = leftOut.get(0).result().path("INVALID_ITEMS").path(0).path("errmsg").asText();
    assertTrue(accessRefusal.startsWith("Parameter contents[0].lastAccessTime is +99999-"), accessRefusal);
    assertEquals(journalBefore, journalRows(), "a refused date was journalled");

    // The last day of the range is taken.
    Reply last = api.call("POST", "/v1/course/batch/create", ADMIN, Map.of("courseId", courseId, "name", "Long",
        "enrollmentType", "open", "startDate", today, "endDate", "9999-12-31"));
    assertEquals(200, last.status(), last.toString());
    String longBatch = last.result().path("batchId").asText();
    NodeApiContract.pollUntil("the batch ending in 9999 in search", Duration.ofSeconds(20),
        () -> api.call("POST", "/v1/course/batch/search", ADMIN, Map.of("filters", Map.of("batchId", longBatch))),
        r -> r.status() == 200 && r.result().path("response").path("count").asInt() == 1);
  }

  @Test
  void progressForContentsThatAreNotLeavesOfTheCourseIsIgnored() throws Exception {
    ApiClient api = node.client();
    String courseId = NodeApiContract.registerCourse(api, true);
    String otherCourse = NodeApiContract.registerCourse(api, true);
    String batchId = NodeApiContract.createBatch(api, Map.of("courseId", courseId, "name", "Leaves",
        "enrollmentType", "open", "startDate", LocalDate.now(ZoneOffset.UTC).toString()));
    String learner = token("learner-leaves");
    assertEquals(200, api.call("POST", "/v1/course/enroll", learner,
        Map.of("courseId", courseId, "batchId", batchId, "userId", "learner-leaves")).status());

    List<String> notLeaves = List.of(courseId + "_u1", otherCourse + "_c1", "made-up-" + "z".repeat(80));
    List<Map<String, Object>> contents = new ArrayList<>();
    for (String id : notLeaves) {
      contents.add(Map.of("contentId", id, "courseId", courseId, "batchId", batchId, "status", 2));
    }
    long journalBefore = journalRows();
    Reply ignored = api.call("PATCH", "/v1/content/state/update", learner, Map.of("userId", "learner-leaves", "contents", contents));
    assertEquals(200, ignored.status(), ignored.toString());
    assertEquals(notLeaves, ApiClient.JSON.convertValue(ignored.result().path("CONTENT_NOT_IN_COURSE"), List.class));
    assertEquals(journalBefore, journalRows(), "progress for no leaf was journalled");

    contents.add(Map.of("contentId", courseId + "_c1", "courseId", courseId, "batchId", batchId, "status", 2));
    Reply mixed = api.call("PATCH", "/v1/content/state/update", learner, Map.of("userId", "learner-leaves", "contents", contents));
    assertEquals(200, mixed.status(), mixed.toString());
    assertEquals("SUCCESS", mixed.result().path(courseId + "_c1").asText(), mixed.toString());
    assertEquals(3, mixed.result().path("CONTENT_NOT_IN_COURSE").size(), mixed.toString());
    Reply read = api.call("POST", "/v1/content/state/read", learner, Map.of("courseId", courseId, "batchId", batchId));
    assertEquals(List.of(courseId + "_c1"), read.result().path("contentList").findValuesAsText("contentId"), read.toString());
    NodeApiContract.pollUntil("the leaf's state in the read model", Duration.ofSeconds(20), () -> {
      try (Connection c = DriverManager.getConnection(database.url(), database.user(), database.password());
           var ps = c.prepareStatement("SELECT content_id FROM content_state WHERE batch_id = ? AND user_id = ?")) {
        ps.setString(1, batchId);
        ps.setString(2, "learner-leaves");
        List<String> ids = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            ids.add(rs.getString(1));
          }
        }
        return ids;
      } catch (SQLException e) {
        throw new IllegalStateException(e);
      }
    }, ids -> ids.equals(List.of(courseId + "_c1")));
  }

  /**
   * The idempotency key a request may carry (Idempotency-Key, params.msgid, X-Request-ID) reaches
   * the journal and, for X-Request-ID, every answer: longer than 100 characters, or with a control
   * character, it is 400 on every route that serves the envelope, and nothing is journalled.
   */
  @Test
  void overlongOrControlCharacterKeysAreRefusedOnEveryRoute() throws Exception {
    ApiClient api = node.client();
    long journalBefore = journalRows();
    String longKey = "k".repeat(101);
    List<String> wrong = new ArrayList<>();
    int sent = 0;
    for (Route route : DocumentedRoutes.all()) {
      if (route.path().equals("/openapi.yaml")) {
        continue; // the document itself, served without the envelope
      }
      String body = route.jsonBody() ? ApiClient.envelope(Map.of()) : null;
      for (String header : List.of("X-Request-ID", "Idempotency-Key")) {
        Reply r = api.send(route.method(), route.withIds("probe-1"), body,
            Map.of("Authorization", "Bearer " + ADMIN, header, longKey));
        sent++;
        if (r.status() != 400 || !"INVALID_PARAMETER_VALUE".equals(r.err()) || !r.errmsg().contains(header)
            || r.body().path("params").path("msgid").asText().equals(longKey)) {
          wrong.add(route + " with a long " + header + ": " + r);
        }
      }
      if (route.jsonBody()) {
        for (String msgid : List.of(longKey, "a\nb")) {
          String withMsgid = ApiClient.JSON.writeValueAsString(Map.of("params", Map.of("msgid", msgid), "request", Map.of()));
          Reply r = api.send(route.method(), route.withIds("probe-1"), withMsgid, Map.of("Authorization", "Bearer " + ADMIN));
          sent++;
          if (r.status() != 400 || !"INVALID_PARAMETER_VALUE".equals(r.err()) || !r.errmsg().contains("params.msgid")) {
            wrong.add(route + " with msgid " + EntityIds.quoted(msgid) + ": " + r);
          }
        }
      }
    }
    assertEquals(List.of(), wrong, "of " + sent + " requests");
    System.out.printf("hostile input, idempotency keys: %d sent, each 400 in the envelope%n", sent);
    assertTrue(sent > 60, "requests sent: " + sent);

    // A control character in a header: refused before any route sees it.
    int status = rawStatus("GET /v1/course/batch/read/probe-1 HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + ADMIN
        + "\r\nX-Request-ID: a\u0001b\r\nConnection: close\r\n\r\n");
    assertEquals(400, status);
    assertEquals(journalBefore, journalRows(), "a refused request journalled something");
  }

  /** The status of a request written to the socket as it is (an HTTP client refuses such headers). */
  private static int rawStatus(String request) throws Exception {
    try (java.net.Socket socket = new java.net.Socket("127.0.0.1", node.node().httpPort())) {
      socket.getOutputStream().write(request.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
      socket.getOutputStream().flush();
      String statusLine = new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream(),
          java.nio.charset.StandardCharsets.ISO_8859_1)).readLine();
      return Integer.parseInt(statusLine.split(" ")[1]);
    }
  }
}
