package org.coursebatch.http.wire;

import static org.junit.jupiter.api.Assertions.*;

import akka.util.ByteString;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class LeadBytesTest {

  private static ByteString bytes(String latin1) {
    return ByteString.fromArray(latin1.getBytes(StandardCharsets.ISO_8859_1));
  }

  private static String latin1(ByteString bytes) {
    return new String(bytes.toArray(), StandardCharsets.ISO_8859_1);
  }

  private static LeadBytes.Scanned scan(String latin1) {
    return LeadBytes.scan(ByteString.emptyByteString(), bytes(latin1));
  }

  @Test
  void asciiAndWellFormedUtf8PassAsTheyAre() {
    ByteString ascii = bytes("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
    assertSame(ascii, LeadBytes.scan(ByteString.emptyByteString(), ascii).out());
    String utf8 = "X: caf\u00c3\u00a9 \u00e2\u0082\u00ac \u00f0\u009f\u0098\u0080\r\n";
    assertEquals(utf8, latin1(scan(utf8).out()));
    assertTrue(scan(utf8).held().isEmpty());
  }

  @Test
  void aLeadByteWithoutItsContinuationBytesIsReplaced() {
    assertEquals("X-A: \u00ff\r\nContent-Length: 43\r\n", latin1(scan("X-A: \u00e9\r\nContent-Length: 43\r\n").out()));
    // Each length of sequence, cut short after some of its continuation bytes.
    assertEquals("\u00ff\r\n", latin1(scan("\u00c3\r\n").out()));
    assertEquals("\u00ff\u0080\r\n", latin1(scan("\u00e2\u0080\r\n").out()));
    assertEquals("\u00ff\u009f\u0098\r\n", latin1(scan("\u00f0\u009f\u0098\r\n").out()));
    assertEquals("a\u00ffb\u00ffc", latin1(scan("a\u00c3b\u00e9c").out()));
  }

  @Test
  void bytesThatLeadNothingAreLeftToTheParser() {
    // Continuation bytes and 0xF8-0xFF alone: Akka refuses them in a head itself.
    assertEquals("\u0080\u00bf\u00f8\u00ff\u0001", latin1(scan("\u0080\u00bf\u00f8\u00ff\u0001").out()));
  }

  @Test
  void aSequenceCutShortByTheEndOfAChunkIsJudgedWithTheNext() {
    LeadBytes.Scanned first = scan("X-A: ok\u00e2\u0082");
    assertEquals("X-A: ok", latin1(first.out()));
    assertEquals("\u00e2\u0082", latin1(first.held()));
    assertEquals("\u00e2\u0082\u00ac\r\n", latin1(LeadBytes.scan(first.held(), bytes("\u00ac\r\n")).out()));

    LeadBytes.Scanned cut = scan("X-A: \u00e9");
    assertEquals("X-A: ", latin1(cut.out()));
    LeadBytes.Scanned next = LeadBytes.scan(cut.held(), bytes("\r\nContent-Length: 4\r\n"));
    assertEquals("\u00ff\r\nContent-Length: 4\r\n", latin1(next.out()));
    assertTrue(next.held().isEmpty());
  }
}
