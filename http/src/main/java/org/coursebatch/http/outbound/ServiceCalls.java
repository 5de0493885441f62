package org.coursebatch.http.outbound;

import akka.Done;
import akka.actor.CoordinatedShutdown;
import akka.actor.typed.ActorSystem;
import akka.http.javadsl.Http;
import akka.http.javadsl.HttpsConnectionContext;
import akka.http.javadsl.model.HttpRequest;
import akka.http.javadsl.settings.ClientConnectionSettings;
import akka.http.javadsl.settings.ConnectionPoolSettings;
import akka.http.scaladsl.model.EntityStreamSizeException;
import akka.pattern.CircuitBreaker;
import akka.pattern.CircuitBreakerOpenException;
import akka.pattern.Patterns;
import akka.stream.Materializer;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeoutException;
import org.coursebatch.core.concurrent.Continuations;
import org.coursebatch.core.error.ErrorCode;
import org.coursebatch.core.error.Rejections;
import org.coursebatch.core.observe.TraceParent;
import org.coursebatch.http.observe.RequestTracing;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.jdk.javaapi.DurationConverters;

/**
 * Calls to one neighbouring service (Sunbird's groups, content or user service) over HTTP, each
 * bounded in time and all of them together guarded by one circuit breaker.
 *
 * <p>Each call has {@code timeout} to answer, its whole body included. A call that fails (no
 * connection, no answer in time, HTTP 5xx, a body its reader cannot read) is retried up to
 * {@code retries} times, waiting {@code retryBackoff} before the first retry and twice as long
 * before each next one ({@link Patterns#retry}). Every call goes through one {@link CircuitBreaker}:
 * after {@code maxFailures} failed calls in a row it opens and calls fail at once, without calling,
 * until {@code resetTimeout} has passed and a trial call succeeds. Any other answer (HTTP 2xx-4xx) is
 * handed to the reader and does not count against the breaker. So a call is answered, or fails
 * with the service's "unavailable" error code, within {@link Settings#worstCase()}. An answer
 * larger than {@code maxAnswerBytes} is a failed call too: the service's answers are input, and a
 * runaway one must not fill the node's memory.
 */
public final class ServiceCalls {

  private static final Logger log = LoggerFactory.getLogger(ServiceCalls.class);

  /** The largest answer read when the caller names no limit. */
  public static final long DEFAULT_MAX_ANSWER_BYTES = 8L * 1024 * 1024;

  /**
   * @param name what the service is called in messages and logs, e.g. "groups service"
   * @param url the service's base url, e.g. {@code http://groups-service:9000}; trailing slashes are dropped
   * @param timeout how long one call may take
   * @param retries how many times a failed call is repeated
   * @param retryBackoff the wait before the first retry (doubling for each next one)
   * @param maxFailures failed calls in a row that open the circuit breaker
   * @param resetTimeout how long an open breaker refuses calls before it tries one again
   */
  public record Settings(String name, String url, Duration timeout, int retries, Duration retryBackoff, int maxFailures,
      Duration resetTimeout) {

    public Settings {
      url = url.trim().replaceAll("/+$", "");
      if (!url.startsWith("http://") && !url.startsWith("https://")) {
        throw new IllegalArgumentException("The " + name + " url must be http(s)://…, was " + url);
      }
      if (timeout.isNegative() || timeout.isZero() || retries < 0 || retryBackoff.isNegative() || maxFailures < 1
          || resetTimeout.isNegative() || resetTimeout.isZero()) {
        throw new IllegalArgumentException("The " + name + "'s settings: timeout, max-failures and reset-timeout must be"
            + " positive, retries and retry-backoff not negative; were " + timeout + ", " + maxFailures + ", "
            + resetTimeout + ", " + retries + ", " + retryBackoff);
      }
    }

    /** The longest a caller waits for the service before it is told it is unavailable (calls and waits). */
    public Duration worstCase() {
      return timeout.multipliedBy(retries + 1L).plus(retryBackoff.multipliedBy((1L << Math.min(retries, 30)) - 1));
    }
  }

  /** The service's answer: any status below 500 and its whole body. */
  public record Answer(int status, String body) {}

  /** Reads an answer; throws {@link CallFailed} when the body is not what the service should send. */
  @FunctionalInterface
  public interface Reader<T> {
    T read(Answer answer);
  }

  /** A failed call: a 5xx, or a body that is not what the service should send. Retried. */
  public static final class CallFailed extends RuntimeException {
    public CallFailed(String message) {
      super(message, null, false, false);
    }
  }

  private final Http http;
  private final HttpsConnectionContext https;
  private final Materializer materializer;
  private final akka.actor.ActorSystem classic;
  private final RequestTracing tracing;
  private final Settings settings;
  private final ErrorCode unavailable;
  private final ConnectionPoolSettings pool;
  private final CircuitBreaker breaker;
  private final long maxAnswerBytes;

  /**
   * @param unavailable the error a caller gets when the service cannot answer; its message takes
   *     the reason as its one argument
   */
  public ServiceCalls(ActorSystem<?> system, Settings settings, ErrorCode unavailable) {
    this(system, settings, unavailable, DEFAULT_MAX_ANSWER_BYTES);
  }

