package org.coursebatch.http.api;

import akka.http.javadsl.model.HttpRequest;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.Optional;
import org.coursebatch.core.error.ErrorCode;
import org.coursebatch.core.identity.Caller;
import org.coursebatch.core.json.JsonFields;

/**
 * What an endpoint handler sees: the path parameters, the query, the authenticated caller and the
 * {@code request} object of the body (already parsed; absent for bodiless endpoints).
 */
public record ApiRequest(
    HttpRequest http,
    Map<String, String> pathParams,
    Optional<Caller> caller,
    Optional<JsonNode> body) {

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
