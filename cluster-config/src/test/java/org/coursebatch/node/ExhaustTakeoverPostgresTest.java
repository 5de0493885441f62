package org.coursebatch.node;

import static org.coursebatch.node.ExhaustApiTest.Contract.bytes;
import static org.coursebatch.node.ExhaustApiTest.Contract.csv;
import static org.coursebatch.node.ExhaustApiTest.Contract.registerNestedCourse;
import static org.coursebatch.node.ExhaustApiTest.Contract.submitOk;
import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.coursebatch.core.testing.MutableClock;
import org.coursebatch.persistence.db.DatabaseSettings;
import org.coursebatch.persistence.testing.TestDatabases;
import org.junit.jupiter.api.Test;

/**
 * An exhaust report taken over from a killed node, on PostgreSQL (BATCH_TEST_PG_URL's server, else
 * an embedded PostgreSQL): the report's 200,000 learners are written with PostgreSQL's SQL.
 * {@link ExhaustApiTest} is the rest of the reports' contract, on both databases.
 */
class ExhaustTakeoverPostgresTest extends NodeApiContract {

  static final int LEARNERS = 200_000;

  @Override
  DatabaseSettings database(Path dataDir) {
    return TestDatabases.freshPostgres();
  }

  /**
   * A node in its own JVM is killed with SIGKILL while it writes a report of 200,000 learners; a
   * node started afterwards takes the job over once the lease ran out (attempt 2) and stores the
   * whole report, every learner once.
   */
  @Test
  void aReportWhoseNodeIsKilledIsFinishedByANewNode() throws Exception {
    Path dir = Files.createTempDirectory("exhaust-crash");
    DatabaseSettings database = database(dir);
    String requestId;
    String batch;
    try (ChildNode child = ChildNode.start(dir, database)) {
      ApiClient client = child.client();
      String course = registerNestedCourse(client, false);
      batch = createBatch(client, ongoingBatch(course));
      try (Connection c = DriverManager.getConnection(database.url(), database.user(), database.password());
           Statement st = c.createStatement()) {
        // the read side of 200,000 enrolments, written directly (the report reads nothing else)
        st.execute("INSERT INTO enrollment (batch_id, user_id, course_id, participation, invited, enrolled_date, progress,"
            + " completion_percentage, status, updated_at, incarnation) SELECT '" + batch + "', 'u-' || lpad(g::text, 7, '0'), '"
            + course + "', 'ACTIVE', FALSE, 0, 0, 0, 0, 0, 1 FROM generate_series(1, " + LEARNERS + ") g");
        st.execute("ANALYZE enrollment");
      }
      Map<String, Object> request = Map.of("tag", "crash", "dataset", "progress-exhaust", "datasetConfig", Map.of("batchId", batch));
      requestId = submitOk(client.call("POST", "/v1/jobrequest/submit", token(CREATOR), request), "api.jobrequest.submit")
          .path("requestId").asText();
      pollUntil("the child node working on " + requestId, Duration.ofSeconds(60),
          () -> client.call("GET", "/v1/jobrequest/read/" + requestId, token(CREATOR), null).result(),
          j -> !j.path("status").asText().equals("SUBMITTED"));
      child.kill();
    }
    MutableClock later = MutableClock.startingNow();
    later.advance(Duration.ofMinutes(1)); // the lease of the killed node's last sign of life has run out
    try (TestNode next = new TestNode(dir, database, later, Map.of())) {
      next.startNode();
      ApiClient client = next.client();
      JsonNode job = pollUntil("job " + requestId, Duration.ofSeconds(180),
          () -> client.call("GET", "/v1/jobrequest/read/" + requestId, token(CREATOR), null).result(),
          j -> List.of("SUCCESS", "FAILED").contains(j.path("status").asText()));
      assertEquals("SUCCESS", job.path("status").asText(), job.toString());
      assertEquals(2, job.path("attempts").asInt(), "the killed attempt and the one that finished: " + job);
      List<List<String>> csv = csv(bytes(client, job.at("/downloadUrls/0").asText(), token(CREATOR)), null);
      assertEquals(LEARNERS + 1, csv.size());
      var users = new HashSet<String>();
      csv.subList(1, csv.size()).forEach(row -> users.add(row.get(4)));
      assertEquals(LEARNERS, users.size(), "every learner once");
      assertTrue(csv.subList(1, csv.size()).stream().allMatch(row -> row.get(2).equals(batch)));
    } finally {
      TestDatabases.dropPostgres(database);
    }
  }
}
