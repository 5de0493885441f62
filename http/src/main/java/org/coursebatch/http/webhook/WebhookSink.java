package org.coursebatch.http.webhook;

import akka.Done;
import akka.actor.CoordinatedShutdown;
import akka.actor.typed.ActorSystem;
import akka.http.javadsl.Http;
import akka.http.javadsl.HttpsConnectionContext;
import akka.http.javadsl.model.ContentTypes;
import akka.http.javadsl.model.HttpRequest;
import akka.http.javadsl.model.HttpResponse;
import akka.http.javadsl.model.headers.RawHeader;
import akka.http.javadsl.settings.ClientConnectionSettings;
import akka.http.javadsl.settings.ConnectionPoolSettings;
import akka.stream.Materializer;
import akka.stream.javadsl.Sink;
import akka.stream.javadsl.Source;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeoutException;
import org.coursebatch.core.concurrent.Continuations;
import org.coursebatch.core.error.Rejections;
import org.coursebatch.core.publish.EventSink;
import org.coursebatch.core.publish.OutboundEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.concurrent.ExecutionContextExecutor;
import scala.jdk.javaapi.DurationConverters;

/**
 * POSTs events to one webhook receiver (docs/webhooks.md, docs/adr/0020-webhooks.md): each event as
 * a signed JSON message, the events of one {@link OutboundEvent#key} one after another (each only
 * once the previous was acknowledged with a 2xx), up to {@code parallelism} keys at once.
 *
 * <p>An attempt that gets no 2xx within {@code timeout} (another status, no connection, no answer)
 * is repeated after a jittered wait, 1 s doubling up to {@code max-backoff}, for as long as it
 * takes: nothing is dropped. One {@link #deliver} call retries for at most {@code max-deliver-time}
 * and then fails, once every attempt of it has ended, with the events not yet acknowledged; the
 * projection calls again with the same events. The sink remembers what it was doing: events
 * acknowledged by the failed call are not sent again, and a message being retried resumes its
 * backoff where it stopped. Calls run one after another, never side by side.
 */
public final class WebhookSink implements EventSink {

  private static final Logger log = LoggerFactory.getLogger(WebhookSink.class);

  /** The most of a receiver's answer read (and dropped); a longer one closes the connection. */
  static final long MAX_ANSWER_BYTES = 64 * 1024;

  /** A message being retried: which event, how many attempts failed, since when, and when to try next. */
  private record Retrying(String eventId, int failures, long firstFailureNanos, long notBeforeNanos, long lastFailureNanos) {}

  /** How a call that ran out of time with messages not acknowledged fails (the projection calls again). */
  public static final class Undelivered extends RuntimeException {
    Undelivered(String message) {
      super(message, null, false, false);
    }
  }

  private final String name;
  private final URI url;
  private final WebhookSettings settings;
  private final byte[] key;
  private final Clock clock;
  private final akka.actor.ActorSystem classic;
  private final ExecutionContextExecutor dispatcher;
  private final Materializer materializer;
  private final Http http;
  private final HttpsConnectionContext https;
  private final ConnectionPoolSettings pool;
  private final ReceiverHealth health;
  /** The message each key is retrying, across calls. */
  private final Map<String, Retrying> retrying = new ConcurrentHashMap<>();
  /** Events acknowledged by calls that failed since the last call that succeeded: not sent again. */
  private final Set<String> acknowledgedBefore = ConcurrentHashMap.newKeySet();
  /** Settles when the last call has ended (a new one waits for it). */
  private CompletionStage<?> lastCall = CompletableFuture.completedFuture(null);

  public WebhookSink(ActorSystem<?> system, WebhookSettings settings, URI url) {
    this(system, settings, url, Clock.systemUTC());
  }

