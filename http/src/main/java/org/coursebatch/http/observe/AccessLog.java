package org.coursebatch.http.observe;

import static akka.http.javadsl.server.Directives.extractRequest;
import static akka.http.javadsl.server.Directives.mapResponse;

import akka.http.javadsl.model.HttpHeader;
import akka.http.javadsl.model.HttpResponse;
import akka.http.javadsl.server.Route;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import org.coursebatch.core.observe.LogContext;
import org.coursebatch.core.request.RequestKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.spi.LoggingEventBuilder;

/**
 * One INFO line a request on logger {@value #LOGGER}, once its answer is known: method, route
 * template, status, duration, response bytes (when the body's length is known), and, from the
 * request's logging context, its request id, caller and trace. Operators turn it off with that
 * logger's level ({@code BATCH_LOG_LEVELS=org.coursebatch.http.access=OFF}).
 *
 * <p>JSON lines carry the values as fields ({@code method}, {@code status}, {@code duration_ms},
 * {@code response_bytes}; {@code route}, {@code request_id}, {@code user_id}, {@code trace_id}
 * from the context); text lines read {@code GET /v1/course/batch/read/{batchId} 200 12 ms 345 bytes}.
 */
public final class AccessLog {

  public static final String LOGGER = "org.coursebatch.http.access";
  /** The route of a request that matched no endpoint: its raw path is client input and is not logged. */
  public static final String UNMATCHED = "(unmatched)";

  private static final Logger log = LoggerFactory.getLogger(LOGGER);
  private static final String REQUEST_ID = "X-Request-ID";

  private AccessLog() {}

  /** Writes the line of an answered request; {@code context} is the request's logging context, set on this thread. */
  static void write(String method, Map<String, String> context, HttpResponse response, Throwable failure, long startedNanos) {
    if (!log.isInfoEnabled()) {
      return;
    }
    long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedNanos);
    // A failed answer is completed by the exception handler with 500.
    int status = failure == null ? response.status().intValue() : 500;
    OptionalLong bytes = failure == null ? response.entity().getContentLengthOption() : OptionalLong.empty();
    String route = context == null ? null : context.get(LogContext.ROUTE);
    LoggingEventBuilder line = log.atInfo();
    if (route == null) {
      route = UNMATCHED;
      line = line.addKeyValue(LogContext.ROUTE, route); // else the context has it
    }
    line = line
        .addKeyValue("method", method)
        .addKeyValue("status", status)
        .addKeyValue("duration_ms", millis);
    if (bytes.isPresent()) {
      line = line.addKeyValue("response_bytes", bytes.getAsLong());
    }
    line.log("{} {} {} {} ms {}", method, route, status, millis, bytes.isPresent() ? bytes.getAsLong() + " bytes" : "- bytes");
  }

  /**
   * {@code inner}, a route outside the endpoint table (the OpenAPI document), with its access line:
   * {@code route} is its fixed path, carried on the response for the request metrics too.
   */
  public static Route logged(String route, Route inner) {
    return extractRequest(request -> {
      long started = System.nanoTime();
      return mapResponse(response -> {
        // The id the answer echoes (a 405 has one), else the request's when it may be one.
        String requestId = response.getHeader(REQUEST_ID).or(() -> request.getHeader(REQUEST_ID)).map(HttpHeader::value)
            .filter(v -> !v.isBlank() && RequestKey.acceptable(v)).orElse("-");
        String method = request.method().name();
        Map<String, String> context = Map.of(LogContext.REQUEST_ID, requestId, LogContext.ROUTE, route);
        Map<String, String> previous = LogContext.enter(context);
        try {
          write(method, context, response, null, started);
        } finally {
          LogContext.leave(context, previous);
        }
        return response.addAttribute(org.coursebatch.http.api.ApiRouter.ROUTE, route);
      }, () -> inner);
    });
  }
}
