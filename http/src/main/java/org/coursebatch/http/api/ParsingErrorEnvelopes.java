package org.coursebatch.http.api;

import akka.event.LoggingAdapter;
import akka.http.javadsl.model.HttpResponse;
import akka.http.scaladsl.model.ErrorInfo;
import akka.http.scaladsl.model.StatusCode;
import akka.http.scaladsl.settings.ServerSettings;
import java.time.Clock;
import java.util.List;
import org.coursebatch.core.error.Rejection;

/**
 * Answers a request the HTTP parser cannot read (a malformed request line, a bad
 * percent-encoding, a URI or headers over the limits) with the envelope instead of Akka's plain
 * text. Akka creates one per connection by class name ({@code akka.http.server.parsing.error-handler},
 * set by {@link org.coursebatch.http.HttpApi}), so it takes no arguments: the request never became
 * one, so there is no request id to echo and no injected clock; the envelope's id is
 * {@code api.unknown} and its {@code ts} the system's time.
 */
public final class ParsingErrorEnvelopes extends akka.http.ParsingErrorHandler {

  private static final Clock CLOCK = Clock.systemUTC();

  @Override
  public HttpResponse handle(StatusCode status, ErrorInfo error, LoggingAdapter log, ServerSettings settings) {
    log.debug("Unparsable request, {}: {}", status, error.formatPretty());
    Rejection rejection = TransportErrors.unparsable(status.intValue(), error, settings.getParserSettings().getMaxUriLength());
    return ApiRouter.errorResponse(ApiRouter.UNKNOWN_API, RequestIds.next(), rejection, CLOCK.instant(), List.of());
  }
}
