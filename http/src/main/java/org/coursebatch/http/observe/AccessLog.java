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

  private static final Logger log = LoggerFactory.getLogger(LOGGER);
  private static final String REQUEST_ID = "X-Request-ID";

  private AccessLog() {}

  /**
   * Writes the line of an answered request, within its logging context (set on this thread by
   * {@link RequestObserver}); {@code routeOffContext} when {@code route} is not in that context
   * ({@link RequestObserver#UNMATCHED}), so the line carries it as a field of its own.
   */
  static void write(String method, String route, boolean routeOffContext, HttpResponse response, long nanos) {
    if (!log.isInfoEnabled()) {
      return;
    }
    long millis = TimeUnit.NANOSECONDS.toMillis(nanos);
    int status = response.status().intValue();
    OptionalLong bytes = response.entity().getContentLengthOption();
    LoggingEventBuilder line = log.atInfo();
    if (routeOffContext) {
      line = line.addKeyValue(LogContext.ROUTE, route);
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
   * {@code route} is its fixed path, which the request's observer records it under.
   */
  public static Route logged(String route, Route inner) {
    return extractRequest(request -> mapResponse(response -> {
      // The id the answer echoes (a 405 has one), else the request's when it may be one.
      String requestId = response.getHeader(REQUEST_ID).or(() -> request.getHeader(REQUEST_ID)).map(HttpHeader::value)
          .filter(v -> !v.isBlank() && RequestKey.acceptable(v)).orElse("-");
      RequestObserver.of(request).ifPresent(o -> o.context(Map.of(LogContext.REQUEST_ID, requestId, LogContext.ROUTE, route)));
      return response;
    }, () -> inner));
  }
}
