package org.coursebatch.http.api;

import akka.http.scaladsl.model.ErrorInfo;
import org.coursebatch.core.error.ErrorCode;
import org.coursebatch.core.error.Rejection;

/**
 * What HTTP itself refuses, before or around the route table: a request the parser cannot read
 * (request line, URI, headers), a body whose framing is broken, and whatever Akka's routing layer
 * would answer in plain text. Each becomes a rejection, answered with the envelope like any other.
 * None is the server's fault, so none is a 5xx: Akka's 501 (unknown method) and 505 (HTTP
 * version) for a request line it cannot read are 400 here.
 */
final class TransportErrors {

  private static final int MAX_SUMMARY = 200;
  private static final String TOO_MANY_HEADERS = "HTTP message contains more than the configured limit";

  private TransportErrors() {}

  /** A request the HTTP parser refused with {@code status}, for {@code info}. */
  static Rejection unparsable(int status, ErrorInfo info, int maxUriLength) {
    String summary = summary(info.summary());
    if (status == 414) {
      return ErrorCode.URI_TOO_LONG.reject(maxUriLength);
    }
    if (status == 431 || summary.startsWith(TOO_MANY_HEADERS)) {
      return ErrorCode.HEADERS_TOO_LARGE.reject(summary);
    }
    if (status == 501) {
      return ErrorCode.MALFORMED_REQUEST.reject(summary + " " + summary(info.detail()), "Use GET, POST, PUT, PATCH or DELETE.");
    }
    if (status == 505) {
      return ErrorCode.MALFORMED_REQUEST.reject(summary, "Send a request line of method, path and HTTP/1.1 separated by single "
          + "spaces; a space inside the path is %20.");
    }
    if (summary.startsWith("Illegal character") && summary.endsWith("in header value")) {
      // The byte Akka names may be the one LeadBytes put in place of the client's.
      return HeaderValues.refuse("a header value");
    }
    if (summary.startsWith("Illegal request-target")) {
      return ErrorCode.MALFORMED_REQUEST.reject(summary, "Percent-encode the path and query: a '%' starts an escape of two hex "
          + "digits (%25 is '%' itself), and spaces and characters beyond ASCII are escaped too.");
    }
    return ErrorCode.MALFORMED_REQUEST.reject(summary, "Send a well-formed HTTP/1.1 request.");
  }

  /** A body the connection could not deliver whole: broken chunks, or cut off. */
  static Rejection badBodyFraming(ErrorInfo info) {
    return ErrorCode.MALFORMED_REQUEST.reject(summary(info.summary()),
        "Send the body whole, framed by a correct Content-Length or chunked transfer encoding.");
  }

  /** What Akka's routing layer answered with {@code status} and {@code text}, as a rejection of ours. */
  static Rejection routing(int status, String text) {
    String what = summary(text);
    ErrorCode code = switch (status) {
      case 401 -> ErrorCode.UNAUTHORIZED_USER;
      case 403 -> ErrorCode.FORBIDDEN;
      case 404 -> ErrorCode.NOT_FOUND;
      case 405 -> ErrorCode.METHOD_NOT_ALLOWED;
      case 408 -> ErrorCode.REQUEST_TIMEOUT;
      case 413 -> ErrorCode.REQUEST_TOO_LARGE;
      case 414 -> ErrorCode.URI_TOO_LONG;
      case 415 -> ErrorCode.UNSUPPORTED_CONTENT_TYPE;
      case 431 -> ErrorCode.HEADERS_TOO_LARGE;
      case 503 -> ErrorCode.SERVICE_UNAVAILABLE;
      default -> status >= 500 ? ErrorCode.INTERNAL_ERROR : ErrorCode.MALFORMED_REQUEST;
    };
    return new Rejection(code, what);
  }

  /**
   * Akka's description of a problem, fit for a message: it may quote the request, so control
   * characters are escaped and it is cut short; a final period is left to the message.
   */
  static String summary(String text) {
    StringBuilder out = new StringBuilder();
    int shown = Math.min(text.length(), MAX_SUMMARY);
    for (int i = 0; i < shown; i++) {
      char c = text.charAt(i);
      out.append(Character.isISOControl(c) ? String.format("\\u%04x", (int) c) : String.valueOf(c));
    }
    if (shown < text.length()) {
      out.append('…');
    }
    String s = out.toString().strip();
    return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
  }
}
