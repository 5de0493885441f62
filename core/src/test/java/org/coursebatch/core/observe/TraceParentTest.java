package org.coursebatch.core.observe;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.MDC;

class TraceParentTest {

  static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
  static final String VALID = "00-" + TRACE_ID + "-00f067aa0ba902b7-01";

  @AfterEach
  void clear() {
    MDC.clear();
  }

  @Test
  void aValidHeaderGivesItsParts() {
    TraceParent p = TraceParent.parse(VALID).orElseThrow();
    assertEquals(TRACE_ID, p.traceId());
    assertEquals("00f067aa0ba902b7", p.parentId());
    assertEquals("01", p.flags());
    assertEquals(VALID, p.header());
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "",
      " " + VALID,
      VALID + " ",
      VALID + "-extra",
      "01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", // another version
      "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
      "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01", // upper case
      "00-00000000000000000000000000000000-00f067aa0ba902b7-01", // all-zero trace id
      "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01", // all-zero parent id
      "00-4bf92f3577b34da6a3ce929d0e0e473-00f067aa0ba902b7-01", // 31 hex
      "00-4bf92f3577b34da6a3ce929d0e0e47366-00f067aa0ba902b7-1", // shifted
      "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-0g",
      "00_4bf92f3577b34da6a3ce929d0e0e4736_00f067aa0ba902b7_01",
      "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01\n",
      "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba9\u00e9b7-01"})
  void anythingElseIsIgnored(String value) {
    assertEquals(Optional.empty(), TraceParent.parse(value), value);
  }

  @Test
  void absentIsIgnored() {
    assertEquals(Optional.empty(), TraceParent.parse(null));
  }

  @Test
  void newTraceIdsAreValidAndDiffer() {
    String a = TraceParent.newTraceId();
    String b = TraceParent.newTraceId();
    assertNotEquals(a, b);
    assertTrue(TraceParent.parse("00-" + a + "-00f067aa0ba902b7-00").isPresent(), a);
  }

  @Test
  void anOutboundCallCarriesTheRequestsTraceWithANewParent() {
    assertEquals(Optional.empty(), TraceParent.forOutboundCall(), "outside a request");
    MDC.put(LogContext.TRACE_ID, TRACE_ID);
    MDC.put(LogContext.TRACE_FLAGS, "01");
    TraceParent first = TraceParent.forOutboundCall().orElseThrow();
    TraceParent second = TraceParent.forOutboundCall().orElseThrow();
    assertEquals(TRACE_ID, first.traceId());
    assertEquals("01", first.flags());
    assertNotEquals(first.parentId(), second.parentId());
    assertEquals(first, TraceParent.parse(first.header()).orElseThrow(), "a valid header");

    MDC.remove(LogContext.TRACE_FLAGS);
    assertEquals(TraceParent.NOT_SAMPLED, TraceParent.forOutboundCall().orElseThrow().flags(), "a trace the node started");
  }
}
