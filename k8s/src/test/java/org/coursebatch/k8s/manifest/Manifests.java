package org.coursebatch.k8s.manifest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Reads Kubernetes YAML: a file or a stream holds any number of documents. */
public final class Manifests {
  private static final ObjectMapper YAML = new ObjectMapper(
      new YAMLFactory().disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
          .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES));

  private Manifests() {}

  /** Every non-empty document of the text; a document that is not a mapping is an error. */
  public static List<ObjectNode> parse(String yaml, String origin) {
    List<ObjectNode> objects = new ArrayList<>();
    try (MappingIterator<JsonNode> docs = YAML.readerFor(JsonNode.class).readValues(yaml)) {
      while (docs.hasNext()) {
        JsonNode doc = docs.next();
        if (doc == null || doc.isNull() || doc.isMissingNode()) {
          continue;
        }
        if (!doc.isObject()) {
          throw new IllegalArgumentException(origin + ": a document is not a mapping: " + doc);
        }
        objects.add((ObjectNode) doc);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(origin + ": not YAML", e);
    }
    return objects;
  }

  public static List<ObjectNode> read(Path file) {
    try {
      return parse(Files.readString(file), file.toString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The object as YAML with its keys sorted, for showing how two objects differ. */
  public static String sorted(JsonNode object) {
    try {
      return YAML.writer(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
          .writeValueAsString(YAML.treeToValue(object, Object.class));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code Kind/name}, the key objects are compared and found by. */
  public static String key(JsonNode object) {
    return object.path("kind").asText() + "/" + object.path("metadata").path("name").asText();
  }
}
