package org.coursebatch.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.coursebatch.http.group.HttpGroupsService;
import org.junit.jupiter.api.Test;

/** {@code course-batch.groups}: the built-in store by default, else a groups service with its limits. */
class GroupsSettingsTest {

  static Config groups(Map<String, Object> overrides) {
    ConfigFactory.invalidateCaches();
    return ConfigFactory.parseMap(overrides).withFallback(ConfigFactory.load("application-test.conf"))
        .getConfig("course-batch.groups");
  }

  @Test
  void noUrlIsTheBuiltInStore() {
    assertEquals(Optional.empty(), NodeSettings.groupsService(groups(Map.of())));
    assertEquals(Optional.empty(), NodeSettings.groupsService(groups(Map.of("course-batch.groups.url", "  "))));
  }

  @Test
  void aUrlWithTheDefaultLimits() {
    var settings = NodeSettings.groupsService(groups(Map.of("course-batch.groups.url", "http://groups-service:9000/private/")));
    assertEquals(Optional.of(HttpGroupsService.settings("http://groups-service:9000/private", Duration.ofSeconds(3), 2,
        Duration.ofMillis(200), 5, Duration.ofSeconds(30))), settings);
  }

  @Test
  void badSettingsStopTheNodeFromStarting() {
    assertThrows(IllegalArgumentException.class,
        () -> NodeSettings.groupsService(groups(Map.of("course-batch.groups.url", "groups-service:9000"))));
    assertThrows(IllegalArgumentException.class, () -> NodeSettings.groupsService(groups(Map.of(
        "course-batch.groups.url", "http://groups-service:9000", "course-batch.groups.breaker.max-failures", 0))));
  }
}
