package org.coursebatch.http.outbound;

import static org.coursebatch.http.outbound.ScriptedService.json;
import static org.junit.jupiter.api.Assertions.*;

import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.Behaviors;
import akka.http.javadsl.model.HttpRequest;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import org.coursebatch.core.concurrent.Continuations;
import org.coursebatch.core.error.ErrorCode;
import org.coursebatch.core.observe.LogContext;
import org.coursebatch.core.observe.TraceParent;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;
import scala.concurrent.Promise;
import scala.jdk.javaapi.FutureConverters;

/**
 * Calls to a neighbouring service (a real HTTP server in this JVM) carry the W3C traceparent of
 * the request they are made for, read from the logging context, even when the call is made in a
 * continuation on another thread.
 */
class TraceParentPropagationTest {

  static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";

  static ActorSystem<Void> system;
  ScriptedService service;
  ServiceCalls calls;

  @BeforeAll
  static void startSystem() throws Exception {
    system = ActorSystem.create(Behaviors.empty(), "trace-parent-test");
  }

  @AfterAll
  static void stopSystem() {
    system.terminate();
  }

  @BeforeEach
  void start() throws Exception {
    service = ScriptedService.start();
    calls = new ServiceCalls(system, new ServiceCalls.Settings("test service", service.url(), Duration.ofSeconds(5), 1,
        Duration.ofMillis(10), 100, Duration.ofSeconds(30)), ErrorCode.GROUPS_SERVICE_UNAVAILABLE);
  }

  @AfterEach
  void stop() {
    MDC.clear();
    service.close();
  }

  private CompletionStage<Integer> call() {
    return calls.call("a thing", () -> HttpRequest.GET(service.url() + "/thing"), answer -> answer.status());
  }

  @Test
  void aCallCarriesTheRequestsTraceIdWithANewParentIdEachAttempt() throws Exception {
    AtomicInteger attempts = new AtomicInteger();
    service.reply(exchange -> json(attempts.incrementAndGet() == 1 ? 500 : 200, "{}").to(exchange));
    MDC.put(LogContext.TRACE_ID, TRACE_ID);
    MDC.put(LogContext.TRACE_FLAGS, "01");
    CompletionStage<Integer> answer = call();
    MDC.clear();
    assertEquals(200, OutboundCalls.await(answer));

    List<String> sent = service.header(TraceParent.HEADER);
    assertEquals(2, sent.size(), "a failed attempt and its retry");
    List<TraceParent> parsed = sent.stream().map(v -> TraceParent.parse(v).orElseThrow(() -> new AssertionError(v))).toList();
    assertEquals(List.of(TRACE_ID, TRACE_ID), parsed.stream().map(TraceParent::traceId).toList());
    assertEquals(List.of("01", "01"), parsed.stream().map(TraceParent::flags).toList());
    assertNotEquals(parsed.get(0).parentId(), parsed.get(1).parentId());
  }

  @Test
  void aCallMadeAfterAnAskOnAnotherThreadCarriesItToo() throws Exception {
    service.reply(json(200, "{}"));
    Promise<String> entityAnswer = Promise.apply();
    MDC.put(LogContext.TRACE_ID, TRACE_ID);
    CompletionStage<Integer> answer = Continuations.on(system.executionContext(), FutureConverters.asJava(entityAnswer.future()))
        .thenCompose(v -> call());
    MDC.clear();
    new Thread(() -> entityAnswer.success("answered")).start();
    assertEquals(200, OutboundCalls.await(answer));
    TraceParent sent = TraceParent.parse(service.header(TraceParent.HEADER).get(0)).orElseThrow();
    assertEquals(TRACE_ID, sent.traceId());
    assertEquals(TraceParent.NOT_SAMPLED, sent.flags());
  }

  @Test
  void outsideARequestNoneIsSent() throws Exception {
    service.reply(json(200, "{}"));
    assertEquals(200, OutboundCalls.await(call()));
    assertEquals(List.of("null"), service.header(TraceParent.HEADER));
  }
}
