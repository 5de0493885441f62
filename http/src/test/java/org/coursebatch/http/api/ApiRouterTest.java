package org.coursebatch.http.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.ActorSystem;
import akka.http.javadsl.Http;
import akka.http.javadsl.ServerBinding;
import akka.http.javadsl.model.ContentTypes;
import akka.http.javadsl.model.HttpRequest;
import akka.http.javadsl.model.HttpResponse;
import akka.stream.javadsl.Source;
import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.ConfigFactory;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.coursebatch.core.error.ErrorCode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The router over a real socket: streamed results, their refusal before the first byte, per-endpoint body limits, DELETE. */
class ApiRouterTest {

  private static final long GLOBAL_LIMIT = 1024;
  private static final long BULK_LIMIT = 4096;
  private static final Clock CLOCK = Clock.fixed(Instant.parse("2024-05-01T10:00:00Z"), ZoneOffset.UTC);

  private static ActorSystem system;
  private static ServerBinding binding;

  private static final List<Endpoint> ENDPOINTS = List.of(
      Endpoint.postStreamed("/t/stream", "api.t.stream", req -> CompletableFuture.completedFuture(new StreamedResult("responses",
          Source.from(List.of(StreamedEnvelopeTest.item(1, true), StreamedEnvelopeTest.item(2, false)))))).publicAccess(),
      Endpoint.postStreamed("/t/refused", "api.t.refused",
          req -> CompletableFuture.failedFuture(ErrorCode.PERMISSION_DENIED.reject("Not yours.").asException())).publicAccess(),
      Endpoint.postStreamed("/t/thrown", "api.t.thrown", req -> {
        throw ErrorCode.NULL_ARGUMENT.reject("forms").asException();
      }).publicAccess(),
      Endpoint.deleteStreamed("/t/broken", "api.t.broken", req -> CompletableFuture.completedFuture(new StreamedResult("responses",
          StreamedEnvelopeTest.failingAfter(List.of(StreamedEnvelopeTest.item(1, true)), new IllegalStateException("gone")))))
          .publicAccess(),
      Endpoint.post("/t/big", "api.t.big", req -> CompletableFuture.completedFuture(req.request().node())).withMaxBodyBytes(BULK_LIMIT)
          .publicAccess(),
      Endpoint.post("/t/small", "api.t.small", req -> CompletableFuture.completedFuture(req.request().node())).publicAccess(),
      Endpoint.download("/t/file/{name}", "api.t.file", req -> CompletableFuture.completedFuture(new FileDownload(
          "application/zip", req.pathParam("name") + ".zip", java.util.OptionalLong.of(6),
          Source.from(List.of(akka.util.ByteString.fromString("abc"), akka.util.ByteString.fromString("def")))))).publicAccess(),
      Endpoint.download("/t/nofile", "api.t.nofile",
          req -> CompletableFuture.failedFuture(ErrorCode.JOB_NOT_FOUND.reject("r1").asException())).publicAccess(),
      Endpoint.delete("/t/thing/{id}", "api.t.delete",
          req -> CompletableFuture.completedFuture(Envelope.JSON.createObjectNode().put("deleted", req.pathParam("id")))).publicAccess(),
      Endpoint.post("/t/write", "api.t.write", req -> CompletableFuture.completedFuture(Envelope.JSON.createObjectNode()
          .put("key", req.client().idempotencyKey()).put("answerBy", String.valueOf(req.client().answerBy())))).publicAccess(),
      Endpoint.get("/t/read", "api.t.read", req -> CompletableFuture.completedFuture(Envelope.JSON.createObjectNode())).publicAccess());

