package org.coursebatch.node;

import static org.coursebatch.node.TestNode.token;
import static org.junit.jupiter.api.Assertions.*;

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
import org.coursebatch.core.identity.EntityIds;
import org.coursebatch.core.testing.MutableClock;
import org.coursebatch.node.ApiClient.Reply;
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
 * </ul>
 */
class HostileInputPostgresTest {

  /** A NUL, another control character, and an id longer than the persistence id column. */
  private static final List<String> IMPOSSIBLE = List.of("x%00", "a%01b", "i".repeat(300));
  private static final String ADMIN = token("admin-1", "ORG_ADMIN", "CONTENT_CREATOR", "COURSE_MENTOR", "AUDITOR",
      "SYSTEM_ADMINISTRATION", "BOOK_CREATOR", "PUBLIC");

  private static DatabaseSettings database;
  private static TestNode node;

  @BeforeAll
  static void start() throws Exception {
    database = TestDatabases.freshPostgres();
    node = new TestNode(Files.createTempDirectory("batch-hostile-input"), database, MutableClock.startingNow(), Map.of());
    node.startNode();
  }

  @AfterAll
  static void stop() {
    if (node != null) {
      node.close();
    }
    TestDatabases.dropPostgres(database);
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
    Reply longContent = api.call("PATCH", "/v1/content/state/update", learner, Map.of("userId", "learner-2",
        "contents", List.of(Map.of("contentId", "c".repeat(101), "courseId", courseId, "batchId", batchId, "status", 2))));
    assertEquals(400, longContent.status(), longContent.toString());
    assertEquals("Parameter contents[0].contentId is at most 100 characters; 101 were given.", longContent.errmsg());
    assertEquals(afterEnrol, journalRows(), "a refused progress update was journalled");
    assertTrue(afterCreate > journalBefore && afterEnrol > afterCreate, "the batch and the enrolment were journalled");

    // The projections were never handed anything they cannot write: the new batch and learner show.
    NodeApiContract.pollUntil("the batch in search", Duration.ofSeconds(20),
        () -> api.call("POST", "/v1/course/batch/search", ADMIN, Map.of("filters", Map.of("batchId", batchId))),
        r -> r.status() == 200 && r.result().path("response").path("count").asInt() == 1);
    NodeApiContract.pollUntil("the learner in the participant list", Duration.ofSeconds(20),
        () -> api.call("POST", "/v1/batch/participants/list", ADMIN, Map.of("batch", Map.of("batchId", batchId))),
        r -> r.status() == 200 && r.result().path("batch").path("participants").toString().contains("learner-2"));
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
