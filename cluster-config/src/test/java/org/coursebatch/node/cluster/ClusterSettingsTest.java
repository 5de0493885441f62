package org.coursebatch.node.cluster;

import static org.junit.jupiter.api.Assertions.*;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.coursebatch.node.cluster.ClusterFormation.ContactPoint;
import org.coursebatch.node.cluster.ClusterFormation.Discovery;
import org.coursebatch.node.cluster.ClusterFormation.Settings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * How {@code course-batch.cluster} is read and turned into Akka discovery settings, and that the
 * operator can set every cluster setting by an environment variable the README documents.
 */
class ClusterSettingsTest {

  private static final String METHOD = "akka.management.cluster.bootstrap.contact-point-discovery.discovery-method";

  /** The test configuration with some values laid over it. */
  private static Config config(Map<String, Object> values) {
    ConfigFactory.invalidateCaches();
    return ConfigFactory.parseMap(values).withFallback(ConfigFactory.load("application-test.conf"));
  }

  private static Settings withContactPoints(String value) {
    return Settings.from(config(Map.of("course-batch.cluster.discovery", "config", "course-batch.cluster.contact-points", value)));
  }

  @Test
  void aNodeFormsItsOwnClusterByDefault() {
    Settings settings = Settings.from(config(Map.of()));
    assertEquals(Discovery.NONE, settings.discovery());
    assertEquals("course-batch", settings.serviceName());
    assertTrue(ClusterFormation.akkaConfig(settings).isEmpty(), "discovery none adds no Akka settings");
  }

  @Test
  void configDiscoveryWithoutContactPointsIsRefused() {
    var e = assertThrows(IllegalArgumentException.class,
        () -> Settings.from(config(Map.of("course-batch.cluster.discovery", "config"))));
    assertTrue(e.getMessage().contains("BATCH_CLUSTER_CONTACT_POINTS"), e.getMessage());
  }

  @Test
  void anUnknownDiscoveryIsRefusedNamingTheValue() {
    var e = assertThrows(IllegalArgumentException.class,
        () -> Settings.from(config(Map.of("course-batch.cluster.discovery", "dns-srv"))));
    assertTrue(e.getMessage().contains("'dns-srv'"), e.getMessage());
  }

  @Test
  void contactPointsAreHostAndPortPairs() {
    assertEquals(List.of(new ContactPoint("h1", 8558), new ContactPoint("h2", 8559)),
        withContactPoints("h1:8558, h2:8559").contactPoints());
  }

  @ParameterizedTest
  @ValueSource(strings = {"h1", "h1:x", "h1:0", "h1:70000", "h1:8558,:8559"})
  void aContactPointThatIsNotHostAndPortIsRefused(String value) {
    var e = assertThrows(IllegalArgumentException.class, () -> withContactPoints(value));
    assertTrue(e.getMessage().contains("BATCH_CLUSTER_CONTACT_POINTS"), e.getMessage());
  }

  @Test
  void configDiscoveryListsTheContactPointsAsTheServicesEndpoints() {
    Config akka = ClusterFormation.akkaConfig(Settings.from(config(Map.of(
        "course-batch.cluster.discovery", "config",
        "course-batch.cluster.contact-points", "h1:8558,h2:8559",
        "akka.management.cluster.bootstrap.contact-point-discovery.service-name", "batches"))));
    assertEquals("config", akka.getString(METHOD));
    List<? extends Config> endpoints = akka.getConfigList("akka.discovery.config.services.batches.endpoints");
    assertEquals(2, endpoints.size());
    assertEquals("h1", endpoints.get(0).getString("host"));
    assertEquals(8558, endpoints.get(0).getInt("port"));
    assertEquals("h2", endpoints.get(1).getString("host"));
    assertEquals(8559, endpoints.get(1).getInt("port"));
  }

  @Test
  void kubernetesDiscoveryAsksTheKubernetesApi() {
    Config akka = ClusterFormation.akkaConfig(Settings.from(config(Map.of("course-batch.cluster.discovery", "Kubernetes-API"))));
    assertEquals("kubernetes-api", akka.getString(METHOD));
    assertFalse(akka.hasPath("akka.discovery.config.services"));
  }

  // ---- environment variables: the resources as written, and the README's table ----

  private static final Path APPLICATION_CONF = Path.of("src/main/resources/application.conf");
  private static final Path CLUSTER_CONF = Path.of("src/main/resources/cluster.conf");
  private static final Path README = Path.of("../README.md");

  @ParameterizedTest
  @ValueSource(strings = {"BATCH_CLUSTER_DISCOVERY", "BATCH_CLUSTER_CONTACT_POINTS", "BATCH_CLUSTER_SERVICE_NAME",
      "BATCH_CLUSTER_REQUIRED_CONTACT_POINTS", "BATCH_CLUSTER_POD_LABEL_SELECTOR", "BATCH_MANAGEMENT_PORT",
      "BATCH_MANAGEMENT_HOST", "BATCH_SBR_STABLE_AFTER", "BATCH_HTTP_UNBIND_DELAY", "BATCH_ENTITY_IDLE_TIMEOUT",
      "BATCH_ACTIVE_ENTITY_LIMIT"})
  void clusterSettingsCanBeSetFromTheEnvironment(String variable) throws IOException {
    assertTrue(Files.readString(APPLICATION_CONF).contains("${?" + variable + "}")
        || Files.readString(CLUSTER_CONF).contains("${?" + variable + "}"), variable + " overrides nothing");
  }

  @Test
  void everyEnvironmentVariableIsInTheReadmesConfigurationTable() throws IOException {
    var used = new TreeSet<String>();
    for (Path conf : List.of(APPLICATION_CONF, CLUSTER_CONF)) {
      Matcher m = Pattern.compile("\\$\\{\\?(BATCH_[A-Z0-9_]+)}").matcher(Files.readString(conf));
      while (m.find()) {
        used.add(m.group(1));
      }
    }
    assertTrue(used.size() > 20, "the override pattern still matches: " + used);
    String table = configurationTable(Files.readString(README));
    var missing = new TreeSet<String>();
    for (String variable : used) {
      if (!Pattern.compile("`" + variable + "`").matcher(table).find()) {
        missing.add(variable);
      }
    }
    assertEquals(new TreeSet<String>(), missing, "variables the README's configuration table does not document");
  }

  /** The table rows of the README's "## Configuration" section. */
  private static String configurationTable(String readme) {
    int start = readme.indexOf("\n## Configuration");
    assertTrue(start >= 0, "the README has a Configuration section");
    int end = readme.indexOf("\n## ", start + 1);
    String section = readme.substring(start, end < 0 ? readme.length() : end);
    return String.join("\n", section.lines().filter(l -> l.startsWith("|")).toList());
  }
}
