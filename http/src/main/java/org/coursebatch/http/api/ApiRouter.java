package org.coursebatch.http.api;

import static akka.http.javadsl.server.Directives.*;

import akka.http.javadsl.model.ContentType;
import akka.http.javadsl.model.ContentTypes;
import akka.http.javadsl.model.HttpEntities;
import akka.http.javadsl.model.HttpHeader;
import akka.http.javadsl.model.HttpRequest;
import akka.http.javadsl.model.HttpResponse;
import akka.http.javadsl.model.headers.Allow;
import akka.http.javadsl.model.headers.Connection;
import akka.http.javadsl.model.headers.ContentDisposition;
import akka.http.javadsl.model.headers.ContentDispositionTypes;
import akka.http.javadsl.model.headers.RawHeader;
import akka.http.javadsl.server.ExceptionHandler;
import akka.http.javadsl.server.RejectionHandler;
import akka.http.javadsl.server.Route;
import akka.http.scaladsl.model.EntityStreamException;
import akka.stream.Materializer;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.stream.Collectors;
import org.coursebatch.core.concurrent.Continuations;
import org.coursebatch.core.error.ErrorCode;
import org.coursebatch.core.error.Rejection;
import org.coursebatch.core.error.Rejections;
import org.coursebatch.core.identity.Caller;
import org.coursebatch.core.identity.EntityIds;
import org.coursebatch.core.request.ClientRequest;
import org.coursebatch.http.auth.Authenticator;
import org.coursebatch.http.observe.RequestLogContext;
import org.coursebatch.http.observe.RequestTracing;

/**
 * Serves a table of {@link Endpoint}s: matches method and path, authenticates, reads the JSON body
 * within the size limit, runs the handler and wraps the outcome in the envelope. Unknown paths,
 * wrong methods, bad bodies and failures all answer with the envelope too.
 */
public final class ApiRouter {

  static final String UNKNOWN_API = "api.unknown";
  /** The longest id a path can name: enrolment ids ({@code batchId:userId:n}) and aliases run past 100. */
  static final int MAX_PATH_ID_LENGTH = 255;

  private final List<Endpoint> endpoints;
  /** Each endpoint's path template split into segments once, in the table's order: matched on every request. */
  private final List<List<String>> templates;
  private final Authenticator authenticator;
  private final Clock clock;
  private final long maxBodyBytes;
  private final Duration bodyReadTimeout;
  private final Duration answerWithin;

  public ApiRouter(List<Endpoint> endpoints, Authenticator authenticator, Clock clock, long maxBodyBytes, Duration bodyReadTimeout) {
    this(endpoints, authenticator, clock, maxBodyBytes, bodyReadTimeout, null);
  }

  /**
   * @param requestTimeout how long the HTTP server lets a request take before it answers 503 itself
   *     (null: no limit); writes are bounded so that they are answered (and their commands expire)
   *     {@link #ANSWER_MARGIN} before that
   */
  public ApiRouter(List<Endpoint> endpoints, Authenticator authenticator, Clock clock, long maxBodyBytes,
      Duration bodyReadTimeout, Duration requestTimeout) {
    this.endpoints = List.copyOf(endpoints);
    this.templates = this.endpoints.stream().map(Endpoint::segments).toList();
    this.authenticator = authenticator;
    this.clock = clock;
    this.maxBodyBytes = maxBodyBytes;
    this.bodyReadTimeout = bodyReadTimeout;
    this.answerWithin = requestTimeout == null || requestTimeout.compareTo(ANSWER_MARGIN.multipliedBy(2)) <= 0
        ? requestTimeout
        : requestTimeout.minus(ANSWER_MARGIN);
  }

  /** How much sooner than the HTTP server's request timeout a request's writes must be answered. */
  static final Duration ANSWER_MARGIN = Duration.ofSeconds(1);

  public List<Endpoint> endpoints() {
    return endpoints;
  }

  public Route route() {
    return extractActorSystem(system -> extractRequest(req -> extractMaterializer(mat -> {
      String msgId = msgIdOf(req);
      return completeWithFuture(RequestLogContext.around(req, msgId, RequestTracing.get(system), () -> dispatch(req, mat, msgId)));
    })));
  }

