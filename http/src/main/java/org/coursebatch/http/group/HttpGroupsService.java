package org.coursebatch.http.group;

import akka.Done;
import akka.actor.CoordinatedShutdown;
import akka.actor.typed.ActorSystem;
import akka.http.javadsl.Http;
import akka.http.javadsl.HttpsConnectionContext;
import akka.http.javadsl.model.HttpRequest;
import akka.http.javadsl.model.HttpResponse;
import akka.http.javadsl.model.headers.RawHeader;
import akka.http.javadsl.settings.ClientConnectionSettings;
import akka.http.javadsl.settings.ConnectionPoolSettings;
import akka.pattern.CircuitBreaker;
import akka.pattern.CircuitBreakerOpenException;
import akka.pattern.Patterns;
import akka.stream.Materializer;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeoutException;
import org.coursebatch.core.error.ErrorCode;
import org.coursebatch.core.error.Rejections;
import org.coursebatch.core.group.Group;
import org.coursebatch.core.group.GroupMember;
import org.coursebatch.core.group.GroupsService;
import org.coursebatch.http.api.Envelope;
import org.coursebatch.http.auth.Authenticator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.jdk.javaapi.DurationConverters;

/**
 * A Sunbird-style groups service over HTTP: {@code GET {url}/v1/group/read/{groupId}?fields=members}
 * with the caller's token in {@code x-authenticated-user-token} (as lms-service asks
 * groups-service; point {@code url} at {@code http://groups-service:9000/private} for its private
 * route). The answer is read as the Sunbird envelope whose {@code result} holds the group:
 * <pre>{"result": {"id", "name", "members": [{"userId", "name", "role", "status", "createdBy"}, ...]}}</pre>
 * (other fields, {@code id} included, are ignored; members without a {@code userId} are skipped;
 * absent or null {@code members} is a group without members). HTTP 404 is an unknown group.
 *
 * <p>Each call to the service has {@code timeout} to answer. A call that fails (no connection, no
 * answer in time, HTTP 5xx, an unreadable body) is retried up to {@code retries} times, waiting
 * {@code retryBackoff} before the first retry and twice as long before each next one
 * ({@link Patterns#retry}). Every call goes through one {@link CircuitBreaker}: after
 * {@code maxFailures} failed calls in a row it opens and requests fail at once, without calling,
 * until {@code resetTimeout} has passed and a trial call succeeds. Any other answer (HTTP 4xx but
 * 404) is not retried and does not count against the breaker. So a request is answered, or fails
 * with {@link ErrorCode#GROUPS_SERVICE_UNAVAILABLE}, within about
 * {@code timeout × (retries + 1) + retryBackoff × (2^retries − 1)}.
 */
public final class HttpGroupsService implements GroupsService {

  private static final Logger log = LoggerFactory.getLogger(HttpGroupsService.class);

  /**
   * @param url the service's base url, e.g. {@code http://groups-service:9000}
   * @param timeout how long one call may take
   * @param retries how many times a failed call is repeated
   * @param retryBackoff the wait before the first retry (doubling for each next one)
   * @param maxFailures failed calls in a row that open the circuit breaker
   * @param resetTimeout how long an open breaker refuses calls before it tries one again
   */
  public record Settings(String url, Duration timeout, int retries, Duration retryBackoff, int maxFailures,
      Duration resetTimeout) {

    public Settings {
      url = url.trim().replaceAll("/+$", "");
      if (!url.startsWith("http://") && !url.startsWith("https://")) {
        throw new IllegalArgumentException("The groups service url must be http(s)://…, was " + url);
      }
      if (timeout.isNegative() || timeout.isZero() || retries < 0 || retryBackoff.isNegative() || maxFailures < 1
          || resetTimeout.isNegative() || resetTimeout.isZero()) {
        throw new IllegalArgumentException("Groups service settings: timeout, max-failures and reset-timeout must be"
            + " positive, retries and retry-backoff not negative; were " + timeout + ", " + maxFailures + ", "
            + resetTimeout + ", " + retries + ", " + retryBackoff);
      }
    }

    /** The longest a request waits for the service before it is told it is unavailable (calls and waits). */
    public Duration worstCase() {
      return timeout.multipliedBy(retries + 1L).plus(retryBackoff.multipliedBy((1L << Math.min(retries, 30)) - 1));
    }
  }

  /** How one call ended when the service answered (failures are exceptions). */
  private sealed interface Answer {
    record Found(Group group) implements Answer {}

    record NotFound() implements Answer {}

    /** A 4xx other than 404: the service refused this request; asking again would not help. */
    record Refused(int status) implements Answer {}
  }

  /** A failed call: a 5xx or a body that is not the envelope of a group. */
  static final class CallFailed extends RuntimeException {
    CallFailed(String message) {
      super(message, null, false, false);
    }
  }

