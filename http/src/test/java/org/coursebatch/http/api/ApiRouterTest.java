package org.coursebatch.http.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.ActorSystem;
import akka.http.javadsl.Http;
import akka.http.javadsl.ServerBinding;
import akka.http.javadsl.model.ContentTypes;
import akka.http.javadsl.model.HttpCharsets;
import akka.http.javadsl.model.HttpEntities;
import akka.http.javadsl.model.HttpRequest;
import akka.http.javadsl.model.HttpResponse;
import akka.http.javadsl.model.MediaTypes;
import akka.http.javadsl.server.Directives;
import akka.http.javadsl.server.PathMatchers;
import akka.http.javadsl.server.Route;
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
import org.coursebatch.http.HttpApi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The router over a real socket: streamed results, their refusal before the first byte, per-endpoint
 * body limits, DELETE, what is read as a JSON body, and the envelope for what HTTP itself refuses.
 */
class ApiRouterTest {

  private static final long GLOBAL_LIMIT = 1024;
  private static final long BULK_LIMIT = 4096;
  private static final Clock CLOCK = Clock.fixed(Instant.parse("2024-05-01T10:00:00Z"), ZoneOffset.UTC);

  private static ActorSystem system;
  private static ServerBinding binding;
  /** The same endpoints as the node serves them (sealed, with its server settings), reading a body for at most 300 ms. */
  private static ServerBinding sealedBinding;

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
      // The body's request three objects further in, as a response holds a stored value.
      Endpoint.post("/t/wrapped", "api.t.wrapped", req -> CompletableFuture.completedFuture(Envelope.JSON.createObjectNode()
          .set("a", Envelope.JSON.createObjectNode().set("b", Envelope.JSON.createObjectNode().set("c", req.request().node())))))
          .withMaxBodyBytes(BULK_LIMIT).publicAccess(),
      Endpoint.post("/t/bulk", "api.t.bulk", req -> CompletableFuture.completedFuture(Envelope.JSON.createObjectNode()))
          .withMaxBodyBytes(16L << 20).publicAccess(),
      Endpoint.post("/t/huge", "api.t.huge", req -> CompletableFuture.completedFuture(Envelope.JSON.createObjectNode()))
          .withMaxBodyBytes(24L << 20).publicAccess(),
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
    var impatient = new ApiRouter(ENDPOINTS, null, CLOCK, GLOBAL_LIMIT, Duration.ofMillis(300));
    Route sealed = impatient.sealed(Directives.concat(
        Directives.path(PathMatchers.segment("t").slash("boom"), () -> Directives.failWith(new IllegalStateException("boom"))),
        Directives.path(PathMatchers.segment("t").slash("nothing"), Directives::reject),
        impatient.route()));
    sealedBinding = Http.get(system).newServerAt("127.0.0.1", 0).withSettings(HttpApi.serverSettings(system, impatient)).bind(sealed)
        .toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @AfterAll
  static void stop() throws Exception {
    binding.unbind().toCompletableFuture().get(10, TimeUnit.SECONDS);
    sealedBinding.unbind().toCompletableFuture().get(10, TimeUnit.SECONDS);
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
    return send(binding, request);
  }

