package org.coursebatch.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The container image as Jib builds it: the test image of the {@code test-image} execution
 * (cluster-config/pom.xml), the same container configuration on an empty base, written to
 * target/jib-test-image.tar at package. Its configuration must be what the Kubernetes manifests
 * (k8s/base) expect of it: the entrypoint (the Deployment sets no command), the ports, the user
 * and the data directory.
 */
class ContainerImageIT {
  private static final Path MODULE = Path.of(System.getProperty("basedir", "")).toAbsolutePath();
  private static final Path TAR = MODULE.resolve("target/jib-test-image.tar");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private static Map<String, byte[]> entries;
  private static JsonNode config;
  private static JsonNode container;

  @BeforeAll
  static void readImage() throws IOException {
    assertTrue(Files.isRegularFile(TAR), TAR + " is missing: it is built at package (mvn verify), not with -DskipTests");
    try (InputStream in = Files.newInputStream(TAR)) {
      entries = Tar.read(in);
    }
    JsonNode manifest = JSON.readTree(entries.get("manifest.json"));
    assertEquals(1, manifest.size(), "one image in the tar");
    config = JSON.readTree(entries.get(manifest.get(0).path("Config").asText())).path("config");
    for (JsonNode layer : manifest.get(0).path("Layers")) {
      assertTrue(entries.containsKey(layer.asText()), "layer " + layer + " is not in the tar");
    }
    JsonNode deployment = YAML.readTree(MODULE.resolve("../k8s/base/deployment.yaml").toFile());
    container = null;
    for (JsonNode c : deployment.at("/spec/template/spec/containers")) {
      container = c.path("name").asText().equals("node") ? c : container;
    }
    assertTrue(container != null, "k8s/base/deployment.yaml has no container node");
  }

  @Test
  void runsTheNodesMainWithAHeapThatFollowsTheMemoryLimit() {
    List<String> entrypoint = strings(config.path("Entrypoint"));
    assertEquals("java", entrypoint.get(0), entrypoint.toString());
    assertEquals(Main.class.getName(), entrypoint.get(entrypoint.size() - 1), entrypoint.toString());
    assertTrue(entrypoint.contains("-XX:MaxRAMPercentage=75"), entrypoint.toString());
    assertFalse(entrypoint.stream().anyMatch(a -> a.startsWith("-Xmx")), "a fixed heap: " + entrypoint);
    assertTrue(container.path("command").isMissingNode() && container.path("args").isMissingNode(),
        "the Deployment runs the image's entrypoint");
  }

  @Test
  void exposesThePortsOfTheDeployment() {
    TreeSet<String> exposed = new TreeSet<>();
    config.path("ExposedPorts").fieldNames().forEachRemaining(exposed::add);
    assertEquals(new TreeSet<>(List.of("9000/tcp", "25520/tcp", "8558/tcp")), exposed);
    TreeSet<String> declared = new TreeSet<>();
    for (JsonNode port : container.path("ports")) {
      declared.add(port.path("containerPort").asInt() + "/" + port.path("protocol").asText("TCP").toLowerCase());
    }
    assertEquals(exposed, declared, "the container ports of k8s/base/deployment.yaml");
  }

  @Test
  void runsAsTheNumericUserTheDeploymentRequires() throws IOException {
    assertEquals("10001:10001", config.path("User").asText());
    JsonNode pod = YAML.readTree(MODULE.resolve("../k8s/base/deployment.yaml").toFile()).at("/spec/template/spec/securityContext");
    assertEquals(config.path("User").asText(), pod.path("runAsUser").asText() + ":" + pod.path("runAsGroup").asText(),
        "runAsUser:runAsGroup of k8s/base/deployment.yaml");
    assertTrue(pod.path("runAsNonRoot").asBoolean());
  }

  @Test
  void logsJsonAndKeepsItsDataOnTheMountedVolume() throws IOException {
    Map<String, String> env = new HashMap<>();
    for (String entry : strings(config.path("Env"))) {
      env.put(entry.substring(0, entry.indexOf('=')), entry.substring(entry.indexOf('=') + 1));
    }
    assertEquals("json", env.get("BATCH_LOG_FORMAT"), env.toString());
    assertEquals("/var/lib/course-batch", env.get("BATCH_DATA_DIR"), env.toString());
    JsonNode configMap = YAML.readTree(MODULE.resolve("../k8s/base/configmap.yaml").toFile());
    assertEquals(env.get("BATCH_DATA_DIR"), configMap.at("/data/BATCH_DATA_DIR").asText(), "k8s/base/configmap.yaml");
    boolean mounted = false;
    for (JsonNode mount : container.path("volumeMounts")) {
      mounted |= mount.path("mountPath").asText().equals(env.get("BATCH_DATA_DIR"));
    }
    assertTrue(mounted, "no volume is mounted at " + env.get("BATCH_DATA_DIR") + " in k8s/base/deployment.yaml");
    assertEquals("course-batch-service", config.at("/Labels/org.opencontainers.image.title").asText());
  }

  private static List<String> strings(JsonNode array) {
    List<String> values = new ArrayList<>();
    array.forEach(v -> values.add(v.asText()));
    return values;
  }

  /** The entries of an uncompressed tar (ustar headers, as Jib writes them) by name; JSON files with their content. */
  static final class Tar {
    private Tar() {}

    static Map<String, byte[]> read(InputStream in) throws IOException {
      Map<String, byte[]> entries = new HashMap<>();
      byte[] header = new byte[512];
      while (in.readNBytes(header, 0, 512) == 512 && header[0] != 0) {
        String name = field(header, 0, 100);
        String prefix = field(header, 345, 155);
        long size = Long.parseLong(field(header, 124, 12).trim(), 8);
        String path = prefix.isEmpty() ? name : prefix + "/" + name;
        if (path.endsWith(".json")) {
          entries.put(path, in.readNBytes((int) size));
        } else {
          in.skipNBytes(size); // a layer: only its presence is checked
          entries.put(path, new byte[0]);
        }
        in.skipNBytes((512 - size % 512) % 512);
      }
      return entries;
    }

    private static String field(byte[] header, int offset, int length) {
      int end = offset;
      while (end < offset + length && header[end] != 0) {
        end++;
      }
      return new String(header, offset, end - offset, StandardCharsets.US_ASCII);
    }
  }
}
