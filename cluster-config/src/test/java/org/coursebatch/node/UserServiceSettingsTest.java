package org.coursebatch.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.coursebatch.http.user.HttpUserDirectory;
import org.junit.jupiter.api.Test;

/** {@code course-batch.users}: the built-in directory by default, else a user service with its limits. */
class UserServiceSettingsTest {

  static Config users(Map<String, Object> overrides) {
    ConfigFactory.invalidateCaches();
    return ConfigFactory.parseMap(overrides).withFallback(ConfigFactory.load("application-test.conf"))
        .getConfig("course-batch.users");
  }

  @Test
  void noUrlIsTheBuiltInDirectory() {
    assertEquals(Optional.empty(), NodeSettings.userService(users(Map.of())));
    assertEquals(Optional.empty(), NodeSettings.userService(users(Map.of("course-batch.users.url", " "))));
  }

  @Test
  void aUrlWithTheDefaultLimits() {
    var settings = NodeSettings.userService(users(Map.of("course-batch.users.url", "http://userorg-service:9000/")));
    assertEquals(Optional.of(HttpUserDirectory.settings("http://userorg-service:9000", Duration.ofSeconds(3), 2,
        Duration.ofMillis(200), 5, Duration.ofSeconds(30), 200, 4, Duration.ofSeconds(60), 10_000)), settings);
  }

  @Test
  void badSettingsStopTheNodeFromStarting() {
    for (Map<String, Object> bad : java.util.List.<Map<String, Object>>of(
        Map.of("course-batch.users.url", "userorg-service:9000"),
        Map.of("course-batch.users.url", "http://u", "course-batch.users.page-size", 0),
        Map.of("course-batch.users.url", "http://u", "course-batch.users.parallelism", 0),
        Map.of("course-batch.users.url", "http://u", "course-batch.users.cache.ttl", "-1s"))) {
      assertThrows(IllegalArgumentException.class, () -> NodeSettings.userService(users(bad)), bad.toString());
    }
  }
}
