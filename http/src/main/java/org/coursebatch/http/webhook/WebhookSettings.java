package org.coursebatch.http.webhook;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Where events are POSTed and how ({@code course-batch.webhook}, docs/webhooks.md), checked once at
 * start-up: the urls and the secret are operator input, and a node that cannot sign or reach what it
 * was given refuses to start rather than drop events later.
 *
 * @param urls the receivers, each its own sink (and projection)
 * @param secret the HMAC-SHA256 key: the UTF-8 bytes of the configured text (printable ASCII, at
 *     least {@link #MIN_SECRET_BYTES})
 * @param timeout how long one attempt (connect, send, status line) may take
 * @param maxBackoff the longest wait between two attempts of one message
 * @param parallelism ordering keys delivered at once to one receiver
 * @param maxDeliverTime how long one {@code deliver} call keeps retrying before it fails (the
 *     projection then calls again with the same events)
 */
public record WebhookSettings(List<URI> urls, String secret, Duration timeout, Duration maxBackoff, int parallelism,
    Duration maxDeliverTime) {

  public static final int MIN_SECRET_BYTES = 32;
  /** The first wait after a failed attempt; it doubles up to {@code maxBackoff}. */
  public static final Duration FIRST_BACKOFF = Duration.ofSeconds(1);
  public static final int MAX_PARALLELISM = 1024;

  public WebhookSettings {
    urls = List.copyOf(urls);
    if (urls.isEmpty()) {
      throw new IllegalArgumentException("course-batch.webhook: no url");
    }
    checkSecret(secret);
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("BATCH_WEBHOOK_TIMEOUT (course-batch.webhook.timeout) must be positive, was " + timeout);
    }
    if (maxBackoff.compareTo(FIRST_BACKOFF) < 0) {
      throw new IllegalArgumentException("BATCH_WEBHOOK_MAX_BACKOFF (course-batch.webhook.max-backoff) must be at least "
          + FIRST_BACKOFF.toSeconds() + "s, was " + maxBackoff);
    }
    if (parallelism < 1 || parallelism > MAX_PARALLELISM) {
      throw new IllegalArgumentException("BATCH_WEBHOOK_PARALLELISM (course-batch.webhook.parallelism) must be 1 to "
          + MAX_PARALLELISM + ", was " + parallelism);
    }
    if (maxDeliverTime.compareTo(timeout) < 0) {
      throw new IllegalArgumentException("BATCH_WEBHOOK_MAX_DELIVER_TIME (course-batch.webhook.max-deliver-time) must be at"
          + " least the timeout (" + timeout + "), was " + maxDeliverTime);
    }
  }

  /**
   * The settings for {@code urls} (comma-separated; blank: no webhooks, and the rest is not read).
   * Refuses a url that is not an absolute http(s) url with a host, or that carries credentials, a
   * fragment, spaces, control or non-ASCII characters, or names a receiver twice; and a missing or
   * short secret.
   */
  public static Optional<WebhookSettings> parse(String urls, String secret, Duration timeout, Duration maxBackoff,
      int parallelism, Duration maxDeliverTime) {
    List<String> entries = Arrays.stream(urls.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    if (entries.isEmpty()) {
      return Optional.empty();
    }
    List<URI> parsed = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (int i = 0; i < entries.size(); i++) {
      URI url = url(entries.get(i), i + 1);
      if (!names.add(WebhookSink.receiverName(url))) {
        throw new IllegalArgumentException("BATCH_WEBHOOK_URLS: url " + (i + 1) + " names a receiver already listed");
      }
      parsed.add(url);
    }
    if (secret == null || secret.isEmpty()) {
      throw new IllegalArgumentException("BATCH_WEBHOOK_SECRET (course-batch.webhook.secret) must be set when"
          + " BATCH_WEBHOOK_URLS is: every message is signed with it (at least " + MIN_SECRET_BYTES
          + " bytes, e.g. openssl rand -hex 32)");
    }
    return Optional.of(new WebhookSettings(parsed, secret, timeout, maxBackoff, parallelism, maxDeliverTime));
  }

  /**
   * One receiver's url; {@code position} names it in the refusal (the value itself is not repeated:
   * it may hold a token, and a hostile one control characters).
   */
  static URI url(String value, int position) {
    String where = "BATCH_WEBHOOK_URLS: url " + position + " ";
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c <= 0x20 || c >= 0x7f) {
        throw new IllegalArgumentException(where + "has a space, a control or a non-ASCII character (percent-encode it)");
      }
    }
    URI url;
    try {
      url = new URI(value);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(where + "is not a url: " + e.getReason());
    }
    String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw new IllegalArgumentException(where + "must be http:// or https://");
    }
    if (url.getHost() == null || url.getHost().isEmpty()) {
      throw new IllegalArgumentException(where + "has no host name (letters, digits, dots and hyphens, or an IP address)");
    }
    if (url.getRawUserInfo() != null) {
      throw new IllegalArgumentException(where + "carries credentials: receivers check the signature instead, and urls are logged");
    }
    if (url.getRawFragment() != null) {
      throw new IllegalArgumentException(where + "has a fragment (#...), which is never sent");
    }
    if (url.getPort() == 0 || url.getPort() > 65535) {
      throw new IllegalArgumentException(where + "has port " + url.getPort());
    }
    try {
      akka.http.javadsl.model.Uri.create(value); // what the HTTP client will be handed
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(where + "is refused by the HTTP client: " + e.getMessage());
    }
    return url;
  }

  /** A secret both sides read the same way: printable ASCII, no spaces, at least {@link #MIN_SECRET_BYTES}. */
  static void checkSecret(String secret) {
    if (secret == null) {
      throw new IllegalArgumentException("BATCH_WEBHOOK_SECRET (course-batch.webhook.secret) must be set");
    }
    for (int i = 0; i < secret.length(); i++) {
      char c = secret.charAt(i);
      if (c <= 0x20 || c >= 0x7f) {
        throw new IllegalArgumentException("BATCH_WEBHOOK_SECRET must be printable ASCII without spaces (a trailing newline"
            + " from a file?); character " + (i + 1) + " is not");
      }
    }
    if (secret.getBytes(StandardCharsets.UTF_8).length < MIN_SECRET_BYTES) {
      throw new IllegalArgumentException("BATCH_WEBHOOK_SECRET must have at least " + MIN_SECRET_BYTES
          + " bytes, e.g. openssl rand -hex 32");
    }
  }

  /** The key bytes. */
  byte[] key() {
    return secret.getBytes(StandardCharsets.US_ASCII);
  }

  /** Never shows the secret. */
  @Override
  public String toString() {
    return "WebhookSettings[urls=" + urls.stream().map(WebhookSink::shown).toList() + ", secret=(hidden), timeout=" + timeout
        + ", maxBackoff=" + maxBackoff + ", parallelism=" + parallelism + ", maxDeliverTime=" + maxDeliverTime + "]";
  }
}
