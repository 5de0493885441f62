package org.coursebatch.node;

import static org.junit.jupiter.api.Assertions.*;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.coursebatch.http.webhook.WebhookSettings;
import org.junit.jupiter.api.Test;

/** {@code course-batch.webhook}: none by default; with urls, a secret and limits the node checks before it starts. */
class WebhookSettingsNodeTest {

  static final String SECRET = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

  static Config root(Map<String, Object> overrides) {
    ConfigFactory.invalidateCaches();
    return ConfigFactory.parseMap(overrides).withFallback(ConfigFactory.load("application-test.conf"));
  }

  @Test
  void noUrlsIsNoWebhooks() {
    assertEquals(Optional.empty(), NodeSettings.webhook(root(Map.of()).getConfig("course-batch.webhook")));
    assertEquals(Optional.empty(), NodeSettings.from(root(Map.of())).webhook());
  }

  @Test
  void urlsWithTheDefaultLimits() {
    WebhookSettings settings = NodeSettings.webhook(root(Map.of("course-batch.webhook.urls", "https://a.example.org/in,http://b:8080/",
        "course-batch.webhook.secret", SECRET)).getConfig("course-batch.webhook")).orElseThrow();
    assertEquals(List.of(URI.create("https://a.example.org/in"), URI.create("http://b:8080/")), settings.urls());
    assertEquals(Duration.ofSeconds(10), settings.timeout());
    assertEquals(Duration.ofSeconds(60), settings.maxBackoff());
    assertEquals(4, settings.parallelism());
    assertEquals(Duration.ofMinutes(5), settings.maxDeliverTime());
  }

  @Test
  void aNodeWithUrlsButNoSecretDoesNotStart() {
    var e = assertThrows(IllegalArgumentException.class,
        () -> NodeSettings.from(root(Map.of("course-batch.webhook.urls", "https://a.example.org/in"))));
    assertTrue(e.getMessage().contains("BATCH_WEBHOOK_SECRET"), e.getMessage());
  }

  @Test
  void badLimitsStopTheNodeFromStarting() {
    for (Map<String, Object> bad : List.<Map<String, Object>>of(
        Map.of("course-batch.webhook.timeout", "0s"),
        Map.of("course-batch.webhook.max-backoff", "100ms"),
        Map.of("course-batch.webhook.parallelism", 0),
        Map.of("course-batch.webhook.max-deliver-time", "1s"))) {
      Map<String, Object> values = new java.util.HashMap<>(bad);
      values.put("course-batch.webhook.urls", "https://a.example.org/in");
      values.put("course-batch.webhook.secret", SECRET);
      assertThrows(IllegalArgumentException.class, () -> NodeSettings.webhook(root(values).getConfig("course-batch.webhook")),
          bad.toString());
    }
  }
}
