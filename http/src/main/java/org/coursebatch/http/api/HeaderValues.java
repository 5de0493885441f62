package org.coursebatch.http.api;

import akka.http.javadsl.model.HttpHeader;
import akka.http.javadsl.model.HttpRequest;
import java.util.Optional;
import org.coursebatch.core.error.ErrorCode;
import org.coursebatch.core.error.Rejection;

/**
 * Header values hold visible ASCII, spaces and tabs (RFC 9110's field-vchar less obs-text): no
 * header of this API gives other bytes a meaning, and Akka's parser reads them as UTF-8 where a
 * proxy in front may read them as single bytes, so the two could disagree on what the head said.
 * The request is refused whole and its connection closed, so that nothing after the head is
 * taken as a request of its own. The refusal names the header, never its value: the value may
 * hold what a client that shares the connection sent.
 */
final class HeaderValues {

  static final String HINT = "Send header values as visible ASCII characters, spaces and tabs; percent-encode other text.";

  private HeaderValues() {}

  /** 400 MALFORMED_REQUEST naming the first header whose value holds another character, if any. */
  static Optional<Rejection> refusal(HttpRequest request) {
    for (HttpHeader header : request.getHeaders()) {
      if (!visibleAscii(header.value())) {
        return Optional.of(refuse("header " + header.name()));
      }
    }
    // A Content-Type Akka could read is no longer among the headers.
    if (!visibleAscii(request.entity().getContentType().toString())) {
      return Optional.of(refuse("header Content-Type"));
    }
    return Optional.empty();
  }

  /** The refusal of {@code what} holding a character outside visible ASCII. */
  static Rejection refuse(String what) {
    return ErrorCode.MALFORMED_REQUEST.reject(what + " holds a character outside visible ASCII", HINT);
  }

  static boolean visibleAscii(String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c != '\t' && (c < 0x20 || c > 0x7E)) {
        return false;
      }
    }
    return true;
  }
}
