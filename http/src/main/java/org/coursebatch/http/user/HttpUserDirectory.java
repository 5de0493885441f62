package org.coursebatch.http.user;

import akka.actor.typed.ActorSystem;
import akka.http.javadsl.model.ContentTypes;
import akka.http.javadsl.model.HttpRequest;
import akka.http.javadsl.model.headers.RawHeader;
import akka.stream.javadsl.Sink;
import akka.stream.javadsl.Source;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.coursebatch.core.concurrent.Continuations;
import org.coursebatch.core.error.ErrorCode;
import org.coursebatch.core.user.Consent;
import org.coursebatch.core.user.UserDirectory;
import org.coursebatch.core.user.UserProfile;
import org.coursebatch.http.api.Envelope;
import org.coursebatch.http.outbound.ServiceCalls;

/**
 * The user directory of a Sunbird deployment: its user (learner) service, asked as lms-service
 * asks it.
 *
 * <ul>
 *   <li>Profiles, known users and root organisations: the user search,
 *       {@code POST {url}/private/user/v1/search} with {@code {"request": {"filters": {"id": [ids]},
 *       "limit": n}}}, read from {@code result.response.content} ({@link SunbirdUserAnswers}). Many
 *       ids are asked {@link Settings#pageSize} a call, {@link Settings#parallelism} calls at once,
 *       so a report page or a 10,000-item bulk request costs a few calls, not one per learner.</li>
 *   <li>Consent: Sunbird's consent read, {@code POST {url}/v1/user/consent/read} with
 *       {@code {"request": {"consent": {"filters": {"userId", "consumerId", "objectId"}}}}}, which
 *       takes one user a call: asked {@link Settings#parallelism} at a time. HTTP 404
 *       ({@code USER_CONSENT_NOT_FOUND}) is no consent.</li>
 * </ul>
 *
 * <p>Every call goes through {@link ServiceCalls} (timeout, retries, circuit breaker); a service
 * that cannot answer, refuses (another 4xx) or answers what is not its envelope is
 * {@link ErrorCode#USER_SERVICE_UNAVAILABLE} (503). Root organisations, which every access decision
 * asks for, are kept in a small cache for {@link Settings#cacheTtl} (ADR 11): a user moved to
 * another organisation is seen there once their entry expires. Only answers that were read in full
 * fill the cache, and a user the service does not know is not kept (so one created meanwhile is
 * found at once).
 */
public final class HttpUserDirectory implements UserDirectory {

  static final String SEARCH_PATH = "/private/user/v1/search";
  static final String CONSENT_READ_PATH = "/v1/user/consent/read";

  /** Room for one user record of a search answer; a page's answer may be this many bytes a user. */
  static final long ANSWER_BYTES_PER_USER = 32 * 1024;

  /**
   * @param calls the service's url and call limits
   * @param pageSize ids one search asks for
   * @param parallelism calls to the service at once for one lookup
   * @param cacheTtl how long a root organisation is kept; zero: none is kept
   * @param cacheMaxSize the most root organisations kept
   */
  public record Settings(ServiceCalls.Settings calls, int pageSize, int parallelism, Duration cacheTtl, long cacheMaxSize) {
    public Settings {
      if (pageSize < 1 || pageSize > 10_000 || parallelism < 1 || cacheTtl.isNegative() || cacheMaxSize < 0) {
        throw new IllegalArgumentException("The user service's settings: page-size must be 1 to 10000, parallelism positive,"
            + " cache.ttl and cache.max-size not negative; were " + pageSize + ", " + parallelism + ", " + cacheTtl + ", "
            + cacheMaxSize);
      }
    }

    boolean caching() {
      return !cacheTtl.isZero() && cacheMaxSize > 0;
    }

    /** The largest answer read: a full page of generous user records. */
    long maxAnswerBytes() {
      return pageSize * ANSWER_BYTES_PER_USER + 64 * 1024;
    }
  }

  /** The user service's url and call limits. */
  public static ServiceCalls.Settings calls(String url, Duration timeout, int retries, Duration retryBackoff, int maxFailures,
      Duration resetTimeout) {
    return new ServiceCalls.Settings("user service", url, timeout, retries, retryBackoff, maxFailures, resetTimeout);
  }

  /** The user service's settings from its url and limits. */
  public static Settings settings(String url, Duration timeout, int retries, Duration retryBackoff, int maxFailures,
      Duration resetTimeout, int pageSize, int parallelism, Duration cacheTtl, long cacheMaxSize) {
    return new Settings(calls(url, timeout, retries, retryBackoff, maxFailures, resetTimeout), pageSize, parallelism, cacheTtl,
        cacheMaxSize);
  }

  private final ActorSystem<?> system;
  private final Settings settings;
  private final ServiceCalls calls;
  /** Root organisation by user id, for users the service knows (empty: known, without one). */
  private final AsyncCache<String, Optional<String>> rootOrgs;

  public HttpUserDirectory(ActorSystem<?> system, Settings settings) {
    this.system = system;
    this.settings = settings;
    this.calls = new ServiceCalls(system, settings.calls(), ErrorCode.USER_SERVICE_UNAVAILABLE, settings.maxAnswerBytes());
    this.rootOrgs = settings.caching()
        ? Caffeine.newBuilder().maximumSize(settings.cacheMaxSize()).expireAfterWrite(settings.cacheTtl())
            .executor(system.executionContext()).buildAsync()
        : null;
  }

  public Settings settings() {
    return settings;
  }

