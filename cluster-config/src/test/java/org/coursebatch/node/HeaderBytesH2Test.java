package org.coursebatch.node;

import static org.coursebatch.node.TestNode.token;
import static org.junit.jupiter.api.Assertions.*;

import akka.actor.CoordinatedShutdown;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.coursebatch.core.testing.MutableClock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Bytes beyond visible ASCII in a request head, on raw connections to a running node: Akka's
 * parser takes a byte such as 0xE9 in a header value for the lead byte of a UTF-8 sequence and
 * steps over the CR LF after it, so a Content-Length after it was hidden and its "body" answered
 * as a second request. Each such request gets one answer, 400 with the envelope, and the
 * connection is closed; bodies (UTF-8 or not) leave the connection's framing as it was; and the
 * binding that does this still drains in-flight requests on shutdown.
 */
class HeaderBytesH2Test {

  private static final String ADMIN = token("admin-1", "ORG_ADMIN", "CONTENT_CREATOR", "COURSE_MENTOR", "PUBLIC");
  private static final String SMUGGLED = "GET /nope HTTP/1.1\r\nHost: x\r\n\r\n";

  private static TestNode node;

  @BeforeAll
  static void start() throws IOException {
    node = new TestNode(Files.createTempDirectory("batch-header-bytes"), null, MutableClock.startingNow(), Map.of());
    node.startNode();
  }

  @AfterAll
  static void stop() {
    if (node != null) {
      node.close();
    }
  }

  @Test
  void aContentLengthAfterALoneLeadByteHidesNoSecondRequest() throws Exception {
    String body = SMUGGLED + " ".repeat(43 - SMUGGLED.length());
    Exchange e = exchange(node, "POST /health HTTP/1.1\r\nHost: x\r\nX-A: \u00e9\r\nContent-Length: 43\r\n\r\n" + body);
    e.assertOneRefusal();
    assertTrue(e.bodies.get(0).path("params").path("errmsg").asText().contains("visible ASCII"), e.toString());
  }

  @Test
  void aLoneLeadByteBeforeTheEndOfTheHeadIsAnsweredAtOnce() throws Exception {
    exchange(node, "GET /health HTTP/1.1\r\nHost: x\r\nX-A: \u00e9\r\n\r\n").assertOneRefusal();
    // Four-byte and two-byte leads, before the end of the head and before a pipelined request.
    exchange(node, "GET /health HTTP/1.1\r\nHost: x\r\nX-A: \u00f0\r\n\r\n" + SMUGGLED).assertOneRefusal();
    exchange(node, "GET /health HTTP/1.1\r\nHost: x\r\nX-A: a\u00c3\r\n\r\n" + SMUGGLED).assertOneRefusal();
  }

  @Test
  void controlBytesAndWellFormedUtf8InAHeaderAreRefusedAndTheConnectionClosed() throws Exception {
    exchange(node, "GET /health HTTP/1.1\r\nHost: x\r\nX-A: a\u0001b\r\n\r\n" + SMUGGLED).assertOneRefusal();
    exchange(node, "GET /health HTTP/1.1\r\nHost: x\r\nX-A: a\u007fb\r\n\r\n" + SMUGGLED).assertOneRefusal();
    // "é" in UTF-8: Akka reads it, the router refuses it.
    Exchange utf8 = exchange(node, "GET /health HTTP/1.1\r\nHost: x\r\nX-A: caf\u00c3\u00a9\r\n\r\n" + SMUGGLED);
    utf8.assertOneRefusal();
    assertTrue(utf8.bodies.get(0).path("params").path("errmsg").asText().contains("header X-A"), utf8.toString());
    assertFalse(utf8.bodies.get(0).toString().contains("caf"), "the value is not echoed: " + utf8);
  }