  /**
   * {@code inner} with the envelope for what Akka's routing layer would otherwise answer in plain
   * text: a rejection nothing completed, an exception nothing caught (500 INTERNAL_ERROR), and a
   * response not ready within {@code akka.http.server.request-timeout} (503 SERVICE_UNAVAILABLE).
   * Before all of it, a request with a header value beyond visible ASCII is refused ({@link HeaderValues}).
   */
  public Route sealed(Route inner) {
    return extractRequest(req -> HeaderValues.refusal(req)
        .map(refused -> complete(respond(UNKNOWN_API, msgIdOf(req), refused, List.of(Connection.create("close")))))
        .orElseGet(() -> handleExceptions(
        ExceptionHandler.newBuilder().match(Throwable.class, e -> complete(respond(UNKNOWN_API, msgIdOf(req),
            Failures.toRejection(e, maxBodyBytes), List.of()))).build(),
        () -> handleRejections(RejectionHandler.defaultHandler().mapRejectionResponse(r -> envelopeOf(r, msgIdOf(req))),
            () -> withRequestTimeoutResponse(timedOut -> respond(UNKNOWN_API, msgIdOf(timedOut),
                ErrorCode.SERVICE_UNAVAILABLE.reject(), List.of()), () -> inner)))));
  }

  /**
   * The answer to a request still running when the drain on shutdown ends: Akka sends this one
   * response for all of them, so its {@code ts} is when the node started serving.
   */
  public HttpResponse shuttingDown() {
    return respond(UNKNOWN_API, RequestIds.next(), ErrorCode.SERVICE_UNAVAILABLE.reject(), List.of());
  }

  /** Akka's plain-text answer to a rejection, as the envelope with the same status and headers. */
  private HttpResponse envelopeOf(HttpResponse plain, String msgId) {
    String text = plain.entity() instanceof akka.http.javadsl.model.HttpEntity.Strict strict ? strict.getData().utf8String() : "";
    List<HttpHeader> headers = new ArrayList<>();
    plain.getHeaders().forEach(headers::add);
    return respond(UNKNOWN_API, msgId, TransportErrors.routing(plain.status().intValue(), text), headers);
  }

  /**
   * Answers 405 with the envelope and an {@code Allow} header: for a path served outside the
   * route table (the OpenAPI document) requested with another method.
   */
  public Route methodNotAllowed(String apiId, akka.http.javadsl.model.HttpMethod... allowed) {
    return extractRequest(req -> extractMaterializer(mat -> {
      req.discardEntityBytes(mat);
      String names = java.util.Arrays.stream(allowed).map(akka.http.javadsl.model.HttpMethod::name).collect(Collectors.joining(", "));
      return complete(respond(apiId, msgIdOf(req), ErrorCode.METHOD_NOT_ALLOWED.reject(req.method().name(), names),
          List.of(Allow.create(allowed))));
    }));
  }

  /** The request's X-Request-ID, echoed as the answer's msgid; a fresh one when it has none (or one it may not have). */
  private static String msgIdOf(HttpRequest req) {
    return IdempotencyKeys.requestId(req).orElseGet(RequestIds::next);
  }

  private CompletionStage<HttpResponse> dispatch(HttpRequest req, Materializer mat, String msgId) {
    Instant answerBy = answerWithin == null ? null : clock.instant().plus(answerWithin);
    List<String> segments = segmentsOf(req.getUri().path());
    List<Endpoint> onPath = new ArrayList<>();
    Map<String, String> params = null;
    Endpoint endpoint = null;
    for (int i = 0; i < endpoints.size(); i++) {
      Endpoint e = endpoints.get(i);
      Map<String, String> p = match(templates.get(i), segments);
      if (p != null) {
        onPath.add(e);
        if (e.method().equals(req.method())) {
          endpoint = e;
          params = p;
        }
      }
    }
    if (endpoint == null) {
      req.discardEntityBytes(mat);
      if (onPath.isEmpty()) {
        return completed(respond(UNKNOWN_API, msgId, ErrorCode.NOT_FOUND.reject(req.getUri().path()), List.of()));
      }
      RequestLogContext.route(onPath.get(0).path());
      String allowed = onPath.stream().map(e -> e.method().name()).distinct().collect(Collectors.joining(", "));
      var allow = Allow.create(onPath.stream().map(Endpoint::method).distinct().toArray(akka.http.javadsl.model.HttpMethod[]::new));
      return completed(respond(onPath.get(0).apiId(), msgId, ErrorCode.METHOD_NOT_ALLOWED.reject(req.method().name(), allowed), List.of(allow)));
    }
    Endpoint e = endpoint;
    RequestLogContext.route(e.path());
    Map<String, String> pathParams = params;
    long bodyLimit = e.maxBodyBytes().orElse(maxBodyBytes);
    CompletionStage<HttpResponse> response;
    try {
      Optional<Caller> caller = e.access() == Endpoint.Access.AUTHENTICATED
          ? Optional.of(authenticator.authenticate(req))
          : Optional.empty();
      caller.ifPresent(c -> RequestLogContext.user(c.userId()));
      refuseImpossibleIds(pathParams);
      IdempotencyKeys.checkHeaders(req);
      Optional<String> requestedFor = caller.flatMap(c -> authenticator.requestedFor(req, c));
      CompletionStage<Optional<JsonNode>> body = e.body() == Endpoint.Body.JSON
          ? readJson(req, mat, bodyLimit, e.itemLists())
          : discard(req, mat);
      response = body.thenCompose(b -> answer(e, new ApiRequest(req, pathParams, caller, requestedFor, b,
          new ClientRequest(answerBy, IdempotencyKeys.of(req, b).orElse(null))), msgId));
    } catch (RuntimeException ex) {
      req.discardEntityBytes(mat);
      response = CompletableFuture.failedFuture(ex);
    }
    return response.exceptionally(error -> respond(e.apiId(), msgId, Failures.toRejection(error, bodyLimit), List.of()));
  }