  WebhookSink(ActorSystem<?> system, WebhookSettings settings, URI url, Clock clock) {
    this.name = receiverName(url);
    this.url = url;
    this.settings = settings;
    this.key = settings.key();
    this.clock = clock;
    this.classic = system.classicSystem();
    this.dispatcher = classic.dispatcher();
    this.materializer = Materializer.matFromSystem(system);
    this.http = Http.get(classic);
    this.https = http.defaultClientHttpsContext();
    // No retries of the pool's own (this class retries); a connection that stays silent longer than
    // an attempt may take is closed, so attempts that timed out do not hold the pool's connections.
    this.pool = ConnectionPoolSettings.create(classic)
        .withMaxRetries(0)
        .withMaxConnections(settings.parallelism())
        .withMaxOpenRequests(Integer.highestOneBit(Math.max(32, settings.parallelism() * 2 - 1)) * 2)
        .withBaseConnectionBackoff(DurationConverters.toScala(settings.timeout().dividedBy(10)))
        .withMaxConnectionBackoff(DurationConverters.toScala(settings.timeout()))
        .withConnectionSettings(ClientConnectionSettings.create(classic)
            .withConnectingTimeout(DurationConverters.toScala(settings.timeout()))
            .withIdleTimeout(DurationConverters.toScala(settings.timeout())));
    this.health = new ReceiverHealth(system, name, shown(url), this::retryingSeconds);
    CoordinatedShutdown.get(classic).addTask(CoordinatedShutdown.PhaseServiceStop(), name + "-connections",
        () -> http.shutdownAllConnectionPools().thenApply(done -> Done.getInstance()));
  }

