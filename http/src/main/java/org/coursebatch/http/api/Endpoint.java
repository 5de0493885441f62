package org.coursebatch.http.api;

import akka.http.javadsl.model.HttpMethod;
import akka.http.javadsl.model.HttpMethods;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * One route of the API: method, path template (segments in braces are parameters), the envelope's
 * API id, whether a verified token is required and whether a JSON body is read. The route table
 * is the single source of truth: the router serves it and the OpenAPI test checks it is documented.
 */
public record Endpoint(HttpMethod method, String path, String apiId, Access access, Body body, Handler handler) {

  public enum Access { PUBLIC, AUTHENTICATED }

  public enum Body { NONE, JSON }

  /** Produces the envelope's {@code result}, or fails with a rejection. */
  @FunctionalInterface
  public interface Handler {
    CompletionStage<JsonNode> handle(ApiRequest request);
  }

  public List<String> segments() {
    return List.of(path.substring(1).split("/"));
  }

  public static Endpoint get(String path, String apiId, Handler h) {
    return new Endpoint(HttpMethods.GET, path, apiId, Access.AUTHENTICATED, Body.NONE, h);
  }

  public static Endpoint post(String path, String apiId, Handler h) {
    return new Endpoint(HttpMethods.POST, path, apiId, Access.AUTHENTICATED, Body.JSON, h);
  }

  public static Endpoint patch(String path, String apiId, Handler h) {
    return new Endpoint(HttpMethods.PATCH, path, apiId, Access.AUTHENTICATED, Body.JSON, h);
  }

  public static Endpoint put(String path, String apiId, Handler h) {
    return new Endpoint(HttpMethods.PUT, path, apiId, Access.AUTHENTICATED, Body.JSON, h);
  }

  public Endpoint publicAccess() {
    return new Endpoint(method, path, apiId, Access.PUBLIC, body, handler);
  }
}
