package org.coursebatch.http.api;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.Optional;
import org.coursebatch.core.error.ErrorCode;
import org.coursebatch.core.error.Rejection;

/**
 * What the body size limit does not bound in a JSON body: how deep it nests (everything that reads
 * a body walks it recursively, so a megabyte of {@code [} would overflow the stack) and how long a
 * number is (a number of a million digits takes seconds to read as a BigInteger). The limits are
 * the ones later Jackson versions enforce by default; this Jackson (2.13, Akka's) has none.
 */
final class JsonShape {

  static final int MAX_DEPTH = 1000;
  static final int MAX_NUMBER_LENGTH = 1000;

  private JsonShape() {}

  /**
   * The refusal of a body beyond the limits, if it is. A body that is not JSON at all fails with
   * the parser's own exception, as reading it would.
   */
  static Optional<Rejection> refusal(byte[] body) throws IOException {
    try (JsonParser parser = Envelope.JSON.getFactory().createParser(body)) {
      int depth = 0;
      for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
        if (token.isStructStart()) {
          if (++depth > MAX_DEPTH) {
            return Optional.of(ErrorCode.JSON_TOO_DEEP.reject(MAX_DEPTH));
          }
        } else if (token.isStructEnd()) {
          depth--;
        } else if (token.isNumeric() && parser.getTextLength() > MAX_NUMBER_LENGTH) {
          return Optional.of(ErrorCode.JSON_NUMBER_TOO_LONG.reject(parser.getTextLength(), MAX_NUMBER_LENGTH));
        }
      }
    }
    return Optional.empty();
  }
}