  @BeforeAll
  static void start() throws Exception {
    system = ActorSystem.create("api-router", ConfigFactory.load("application-test"));
    var router = new ApiRouter(ENDPOINTS, null, CLOCK, GLOBAL_LIMIT, Duration.ofSeconds(5), Duration.ofSeconds(20));
    binding = Http.get(system).newServerAt("127.0.0.1", 0).bind(router.route()).toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @AfterAll
  static void stop() throws Exception {
    binding.unbind().toCompletableFuture().get(10, TimeUnit.SECONDS);
    Http.get(system).shutdownAllConnectionPools().toCompletableFuture().get(10, TimeUnit.SECONDS);
    system.terminate();
    system.getWhenTerminated().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private record Answer(HttpResponse response, JsonNode body) {
    int status() {
      return response.status().intValue();
    }
  }

  private static Answer send(HttpRequest request) throws Exception {
    String uri = "http://127.0.0.1:" + binding.localAddress().getPort() + request.getUri().path();
    HttpResponse r = Http.get(system).singleRequest(request.withUri(uri)).toCompletableFuture().get(10, TimeUnit.SECONDS);
    var strict = r.entity().toStrict(5000, system).toCompletableFuture().get(10, TimeUnit.SECONDS);
    return new Answer(r, Envelope.JSON.readTree(strict.getData().toArray()));
  }

  private static Answer post(String path, String body) throws Exception {
    return send(HttpRequest.POST(path).withEntity(ContentTypes.APPLICATION_JSON, body));
  }

  private static String bodyOf(int bytes) {
    String head = "{\"request\":{\"pad\":\"";
    String tail = "\"}}";
    return head + "x".repeat(bytes - head.length() - tail.length()) + tail;
  }

  @Test
  void aStreamedResultIsAChunkedOkEnvelope() throws Exception {
    Answer a = post("/t/stream", "{\"request\":{}}");
    assertEquals(200, a.status());
    assertTrue(a.response().entity().isChunked(), "chunked");
    assertEquals(ContentTypes.APPLICATION_JSON, a.response().entity().getContentType());
    assertEquals("api.t.stream", a.body().get("id").asText());
    assertEquals(2, a.body().at("/result/responses").size());
    assertEquals(1, a.body().at("/result/summary/succeeded").asInt());
    assertEquals("OK", a.body().get("responseCode").asText());
    assertEquals(a.body().at("/params/msgid").asText(), a.response().getHeader("X-Request-ID").orElseThrow().value());
  }

  @Test
  void aDownloadIsTheFileItselfAndItsRefusalAnEnvelope() throws Exception {
    String base = "http://127.0.0.1:" + binding.localAddress().getPort();
    HttpResponse r = Http.get(system).singleRequest(HttpRequest.GET(base + "/t/file/report")).toCompletableFuture()
        .get(10, TimeUnit.SECONDS);
    var strict = r.entity().toStrict(5000, system).toCompletableFuture().get(10, TimeUnit.SECONDS);
    assertEquals(200, r.status().intValue());
    assertEquals("application/zip", r.entity().getContentType().mediaType().toString());
    assertEquals("abcdef", strict.getData().utf8String());
    assertEquals("attachment; filename=\"report.zip\"", r.getHeader("Content-Disposition").orElseThrow().value());
    assertTrue(r.getHeader("X-Request-ID").isPresent());

    Answer refused = send(HttpRequest.GET("/t/nofile"));
    assertEquals(404, refused.status());
    assertEquals("RESOURCE_NOT_FOUND", refused.body().at("/params/err").asText());
    assertEquals("api.t.nofile", refused.body().get("id").asText());
  }

  @Test
  void aRefusedOperationIsAnOrdinaryErrorResponse() throws Exception {
    Answer refused = post("/t/refused", "{\"request\":{}}");
    assertEquals(403, refused.status());
    assertEquals("PERMISSION_DENIED", refused.body().at("/params/err").asText());
    assertEquals("Not yours.", refused.body().at("/params/errmsg").asText());
    assertEquals(0, refused.body().get("result").size());

    Answer thrown = post("/t/thrown", "{\"request\":{}}");
    assertEquals(400, thrown.status());
    assertEquals("NULL_ARGUMENT", thrown.body().at("/params/err").asText());
    assertEquals("api.t.thrown", thrown.body().get("id").asText());
  }

  @Test
  void aStreamThatBreaksOffKeepsItsStatusAndEndsWithTheFailure() throws Exception {
    Answer a = send(HttpRequest.DELETE("/t/broken"));
    assertEquals(200, a.status(), "sent before the failure");
    assertEquals(1, a.body().at("/result/responses").size());
    assertEquals("OPERATION_FAILED", a.body().at("/params/err").asText());
    assertEquals("SERVICE_UNAVAILABLE", a.body().get("responseCode").asText());
  }

  @Test
  void anEndpointWithItsOwnBodyLimitTakesMoreThanTheOthers() throws Exception {
    assertEquals(200, post("/t/big", bodyOf(3000)).status());
    Answer small = post("/t/small", bodyOf(3000));
    assertEquals(413, small.status());
    assertEquals("Request body is larger than the limit of 1024 bytes.", small.body().at("/params/errmsg").asText());
    Answer tooBig = post("/t/big", bodyOf(5000));
    assertEquals(413, tooBig.status());
    assertEquals("Request body is larger than the limit of 4096 bytes.", tooBig.body().at("/params/errmsg").asText());
  }

  @Test
  void deleteTakesItsParametersFromThePath() throws Exception {
    Answer a = send(HttpRequest.DELETE("/t/thing/a%3Ab%3A1"));
    assertEquals(200, a.status());
    assertEquals("a:b:1", a.body().at("/result/deleted").asText());
    Answer wrongMethod = send(HttpRequest.GET("/t/thing/x"));
    assertEquals(405, wrongMethod.status());
    assertEquals("DELETE", wrongMethod.response().getHeader("Allow").orElseThrow().value());
  }

  private static Answer write(String body, String... headers) throws Exception {
    HttpRequest request = HttpRequest.POST("/t/write").withEntity(ContentTypes.APPLICATION_JSON, body);
    for (int i = 0; i < headers.length; i += 2) {
      request = request.addHeader(akka.http.javadsl.model.headers.RawHeader.create(headers[i], headers[i + 1]));
    }
    return send(request);
  }

  @Test
  void theIdempotencyKeyIsTheHeaderThenTheMsgidThenTheRequestId() throws Exception {
    String withMsgid = "{\"params\":{\"msgid\":\"from-body\"},\"request\":{}}";
    assertEquals("from-header", write(withMsgid, "Idempotency-Key", "from-header", "X-Request-ID", "from-request-id")
        .body().at("/result/key").asText());
    Answer msgid = write(withMsgid, "X-Request-ID", "from-request-id");
    assertEquals("from-body", msgid.body().at("/result/key").asText());
    assertEquals("from-request-id", msgid.body().at("/params/msgid").asText(), "the answer still echoes X-Request-ID");
    assertEquals("from-request-id", write("{\"request\":{}}", "X-Request-ID", "from-request-id").body().at("/result/key").asText());
    assertTrue(write("{\"request\":{}}").body().at("/result/key").isNull(), "no key");
    assertTrue(write("{\"params\":{\"msgid\":7},\"request\":{}}").body().at("/result/key").isNull(), "a msgid that is no text");
    // Answered a second before the HTTP server's own timeout would answer for it.
    assertEquals(CLOCK.instant().plusSeconds(19).toString(), msgid.body().at("/result/answerBy").asText());
  }

  @Test
  void keysLongerThanAHundredCharactersOrWithControlCharactersAreRefused() throws Exception {
    String longKey = "k".repeat(101);
    Answer header = write("{\"request\":{}}", "Idempotency-Key", longKey);
    assertEquals(400, header.status());
    assertEquals("INVALID_PARAMETER_VALUE", header.body().at("/params/err").asText());
    assertEquals("Parameter Idempotency-Key is at most 100 characters; 101 were given.", header.body().at("/params/errmsg").asText());

    Answer requestId = send(HttpRequest.GET("/t/read").addHeader(akka.http.javadsl.model.headers.RawHeader.create("X-Request-ID", longKey)));
    assertEquals(400, requestId.status(), "on every route: the answer would echo it");
    assertTrue(requestId.body().at("/params/errmsg").asText().contains("X-Request-ID"));
    assertTrue(!requestId.body().at("/params/msgid").asText().equals(longKey), "not echoed");
    assertTrue(!requestId.response().getHeader("X-Request-ID").orElseThrow().value().equals(longKey));

    Answer msgid = write("{\"params\":{\"msgid\":\"" + longKey + "\"},\"request\":{}}");
    assertEquals(400, msgid.status());
    assertTrue(msgid.body().at("/params/errmsg").asText().contains("params.msgid"), msgid.body().toString());
    Answer lineBreak = write("{\"params\":{\"msgid\":\"a\\nb\"},\"request\":{}}");
    assertEquals(400, lineBreak.status());
    assertEquals("Invalid value a\\u000ab for parameter params.msgid. Please provide a valid value.",
        lineBreak.body().at("/params/errmsg").asText());
    assertEquals(100, write("{\"request\":{}}", "X-Request-ID", "k".repeat(100)).body().at("/result/key").asText().length());
  }
}
