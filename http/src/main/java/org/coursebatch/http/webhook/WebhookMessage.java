package org.coursebatch.http.webhook;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.coursebatch.core.publish.OutboundEvent;
import org.coursebatch.http.api.Envelope;

/**
 * What a receiver is sent for one event (docs/webhooks.md): the body, made once and sent unchanged
 * on every attempt, and its signature headers, made anew for each attempt.
 *
 * <p>The body is the event as one JSON object, its fields in this order: {@code eventId, type,
 * version, occurredAt} (ISO-8601 UTC, {@link java.time.Instant#toString}), {@code actor, batchId,
 * courseId, userId, key} (null when absent) and {@code change} (an object). It is written with
 * {@link Envelope#JSON} and UTF-8.
 *
 * <p>The signature is {@code sha256=} and the lowercase hex of HMAC-SHA256, keyed with the secret's
 * bytes, over {@code <timestamp>.<body>}: the {@link #TIMESTAMP} header's value (seconds since the
 * epoch, when the attempt was made), a full stop, and the body's bytes. A receiver that checks the
 * timestamp is recent refuses a message replayed later.
 */
public record WebhookMessage(OutboundEvent event, byte[] body) {

  public static final String SIGNATURE = "X-Coursebatch-Signature";
  public static final String TIMESTAMP = "X-Coursebatch-Timestamp";
  public static final String EVENT_ID = "X-Coursebatch-Event-Id";
  public static final String EVENT_TYPE = "X-Coursebatch-Event-Type";

  public static WebhookMessage of(OutboundEvent event) {
    return new WebhookMessage(event, body(event));
  }

  /** The body: the event's fields in the documented order, absent ones as null. */
  public record Body(String eventId, String type, int version, String occurredAt, String actor, String batchId, String courseId,
      String userId, String key, JsonNode change) {

    public static Body of(OutboundEvent event) {
      return new Body(event.eventId(), event.type(), event.version(), event.occurredAt() == null ? null : event.occurredAt().toString(),
          event.actor(), event.batchId(), event.courseId(), event.userId(), event.key(), event.change());
    }
  }

  /** The body sent for {@code event}. */
  public static byte[] body(OutboundEvent event) {
    try {
      return Envelope.JSON.writeValueAsBytes(Body.of(event));
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("Cannot write event " + event.eventId() + " as JSON", e);
    }
  }

  /** The {@link #SIGNATURE} header's value for a message sent at {@code timestamp} (epoch seconds). */
  public static String signature(byte[] key, String timestamp, byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      mac.update(timestamp.getBytes(StandardCharsets.US_ASCII));
      mac.update((byte) '.');
      return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("HmacSHA256 is not available", e);
    }
  }

  /**
   * The event id as a header value: visible ASCII as it is, every other byte of its UTF-8 (and
   * {@code %}) percent-encoded. The body's {@code eventId} is the one to keep.
   */
  static String headerValue(String value) {
    StringBuilder out = new StringBuilder(value.length());
    for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      if (c > 0x20 && c < 0x7f && c != '%') {
        out.append((char) c);
      } else {
        out.append('%').append(HexFormat.of().withUpperCase().toHexDigits((byte) c));
      }
    }
    return out.toString();
  }
}
