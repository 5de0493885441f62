package org.coursebatch.core.observe;

import java.util.Map;
import org.slf4j.MDC;

/**
 * The names a request's lines carry in the logging context (MDC), and how that context moves with
 * the work from thread to thread ({@link org.coursebatch.core.concurrent.Continuations}).
 *
 * <p>The context is captured where a stage is created and set on the thread that runs its
 * continuation for as long as the continuation runs; the thread's own context is put back after.
 * Outside a request the context is empty and nothing is copied.
 */
public final class LogContext {

  /** The request's X-Request-ID, as the answer's msgid (a fresh one when it had none). */
  public static final String REQUEST_ID = "request_id";
  /** The endpoint's path template, e.g. {@code /v1/course/batch/read/{batchId}}: never the raw path. */
  public static final String ROUTE = "route";
  /** The authenticated caller's user id. */
  public static final String USER_ID = "user_id";
  /** The W3C trace id: the incoming traceparent's, or one started for the request. */
  public static final String TRACE_ID = "trace_id";
  /** The incoming traceparent's flags (absent for a trace the node started). */
  public static final String TRACE_FLAGS = "trace_flags";
  /** The request's own span, when the node records spans: the parent of its calls to other services. */
  public static final String SPAN_ID = "span_id";

  private LogContext() {}

  /** The current thread's context, or null when it is empty (then nothing is copied). */
  public static Map<String, String> capture() {
    Map<String, String> context = MDC.getCopyOfContextMap();
    return context == null || context.isEmpty() ? null : context;
  }

  /**
   * Sets {@code context} (one {@link #capture} gave) on the current thread; gives what the thread
   * had, for {@link #leave}. Nothing happens for a null context.
   */
  public static Map<String, String> enter(Map<String, String> context) {
    if (context == null) {
      return null;
    }
    Map<String, String> outer = MDC.getCopyOfContextMap();
    MDC.setContextMap(context);
    return outer;
  }

  /** Puts back what the thread had before {@link #enter}: its own context, or none. */
  public static void leave(Map<String, String> context, Map<String, String> outer) {
    if (context == null) {
      return;
    }
    if (outer == null || outer.isEmpty()) {
      MDC.clear();
    } else {
      MDC.setContextMap(outer);
    }
  }
}
