package org.coursebatch.http.observe;

import static akka.http.javadsl.server.Directives.extractRequest;
import static akka.http.javadsl.server.Directives.mapRequest;
import static akka.http.javadsl.server.Directives.mapResponse;

import akka.http.javadsl.model.AttributeKey;
import akka.http.javadsl.model.HttpRequest;
import akka.http.javadsl.model.HttpResponse;
import akka.http.javadsl.server.Route;
import java.util.Map;
import java.util.Optional;
import org.coursebatch.core.observe.LogContext;

/**
 * The one observer of each request: it reads the clock when the request comes in and when its
 * answer is ready, and from that one duration and one route name records the request's metric
 * ({@link RequestMetrics}), writes its access line ({@link AccessLog}) and ends its server span
 * ({@link RequestTracing}). The layers inside only tell it what they learn: the logging context
 * ({@link RequestLogContext}, with the route template) and the span.
 */
public final class RequestObserver {

  /**
   * The route of a request no endpoint matched (404, a header value refused, ...): its raw path
   * is client input, so neither the metric nor the access line carries it.
   */
  public static final String UNMATCHED = "unmatched";

  private static final AttributeKey<Observation> KEY = AttributeKey.create("course-batch-observation", Observation.class);

  private RequestObserver() {}

  /** {@code inner}, each of its requests observed into {@code metrics}, the access log and its span. */
  public static Route observed(RequestMetrics metrics, Route inner) {
    return extractRequest(request -> {
      Observation observation = new Observation(System.nanoTime());
      return mapResponse(response -> {
        observation.finish(metrics, request.method().name(), response);
        return response;
      }, () -> mapRequest(r -> r.addAttribute(KEY, observation), () -> inner));
    });
  }

  /** The observation of {@code request}; none when it is served without the observer (a bare router). */
  static Optional<Observation> of(HttpRequest request) {
    return request.getAttribute(KEY);
  }

  /** What one request's layers learnt about it, read once its answer is ready. */
  static final class Observation {
    private final long startedNanos;
    /** The request's logging context as dispatch left it; null when no endpoint layer saw the request. */
    private volatile Map<String, String> context;
    private volatile RequestTracing.ServerSpan span = RequestTracing.ServerSpan.NONE;

    private Observation(long startedNanos) {
      this.startedNanos = startedNanos;
    }

    void context(Map<String, String> context) {
      this.context = context;
    }

    void span(RequestTracing.ServerSpan span) {
      this.span = span;
    }

    private void finish(RequestMetrics metrics, String method, HttpResponse response) {
      long nanos = System.nanoTime() - startedNanos;
      Map<String, String> logged = context;
      String template = logged == null ? null : logged.get(LogContext.ROUTE);
      String route = template == null ? UNMATCHED : template;
      int status = response.status().intValue();
      metrics.record(method, route, status, nanos);
      // Answers no endpoint layer saw (a header value refused before routing) get no access line.
      if (logged != null) {
        Map<String, String> previous = LogContext.enter(logged);
        try {
          AccessLog.write(method, route, template == null, response, nanos);
        } finally {
          LogContext.leave(logged, previous);
        }
      }
      span.end(template, status);
    }
  }
}
