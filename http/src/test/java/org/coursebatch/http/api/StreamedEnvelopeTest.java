package org.coursebatch.http.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.ActorSystem;
import akka.stream.javadsl.Sink;
import akka.stream.javadsl.Source;
import akka.util.ByteString;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.typesafe.config.ConfigFactory;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.coursebatch.core.error.ErrorCode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The bytes of a streamed envelope, read back as JSON: items, summary, and the trailer of a failure. */
class StreamedEnvelopeTest {

  private static final Instant NOW = Instant.parse("2024-05-01T10:00:00.123Z");
  private static ActorSystem system;

  @BeforeAll
  static void start() {
    system = ActorSystem.create("streamed-envelope", ConfigFactory.load("application-test"));
  }

  @AfterAll
  static void stop() throws Exception {
    system.terminate();
    system.getWhenTerminated().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  static ObjectNode item(int i, Boolean successful) {
    ObjectNode o = Envelope.JSON.createObjectNode().put("formId", "f-" + i);
    if (successful != null) {
      o.put("successful", successful);
    }
    return o;
  }

  /** The items, then the failure (a failed source concatenated would fail at once, before the items). */
  static Source<JsonNode, akka.NotUsed> failingAfter(List<JsonNode> items, RuntimeException failure) {
    List<JsonNode> withEnd = new ArrayList<>(items);
    withEnd.add(null);
    return Source.from(withEnd.stream().map(java.util.Optional::ofNullable).toList()).map(i -> i.orElseThrow(() -> failure));
  }

  private static List<ByteString> chunks(Source<JsonNode, akka.NotUsed> items) throws Exception {
    return StreamedEnvelope.of("api.enrollments.batch.create", "msg-1", NOW, new StreamedResult("responses", items))
        .runWith(Sink.seq(), system).toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  static JsonNode parse(List<ByteString> chunks) throws Exception {
    ByteString all = chunks.stream().reduce(ByteString.emptyByteString(), ByteString::concat);
    return Envelope.JSON.readTree(all.toArray());
  }

  private static List<String> fieldNames(JsonNode node) {
    List<String> out = new ArrayList<>();
    node.fieldNames().forEachRemaining(out::add);
    return out;
  }

  @Test
  void itemsComeFirstThenTheSummaryThenTheParams() throws Exception {
    JsonNode e = parse(chunks(Source.from(List.of(item(1, true), item(2, false), item(3, true), item(4, null)))));

    assertEquals(List.of("id", "ver", "ts", "result", "params", "responseCode"), fieldNames(e), "result before params");
    assertEquals("api.enrollments.batch.create", e.get("id").asText());
    assertEquals("v1", e.get("ver").asText());
    assertEquals("2024-05-01 10:00:00:123+0000", e.get("ts").asText());
    assertEquals(List.of("responses", "summary"), fieldNames(e.get("result")));
    assertEquals(List.of("f-1", "f-2", "f-3", "f-4"), e.at("/result/responses").findValuesAsText("formId"));
    assertEquals(Envelope.JSON.readTree("{\"total\":4,\"succeeded\":2,\"failed\":1}"), e.at("/result/summary"),
        "an item without a boolean 'successful' counts in the total only");
    assertEquals(Envelope.JSON.valueToTree(Envelope.Params.ok("msg-1")), e.get("params"));
    assertEquals("OK", e.get("responseCode").asText());
  }

  @Test
  void noItemsIsAnEmptyListAndAZeroSummary() throws Exception {
    JsonNode e = parse(chunks(Source.empty()));
    assertEquals(0, e.at("/result/responses").size());
    assertEquals(0, e.at("/result/summary/total").asInt());
    assertEquals("success", e.at("/params/status").asText());
  }

  @Test
  void anItemMayNestDeeperThanARequest() throws Exception {
    ObjectNode deep = item(1, true);
    var inner = deep.putArray("details");
    for (int i = 1; i < 1100; i++) {
      inner = inner.addArray();
    }
    String all = chunks(Source.single(deep)).stream().map(ByteString::utf8String).collect(java.util.stream.Collectors.joining());
    assertTrue(all.contains("\"details\":" + "[".repeat(1100) + "]".repeat(1100)), all);
    assertTrue(all.endsWith("\"responseCode\":\"OK\"}"), all);
  }

  @Test
  void itemsAreWrittenInGroupsNotOneChunkEach() throws Exception {
    List<JsonNode> many = IntStream.range(0, 1000).<JsonNode>mapToObj(i -> item(i, i % 3 != 0)).toList();
    List<ByteString> chunks = chunks(Source.from(many));
    assertTrue(chunks.size() <= 2 + 1000 / StreamedEnvelope.GROUP_SIZE, "chunks: " + chunks.size());
    JsonNode e = parse(chunks);
    assertEquals(1000, e.at("/result/responses").size());
    assertEquals(1000, e.at("/result/summary/total").asInt());
    assertEquals(666, e.at("/result/summary/succeeded").asInt());
    assertEquals(334, e.at("/result/summary/failed").asInt());
  }

  @Test
  void aFailureMidwayClosesTheListAndEndsTheEnvelopeAsAnError() throws Exception {
    JsonNode e = parse(chunks(failingAfter(List.of(item(1, true), item(2, false)), new IllegalStateException("journal gone"))));

    assertEquals(List.of("id", "ver", "ts", "result", "params", "responseCode"), fieldNames(e));
    assertEquals(2, e.at("/result/responses").size(), "what was written before the failure stays");
    assertEquals(Envelope.JSON.readTree("{\"total\":2,\"succeeded\":1,\"failed\":1}"), e.at("/result/summary"));
    JsonNode params = e.get("params");
    assertEquals("OPERATION_FAILED", params.get("err").asText());
    assertEquals("OPERATION_FAILED", params.get("status").asText());
    assertEquals("msg-1", params.get("msgid").asText());
    assertTrue(params.get("errmsg").asText().startsWith("The operation stopped after 2 results (IllegalStateException)"),
        params.get("errmsg").asText());
    assertEquals("SERVICE_UNAVAILABLE", e.get("responseCode").asText());
  }

  @Test
  void anOperationFailedRejectionKeepsItsMessage() throws Exception {
    var rejection = ErrorCode.OPERATION_FAILED.reject("The enrolment ids could not be read; nothing more was deleted.");
    JsonNode e = parse(chunks(Source.failed(rejection.asException())));
    assertEquals(0, e.at("/result/responses").size());
    assertEquals(Envelope.JSON.valueToTree(Envelope.Params.error("msg-1", rejection)), e.get("params"));
    assertEquals("SERVICE_UNAVAILABLE", e.get("responseCode").asText());
  }

  @Test
  void otherRejectionsBecomeOperationFailedWithTheirMessage() throws Exception {
    JsonNode e = parse(chunks(Source.failed(ErrorCode.SERVICE_UNAVAILABLE.reject().asException())));
    assertEquals("OPERATION_FAILED", e.at("/params/err").asText());
    assertTrue(e.at("/params/errmsg").asText().contains("did not answer in time"), e.at("/params/errmsg").asText());
  }
}