  /**
   * {@code webhook-} and the first 8 hex digits of the SHA-256 of the url as configured: the same
   * on every node and restart, whatever the order of the list, and naming no host or token.
   */
  public static String receiverName(URI url) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(url.toString().getBytes(StandardCharsets.UTF_8));
      return "webhook-" + HexFormat.of().formatHex(digest, 0, 4);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available", e);
    }
  }

  /** The url as logged: scheme, host, port and path; a query (which may hold a token) is not shown. */
  static String shown(URI url) {
    return url.getScheme() + "://" + url.getRawAuthority() + (url.getRawPath() == null ? "" : url.getRawPath())
        + (url.getRawQuery() == null ? "" : "?…");
  }

  @Override
  public String name() {
    return name;
  }

  public URI url() {
    return url;
  }

  @Override
  public CompletionStage<Done> deliver(List<OutboundEvent> events) {
    CompletableFuture<Done> result = new CompletableFuture<>();
    CompletionStage<?> before;
    synchronized (this) {
      before = lastCall;
      lastCall = result.handle((done, failure) -> null);
    }
    before.whenCompleteAsync((ignored, none) -> {
      try {
        run(events).whenComplete((done, failure) -> {
          if (failure == null) {
            result.complete(done);
          } else {
            result.completeExceptionally(Rejections.unwrap(failure));
          }
        });
      } catch (RuntimeException e) {
        result.completeExceptionally(e);
      }
    }, dispatcher);
    return result;
  }

  /** One call: every key's messages in order, {@code parallelism} keys at once, until all were acknowledged or time is up. */
  private CompletionStage<Done> run(List<OutboundEvent> events) {
    long deadline = System.nanoTime() + settings.maxDeliverTime().toNanos();
    Map<String, List<WebhookMessage>> byKey = new LinkedHashMap<>();
    for (OutboundEvent event : events) {
      if (!acknowledgedBefore.contains(event.eventId())) {
        byKey.computeIfAbsent(keyOf(event), k -> new ArrayList<>()).add(WebhookMessage.of(event));
      }
    }
    Set<String> acknowledged = ConcurrentHashMap.newKeySet();
    forgetStaleRetries();
    return Continuations.on(dispatcher, Source.from(List.copyOf(byKey.values()))
            .mapAsyncUnordered(settings.parallelism(), messages -> inOrder(messages, 0, deadline, acknowledged))
            .runWith(Sink.fold(new ArrayList<String>(), (left, unsent) -> {
              left.addAll(unsent);
              return left;
            }), materializer))
        .thenApply(left -> {
          if (left.isEmpty()) {
            acknowledgedBefore.clear();
            return Done.getInstance();
          }
          acknowledgedBefore.addAll(acknowledged);
          throw new Undelivered("Webhook receiver " + name + " did not acknowledge " + left.size() + " of "
              + byKey.values().stream().mapToInt(List::size).sum() + " messages within " + settings.maxDeliverTime().toSeconds()
              + " s (first: " + left.get(0) + "); they are sent again with the next call");
        });
  }

  /** Sends {@code messages} from {@code index} on, each once the previous was acknowledged; gives the event ids left unsent. */
  private CompletionStage<List<String>> inOrder(List<WebhookMessage> messages, int index, long deadline, Set<String> acknowledged) {
    if (index == messages.size()) {
      return CompletableFuture.completedFuture(List.of());
    }
    WebhookMessage message = messages.get(index);
    return untilAcknowledged(message, deadline).thenCompose(ok -> {
      if (!ok) {
        return CompletableFuture.completedFuture(messages.subList(index, messages.size()).stream()
            .map(m -> m.event().eventId()).toList());
      }
      acknowledged.add(message.event().eventId());
      return inOrder(messages, index + 1, deadline, acknowledged);
    });
  }

  /** Sends one message until it is acknowledged (true), or until the call's time is up (false). */
  private CompletionStage<Boolean> untilAcknowledged(WebhookMessage message, long deadline) {
    String eventKey = keyOf(message.event());
    String eventId = message.event().eventId();
    Retrying before = retrying.get(eventKey);
    if (before != null && !before.eventId().equals(eventId)) {
      synchronized (retrying) {
        retrying.remove(eventKey, before); // the key moved on (the projection was reset): start afresh
      }
      before = null;
    }
    long now = System.nanoTime();
    long wait = before == null ? 0 : Math.max(0, before.notBeforeNanos() - now);
    if (now + wait >= deadline) {
      return CompletableFuture.completedFuture(false);
    }
    Retrying previous = before;
    return later(wait).thenCompose(ignored -> attempt(message)).<CompletionStage<Boolean>>handle((status, failure) -> {
      if (failure == null && status / 100 == 2) {
        health.acknowledged(settle(eventKey));
        return CompletableFuture.completedFuture(true);
      }
      Throwable cause = failure == null ? null : Rejections.unwrap(failure);
      if (cause instanceof AttemptFailed) {
        return CompletableFuture.completedFuture(false); // the node is shutting down: not the receiver's doing
      }
      long failedAt = System.nanoTime();
      int failures = previous == null ? 1 : previous.failures() + 1;
      boolean began = retry(eventKey, new Retrying(eventId, failures, previous == null ? failedAt : previous.firstFailureNanos(),
          failedAt + backoff(failures).toNanos(), failedAt));
      health.failed(eventId, cause == null ? "it answered HTTP " + status : reason(cause), began, cause == null && refusal(status));
      return untilAcknowledged(message, deadline);
    }).thenCompose(next -> next);
  }

  /** Notes that {@code eventKey}'s message is retried; true when no other was: the receiver begins failing. */
  private boolean retry(String eventKey, Retrying state) {
    synchronized (retrying) {
      boolean none = retrying.isEmpty();
      retrying.put(eventKey, state);
      return none;
    }
  }

  /** Notes that {@code eventKey}'s message was acknowledged; true when it was the last one retried: the receiver recovered. */
  private boolean settle(String eventKey) {
    synchronized (retrying) {
      return retrying.remove(eventKey) != null && retrying.isEmpty();
    }
  }

  /** An attempt that could not be made (the system is shutting down). */
  private static final class AttemptFailed extends RuntimeException {
    AttemptFailed(String message) {
      super(message, null, false, false);
    }
  }

  /** The event's ordering key; events without one share a key (so they keep their order too). */
  private static String keyOf(OutboundEvent event) {
    return event.key() == null ? "" : event.key();
  }

  /** A 4xx a retry will not change (a misconfigured receiver): 408 and 429 say "later". */
  static boolean refusal(int status) {
    return status >= 400 && status < 500 && status != 408 && status != 429;
  }

  /** The wait after the {@code failures}th failed attempt of a message: between half and all of 1 s × 2^(failures−1), at most max-backoff. */
  Duration backoff(int failures) {
    long max = settings.maxBackoff().toMillis();
    long full = Math.min(max, WebhookSettings.FIRST_BACKOFF.toMillis() << Math.min(failures - 1, 20));
    return Duration.ofMillis(full / 2 + ThreadLocalRandom.current().nextLong(full / 2 + 1));
  }

  /** One POST: the status of the answer, or a failure (no connection, no status line within the timeout). */
  private CompletionStage<Integer> attempt(WebhookMessage message) {
    String timestamp = Long.toString(clock.instant().getEpochSecond());
    HttpRequest request = HttpRequest.POST(url.toString())
        .withEntity(ContentTypes.APPLICATION_JSON, message.body())
        .addHeader(RawHeader.create(WebhookMessage.EVENT_ID, WebhookMessage.headerValue(message.event().eventId())))
        .addHeader(RawHeader.create(WebhookMessage.EVENT_TYPE, WebhookMessage.headerValue(String.valueOf(message.event().type()))))
        .addHeader(RawHeader.create(WebhookMessage.TIMESTAMP, timestamp))
        .addHeader(RawHeader.create(WebhookMessage.SIGNATURE, WebhookMessage.signature(key, timestamp, message.body())));
    CompletionStage<HttpResponse> response = Continuations.on(dispatcher, http.singleRequest(request, https, pool, classic.log()));
    // Whatever happens to the attempt, the answer's body is read and dropped, so its connection is free again.
    response.thenAccept(answer -> answer.entity().withSizeLimit(MAX_ANSWER_BYTES).discardBytes(materializer));
    return within(response.thenApply(answer -> answer.status().intValue()), settings.timeout());
  }

  /** {@code stage}, or a {@link TimeoutException} when it has not completed after {@code limit}. */
  private <T> CompletionStage<T> within(CompletionStage<T> stage, Duration limit) {
    CompletableFuture<T> bounded = new CompletableFuture<>();
    akka.actor.Cancellable timer;
    try {
      timer = classic.scheduler().scheduleOnce(DurationConverters.toScala(limit),
          () -> bounded.completeExceptionally(new TimeoutException()), dispatcher);
    } catch (IllegalStateException shuttingDown) {
      bounded.completeExceptionally(new AttemptFailed("the node is shutting down"));
      return bounded;
    }
    stage.whenComplete((value, failure) -> {
      timer.cancel();
      if (failure == null) {
        bounded.complete(value);
      } else {
        bounded.completeExceptionally(failure);
      }
    });
    return bounded;
  }

  /** Completes on the dispatcher after {@code nanos}. */
  private CompletionStage<Void> later(long nanos) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    if (nanos <= 0) {
      done.complete(null);
      return done;
    }
    try {
      classic.scheduler().scheduleOnce(DurationConverters.toScala(Duration.ofNanos(nanos)), () -> done.complete(null), dispatcher);
    } catch (IllegalStateException shuttingDown) {
      done.completeExceptionally(new AttemptFailed("the node is shutting down"));
    }
    return done;
  }

  private String reason(Throwable failure) {
    if (failure instanceof TimeoutException) {
      return "no answer within " + settings.timeout().toMillis() + " ms";
    }
    if (failure instanceof AttemptFailed) {
      return failure.getMessage();
    }
    return "cannot reach it (" + failure.getClass().getSimpleName() + ")";
  }

  /**
   * Drops retry state no call has touched for longer than a call may last: the receiver's stream
   * was taken over by another node or moved on, and its gauges should not report it.
   */
  private void forgetStaleRetries() {
    long stale = System.nanoTime() - staleAfterNanos();
    synchronized (retrying) {
      retrying.values().removeIf(r -> r.lastFailureNanos() - stale < 0);
    }
  }

  private long staleAfterNanos() {
    return settings.maxDeliverTime().plus(settings.maxBackoff()).plus(settings.timeout()).toNanos();
  }

  /** How long the message retried longest has been failing (0 when none is). */
  private double retryingSeconds() {
    long now = System.nanoTime();
    long stale = now - staleAfterNanos();
    return retrying.values().stream().filter(r -> r.lastFailureNanos() - stale >= 0)
        .mapToLong(r -> now - r.firstFailureNanos()).max().orElse(0) / 1e9;
  }
}