  private final Http http;
  private final HttpsConnectionContext https;
  private final Materializer materializer;
  private final akka.actor.ActorSystem classic;
  private final Settings settings;
  private final ConnectionPoolSettings pool;
  private final CircuitBreaker breaker;

  public HttpGroupsService(ActorSystem<?> system, Settings settings) {
    this.classic = system.classicSystem();
    this.http = Http.get(classic);
    this.https = http.defaultClientHttpsContext(); // made now: it takes a while, and a call has only its timeout
    this.materializer = Materializer.matFromSystem(system);
    this.settings = settings;
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
        .addOnOpenListener(() -> log.warn("Groups service at {}: {} failed calls in a row; not calling it for {}",
            settings.url(), settings.maxFailures(), settings.resetTimeout()))
        .addOnCloseListener(() -> log.info("Groups service at {} answers again", settings.url()));
    // Close the client's connections before the actor system stops (else its pools report stopping unexpectedly).
    CoordinatedShutdown.get(classic).addTask(CoordinatedShutdown.PhaseServiceStop(), "groups-service-connections",
        () -> http.shutdownAllConnectionPools().thenApply(done -> Done.getInstance()));
  }

  public Settings settings() {
    return settings;
  }

  @Override
  public CompletionStage<Optional<Group>> group(String groupId) {
    return group(groupId, Optional.empty());
  }

  @Override
  public CompletionStage<Optional<Group>> group(String groupId, Optional<String> userToken) {
    CompletionStage<Answer> answer = Patterns.retry(
        () -> breaker.callWithCircuitBreakerCS(() -> call(groupId, userToken)),
        settings.retries(),
        retried -> Optional.of(settings.retryBackoff().multipliedBy(1L << Math.min(retried - 1, 30))),
        failure -> !(failure instanceof CircuitBreakerOpenException),
        classic.scheduler(), classic.dispatcher());
    return answer.handle((a, failure) -> {
      if (failure != null) {
        String why = reason(Rejections.unwrap(failure));
        log.warn("Groups service at {} could not give group {}: {}", settings.url(), groupId, why);
        throw ErrorCode.GROUPS_SERVICE_UNAVAILABLE.reject(why).asException();
      }
      if (a instanceof Answer.Found f) {
        return Optional.of(f.group());
      }
      if (a instanceof Answer.Refused r) {
        log.warn("Groups service at {} refused to give group {}: HTTP {}", settings.url(), groupId, r.status());
        throw ErrorCode.GROUPS_SERVICE_UNAVAILABLE.reject("it refused the request with HTTP " + r.status()).asException();
      }
      return Optional.empty();
    });
  }

  /** What the client is told about the last failure. */
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

  /** One call: GET the group, read the whole answer. */
  private CompletionStage<Answer> call(String groupId, Optional<String> userToken) {
    String uri = settings.url() + "/v1/group/read/" + URLEncoder.encode(groupId, StandardCharsets.UTF_8).replace("+", "%20")
        + "?fields=members";
    HttpRequest request = HttpRequest.GET(uri).addHeader(RawHeader.create("Accept", "application/json"));
    if (userToken.isPresent()) {
      request = request.addHeader(RawHeader.create(Authenticator.USER_TOKEN_HEADER, userToken.get()));
    }
    return http.singleRequest(request, https, pool, classic.log())
        .thenCompose(response -> response.entity().toStrict(settings.timeout().toMillis(), materializer)
            .thenApply(body -> answer(groupId, response, body.getData().utf8String())));
  }

  private static Answer answer(String groupId, HttpResponse response, String body) {
    int status = response.status().intValue();
    if (status == 404) {
      return new Answer.NotFound();
    }
    if (status >= 500) {
      throw new CallFailed("it answered HTTP " + status);
    }
    if (status >= 300) {
      return new Answer.Refused(status);
    }
    return new Answer.Found(parse(groupId, body));
  }

  /** The group in a Sunbird envelope's {@code result}. */
  static Group parse(String groupId, String body) {
    JsonNode result;
    try {
      result = Envelope.JSON.readTree(body).path("result");
    } catch (Exception e) {
      throw new CallFailed("its answer is not JSON");
    }
    if (!result.isObject()) {
      throw new CallFailed("its answer has no result");
    }
    List<GroupMember> members = new ArrayList<>();
    for (JsonNode m : result.path("members")) {
      String userId = text(m, "userId");
      if (userId != null && !userId.isBlank()) {
        members.add(new GroupMember(userId, text(m, "name"), text(m, "role"), text(m, "status"), text(m, "createdBy")));
      }
    }
    return new Group(groupId, text(result, "name"), members);
  }

  private static String text(JsonNode node, String field) {
    JsonNode v = node.get(field);
    return v == null || v.isNull() || !v.isValueNode() ? null : v.asText();
  }
}
