package org.coursebatch.node;

import static org.coursebatch.node.TestNode.token;
import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.coursebatch.core.testing.MutableClock;
import org.coursebatch.http.ops.OpsEndpoints;
import org.coursebatch.node.ApiClient.Reply;
import org.coursebatch.persistence.db.DatabaseSettings;
import org.coursebatch.persistence.testing.TestDatabases;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Ids that no batch, enrolment, user or job can have (a NUL or another control character, or longer
 * than any id column) never reach an entity or the journal, on PostgreSQL, which refuses a NUL byte.
 * Every route of the OpenAPI document with an id in its path answers 404 in the envelope for each
 * such id; ids in bodies are refused with a 4xx; nothing is journalled; and right after, as the first
 * thing that starts an entity, a batch is created and a learner enrols (such a read used to restart
 * its entity until the journal's circuit breaker opened for every entity of the node).
 */
class ImpossibleIdsPostgresTest {

  private static final Pattern PATH_PARAM = Pattern.compile("\\{[^}/]+}");
  private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch");
  /** A NUL, another control character, and an id longer than the persistence id column. */
  private static final List<String> IMPOSSIBLE = List.of("x%00", "a%01b", "i".repeat(300));
  private static final String ADMIN = token("admin-1", "ORG_ADMIN", "CONTENT_CREATOR", "COURSE_MENTOR", "AUDITOR",
      "SYSTEM_ADMINISTRATION", "BOOK_CREATOR", "PUBLIC");

  private static DatabaseSettings database;
  private static TestNode node;

  @BeforeAll
  static void start() throws Exception {
    database = TestDatabases.freshPostgres();
    node = new TestNode(Files.createTempDirectory("batch-impossible-ids"), database, MutableClock.startingNow(), Map.of());
    node.startNode();
  }

  @AfterAll
  static void stop() {
    if (node != null) {
      node.close();
    }
    TestDatabases.dropPostgres(database);
  }

  /** Every documented operation whose path names an id, as method and path template. */
  private static List<String[]> routesWithIds() throws Exception {
    JsonNode paths = new ObjectMapper(new YAMLFactory()).readTree(OpsEndpoints.openApiDocument()).path("paths");
    List<String[]> routes = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = paths.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> path = it.next();
      if (!PATH_PARAM.matcher(path.getKey()).find()) {
        continue;
      }
      path.getValue().fieldNames().forEachRemaining(method -> {
        if (METHODS.contains(method)) {
          routes.add(new String[] {method.toUpperCase(), path.getKey()});
        }
      });
    }
    return routes;
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
    List<String[]> routes = routesWithIds();
    assertTrue(routes.size() >= 15, "routes with ids in the document: " + routes.size());
    List<String> wrong = new ArrayList<>();
    int sent = 0;
    for (String[] route : routes) {
      for (String id : IMPOSSIBLE) {
        String path = PATH_PARAM.matcher(route[1]).replaceAll(Matcher.quoteReplacement(id));
        String body = Set.of("GET", "DELETE").contains(route[0]) ? null : ApiClient.envelope(Map.of());
        Reply r = api.send(route[0], path, body, Map.of("Authorization", "Bearer " + ADMIN));
        sent++;
        boolean envelope = r.body().path("params").path("status").isTextual();
        if (r.status() != 404 || !envelope || !"RESOURCE_NOT_FOUND".equals(r.err())) {
          wrong.add(route[0] + " " + route[1] + " with " + id.substring(0, Math.min(8, id.length())) + ": " + r);
        }
      }
    }
    assertEquals(List.of(), wrong, "of " + sent + " requests");

    // Ids in bodies: the learner's own enrolment and progress name a batch that cannot exist.
    String learner = token("learner-1");
    Reply enrol = api.call("POST", "/v1/course/enroll", learner,
        Map.of("courseId", "do_x", "batchId", "b\u0000", "userId", "learner-1"));
    assertTrue(enrol.status() >= 400 && enrol.status() < 500, enrol.toString());
    Reply progress = api.call("PATCH", "/v1/content/state/update", learner, Map.of("userId", "learner-1",
        "contents", List.of(Map.of("contentId", "do_x_c1", "courseId", "do_x", "batchId", "b\u0000", "status", 2))));
    // As lms-service answers a batch that does not exist: 200, the batch listed under BATCH_NOT_EXISTS.
    assertEquals(200, progress.status(), progress.toString());
    assertEquals("b\u0000", progress.result().path("BATCH_NOT_EXISTS").path(0).asText(), progress.toString());
    Reply admin = api.call("POST", "/v1/course/enroll", ADMIN,
        Map.of("courseId", "do_x", "batchId", "b1", "userId", "u\u0001"));
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
}