  private static Answer send(ServerBinding to, HttpRequest request) throws Exception {
    String uri = "http://127.0.0.1:" + to.localAddress().getPort() + request.getUri().path();
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
  void aRouteLimitAboveAkkasOwnCapOnStrictBodiesIsTheLimit() throws Exception {
    // akka.http.parsing.max-to-strict-bytes is 8 MiB: a 9 MiB body used to fail there with a 500.
    assertEquals(200, post("/t/bulk", bodyOf(9 << 20)).status());
    String tooBig = declaringOnly("/t/bulk", (16 << 20) + 1);
    assertTrue(tooBig.startsWith("HTTP/1.1 413 "), tooBig);
    assertEquals("Request body is larger than the limit of 16777216 bytes.",
        Envelope.JSON.readTree(tooBig.substring(tooBig.indexOf("\r\n\r\n") + 4)).at("/params/errmsg").asText());
  }

  /**
   * The answer to a POST that declares {@code length} bytes of JSON and sends none of them. A client
   * that goes on writing 16 MiB races the server, which answers from the declared length and closes:
   * its write can fail with a broken pipe before it reads the answer.
   */
  private static String declaringOnly(String path, long length) throws Exception {
    String head = "POST " + path + " HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: " + length
        + "\r\n\r\n";
    try (var socket = new java.net.Socket("127.0.0.1", binding.localAddress().getPort())) {
      socket.setSoTimeout(10_000);
      socket.getOutputStream().write(head.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
      var in = socket.getInputStream();
      var answer = new java.io.ByteArrayOutputStream();
      byte[] buffer = new byte[8192];
      // Read until the whole body its Content-Length announces is in: the connection may stay open.
      for (int n; (n = in.read(buffer)) >= 0; ) {
        answer.write(buffer, 0, n);
        String text = answer.toString(java.nio.charset.StandardCharsets.UTF_8);
        int end = text.indexOf("\r\n\r\n");
        var declared = java.util.regex.Pattern.compile("(?i)content-length: (\\d+)").matcher(text);
        if (end >= 0 && declared.find() && declared.start() < end
            && text.getBytes(java.nio.charset.StandardCharsets.UTF_8).length >= end + 4 + Integer.parseInt(declared.group(1))) {
          return text;
        }
      }
      return answer.toString(java.nio.charset.StandardCharsets.UTF_8);
    }
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

  @Test
  void aBodyIsReadOnlyWhenSentAsJson() throws Exception {
    Answer text = send(HttpRequest.POST("/t/small").withEntity(ContentTypes.TEXT_PLAIN_UTF8, "{\"request\":{}}"));
    assertEquals(415, text.status());
    assertEquals("CONTENT_TYPE_ERROR", text.body().at("/params/err").asText());
    assertEquals("UNSUPPORTED_MEDIA_TYPE", text.body().get("responseCode").asText());
    assertEquals("Please add Content-Type header with value application/json; this body was sent as text/plain; charset=UTF-8.",
        text.body().at("/params/errmsg").asText());
    Answer untyped = send(HttpRequest.POST("/t/small").withEntity(ContentTypes.APPLICATION_OCTET_STREAM, "{\"request\":{}}".getBytes()));
    assertEquals(415, untyped.status());
    assertTrue(untyped.body().at("/params/errmsg").asText().contains("without a Content-Type header"), untyped.body().toString());

    var vendorJson = ContentTypes.create(MediaTypes.applicationWithFixedCharset("vnd.example+json", HttpCharsets.UTF_8));
    assertEquals(200, send(HttpRequest.POST("/t/small").withEntity(vendorJson, "{\"request\":{\"a\":1}}")).status());
    Answer empty = send(HttpRequest.POST("/t/small"));
    assertEquals(400, empty.status(), "nothing to decode: the handler says what is missing");
    assertEquals("MANDATORY_PARAMETER_MISSING", empty.body().at("/params/err").asText());
  }

  @Test
  void aResponseMayNestDeeperThanTheRequestThatBroughtItsValues() throws Exception {
    String deepest = "{\"n\":" + "[".repeat(998) + "]".repeat(998) + "}"; // with the envelope's, 1000 levels
    String base = "http://127.0.0.1:" + binding.localAddress().getPort();
    HttpResponse r = Http.get(system).singleRequest(HttpRequest.POST(base + "/t/wrapped")
        .withEntity(ContentTypes.APPLICATION_JSON, "{\"request\":" + deepest + "}")).toCompletableFuture().get(10, TimeUnit.SECONDS);
    String body = r.entity().toStrict(5000, system).toCompletableFuture().get(10, TimeUnit.SECONDS).getData().utf8String();
    assertEquals(200, r.status().intValue(), body);
    assertTrue(body.contains("\"result\":{\"a\":{\"b\":{\"c\":" + deepest + "}}}"), body);
  }

  @Test
  void aBodyNestedTooDeepOrWithAThousandDigitNumberIsRefusedBeforeItIsRead() throws Exception {
    Answer deep = post("/t/big", "{\"request\":" + "[".repeat(1001) + "]".repeat(1001) + "}");
    assertEquals(400, deep.status());
    assertEquals("Request body nests arrays and objects more than 1000 levels deep.", deep.body().at("/params/errmsg").asText());
    assertEquals(200, post("/t/big", "{\"request\":{\"a\":" + "[".repeat(998) + "]".repeat(998) + "}}").status());
    Answer digits = post("/t/big", "{\"request\":{\"n\":" + "9".repeat(1001) + "}}");
    assertEquals(400, digits.status());
    assertEquals("Request body has a number of 1001 characters; numbers are at most 1000.", digits.body().at("/params/errmsg").asText());
    // Digits count: a sign, a point and an exponent's marker do not.
    assertEquals(200, post("/t/big", "{\"request\":{\"n\":-" + "9".repeat(500) + "." + "9".repeat(496) + "e-1234}}").status());
    Answer fraction = post("/t/big", "{\"request\":{\"n\":" + "9".repeat(500) + "." + "9".repeat(501) + "}}");
    assertEquals("Request body has a number of 1001 characters; numbers are at most 1000.", fraction.body().at("/params/errmsg").asText());
  }

  @Test
  void aBodyWithAStringOrANameBeyondWhatTheServiceReadsBackIsRefused() throws Exception {
    assertEquals(200, post("/t/bulk", "{\"request\":{\"" + "n".repeat(50_000) + "\":1}}").status());
    Answer name = post("/t/bulk", "{\"request\":{\"" + "n".repeat(50_001) + "\":1}}");
    assertEquals(400, name.status());
    assertEquals("Request body has a property name of more than 50000 characters.", name.body().at("/params/errmsg").asText());
    assertEquals(200, post("/t/huge", "{\"request\":{\"s\":\"" + "s".repeat(20_000_000) + "\"}}").status());
    Answer string = post("/t/huge", "{\"request\":{\"s\":\"" + "s".repeat(20_000_001) + "\"}}");
    assertEquals(400, string.status());
    assertEquals("INVALID_REQUESTED_DATA", string.body().at("/params/err").asText());
    assertEquals("Request body has a string of more than 20000000 characters.", string.body().at("/params/errmsg").asText());
  }

  @Test
  void aBodyThatStopsArrivingIs408() throws Exception {
    var stalled = HttpEntities.createChunked(ContentTypes.APPLICATION_JSON,
        Source.single(akka.util.ByteString.fromString("{\"request\":")).concat(Source.never()));
    Answer a = send(sealedBinding, HttpRequest.POST("/t/small").withEntity(stalled));
    assertEquals(408, a.status());
    assertEquals("REQUEST_TIMEOUT", a.body().at("/params/err").asText());
    assertEquals("The request body did not arrive within 300 ms; send the whole body without pausing.", a.body().at("/params/errmsg").asText());
  }

  @Test
  void whatTheRoutingLayerWouldAnswerInPlainTextIsAnEnvelope() throws Exception {
    Answer boom = send(sealedBinding, HttpRequest.GET("/t/boom"));
    assertEquals(500, boom.status());
    assertEquals("INTERNAL_ERROR", boom.body().at("/params/err").asText());
    Answer nothing = send(sealedBinding, HttpRequest.GET("/t/nothing").addHeader(akka.http.javadsl.model.headers.RawHeader.create("X-Request-ID", "r-1")));
    assertEquals(404, nothing.status());
    assertEquals("RESOURCE_NOT_FOUND", nothing.body().at("/params/err").asText());
    assertEquals("r-1", nothing.body().at("/params/msgid").asText());
  }

  @Test
  void aRequestTheParserRefusesIsAnEnvelopeToo() throws Exception {
    for (String request : List.of("GET /t/a%ZZ HTTP/1.1\r\nHost: x\r\n\r\n", "FROB /t/small HTTP/1.1\r\nHost: x\r\n\r\n",
        "GET /t/small HTTP/9.9\r\nHost: x\r\n\r\n")) {
      try (var socket = new java.net.Socket("127.0.0.1", sealedBinding.localAddress().getPort())) {
        socket.getOutputStream().write(request.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        String answer = new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(answer.startsWith("HTTP/1.1 400 "), answer);
        assertTrue(answer.contains("Content-Type: application/json"), answer);
        JsonNode body = Envelope.JSON.readTree(answer.substring(answer.indexOf("\r\n\r\n") + 4));
        assertEquals("INVALID_REQUESTED_DATA", body.at("/params/err").asText(), answer);
        assertEquals("api.unknown", body.get("id").asText());
        assertTrue(body.at("/params/errmsg").asText().startsWith("The request is not well-formed HTTP: "), answer);
      }
    }
  }

  @Test
  void aHeaderValueBeyondVisibleAsciiIsRefusedAndTheConnectionClosed() throws Exception {
    // UTF-8 "é", then DEL: Akka reads both; a request pipelined after them is never answered.
    for (String value : List.of("caf\u00c3\u00a9", "a\u007fb")) {
      String request = "GET /t/small HTTP/1.1\r\nHost: x\r\nX-A: " + value + "\r\n\r\nGET /t/small HTTP/1.1\r\nHost: x\r\n\r\n";
      try (var socket = new java.net.Socket("127.0.0.1", sealedBinding.localAddress().getPort())) {
        socket.setSoTimeout(10_000);
        socket.getOutputStream().write(request.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        String answer = new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(answer.startsWith("HTTP/1.1 400 "), answer);
        assertEquals(1, answer.split("HTTP/1.1 ", -1).length - 1, "one answer: " + answer);
        assertTrue(answer.contains("Connection: close"), answer);
        JsonNode body = Envelope.JSON.readTree(answer.substring(answer.indexOf("\r\n\r\n") + 4));
        assertEquals("INVALID_REQUESTED_DATA", body.at("/params/err").asText(), answer);
        assertTrue(body.at("/params/errmsg").asText().contains("header X-A holds a character outside visible ASCII"), answer);
      }
    }
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
