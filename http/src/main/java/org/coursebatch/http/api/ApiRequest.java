package org.coursebatch.http.api;

import org.coursebatch.core.access.Requester;
import akka.http.javadsl.model.HttpRequest;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.Optional;
import org.coursebatch.core.error.ErrorCode;
import org.coursebatch.core.identity.Caller;
import org.coursebatch.core.json.JsonFields;
import org.coursebatch.core.request.ClientRequest;

/**
 * What an endpoint handler sees: the path parameters, the query, the authenticated caller, the
 * managed user the caller acts for ({@code x-authenticated-for}, verified), the {@code request}
 * object of the body (already parsed; absent for bodiless endpoints) and what writes need of the
 * request: when it must be answered by and its idempotency key ({@link IdempotencyKeys}).
 */
public record ApiRequest(
    HttpRequest http,
    Map<String, String> pathParams,
    Optional<Caller> caller,
    Optional<String> requestedFor,
    Optional<JsonNode> body,
    ClientRequest client) {

  /** A request without a deadline or an idempotency key. */
  public ApiRequest(HttpRequest http, Map<String, String> pathParams, Optional<Caller> caller, Optional<String> requestedFor,
      Optional<JsonNode> body) {
    this(http, pathParams, caller, requestedFor, body, ClientRequest.none());
  }

  /** A request acting for nobody but its caller. */
  public ApiRequest(HttpRequest http, Map<String, String> pathParams, Optional<Caller> caller, Optional<JsonNode> body) {
    this(http, pathParams, caller, Optional.empty(), body);
  }

  public String pathParam(String name) {
    return pathParams.get(name);
  }

  public Optional<String> query(String name) {
    return http.getUri().query().get(name);
  }

  /** The authenticated caller; endpoints that require authentication always have one. */
  public Caller requireCaller() {
    return caller.orElseThrow(() -> ErrorCode.UNAUTHORIZED_USER.reject().asException());
  }

  /**
   * The caller acting as the effective user, without their organisation: enough for the access
   * policy's decisions that need none (see {@code AccessChecks} for those that do).
   */
  public Requester requester() {
    return new Requester(requireCaller(), effectiveUserId(), Optional.empty());
  }

  /**
   * The learner the request is about: the managed user named by a valid {@code x-authenticated-for}
   * header, else the caller. Self-service endpoints (enrol, progress, own lists) act for this user.
   */
  public String effectiveUserId() {
    Caller c = requireCaller();
    return requestedFor.orElse(c.userId());
  }

  /** The body's {@code request} object, which must be present. */
  public JsonFields request() {
    JsonNode root = body.orElseThrow(() -> ErrorCode.MANDATORY_PARAMETER_MISSING.reject("request").asException());
    JsonNode request = root.get("request");
    if (request == null || request.isNull()) {
      throw ErrorCode.MANDATORY_PARAMETER_MISSING.reject("request").asException();
    }
    return JsonFields.of(request, "request");
  }
}
