package org.coursebatch.http.webhook;

import akka.actor.typed.ActorSystem;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.DoubleSupplier;
import org.coursebatch.core.metrics.NodeMeters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How one webhook receiver is doing, for operators: meters, and a log line when it starts failing
 * and when it acknowledges again (not one per failed attempt). A failing receiver never fails the
 * node's readiness: the API does not depend on it, and taking the node out of its Service would
 * stop the writes whose events the receiver waits for.
 *
 * <ul>
 *   <li>{@code coursebatch.webhook.deliveries{receiver, outcome=delivered|failed}}: messages
 *       acknowledged, and attempts that failed;
 *   <li>{@code coursebatch.webhook.consecutive.failures{receiver}}: attempts failed since the
 *       receiver last acknowledged one;
 *   <li>{@code coursebatch.webhook.retrying.seconds{receiver}}: how long the message retried longest
 *       has been failing (0 when none is): what an alert watches, as it grows for a receiver that is
 *       down and for one that refuses one message alike, and stays 0 for one that is merely idle.
 * </ul>
 */
final class ReceiverHealth {

  private static final Logger log = LoggerFactory.getLogger(ReceiverHealth.class);

  private final String receiver;
  private final String url;
  private final DoubleSupplier retryingSeconds;
  private final Counter delivered;
  private final Counter failed;
  private final AtomicLong consecutiveFailures = new AtomicLong();
  /** Failed attempts since the receiver began failing, and when that was (System.nanoTime). */
  private final AtomicLong failuresSinceFailing = new AtomicLong();
  private volatile long failingSince;

  /** @param retryingSeconds how long the message retried longest has been failing (0 when none is) */
  ReceiverHealth(ActorSystem<?> system, String receiver, String url, DoubleSupplier retryingSeconds) {
    this.receiver = receiver;
    this.url = url;
    this.retryingSeconds = retryingSeconds;
    MeterRegistry meters = NodeMeters.registry(system);
    delivered = Counter.builder("coursebatch.webhook.deliveries").description("Webhook messages acknowledged, and attempts that failed")
        .tags("receiver", receiver, "outcome", "delivered").register(meters);
    failed = Counter.builder("coursebatch.webhook.deliveries").description("Webhook messages acknowledged, and attempts that failed")
        .tags("receiver", receiver, "outcome", "failed").register(meters);
    // A gauge holds what it reads weakly: this object, which the sink holds.
    Gauge.builder("coursebatch.webhook.consecutive.failures", this, h -> h.consecutiveFailures.get())
        .description("Attempts failed since the webhook receiver last acknowledged a message").tags("receiver", receiver)
        .register(meters);
    Gauge.builder("coursebatch.webhook.retrying.seconds", this, h -> h.retryingSeconds.getAsDouble())
        .description("How long the webhook message retried longest has been failing (0 when none is)").tags("receiver", receiver)
        .register(meters);
    log.info("Webhook receiver {}: {}", receiver, url);
  }

  /** A message was acknowledged; {@code recovered}: it was the last one being retried. */
  void acknowledged(boolean recovered) {
    delivered.increment();
    consecutiveFailures.set(0);
    if (recovered) {
      log.info("Webhook receiver {} ({}) acknowledges again, after {} failed attempts over {} s", receiver, url,
          failuresSinceFailing.getAndSet(0), Duration.ofNanos(System.nanoTime() - failingSince).toSeconds());
    }
  }

  /**
   * An attempt failed. {@code began}: no other message was being retried, so the receiver begins
   * failing (logged once, until it recovers); {@code refused}: with a 4xx a retry will not change,
   * logged at every attempt (at most one per backoff) since only the receiver's operator can end it.
   */
  void failed(String eventId, String reason, boolean began, boolean refused) {
    failed.increment();
    consecutiveFailures.incrementAndGet();
    if (began) {
      failingSince = System.nanoTime();
      failuresSinceFailing.set(1);
      log.warn("Webhook receiver {} ({}) fails: {} (event {}); its messages are retried with backoff until it acknowledges"
          + " them, none is dropped, and its events wait", receiver, url, reason, eventId);
      return;
    }
    failuresSinceFailing.incrementAndGet();
    if (refused) {
      log.warn("Webhook receiver {} ({}) still refuses event {}: {}; is it configured for this sender and secret? The message"
          + " is retried until it answers 2xx", receiver, url, eventId, reason);
    } else {
      log.debug("Webhook receiver {} ({}) fails: {} (event {})", receiver, url, reason, eventId);
    }
  }
}
