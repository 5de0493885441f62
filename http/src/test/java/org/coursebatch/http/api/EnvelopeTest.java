package org.coursebatch.http.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.SplittableRandom;
import org.coursebatch.core.error.ErrorCode;
import org.junit.jupiter.api.Test;

class EnvelopeTest {

  private static final Instant NOW = Instant.parse("2020-11-23T06:59:52.152Z");
  private static final Set<String> ENVELOPE_FIELDS = Set.of("id", "ver", "ts", "params", "responseCode", "result");
  private static final Set<String> PARAMS_FIELDS = Set.of("resmsgid", "msgid", "err", "status", "errmsg");

  private static Set<String> fields(JsonNode node) {
    Set<String> out = new TreeSet<>();
    node.fieldNames().forEachRemaining(out::add);
    return out;
  }

  @Test
  void timestampsAreWhatSunbirdsFormatterWrites() {
    List<Instant> edges = List.of(NOW, Instant.EPOCH, Instant.parse("0001-01-01T00:00:00Z"),
        Instant.parse("0999-12-31T23:59:59.999Z"), Instant.parse("9999-12-31T23:59:59.999999999Z"),
        Instant.parse("+10000-01-01T00:00:00Z"), Instant.parse("0000-06-01T12:00:00Z"),
        Instant.parse("-0001-06-01T12:00:00Z"), Instant.parse("2024-02-29T00:00:00.000000001Z"));
    for (Instant instant : edges) {
      assertEquals(Envelope.TS.format(instant), Envelope.timestamp(instant), instant.toString());
    }
    SplittableRandom random = new SplittableRandom(17);
    long first = Instant.parse("0001-01-01T00:00:00Z").getEpochSecond();
    long last = Instant.parse("+10001-01-01T00:00:00Z").getEpochSecond();
    for (int i = 0; i < 200_000; i++) {
      Instant instant = Instant.ofEpochSecond(random.nextLong(first, last), random.nextInt(1_000_000_000));
      assertEquals(Envelope.TS.format(instant), Envelope.timestamp(instant), instant.toString());
    }
    assertEquals(null, Envelope.timestamp(null));
  }

  @Test
  void okEnvelopeHasEveryField() {
    ObjectNode result = Envelope.JSON.createObjectNode().put("response", "SUCCESS").put("batchId", "0123");
    ObjectNode e = Envelope.JSON.valueToTree(Envelope.ok("api.course.batch.create", "req-1", result, NOW));

    assertEquals(ENVELOPE_FIELDS, fields(e));
    assertEquals(PARAMS_FIELDS, fields(e.get("params")));
    assertEquals("api.course.batch.create", e.get("id").asText());
    assertEquals("v1", e.get("ver").asText());
    assertEquals("2020-11-23 06:59:52:152+0000", e.get("ts").asText());
    JsonNode params = e.get("params");
    assertTrue(params.get("resmsgid").isNull());
    assertEquals("req-1", params.get("msgid").asText());
    assertTrue(params.get("err").isNull());
    assertEquals("success", params.get("status").asText());
    assertTrue(params.get("errmsg").isNull());
    assertEquals("OK", e.get("responseCode").asText());
    assertEquals(result, e.get("result"));
  }

  @Test
  void okEnvelopeWithoutResultHasAnEmptyObject() {
    ObjectNode e = Envelope.JSON.valueToTree(Envelope.ok("api.health", "req-2", null, NOW));
    assertTrue(e.get("result").isObject());
    assertEquals(0, e.get("result").size());
  }

  @Test
  void errorEnvelopeRepeatsTheCodeInStatusAndHasAnEmptyResult() {
    ObjectNode e = Envelope.JSON.valueToTree(
        Envelope.error("api.course.batch.update", "req-3", ErrorCode.INVALID_BATCH_START_DATE_ERROR.reject(), NOW));

    assertEquals(ENVELOPE_FIELDS, fields(e));
    assertEquals(PARAMS_FIELDS, fields(e.get("params")));
    assertEquals("api.course.batch.update", e.get("id").asText());
    assertEquals("v1", e.get("ver").asText());
    assertEquals("2020-11-23 06:59:52:152+0000", e.get("ts").asText());
    JsonNode params = e.get("params");
    assertTrue(params.get("resmsgid").isNull());
    assertEquals("req-3", params.get("msgid").asText());
    assertEquals("INVALID_BATCH_START_DATE_ERROR", params.get("err").asText());
    assertEquals("INVALID_BATCH_START_DATE_ERROR", params.get("status").asText());
    assertEquals("Please provide valid Start Date.", params.get("errmsg").asText());
    assertEquals("CLIENT_ERROR", e.get("responseCode").asText());
    assertTrue(e.get("result").isObject());
    assertEquals(0, e.get("result").size());
  }

  @Test
  void errorEnvelopeUsesTheWireCodeAndTheFilledMessage() {
    var cases = List.of(
        new Object[] {ErrorCode.DATE_FORMAT_ERROR.reject(), "DATE_FORMAT_ERRROR", "Date format error.", "CLIENT_ERROR"},
        new Object[] {ErrorCode.MANDATORY_PARAMETER_MISSING.reject("courseId/collectionId"), "MANDATORY_PARAMETER_MISSING",
            "Mandatory parameter courseId/collectionId is missing.", "CLIENT_ERROR"},
        new Object[] {ErrorCode.NO_SUCH_BATCH.reject(), "CLIENT_ERROR", "No such batchId exists", "CLIENT_ERROR"},
        new Object[] {ErrorCode.UNAUTHORIZED_USER.reject(), "UNAUTHORIZED_USER", "You are not authorized.", "UNAUTHORIZED"},
        new Object[] {ErrorCode.BATCH_NOT_FOUND.reject("0123"), "BATCH_NOT_FOUND", "Batch 0123 does not exist.", "RESOURCE_NOT_FOUND"},
        new Object[] {ErrorCode.INTERNAL_ERROR.reject(), "INTERNAL_ERROR", "Process failed,please try again later.", "SERVER_ERROR"},
        new Object[] {ErrorCode.SERVICE_UNAVAILABLE.reject(), "SERVICE_UNAVAILABLE",
            "The service is busy or a dependency did not answer in time; please retry.", "SERVICE_UNAVAILABLE"});
    for (Object[] c : cases) {
      ObjectNode e = Envelope.JSON.valueToTree(Envelope.error("api.x", "m", (org.coursebatch.core.error.Rejection) c[0], NOW));
      assertEquals(c[1], e.at("/params/err").asText());
      assertEquals(c[1], e.at("/params/status").asText());
      assertEquals(c[2], e.at("/params/errmsg").asText());
      assertEquals(c[3], e.get("responseCode").asText());
    }
  }

  @Test
  void timestampIsUtcWithMillisecondsAndOffset() {
    ObjectNode e = Envelope.JSON.valueToTree(Envelope.ok("api.x", "m", null, Instant.parse("2024-02-29T23:05:07.009Z")));
    assertEquals("2024-02-29 23:05:07:009+0000", e.get("ts").asText());
    assertTrue(e.get("ts").asText().matches("\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}:\\d{3}\\+0000"));
  }
}
