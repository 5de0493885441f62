package org.coursebatch.http.api;

import akka.http.javadsl.model.HttpHeader;
import akka.http.javadsl.model.HttpRequest;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;
import org.coursebatch.core.error.ErrorCode;
import org.coursebatch.core.identity.EntityIds;
import org.coursebatch.core.request.RequestKey;

/**
 * A request's idempotency key, from the first of: the {@code Idempotency-Key} header, the body's
 * {@code params.msgid} (Sunbird's envelope), the {@code X-Request-ID} header. The explicit header
 * states the intent; the body's msgid comes from the client itself, unchanged by proxies, which
 * often set an X-Request-ID of their own on requests that have none (a fresh one each time).
 *
 * <p>All three are client input that reaches the journal and, for X-Request-ID, every response:
 * each one sent (not blank) must be at most {@value RequestKey#MAX_LENGTH} characters without a
 * control character, on every route, else the request is refused with 400 before anything is done.
 */
public final class IdempotencyKeys {

  public static final String IDEMPOTENCY_KEY = "Idempotency-Key";
  public static final String REQUEST_ID = "X-Request-ID";
  static final String MSGID = "params.msgid";

  private IdempotencyKeys() {}

  /** Refuses a request whose key headers are not acceptable keys. */
  static void checkHeaders(HttpRequest req) {
    header(req, IDEMPOTENCY_KEY).ifPresent(v -> check(v, IDEMPOTENCY_KEY));
    header(req, REQUEST_ID).ifPresent(v -> check(v, REQUEST_ID));
  }

  /** Refuses a body whose {@code params.msgid} is not an acceptable key. */
  static void checkBody(JsonNode body) {
    msgid(body).ifPresent(v -> check(v, MSGID));
  }

  /** The key, once {@link #checkHeaders} and {@link #checkBody} passed. */
  static Optional<String> of(HttpRequest req, Optional<JsonNode> body) {
    return header(req, IDEMPOTENCY_KEY)
        .or(() -> body.flatMap(IdempotencyKeys::msgid))
        .or(() -> header(req, REQUEST_ID));
  }

  /** The X-Request-ID to echo as the answer's msgid, when it is one the request may carry. */
  static Optional<String> requestId(HttpRequest req) {
    return header(req, REQUEST_ID).filter(RequestKey::acceptable);
  }

  private static Optional<String> header(HttpRequest req, String name) {
    return req.getHeader(name).map(HttpHeader::value).filter(v -> !v.isBlank());
  }

  private static Optional<String> msgid(JsonNode body) {
    JsonNode msgid = body.path("params").path("msgid");
    return msgid.isTextual() && !msgid.textValue().isBlank() ? Optional.of(msgid.textValue()) : Optional.empty();
  }

  private static void check(String value, String name) {
    if (value.length() > RequestKey.MAX_LENGTH) {
      throw ErrorCode.VALUE_TOO_LONG.reject(name, RequestKey.MAX_LENGTH, value.length()).asException();
    }
    if (!RequestKey.acceptable(value)) {
      throw ErrorCode.INVALID_PARAMETER_VALUE.reject(EntityIds.quoted(value), name).asException();
    }
  }
}
