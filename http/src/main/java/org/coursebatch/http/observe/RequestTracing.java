package org.coursebatch.http.observe;

import akka.actor.ClassicActorSystemProvider;
import akka.actor.Extension;
import akka.http.javadsl.model.HttpRequest;
import akka.http.javadsl.model.headers.RawHeader;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import java.util.Optional;
import org.coursebatch.core.SystemExtension;
import org.coursebatch.core.observe.LogContext;
import org.coursebatch.core.observe.TraceParent;
import org.slf4j.MDC;

/**
 * A request's trace, in one of three ways (ADR 17):
 *
 * <ul>
 *   <li>spans off (no OTLP endpoint): the trace id of the incoming {@code traceparent}, or a new one,
 *       goes into the logging context and on to the calls to other services, each with a new parent id;
 *   <li>spans on ({@link #recordWith}): a server span per request, child of the incoming traceparent,
 *       and a client span per call to another service, whose id the call's traceparent carries;
 *   <li>the OpenTelemetry Java agent attached ({@link #AGENT}): the agent makes and propagates the
 *       spans (it instruments akka-http's server and client); the node only logs the agent's trace id.
 * </ul>
 */
public final class RequestTracing implements Extension {

  public static final SystemExtension<RequestTracing> ID = new SystemExtension<>(system -> new RequestTracing());

  /** Whether an OpenTelemetry Java agent runs in this JVM (its bootstrap classes are on the boot class path). */
  public static final boolean AGENT = agentAttached();

  private volatile Tracer tracer;

  private RequestTracing() {}

  public static RequestTracing get(ClassicActorSystemProvider system) {
    return ID.get(system.classicSystem());
  }

  /** Records spans through {@code openTelemetry} from now on (never with the agent attached). */
  public void recordWith(OpenTelemetry openTelemetry) {
    if (!AGENT) {
      tracer = openTelemetry.getTracer("org.coursebatch");
    }
  }

  public boolean recordsSpans() {
    return tracer != null;
  }

  /**
   * Starts the request's trace: puts its ids in the logging context of the current thread and
   * gives the server span to end with the answer (a no-op one unless spans are recorded).
   */
  public ServerSpan start(String method, Optional<TraceParent> incoming) {
    Tracer t = tracer;
    if (t != null) {
      var builder = t.spanBuilder(method).setSpanKind(SpanKind.SERVER).setAttribute("http.request.method", method);
      incoming.ifPresent(p -> builder.setParent(Context.root().with(Span.wrap(SpanContext.createFromRemoteParent(
          p.traceId(), p.parentId(), TraceFlags.fromHex(p.flags(), 0), TraceState.getDefault())))));
      Span span = builder.startSpan();
      SpanContext context = span.getSpanContext();
      MDC.put(LogContext.TRACE_ID, context.getTraceId());
      MDC.put(LogContext.SPAN_ID, context.getSpanId());
      MDC.put(LogContext.TRACE_FLAGS, context.getTraceFlags().asHex());
      return new ServerSpan(span, method);
    }
    SpanContext agents = AGENT ? Span.current().getSpanContext() : SpanContext.getInvalid();
    if (agents.isValid()) {
      MDC.put(LogContext.TRACE_ID, agents.getTraceId());
      MDC.put(LogContext.SPAN_ID, agents.getSpanId());
      MDC.put(LogContext.TRACE_FLAGS, agents.getTraceFlags().asHex());
    } else {
      MDC.put(LogContext.TRACE_ID, incoming.map(TraceParent::traceId).orElseGet(TraceParent::newTraceId));
      incoming.ifPresent(p -> MDC.put(LogContext.TRACE_FLAGS, p.flags()));
    }
    return ServerSpan.NONE;
  }

  /**
   * One attempt at a call to another service, for the request whose trace is {@code trace}: the
   * request with its traceparent, and the client span to end with the answer.
   */
  public ClientCall call(HttpRequest request, Optional<TraceParent> trace, String service) {
    Tracer t = tracer;
    if (trace.isEmpty() || AGENT) {
      return new ClientCall(request, null); // the agent adds the header of its own client span
    }
    TraceParent parent = trace.get();
    if (t == null) {
      return new ClientCall(request.addHeader(RawHeader.create(TraceParent.HEADER, parent.withNewParentId().header())), null);
    }
    Span span = t.spanBuilder(request.method().name()).setSpanKind(SpanKind.CLIENT)
        .setParent(Context.root().with(Span.wrap(SpanContext.create(parent.traceId(), parent.parentId(),
            TraceFlags.fromHex(parent.flags(), 0), TraceState.getDefault()))))
        .setAttribute("http.request.method", request.method().name())
        .setAttribute("server.address", request.getUri().host().address())
        .setAttribute("peer.service", service)
        .startSpan();
    SpanContext own = span.getSpanContext();
    String header = new TraceParent(own.getTraceId(), own.getSpanId(), own.getTraceFlags().asHex()).header();
    return new ClientCall(request.addHeader(RawHeader.create(TraceParent.HEADER, header)), span);
  }

  /** The request's server span; {@link #NONE} when the node records none. */
  public static final class ServerSpan {
    static final ServerSpan NONE = new ServerSpan(null, null);

    private final Span span;
    private final String method;

    private ServerSpan(Span span, String method) {
      this.span = span;
      this.method = method;
    }

    /** Ends it with what the answer was: {@code route} is the endpoint's template, or null when none matched. */
    public void end(String route, int status) {
      if (span == null) {
        return;
      }
      if (route != null) {
        span.updateName(method + " " + route);
        span.setAttribute("http.route", route);
      }
      span.setAttribute("http.response.status_code", status);
      if (status >= 500) {
        span.setStatus(StatusCode.ERROR);
      }
      span.end();
    }
  }

  /** An attempt's request, with its traceparent, and its client span (null when none is recorded). */
  public record ClientCall(HttpRequest request, Span span) {
    /** Ends the span with the answer's status, or the failure that came instead. */
    public void end(int status, Throwable failure) {
      if (span == null) {
        return;
      }
      if (failure != null) {
        span.setStatus(StatusCode.ERROR, failure.getClass().getSimpleName());
      } else {
        span.setAttribute("http.response.status_code", status);
        if (status >= 500) {
          span.setStatus(StatusCode.ERROR);
        }
      }
      span.end();
    }
  }

  private static boolean agentAttached() {
    try {
      Class.forName("io.opentelemetry.javaagent.bootstrap.AgentInitializer", false, null);
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }
}
