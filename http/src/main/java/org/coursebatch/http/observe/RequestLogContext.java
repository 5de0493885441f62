package org.coursebatch.http.observe;

import akka.http.javadsl.model.HttpHeader;
import akka.http.javadsl.model.HttpRequest;
import akka.http.javadsl.model.HttpResponse;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.coursebatch.core.observe.LogContext;
import org.coursebatch.core.observe.TraceParent;
import org.slf4j.MDC;

/**
 * The logging context of one API request ({@link LogContext}): its request id and trace from the
 * start, its route template and caller as the router learns them. It is set on the thread that
 * dispatches the request and taken off when dispatching returns; the request's later work carries
 * it through {@link org.coursebatch.core.concurrent.Continuations}. When the answer is ready, the
 * request's {@link RequestObserver} writes its {@link AccessLog} line within it.
 */
public final class RequestLogContext {

  private RequestLogContext() {}

  /**
   * Runs {@code dispatch} within the request's logging context, and hands that context, with the
   * route and caller dispatch added, and the server span to the request's {@link RequestObserver}.
   *
   * @param requestId the id the answer echoes as its msgid (an acceptable X-Request-ID, or a fresh one)
   */
  public static CompletionStage<HttpResponse> around(HttpRequest request, String requestId, RequestTracing tracing,
      Supplier<CompletionStage<HttpResponse>> dispatch) {
    Map<String, String> outer = MDC.getCopyOfContextMap();
    Map<String, String> context;
    CompletionStage<HttpResponse> answer;
    RequestTracing.ServerSpan span;
    try {
      MDC.clear();
      MDC.put(LogContext.REQUEST_ID, requestId);
      Optional<TraceParent> incoming = request.getHeader(TraceParent.HEADER).map(HttpHeader::value).flatMap(TraceParent::parse);
      span = tracing.start(request.method().name(), incoming);
      answer = dispatch.get();
      context = LogContext.capture();
    } finally {
      if (outer == null) {
        MDC.clear();
      } else {
        MDC.setContextMap(outer);
      }
    }
    Optional<RequestObserver.Observation> observation = RequestObserver.of(request);
    if (observation.isPresent()) {
      observation.get().context(context);
      observation.get().span(span);
      return answer;
    }
    // Served without the observer: no access line nor metric, but the span still ends.
    return answer.whenComplete((response, failure) ->
        span.end(context == null ? null : context.get(LogContext.ROUTE), failure == null ? response.status().intValue() : 500));
  }

  /** The request's endpoint: its path template, with its parameters in braces. */
  public static void route(String pathTemplate) {
    MDC.put(LogContext.ROUTE, pathTemplate);
  }

  /** The authenticated caller. */
  public static void user(String userId) {
    MDC.put(LogContext.USER_ID, userId);
  }
}