  @Test
  void bodiesLeaveTheFramingAsItWas() throws Exception {
    String search = "{\"request\":{\"filters\":{\"createdBy\":\"caf\u00c3\u00a9\"}}}";
    String broken = "{\"request\":{\"filters\":{\"createdBy\":\"caf\u00e9\"}}}";
    String health = "GET /health HTTP/1.1\r\nHost: x\r\n\r\n";
    Exchange e = exchange(node, post(search) + post(broken) + health + "GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    assertEquals(List.of(200, 400, 200, 200), e.statuses, e.toString());
  }

  @Test
  void theGuardedBindingDrainsAnInFlightRequestOnShutdown() throws Exception {
    try (TestNode draining = new TestNode(Files.createTempDirectory("batch-header-bytes-drain"), null, MutableClock.startingNow(),
        Map.of())) {
      draining.startNode();
      int port = draining.node().httpPort();
      String body = "{\"request\":{\"filters\":{}}}";
      // One whole search first: on a cold node (a loaded machine) the first request's head could take longer to
      // be read than the pause below, and a request not yet read is not in flight.
      Exchange warm = exchange(draining, post(body).replace("Host: x\r\n", "Host: x\r\nConnection: close\r\n"));
      assertEquals(List.of(200), warm.statuses, warm.toString());
      String head = "POST /v1/course/batch/search HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + ADMIN
          + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length() + "\r\n\r\n";
      try (Socket socket = new Socket("127.0.0.1", port)) {
        socket.setSoTimeout(15_000);
        OutputStream out = socket.getOutputStream();
        out.write((head + body.substring(0, 5)).getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        Thread.sleep(300); // the request is in flight: its head is read, its body not yet

        CoordinatedShutdown.get(draining.node().system()).runAll(CoordinatedShutdown.unknownReason());
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (accepts(port) && System.nanoTime() < deadline) {
          Thread.sleep(50);
        }
        assertFalse(accepts(port), "the port closes on shutdown");

        out.write(body.substring(5).getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        Exchange e = Exchange.read(socket.getInputStream());
        assertEquals(List.of(200), e.statuses, "the request in flight is answered: " + e);
        assertTrue(e.heads.get(0).toLowerCase().contains("connection: close"), e.toString());
        assertTrue(e.closed, e.toString());
      }
    }
  }

  private static String post(String body) {
    return "POST /v1/course/batch/search HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + ADMIN
        + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length() + "\r\n\r\n" + body;
  }

  private static boolean accepts(int port) throws IOException {
    try (Socket ignored = new Socket(InetAddress.getLoopbackAddress(), port)) {
      return true;
    } catch (ConnectException refused) {
      return false;
    }
  }

  /** Writes {@code request} (ISO-8859-1: one byte a character) on a new connection and reads every answer. */
  static Exchange exchange(TestNode node, String request) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", node.node().httpPort())) {
      socket.setSoTimeout(5_000);
      socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
      socket.getOutputStream().flush();
      return Exchange.read(socket.getInputStream());
    }
  }

  /** The answers on one connection, until it closed or stayed silent for the socket's timeout. */
  record Exchange(List<Integer> statuses, List<String> heads, List<JsonNode> bodies, boolean closed) {

    private static final Pattern STATUS_LINE = Pattern.compile("^HTTP/1\\.[01] (\\d{3})");
    private static final Pattern CONTENT_LENGTH = Pattern.compile("(?im)^content-length:\\s*(\\d+)\\s*$");

    static Exchange read(InputStream in) throws IOException {
      List<Integer> statuses = new ArrayList<>();
      List<String> heads = new ArrayList<>();
      List<JsonNode> bodies = new ArrayList<>();
      try {
        while (true) {
          ByteArrayOutputStream head = new ByteArrayOutputStream();
          while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
              assertEquals(0, head.size(), "closed within an answer: " + head.toString(StandardCharsets.ISO_8859_1));
              return new Exchange(statuses, heads, bodies, true);
            }
            head.write(b);
          }
          String text = head.toString(StandardCharsets.ISO_8859_1);
          Matcher status = STATUS_LINE.matcher(text);
          assertTrue(status.find(), text);
          Matcher length = CONTENT_LENGTH.matcher(text);
          assertTrue(length.find(), text);
          byte[] body = in.readNBytes(Integer.parseInt(length.group(1)));
          statuses.add(Integer.parseInt(status.group(1)));
          heads.add(text);
          bodies.add(ApiClient.JSON.readTree(body));
        }
      } catch (SocketTimeoutException silent) {
        return new Exchange(statuses, heads, bodies, false);
      } catch (java.net.SocketException reset) {
        return new Exchange(statuses, heads, bodies, true);
      }
    }

    /** One answer, 400 with the envelope of a request that is not well-formed HTTP, and then the connection closed. */
    void assertOneRefusal() {
      assertEquals(List.of(400), statuses, toString());
      JsonNode params = bodies.get(0).path("params");
      assertEquals("INVALID_REQUESTED_DATA", params.path("err").asText(), toString());
      assertEquals(params.path("err").asText(), params.path("status").asText(), toString());
      assertTrue(closed, "the connection is closed after the refusal: " + this);
    }
  }
}
