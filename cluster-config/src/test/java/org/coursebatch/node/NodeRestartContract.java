package org.coursebatch.node;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.coursebatch.core.testing.MutableClock;
import org.coursebatch.node.ApiClient.Reply;
import org.coursebatch.persistence.db.DatabaseSettings;
import org.junit.jupiter.api.Test;

/**
 * Acknowledged writes survive a node stop, and a status transition whose instant passed while no
 * node was running has been recorded once a node is back.
 */
abstract class NodeRestartContract {

  abstract DatabaseSettings database(Path dataDir) throws Exception;

  @Test
  void batchesSurviveARestartAndMissedTransitionsHappen() throws Exception {
    Path dir = Files.createTempDirectory("batch-restart");
    MutableClock clock = MutableClock.startingNow();
    LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
    try (TestNode node = TestNode.start(dir, database(dir), clock)) {
      ApiClient api = node.client();
      String curator = TestNode.token("curator", "CONTENT_CREATOR");
      String creator = TestNode.token("creator");
      Map<String, Object> course = Map.of("name", "Restart course", "trackable", Map.of("enabled", "Yes"),
          "children", List.of(Map.of("identifier", "do_r_c1", "name", "Leaf")));
      assertEquals(200, api.call("PUT", "/v1/catalog/course/do_restart", curator, course).status());

      Map<String, Object> create = new HashMap<>(Map.of("courseId", "do_restart", "name", "Upcoming", "enrollmentType", "open",
          "startDate", today.plusDays(1).toString(), "endDate", today.plusDays(10).toString()));
      String upcoming = api.call("POST", "/v1/course/batch/create", creator, create).result().path("batchId").asText();
      create.put("name", "Updated later");
      String updated = api.call("POST", "/v1/course/batch/create", creator, create).result().path("batchId").asText();
      Reply u = api.call("PATCH", "/v1/course/batch/update", creator,
          Map.of("id", updated, "courseId", "do_restart", "name", "Renamed", "mentors", List.of("m1")));
      assertEquals(200, u.status(), u.toString());
      JsonNode before = read(api, updated);

      node.node().close();
      clock.advance(Duration.ofDays(2)); // the start instant passes while the node is down
      node.startNode();

      ApiClient after = node.client();
      JournalProbe.awaitEvent(node.node(), upcoming, "BatchStarted");
      JsonNode again = read(after, updated);
      assertEquals("Renamed", again.path("name").asText());
      assertEquals(before.path("mentors"), again.path("mentors"));
      assertEquals(before.path("createdDate"), again.path("createdDate"));
      assertEquals(before.path("updatedDate"), again.path("updatedDate"));
      assertEquals(1, read(after, upcoming).path("status").asInt());
      assertTrue(JournalProbe.eventTypes(node.node(), updated).contains("BatchStarted"));
    }
  }

  private static JsonNode read(ApiClient api, String batchId) {
    Reply r = api.call("GET", "/v1/course/batch/read/" + batchId, TestNode.token("reader"), null);
    assertEquals(200, r.status(), r.toString());
    return r.result().path("response");
  }
}
