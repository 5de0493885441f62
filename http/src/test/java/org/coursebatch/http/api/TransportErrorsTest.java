package org.coursebatch.http.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import akka.http.scaladsl.model.ErrorInfo;
import org.coursebatch.core.error.ErrorCode;
import org.coursebatch.core.error.Rejection;
import org.junit.jupiter.api.Test;

/** What the HTTP parser refuses, as rejections: the status follows the problem, never a 5xx. */
class TransportErrorsTest {

  private static Rejection unparsable(int status, String summary, String detail) {
    return TransportErrors.unparsable(status, new ErrorInfo(summary, detail), 2048);
  }

  @Test
  void aRequestLineTheParserCannotServeIsABadRequestNotA5xx() {
    Rejection method = unparsable(501, "Unsupported HTTP method", "FROB");
    assertEquals(ErrorCode.MALFORMED_REQUEST, method.code());
    assertEquals(400, method.code().responseCode().httpStatus());
    assertEquals("The request is not well-formed HTTP: Unsupported HTTP method FROB. Use GET, POST, PUT, PATCH or DELETE.",
        method.message());
    Rejection version = unparsable(505, "The server does not support the HTTP protocol version used in the request.", "");
    assertEquals(400, version.code().responseCode().httpStatus());
    assertEquals("The request is not well-formed HTTP: The server does not support the HTTP protocol version used in the "
        + "request. Send a request line of method, path and HTTP/1.1 separated by single spaces; a space inside the path is %20.",
        version.message());
  }

  @Test
  void limitsGiveTheirOwnStatuses() {
    Rejection uri = unparsable(414, "URI length exceeds the configured limit of 2048 characters", "");
    assertEquals(414, uri.code().responseCode().httpStatus());
    assertEquals("Size of the request URI exceeds max limit 2048 characters; shorten the path and query.", uri.message());
    Rejection count = unparsable(400, "HTTP message contains more than the configured limit of 64 headers", "");
    assertEquals(431, count.code().responseCode().httpStatus());
    assertEquals("Size of the request headers exceeds max limit: HTTP message contains more than the configured limit of 64 "
        + "headers. Send fewer or shorter headers.", count.message());
    assertEquals(431, unparsable(431, "HTTP header value exceeds the configured limit of 8192 characters", "")
        .code().responseCode().httpStatus());
  }

  @Test
  void anIllegalByteInAHeaderValueIsNamedAsSuchNotQuoted() {
    // The byte may be the one LeadBytes put in place of the client's: the message does not name it.
    Rejection value = unparsable(400, "Illegal character '\u00ff' in header value", "");
    assertEquals(400, value.code().responseCode().httpStatus());
    assertEquals("The request is not well-formed HTTP: a header value holds a character outside visible ASCII. Send header "
        + "values as visible ASCII characters, spaces and tabs; percent-encode other text.", value.message());
  }

  @Test
  void whatTheParserQuotesIsEscapedAndCutShort() {
    assertEquals("Invalid input '\\u0001'", TransportErrors.summary("Invalid input '\u0001'."));
    assertEquals("x".repeat(200) + "…", TransportErrors.summary("x".repeat(500)));
  }
}