  /**
   * Every id in a path names a batch, a user, an enrolment, a course, a template, a group or a job:
   * one with a control character or longer than {@link #MAX_PATH_ID_LENGTH} names nothing, so it is
   * 404 before any handler or storage sees it (PostgreSQL refuses a NUL byte outright).
   */
  private static void refuseImpossibleIds(Map<String, String> pathParams) {
    for (String id : pathParams.values()) {
      if (!EntityIds.canExist(id, MAX_PATH_ID_LENGTH)) {
        throw ErrorCode.NOT_FOUND.reject(EntityIds.quoted(id)).asException();
      }
    }
  }

  /** 200 with the handler's result, or (streaming endpoints) with the envelope written as the items arrive. */
  private CompletionStage<HttpResponse> answer(Endpoint e, ApiRequest request, String msgId) {
    if (e.downloads()) {
      return e.downloadHandler().handle(request).thenApply(file -> withRequestId(HttpResponse.create()
          .withStatus(200)
          .withEntity(fileEntity(file)), msgId, List.of(ContentDisposition.create(ContentDispositionTypes.ATTACHMENT,
              Map.of("filename", file.fileName())))));
    }
    if (e.streams()) {
      return e.streamingHandler().handle(request).thenApply(streamed -> withRequestId(HttpResponse.create()
          .withStatus(200)
          .withEntity(HttpEntities.createChunked(ContentTypes.APPLICATION_JSON,
              StreamedEnvelope.of(e.apiId(), msgId, clock.instant(), streamed))), msgId, List.of()));
    }
    return e.handler().handle(request).thenApply(ok -> json(200, Envelope.ok(e.apiId(), msgId, ok, clock.instant()), msgId, List.of()));
  }

  /** A file's body: of its length when known (a client sees a cut-off download as such), else chunked. */
  private static akka.http.javadsl.model.ResponseEntity fileEntity(FileDownload file) {
    ContentType type = ContentTypes.parse(file.contentType());
    return file.length().isPresent()
        ? HttpEntities.create(type, file.length().getAsLong(), file.bytes())
        : HttpEntities.createChunked(type, file.bytes());
  }

  /**
   * The body as JSON, within {@code limit} bytes and {@link #bodyReadTimeout}: 415 unless it is
   * sent as JSON (an empty body has nothing to decode and is left to the handler), 413 past the
   * limit, 408 when it does not arrive in time, 400 when it is not JSON or beyond {@link BodyConstraints}.
   */
  private CompletionStage<Optional<JsonNode>> readJson(HttpRequest req, Materializer mat, long limit, Set<String> itemLists) {
    var entity = req.entity();
    if (!entity.isKnownEmpty()) {
      Optional<Rejection> notJson = JsonContentType.refusal(entity.getContentType());
      if (notJson.isPresent()) {
        return refusedUnread(req, mat, notJson.get());
      }
    }
    if (entity.getContentLengthOption().orElse(0) > limit) {
      return refusedUnread(req, mat, ErrorCode.REQUEST_TOO_LARGE.reject(limit));
    }
    // A body Akka has already read whole (most are) is within the limit checked above; toStrict
    // would still run a stream for it. Otherwise no cap of toStrict's own (max-to-strict-bytes): it
    // would fail a large declared length with a bare EntityStreamException before withSizeLimit
    // answers it as too large.
    CompletionStage<akka.http.javadsl.model.HttpEntity.Strict> read = entity instanceof akka.http.javadsl.model.HttpEntity.Strict whole
        ? CompletableFuture.completedFuture(whole)
        : Continuations.on(mat.executionContext(), entity.withSizeLimit(limit).toStrict(bodyReadTimeout.toMillis(), Long.MAX_VALUE, mat));
    return read.handle((strict, error) -> {
      if (error != null) {
        Throwable cause = Rejections.unwrap(error);
        if (cause instanceof java.util.concurrent.TimeoutException) {
          throw ErrorCode.REQUEST_TIMEOUT.reject(bodyReadTimeout.toMillis() + " ms").asException();
        }
        if (cause instanceof EntityStreamException framing) {
          throw TransportErrors.badBodyFraming(framing.info()).asException();
        }
        throw Rejections.propagate(error);
      }
      byte[] bytes = strict.getData().toArray();
      if (bytes.length == 0) {
        return Optional.empty();
      }
      JsonNode body;
      try {
        body = Envelope.JSON.readTree(bytes);
      } catch (BodyConstraints.Exceeded ex) {
        throw ex.rejection().asException();
      } catch (java.io.IOException ex) {
        throw new java.util.concurrent.CompletionException(ex);
      }
      ControlCharacters.refusal(body, itemLists).ifPresent(refused -> {
        throw refused.asException();
      });
      IdempotencyKeys.checkBody(body);
      return Optional.of(body);
    });
  }

