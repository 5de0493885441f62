package org.coursebatch.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.coursebatch.core.json.JsonFields;
import org.coursebatch.http.api.Envelope;
import org.coursebatch.http.ops.OpsEndpoints;

/** The examples of the served openapi.yaml, for tests that check them against the code. */
public final class OpenApiExamples {

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  /** Compares JSON numbers by value (YAML gives ints where the code writes longs). */
  private static final Comparator<JsonNode> BY_VALUE = (a, b) -> {
    if (a.isNumber() && b.isNumber()) {
      return a.decimalValue().compareTo(b.decimalValue());
    }
    return a.equals(b) ? 0 : 1;
  };

  private final JsonNode doc;

  private OpenApiExamples(JsonNode doc) {
    this.doc = doc;
  }

  /** Exactly the bytes GET /openapi.yaml serves. */
  public static OpenApiExamples load() {
    try {
      return new OpenApiExamples(YAML.readTree(OpsEndpoints.openApiDocument()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The example, or the values of the named examples, of a request body. */
  public List<JsonNode> requestExamples(String requestBody) {
    JsonNode media = doc.at("/components/requestBodies/" + requestBody + "/content/application~1json");
    assertFalse(media.isMissingNode(), requestBody);
    List<JsonNode> out = new ArrayList<>();
    if (media.has("example")) {
      out.add(media.get("example"));
    }
    media.path("examples").forEach(e -> out.add(e.get("value")));
    assertFalse(out.isEmpty(), requestBody + " has examples");
    return out;
  }

  /** The single example of a response. */
  public JsonNode responseExample(String response) {
    JsonNode example = doc.at("/components/responses/" + response + "/content/application~1json/example");
    assertFalse(example.isMissingNode(), response);
    return example;
  }

  /** The named examples of a response. */
  public Map<String, JsonNode> responseExamples(String response) {
    JsonNode examples = doc.at("/components/responses/" + response + "/content/application~1json/examples");
    assertFalse(examples.isMissingNode(), response);
    Map<String, JsonNode> out = new LinkedHashMap<>();
    examples.properties().forEach(e -> out.put(e.getKey(), e.getValue().get("value")));
    return out;
  }

  /** The {@code request} object of a request example. */
  public static JsonFields requestOf(JsonNode example) {
    return JsonFields.of(example.get("request"), "request");
  }

  public static void assertSameJson(JsonNode expected, JsonNode actual) {
    assertTrue(expected.equals(BY_VALUE, actual), "expected " + expected + "\n but was " + actual);
  }

  /** {@code actual}, a response record or a JSON tree, as the API writes it, against {@code expected}. */
  public static void assertSameJson(JsonNode expected, Object actual) {
    assertSameJson(expected, (JsonNode) Envelope.JSON.valueToTree(actual));
  }

  /**
   * The properties the API writes for {@code record} are the properties of schema {@code schema}
   * (components/schemas, its {@code allOf} parts merged), and the ones it writes even when empty or
   * null are the schema's required ones. A {@link JsonAnyGetter} map of the record writes the
   * schema's {@code additionalProperties}, so the record has one exactly when the schema allows them.
   */
  public void assertRecordMatchesSchema(Class<?> record, String schema) {
    JsonNode node = doc.at("/components/schemas/" + schema);
    assertFalse(node.isMissingNode(), "schema " + schema);
    var description = Envelope.JSON.getSerializationConfig().introspect(Envelope.JSON.constructType(record));
    var anyGetter = description.findAnyGetter();
    Set<String> written = new TreeSet<>();
    Set<String> always = new TreeSet<>();
    JsonInclude.Value ofClass = description.findPropertyInclusion(JsonInclude.Value.empty());
    for (var property : description.findProperties()) {
      if (anyGetter != null && property.getInternalName().equals(anyGetter.getName())) {
        continue;
      }
      written.add(property.getName());
      var include = ofClass.withOverrides(property.findInclusion());
      if (include.getValueInclusion() == JsonInclude.Include.ALWAYS
          || include.getValueInclusion() == JsonInclude.Include.USE_DEFAULTS) {
        always.add(property.getName());
      }
    }
    Set<String> documented = new TreeSet<>();
    Set<String> required = new TreeSet<>();
    boolean additional = mergeAllOf(node, documented, required, "schema " + schema);
    assertEquals(documented, written, record.getSimpleName() + " writes the properties of schema " + schema);
    assertEquals(required, always, record.getSimpleName() + " always writes the required properties of schema " + schema);
    assertEquals(additional, anyGetter != null,
        record.getSimpleName() + " writes a map of further properties exactly when schema " + schema + " has additionalProperties");
  }

  /**
   * Adds the properties and required properties of {@code schema}, and of each of its {@code allOf}
   * parts (a local {@code $ref} followed), to {@code properties} and {@code required}; whether
   * {@code schema} or a part allows additional properties.
   */
  private boolean mergeAllOf(JsonNode schema, Set<String> properties, Set<String> required, String where) {
    JsonNode resolved = schema;
    while (resolved.has("$ref")) {
      String ref = resolved.get("$ref").asText();
      assertTrue(ref.startsWith("#/"), where + ": only local references are followed, not " + ref);
      resolved = doc.at(ref.substring(1));
      assertFalse(resolved.isMissingNode(), where + ": " + ref);
    }
    resolved.path("properties").fieldNames().forEachRemaining(properties::add);
    resolved.path("required").forEach(r -> required.add(r.asText()));
    JsonNode additional = resolved.path("additionalProperties");
    boolean allowsAdditional = !additional.isMissingNode() && !(additional.isBoolean() && !additional.asBoolean());
    for (JsonNode part : resolved.path("allOf")) {
      allowsAdditional |= mergeAllOf(part, properties, required, where);
    }
    return allowsAdditional;
  }

  /** The {@code ts} of an example envelope. */
  public static Instant ts(JsonNode envelope) {
    return ZonedDateTime.parse(envelope.get("ts").asText(), Envelope.TS).toInstant();
  }
}
