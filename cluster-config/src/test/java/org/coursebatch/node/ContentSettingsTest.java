package org.coursebatch.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.coursebatch.http.content.CachedCourseCatalog;
import org.coursebatch.http.content.ContentServiceSettings;
import org.coursebatch.http.content.HttpCourseCatalog;
import org.junit.jupiter.api.Test;

/** {@code course-batch.content}: the built-in catalog by default, else a content service with its limits and cache. */
class ContentSettingsTest {

  static Config content(Map<String, Object> overrides) {
    ConfigFactory.invalidateCaches();
    return ConfigFactory.parseMap(overrides).withFallback(ConfigFactory.load("application-test.conf"))
        .getConfig("course-batch.content");
  }

  @Test
  void noUrlIsTheBuiltInCatalog() {
    assertEquals(Optional.empty(), NodeSettings.contentService(content(Map.of())));
    assertEquals(Optional.empty(), NodeSettings.contentService(content(Map.of("course-batch.content.url", " "))));
  }

  @Test
  void aUrlWithTheDefaultLimitsAndCache() {
    var settings = NodeSettings.contentService(content(Map.of("course-batch.content.url", "http://content-service:9000/")));
    assertEquals(Optional.of(new ContentServiceSettings(
        HttpCourseCatalog.settings("http://content-service:9000", Duration.ofSeconds(3), 2, Duration.ofMillis(200), 5,
            Duration.ofSeconds(30)),
        8L * 1024 * 1024,
        new CachedCourseCatalog.Settings(500, 200, Duration.ofMinutes(5), Duration.ofSeconds(10)))), settings);
  }

  @Test
  void badSettingsStopTheNodeFromStarting() {
    String url = "course-batch.content.url";
    assertThrows(IllegalArgumentException.class, () -> NodeSettings.contentService(content(Map.of(url, "content-service:9000"))));
    assertThrows(IllegalArgumentException.class, () -> NodeSettings.contentService(content(Map.of(
        url, "http://content-service:9000", "course-batch.content.cache.max-courses", 0))));
    assertThrows(IllegalArgumentException.class, () -> NodeSettings.contentService(content(Map.of(
        url, "http://content-service:9000", "course-batch.content.cache.not-found-expiry", "1h"))));
    assertThrows(IllegalArgumentException.class, () -> NodeSettings.contentService(content(Map.of(
        url, "http://content-service:9000", "course-batch.content.max-answer-size", 0))));
  }
}
