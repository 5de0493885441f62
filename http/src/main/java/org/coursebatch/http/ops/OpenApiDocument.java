package org.coursebatch.http.ops;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The OpenAPI document, kept as one file per feature so that a feature's routes and schemas are
 * edited in one place, and served as one self-contained document.
 *
 * <p>{@value #DIRECTORY}{@value #ROOT}.yaml holds what every operation shares (info, servers,
 * security, tags, the envelopes, the shared parameters, headers and error responses); each file of
 * {@link #FEATURES} holds the {@code paths} of that feature's route table and the components only
 * that feature uses. References stay local ({@code #/components/...}) because they point into the
 * assembled document. A path or a component defined in two files is an error, not an override:
 * otherwise which definition is served would depend on the order of the list.
 */
public final class OpenApiDocument {

  static final String DIRECTORY = "/openapi/";
  /** The file of what every feature shares; it has no paths of its own. */
  public static final String ROOT = "root";

  /** The feature files, in the order their paths are served. */
  public static final List<String> FEATURES = List.of(
      "batch", "enrollment", "catalog", "user", "bulk-enrollment", "history", "exhaust", "group", "ops");

  private static final Set<String> FEATURE_SECTIONS = Set.of("paths", "components");

  private static final YAMLMapper YAML = YAMLMapper.builder(YAMLFactory.builder()
          .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
          .enable(YAMLGenerator.Feature.LITERAL_BLOCK_STYLE)
          .build())
      // A key repeated inside one file would silently replace the first one.
      .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
      .build();

  private OpenApiDocument() {}

  /** The assembled document as YAML, assembled on first use. */
  public static byte[] yaml() {
    return Served.YAML_BYTES.clone();
  }

  /** Reads one file of {@value #DIRECTORY} ({@code name} without {@code .yaml}). */
  public static ObjectNode read(String name) {
    String resource = DIRECTORY + name + ".yaml";
    try (InputStream in = OpenApiDocument.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException(resource + " is missing from the classpath");
      }
      JsonNode node = YAML.readTree(in);
      if (!(node instanceof ObjectNode object)) {
        throw new IllegalStateException(resource + " is not a YAML mapping");
      }
      return object;
    } catch (IOException e) {
      throw new UncheckedIOException(resource + " cannot be read", e);
    }
  }

  /**
   * The root with every feature's {@code paths} and {@code components} added, in the given order.
   * The root keeps its key order (its {@code paths} is where the features' paths go); a component
   * section the root lacks is added after its own.
   *
   * @throws IllegalStateException if a path or a component is defined twice, or a feature file
   *     holds anything but {@code paths} and {@code components}
   */
  public static ObjectNode assemble(ObjectNode root, Map<String, ObjectNode> features) {
    ObjectNode out = root.deepCopy();
    ObjectNode paths = objectAt(out, "paths", ROOT);
    ObjectNode components = objectAt(out, "components", ROOT);
    Map<String, String> definedIn = new HashMap<>();
    paths.fieldNames().forEachRemaining(p -> definedIn.put("paths " + p, ROOT));
    components.properties().forEach(section -> objectAt(components, section.getKey(), ROOT).fieldNames()
        .forEachRemaining(name -> definedIn.put(section.getKey() + " " + name, ROOT)));
    features.forEach((feature, file) -> {
      file.fieldNames().forEachRemaining(key -> {
        if (!FEATURE_SECTIONS.contains(key)) {
          throw new IllegalStateException(feature + ".yaml: a feature file holds only paths and components, not " + key);
        }
      });
      addAll(paths, optionalObject(file, "paths", feature), "paths", feature, definedIn);
      optionalObject(file, "components", feature).properties().forEach(section -> {
        ObjectNode target = components.has(section.getKey())
            ? objectAt(components, section.getKey(), ROOT)
            : components.putObject(section.getKey());
        addAll(target, objectAt((ObjectNode) file.get("components"), section.getKey(), feature),
            section.getKey(), feature, definedIn);
      });
    });
    return out;
  }

  private static void addAll(ObjectNode target, ObjectNode source, String section, String feature, Map<String, String> definedIn) {
    source.properties().forEach(entry -> {
      String first = definedIn.putIfAbsent(section + " " + entry.getKey(), feature);
      if (first != null) {
        throw new IllegalStateException(section + " " + entry.getKey() + " is defined in both " + first
            + ".yaml and " + feature + ".yaml");
      }
      target.set(entry.getKey(), entry.getValue());
    });
  }

  private static ObjectNode objectAt(ObjectNode parent, String key, String file) {
    if (!(parent.get(key) instanceof ObjectNode object)) {
      throw new IllegalStateException(file + ".yaml: " + key + " is missing or not a mapping");
    }
    return object;
  }

  private static ObjectNode optionalObject(ObjectNode parent, String key, String file) {
    return parent.has(key) ? objectAt(parent, key, file) : parent.objectNode();
  }

  /** Assembled once per class loader; a defect in the files fails the first use, i.e. at start. */
  private static final class Served {
    static final byte[] YAML_BYTES;

    static {
      Map<String, ObjectNode> features = new LinkedHashMap<>();
      for (String feature : FEATURES) {
        features.put(feature, read(feature));
      }
      try {
        YAML_BYTES = YAML.writeValueAsBytes(assemble(read(ROOT), features));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
