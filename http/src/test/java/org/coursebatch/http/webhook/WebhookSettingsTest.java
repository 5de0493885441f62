package org.coursebatch.http.webhook;

import static org.junit.jupiter.api.Assertions.*;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The webhook settings are operator input: what starts a node, and what refuses it with a message that says why. */
class WebhookSettingsTest {

  static final String SECRET = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

  static Optional<WebhookSettings> parse(String urls, String secret) {
    return WebhookSettings.parse(urls, secret, Duration.ofSeconds(10), Duration.ofSeconds(60), 4, Duration.ofMinutes(5));
  }

  static String refusal(String urls, String secret) {
    return assertThrows(IllegalArgumentException.class, () -> parse(urls, secret)).getMessage();
  }

  @Test
  void noUrlsIsNoWebhooksAndNeedsNoSecret() {
    assertEquals(Optional.empty(), parse("", ""));
    assertEquals(Optional.empty(), parse(" , ", "short"));
  }

  @Test
  void urlsAreCommaSeparatedAndEachIsAReceiverOfItsOwn() {
    WebhookSettings settings = parse(" https://hooks.example.org/course-batch?channel=7 ,http://10.0.0.5:8080/in,", SECRET)
        .orElseThrow();
    assertEquals(List.of(URI.create("https://hooks.example.org/course-batch?channel=7"), URI.create("http://10.0.0.5:8080/in")),
        settings.urls());
    String first = WebhookSink.receiverName(settings.urls().get(0));
    assertTrue(first.matches("webhook-[0-9a-f]{8}"), first);
    assertEquals(first, WebhookSink.receiverName(URI.create("https://hooks.example.org/course-batch?channel=7")),
        "the same url names the same receiver (and projection) on every node and restart");
    assertNotEquals(first, WebhookSink.receiverName(settings.urls().get(1)));
  }

  @Test
  void theSecretIsNeverShown() {
    WebhookSettings settings = parse("https://hooks.example.org/in?token=abc", SECRET).orElseThrow();
    assertFalse(settings.toString().contains(SECRET), settings.toString());
    assertFalse(settings.toString().contains("token=abc"), "a token in the query is not shown either: " + settings);
  }

  @Test
  void urlsWithoutASecretRefuseTheStart() {
    String message = refusal("https://hooks.example.org/in", "");
    assertTrue(message.contains("BATCH_WEBHOOK_SECRET") && message.contains("must be set"), message);
  }

  @ParameterizedTest
  @ValueSource(strings = {"short", "0123456789abcdef0123456789abcde"})
  void aSecretShorterThan32BytesRefusesTheStart(String secret) {
    String message = refusal("https://hooks.example.org/in", secret);
    assertTrue(message.contains("BATCH_WEBHOOK_SECRET") && message.contains("at least 32 bytes"), message);
  }

  @ParameterizedTest
  @ValueSource(strings = {SECRET + "\n", " " + SECRET, "0123456789abcdef 0123456789abcdef", SECRET + "\u0000",
      "0123456789abcdef0123456789abcdefé"})
  void aSecretWithSpacesControlOrNonAsciiCharactersRefusesTheStart(String secret) {
    String message = refusal("https://hooks.example.org/in", secret);
    assertTrue(message.contains("printable ASCII"), message);
    assertFalse(message.contains("0123456789abcdef"), "the secret is not repeated: " + message);
  }

  @ParameterizedTest
  @ValueSource(strings = {"hooks.example.org/in", "ftp://hooks.example.org/in", "https://", "https:///in", "mailto:a@b",
      "https://user:password@hooks.example.org/in", "https://hooks.example.org/in#part", "https://hooks example.org/in",
      "https://hooks.example.org/in\r\nX-Injected: 1", "https://hooks.example.org/\u0000", "https://hooks.example.org/ü",
      "https://hooks.example.org:0/in", "https://hooks.example.org:99999/in", "https://under_score.example.org/in",
      "https://hooks.example.org/in<script>", "javascript:alert(1)"})
  void aUrlThatIsNotAnHttpUrlOfAHostRefusesTheStart(String url) {
    String message = refusal("https://fine.example.org/in," + url, SECRET);
    assertTrue(message.startsWith("BATCH_WEBHOOK_URLS: url 2 "), message);
    assertFalse(message.contains("\r") || message.contains("\n") || message.contains("\u0000"), message);
    assertFalse(message.contains("password"), "credentials are not repeated: " + message);
  }

  @Test
  void theSameReceiverTwiceRefusesTheStart() {
    String message = refusal("https://hooks.example.org/in,https://hooks.example.org/in", SECRET);
    assertTrue(message.contains("url 2") && message.contains("already listed"), message);
  }

  @Test
  void limitsOutOfRangeRefuseTheStart() {
    List<URI> url = List.of(URI.create("https://hooks.example.org/in"));
    Duration s10 = Duration.ofSeconds(10);
    for (Runnable bad : List.<Runnable>of(
        () -> new WebhookSettings(url, SECRET, Duration.ZERO, s10, 4, s10),
        () -> new WebhookSettings(url, SECRET, s10, Duration.ofMillis(500), 4, s10),
        () -> new WebhookSettings(url, SECRET, s10, s10, 0, s10),
        () -> new WebhookSettings(url, SECRET, s10, s10, 5000, s10),
        () -> new WebhookSettings(url, SECRET, s10, s10, 4, Duration.ofSeconds(5)))) {
      assertThrows(IllegalArgumentException.class, bad::run);
    }
  }
}