  /**
   * {@code rejection} of a body that is not read. A client waiting for 100 Continue is told before
   * it sends the body. From one sending it anyway, the body is drained first (up to
   * {@code akka.http.server.parsing.max-content-length}): Akka closes the connection after an answer
   * that comes before the whole request, and the client would see a reset instead of the answer.
   */
  private static CompletionStage<Optional<JsonNode>> refusedUnread(HttpRequest req, Materializer mat, Rejection rejection) {
    if (req.getHeader("Expect").isPresent()) {
      return CompletableFuture.failedFuture(rejection.asException());
    }
    return Continuations.on(mat.executionContext(), req.discardEntityBytes(mat).completionStage()).handle((drained, error) -> {
      throw rejection.asException();
    });
  }

  private static CompletionStage<Optional<JsonNode>> discard(HttpRequest req, Materializer mat) {
    req.discardEntityBytes(mat);
    return CompletableFuture.completedFuture(Optional.empty());
  }

  private HttpResponse respond(String apiId, String msgId, Rejection rejection, List<HttpHeader> headers) {
    return errorResponse(apiId, msgId, rejection, clock.instant(), headers);
  }

  /** The error envelope of {@code rejection}, with the HTTP status of its response code. */
  static HttpResponse errorResponse(String apiId, String msgId, Rejection rejection, java.time.Instant now, List<HttpHeader> headers) {
    return json(rejection.code().responseCode().httpStatus(), Envelope.error(apiId, msgId, rejection, now), msgId, headers);
  }

  private static HttpResponse json(int status, Envelope body, String msgId, List<HttpHeader> headers) {
    return withRequestId(HttpResponse.create()
        .withStatus(status)
        .withEntity(HttpEntities.create(ContentTypes.APPLICATION_JSON, Envelope.text(body))), msgId, headers);
  }

  private static HttpResponse withRequestId(HttpResponse response, String msgId, List<HttpHeader> headers) {
    List<HttpHeader> all = new ArrayList<>(headers);
    all.add(RawHeader.create("X-Request-ID", msgId));
    return response.withHeaders(all);
  }

  private static CompletionStage<HttpResponse> completed(HttpResponse r) {
    return CompletableFuture.completedFuture(r);
  }

  static List<String> segmentsOf(String path) {
    String p = path.startsWith("/") ? path.substring(1) : path;
    if (p.endsWith("/")) {
      p = p.substring(0, p.length() - 1);
    }
    return List.of(p.split("/", -1));
  }

  /** Path segments are percent-encoded; unlike form encoding, a '+' is a plus sign. */
  private static String percentDecode(String segment) {
    return java.net.URLDecoder.decode(segment.replace("+", "%2B"), java.nio.charset.StandardCharsets.UTF_8);
  }

  private static boolean isParameter(String templateSegment) {
    return templateSegment.startsWith("{") && templateSegment.endsWith("}");
  }

  /** The path parameters when {@code actual} fits the template, else null. */
  static Map<String, String> match(List<String> template, List<String> actual) {
    if (template.size() != actual.size()) {
      return null;
    }
    // Literal segments first: most templates of the same length differ in one, and then nothing is decoded.
    for (int i = 0; i < template.size(); i++) {
      String t = template.get(i);
      if (!isParameter(t) && !t.equals(actual.get(i))) {
        return null;
      }
    }
    Map<String, String> params = new HashMap<>();
    for (int i = 0; i < template.size(); i++) {
      String t = template.get(i);
      if (isParameter(t)) {
        String a = actual.get(i);
        if (a.isEmpty()) {
          return null;
        }
        params.put(t.substring(1, t.length() - 1), percentDecode(a));
      }
    }
    return params;
  }
}
