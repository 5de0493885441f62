package org.coursebatch.http.api;

import akka.http.javadsl.model.ContentType;
import akka.http.javadsl.model.MediaType;
import java.util.Optional;
import org.coursebatch.core.error.ErrorCode;
import org.coursebatch.core.error.Rejection;
import org.coursebatch.core.identity.EntityIds;

/**
 * Which request bodies are read as JSON: {@code application/json} and {@code application/*+json}.
 * Anything else, a form or text sent by mistake (curl's {@code -d} sends
 * {@code application/x-www-form-urlencoded}), is 415 rather than read as JSON. A body without a
 * {@code Content-Type} header arrives as {@code application/octet-stream}, so it is refused too;
 * an empty body has nothing to decode and is never refused for its type. A charset parameter
 * changes nothing: JSON is UTF-8 (RFC 8259 defines no charset for it).
 */
final class JsonContentType {

  private JsonContentType() {}

  static boolean accepts(ContentType type) {
    MediaType media = type.mediaType();
    return media.mainType().equalsIgnoreCase("application")
        && (media.subType().equalsIgnoreCase("json") || media.subType().toLowerCase(java.util.Locale.ROOT).endsWith("+json"));
  }

  /** 415 CONTENT_TYPE_ERROR naming the type the body came with, unless it is JSON. */
  static Optional<Rejection> refusal(ContentType type) {
    if (accepts(type)) {
      return Optional.empty();
    }
    String sent = type.mediaType().equals(akka.http.javadsl.model.MediaTypes.APPLICATION_OCTET_STREAM)
        ? "application/octet-stream (what a body without a Content-Type header is taken to be)"
        : EntityIds.quoted(type.toString());
    return Optional.of(ErrorCode.UNSUPPORTED_CONTENT_TYPE.reject(sent));
  }
}