  @Override
  public CompletionStage<Optional<String>> rootOrgId(String userId) {
    if (userId == null || userId.isBlank()) {
      return CompletableFuture.completedFuture(Optional.empty());
    }
    if (rootOrgs == null) {
      return search(List.of(userId)).thenApply(found -> rootOrgOf(found.get(userId)).orElse(Optional.empty()));
    }
    // Callers asking for the same user at once share one call; an unknown user (null) is not kept.
    return rootOrgs.get(userId, (id, executor) -> search(List.of(id))
            .thenApply(found -> rootOrgOf(found.get(id)).orElse(null)).toCompletableFuture())
        .thenApply(org -> org == null ? Optional.<String>empty() : org);
  }

  @Override
  public CompletionStage<Set<String>> knownUsers(Collection<String> userIds) {
    return profiles(userIds).thenApply(found -> Collections.unmodifiableSet(found.keySet()));
  }

  @Override
  public CompletionStage<Map<String, UserProfile>> profiles(Collection<String> userIds) {
    List<String> ids = distinct(userIds);
    if (ids.isEmpty()) {
      return CompletableFuture.completedFuture(Map.of());
    }
    List<List<String>> pages = new ArrayList<>();
    for (int from = 0; from < ids.size(); from += settings.pageSize()) {
      pages.add(ids.subList(from, Math.min(ids.size(), from + settings.pageSize())));
    }
    return Continuations.on(system.executionContext(), Source.from(pages)
        .mapAsyncUnordered(settings.parallelism(), this::search)
        .runWith(Sink.fold(new HashMap<String, UserProfile>(), (all, page) -> {
          all.putAll(page);
          return all;
        }), system))
        .thenApply(Collections::unmodifiableMap);
  }

  @Override
  public CompletionStage<Map<String, Consent>> consents(String courseId, String consumerOrg, Collection<String> userIds) {
    List<String> ids = distinct(userIds);
    if (ids.isEmpty() || consumerOrg == null || consumerOrg.isBlank()) {
      return CompletableFuture.completedFuture(Map.of());
    }
    return Continuations.on(system.executionContext(), Source.from(ids)
        .mapAsyncUnordered(settings.parallelism(), id -> consent(id, courseId, consumerOrg))
        .runWith(Sink.fold(new HashMap<String, Consent>(), (all, found) -> {
          found.ifPresent(c -> all.put(c.userId(), c));
          return all;
        }), system))
        .thenApply(Collections::unmodifiableMap);
  }

  /** One search for at most a page of ids: the profiles of those the service knows. */
  private CompletionStage<Map<String, UserProfile>> search(List<String> ids) {
    Set<String> asked = Set.copyOf(ids);
    String what = ids.size() == 1 ? "user " + ids.get(0) : ids.size() + " users";
    ObjectNode body = Envelope.JSON.createObjectNode();
    ObjectNode request = body.putObject("request");
    ArrayNode filter = request.putObject("filters").putArray("id");
    ids.forEach(filter::add);
    request.put("limit", ids.size());
    return read(what, SEARCH_PATH, body, false, answer -> SunbirdUserAnswers.profiles(answer.body(), asked)).thenApply(found -> {
      if (rootOrgs != null) {
        found.forEach((id, p) -> rootOrgs.put(id, CompletableFuture.completedFuture(Optional.ofNullable(p.rootOrgId()))));
      }
      return found;
    });
  }

  private CompletionStage<Optional<Consent>> consent(String userId, String courseId, String consumerOrg) {
    String what = "the consent of user " + userId;
    ObjectNode body = Envelope.JSON.createObjectNode();
    body.putObject("request").putObject("consent").putObject("filters")
        .put("userId", userId).put("consumerId", consumerOrg).put("objectId", courseId);
    return read(what, CONSENT_READ_PATH, body, true, answer -> answer.status() == 404
        ? Optional.<Consent>empty()
        : SunbirdUserAnswers.consent(answer.body(), userId, courseId, consumerOrg));
  }

  /** How one call ended when the service answered (failures are exceptions). */
  private sealed interface Reply<T> {
    record Read<T>(T value) implements Reply<T> {}

    /** A 4xx the reader does not take: the service refused this request; asking again would not help. */
    record Refused<T>(int status) implements Reply<T> {}
  }

  /**
   * Posts {@code body} to {@code path} and reads a 2xx (and a 404 when {@code readsNotFound})
   * with {@code reader}; any other 4xx is the "unavailable" error at once, neither retried nor
   * counted against the breaker.
   */
  private <T> CompletionStage<T> read(String what, String path, ObjectNode body, boolean readsNotFound,
      ServiceCalls.Reader<T> reader) {
    return calls.<Reply<T>>call(what, () -> post(path, body), answer ->
        answer.status() < 300 || (readsNotFound && answer.status() == 404)
            ? new Reply.Read<>(reader.read(answer))
            : new Reply.Refused<>(answer.status()))
        .thenApply(reply -> {
          if (reply instanceof Reply.Refused<T> r) {
            throw calls.refused(what, r.status());
          }
          return ((Reply.Read<T>) reply).value();
        });
  }

  private HttpRequest post(String path, ObjectNode body) {
    return HttpRequest.POST(calls.settings().url() + path)
        .withEntity(ContentTypes.APPLICATION_JSON, body.toString())
        .addHeader(RawHeader.create("Accept", "application/json"));
  }

  /** The root organisation of a found user (empty: found, without one); empty when not found. */
  private static Optional<Optional<String>> rootOrgOf(UserProfile found) {
    return found == null ? Optional.empty() : Optional.of(Optional.ofNullable(found.rootOrgId()));
  }

  private static List<String> distinct(Collection<String> userIds) {
    LinkedHashSet<String> ids = new LinkedHashSet<>();
    for (String id : userIds) {
      if (id != null && !id.isBlank()) {
        ids.add(id);
      }
    }
    return List.copyOf(ids);
  }
}
