package org.coursebatch.http.history;

import static org.coursebatch.http.OpenApiExamples.assertSameJson;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.coursebatch.core.enrollment.EnrollmentId;
import org.coursebatch.core.history.HistoryItem;
import org.coursebatch.core.history.HistoryPage;
import org.coursebatch.http.OpenApiExamples;
import org.coursebatch.http.api.Envelope;
import org.coursebatch.http.ops.OpsEndpoints;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The history examples of openapi.yaml are what HistoryResult writes, and its schemas name every field written. */
class HistoryOpenApiExamplesTest {

  private static OpenApiExamples doc;
  private static JsonNode schemas;

  @BeforeAll
  static void load() throws IOException {
    doc = OpenApiExamples.load();
    schemas = new ObjectMapper(new YAMLFactory()).readTree(OpsEndpoints.openApiDocument()).at("/components/schemas");
  }

  /** The page an example shows, read back into the domain and written again as a HistoryResult. */
  private static HistoryResult rewritten(JsonNode result) {
    JsonNode history = result.get("history");
    List<HistoryItem> items = new ArrayList<>();
    for (JsonNode e : history.get("events")) {
      items.add(new HistoryItem(e.get("persistenceId").asText(), e.get("sequenceNr").asLong(), e.get("type").asText(),
          Instant.parse(e.get("at").asText()), e.get("actor").asText(), e.has("hash") ? e.get("hash").asText() : null,
          e.has("incarnation") ? e.get("incarnation").asInt() : null, (ObjectNode) e.get("change")));
    }
    Long next = history.get("next").isNull() ? null : history.get("next").asLong();
    EnrollmentId id = history.has("enrollmentId") ? EnrollmentId.parse(history.get("enrollmentId").asText()).orElseThrow() : null;
    return HistoryResult.History.of(new HistoryPage(history.get("persistenceId").asText(), items, next), history.get("batchId").asText(), id);
  }

  @Test
  void historyExamplesAreWhatHistoryResultWrites() {
    for (String response : List.of("BatchHistory", "EnrollmentHistory")) {
      JsonNode result = doc.responseExamples(response).get("history").get("result");
      assertSameJson(result, rewritten(result));
    }
  }

  @Test
  void theSchemasNameEveryFieldWrittenAndRequireThoseAlwaysWritten() {
    var change = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
    var full = new HistoryItem("Enrollment|0123:u1", 2, "Enrolled", Instant.EPOCH, "u1", "abc", 1, change);
    var bare = new HistoryItem("CourseBatch|0123", 1, "BatchCreated", Instant.EPOCH, "u1", null, null, change);
    assertEquals(names(tree(HistoryResult.Entry.of(full))), names(schemas.at("/HistoryItem/properties")));
    assertEquals(names(tree(HistoryResult.Entry.of(bare))), texts(schemas.at("/HistoryItem/required")));

    JsonNode withId = tree(HistoryResult.History.of(new HistoryPage("p", List.of(full), 3L), "0123", new EnrollmentId("0123", "u1", 1)))
        .get("history");
    JsonNode withoutId = tree(HistoryResult.History.of(new HistoryPage("p", List.of(), null), "0123", null)).get("history");
    assertEquals(names(withId), names(schemas.at("/HistoryPage/properties")));
    assertEquals(names(withoutId), texts(schemas.at("/HistoryPage/required")));
  }

  private static JsonNode tree(Object value) {
    return Envelope.JSON.valueToTree(value);
  }

  private static Set<String> names(JsonNode object) {
    Set<String> out = new TreeSet<>();
    object.fieldNames().forEachRemaining(out::add);
    return out;
  }

  private static Set<String> texts(JsonNode array) {
    Set<String> out = new TreeSet<>();
    array.forEach(v -> out.add(v.asText()));
    return out;
  }
}
