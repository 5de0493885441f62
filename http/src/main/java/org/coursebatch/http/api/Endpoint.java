package org.coursebatch.http.api;

import akka.http.javadsl.model.HttpMethod;
import akka.http.javadsl.model.HttpMethods;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletionStage;

/**
 * One route of the API: method, path template (segments in braces are parameters), the envelope's
 * API id, whether a verified token is required and whether a JSON body is read. The route table
 * is the single source of truth: the router serves it and the OpenAPI test checks it is documented.
 *
 * <p>An endpoint has exactly one of {@link #handler} (the whole result at once),
 * {@link #streamingHandler} (a result whose items are written as they arrive, see
 * {@link StreamedEnvelope}) and {@link #downloadHandler} (a file as the body, no envelope; errors
 * before the first byte still get one). {@link #maxBodyBytes}, when present, replaces the
 * router's body limit.
 */
public record Endpoint(HttpMethod method, String path, String apiId, Access access, Body body, Handler handler,
    StreamingHandler streamingHandler, OptionalLong maxBodyBytes, DownloadHandler downloadHandler, Set<String> itemLists) {

  public enum Access { PUBLIC, AUTHENTICATED }

  public enum Body { NONE, JSON }

  /**
   * Produces the envelope's {@code result} — the operation's response record, or a stored JSON
   * document — or fails with a rejection.
   */
  @FunctionalInterface
  public interface Handler {
    CompletionStage<?> handle(ApiRequest request);
  }

  /**
   * Produces a result to stream, or fails with a rejection: a failed stage is an ordinary error
   * response; once the stage completes the response is 200 and its items follow.
   */
  @FunctionalInterface
  public interface StreamingHandler {
    CompletionStage<StreamedResult> handle(ApiRequest request);
  }

  /** Produces the file to send, or fails with a rejection (an ordinary error response). */
  @FunctionalInterface
  public interface DownloadHandler {
    CompletionStage<FileDownload> handle(ApiRequest request);
  }

  public Endpoint {
    int kinds = (handler == null ? 0 : 1) + (streamingHandler == null ? 0 : 1) + (downloadHandler == null ? 0 : 1);
    if (kinds != 1) {
      throw new IllegalArgumentException(path + ": exactly one of handler, streamingHandler and downloadHandler");
    }
    maxBodyBytes = maxBodyBytes == null ? OptionalLong.empty() : maxBodyBytes;
    itemLists = itemLists == null ? Set.of() : Set.copyOf(itemLists);
  }

  public Endpoint(HttpMethod method, String path, String apiId, Access access, Body body, Handler handler,
      StreamingHandler streamingHandler, OptionalLong maxBodyBytes, DownloadHandler downloadHandler) {
    this(method, path, apiId, access, body, handler, streamingHandler, maxBodyBytes, downloadHandler, Set.of());
  }

  public Endpoint(HttpMethod method, String path, String apiId, Access access, Body body, Handler handler) {
    this(method, path, apiId, access, body, handler, null, OptionalLong.empty(), null);
  }

  public Endpoint(HttpMethod method, String path, String apiId, Access access, Body body, Handler handler,
      StreamingHandler streamingHandler, OptionalLong maxBodyBytes) {
    this(method, path, apiId, access, body, handler, streamingHandler, maxBodyBytes, null);
  }

  public boolean streams() {
    return streamingHandler != null;
  }

  /** Whether the endpoint answers with a file rather than an envelope. */
  public boolean downloads() {
    return downloadHandler != null;
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

  /** A DELETE: its parameters are in the path and the query, a body is ignored. */
  public static Endpoint delete(String path, String apiId, Handler h) {
    return new Endpoint(HttpMethods.DELETE, path, apiId, Access.AUTHENTICATED, Body.NONE, h);
  }

  public static Endpoint postStreamed(String path, String apiId, StreamingHandler h) {
    return new Endpoint(HttpMethods.POST, path, apiId, Access.AUTHENTICATED, Body.JSON, null, h, OptionalLong.empty());
  }

  public static Endpoint deleteStreamed(String path, String apiId, StreamingHandler h) {
    return new Endpoint(HttpMethods.DELETE, path, apiId, Access.AUTHENTICATED, Body.NONE, null, h, OptionalLong.empty());
  }

  /** A GET whose 200 is a file. */
  public static Endpoint download(String path, String apiId, DownloadHandler h) {
    return new Endpoint(HttpMethods.GET, path, apiId, Access.AUTHENTICATED, Body.NONE, null, null, OptionalLong.empty(), h);
  }

  public Endpoint publicAccess() {
    return new Endpoint(method, path, apiId, Access.PUBLIC, body, handler, streamingHandler, maxBodyBytes, downloadHandler, itemLists);
  }

  /** The same endpoint taking request bodies of up to {@code bytes} instead of the router's limit. */
  public Endpoint withMaxBodyBytes(long bytes) {
    if (bytes <= 0) {
      throw new IllegalArgumentException("A body limit is positive: " + bytes);
    }
    return new Endpoint(method, path, apiId, access, body, handler, streamingHandler, OptionalLong.of(bytes), downloadHandler, itemLists);
  }

  /**
   * The same endpoint with the items of these lists of {@code request} checked one by one by its
   * handler, control characters included: an item it cannot take fails alone, not the request.
   */
  public Endpoint withItemsCheckedApart(String... lists) {
    return new Endpoint(method, path, apiId, access, body, handler, streamingHandler, maxBodyBytes, downloadHandler, Set.of(lists));
  }
}