  /** @param maxAnswerBytes the largest answer body read; a larger one is a failed call */
  public ServiceCalls(ActorSystem<?> system, Settings settings, ErrorCode unavailable, long maxAnswerBytes) {
    if (maxAnswerBytes < 1) {
      throw new IllegalArgumentException("The " + settings.name() + "'s answer limit must be positive, was " + maxAnswerBytes);
    }
    this.maxAnswerBytes = maxAnswerBytes;
    this.classic = system.classicSystem();
    this.tracing = RequestTracing.get(system);
    this.http = Http.get(classic);
    this.https = http.defaultClientHttpsContext(); // made now: it takes a while, and a call has only its timeout
    this.materializer = Materializer.matFromSystem(system);
    this.settings = settings;
    this.unavailable = unavailable;
    // No retries of the pool's own (this class retries); a connection that stays silent for longer
    // than a call may take is closed, so calls that timed out do not keep the pool busy; and after
    // failed connection attempts the pool tries again within a call's time, not minutes later.
    this.pool = ConnectionPoolSettings.create(classic)
        .withMaxRetries(0)
        .withBaseConnectionBackoff(DurationConverters.toScala(settings.timeout().dividedBy(10)))
        .withMaxConnectionBackoff(DurationConverters.toScala(settings.timeout()))
        .withConnectionSettings(ClientConnectionSettings.create(classic)
            .withConnectingTimeout(DurationConverters.toScala(settings.timeout()))
            .withIdleTimeout(DurationConverters.toScala(settings.timeout())));
    this.breaker = CircuitBreaker.create(classic.scheduler(), settings.maxFailures(), settings.timeout(), settings.resetTimeout())
        .addOnOpenListener(() -> log.warn("The {} at {}: {} failed calls in a row; not calling it for {}",
            settings.name(), settings.url(), settings.maxFailures(), settings.resetTimeout()))
        .addOnCloseListener(() -> log.info("The {} at {} answers again", settings.name(), settings.url()));
    // Close the client's connections before the actor system stops (else its pools report stopping unexpectedly).
    CoordinatedShutdown.get(classic).addTask(CoordinatedShutdown.PhaseServiceStop(), settings.name().replace(' ', '-') + "-connections",
        () -> http.shutdownAllConnectionPools().thenApply(done -> Done.getInstance()));
  }

  public Settings settings() {
    return settings;
  }

  /**
   * Sends {@code request} (made anew for each attempt) and reads the answer with {@code reader};
   * retries as the class says. Fails with the "unavailable" rejection, naming {@code what} in the
   * log, when no attempt got an answer the reader could read.
   */
  public <T> CompletionStage<T> call(String what, java.util.function.Supplier<HttpRequest> request, Reader<T> reader) {
    // Read here, on the caller's thread: retries run on the scheduler's, without the request's context.
    Optional<TraceParent> trace = TraceParent.forOutboundCall();
    CompletionStage<T> answer = Continuations.on(classic.dispatcher(), Patterns.retry(
        () -> breaker.callWithCircuitBreakerCS(() -> once(tracing.call(request.get(), trace, settings.name()), reader)),
        settings.retries(),
        retried -> Optional.of(settings.retryBackoff().multipliedBy(1L << Math.min(retried - 1, 30))),
        failure -> !(failure instanceof CircuitBreakerOpenException),
        classic.scheduler(), classic.dispatcher()));
    return answer.handle((a, failure) -> {
      if (failure != null) {
        String why = reason(Rejections.unwrap(failure));
        log.warn("The {} at {} could not give {}: {}", settings.name(), settings.url(), what, why);
        throw unavailable.reject(why).asException();
      }
      return a;
    });
  }

  /** The "unavailable" rejection for an answer the service should not have given (e.g. a 4xx it should not send). */
  public RuntimeException refused(String what, int status) {
    log.warn("The {} at {} refused to give {}: HTTP {}", settings.name(), settings.url(), what, status);
    return unavailable.reject("it refused the request with HTTP " + status).asException();
  }

  /** What the caller is told about the last failure. */
  private String reason(Throwable e) {
    if (e instanceof CircuitBreakerOpenException open) {
      return "too many failures in a row; it is not asked again for "
          + Math.max(1, DurationConverters.toJava(open.remainingDuration()).toSeconds()) + " s";
    }
    if (e instanceof TimeoutException) {
      return "no answer within " + settings.timeout().toMillis() + " ms";
    }
    if (e instanceof CallFailed) {
      return e.getMessage();
    }
    return "cannot reach " + settings.url();
  }

  /** One call: send, read the whole answer (at most {@code maxAnswerBytes}), hand it to the reader. */
  private <T> CompletionStage<T> once(RequestTracing.ClientCall call, Reader<T> reader) {
    return Continuations.on(classic.dispatcher(), http.singleRequest(call.request(), https, pool, classic.log()))
        .whenComplete((response, failure) -> call.end(response == null ? 0 : response.status().intValue(), failure))
        .thenCompose(response -> {
          OptionalLong declared = response.entity().getContentLengthOption();
          if (declared.isPresent() && declared.getAsLong() > maxAnswerBytes) {
            response.discardEntityBytes(materializer);
            throw tooLarge();
          }
          return Continuations.on(classic.dispatcher(),
                  response.entity().withSizeLimit(maxAnswerBytes).toStrict(settings.timeout().toMillis(), materializer))
              .exceptionally(e -> {
                if (Rejections.unwrap(e) instanceof EntityStreamSizeException) {
                  throw tooLarge();
                }
                throw e instanceof RuntimeException r ? r : new java.util.concurrent.CompletionException(e);
              })
              .thenApply(body -> {
                int status = response.status().intValue();
                if (status >= 500) {
                  throw new CallFailed("it answered HTTP " + status);
                }
                return reader.read(new Answer(status, body.getData().utf8String()));
              });
        });
  }

  private CallFailed tooLarge() {
    return new CallFailed("its answer is larger than " + maxAnswerBytes + " bytes");
  }
}
