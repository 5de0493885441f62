package org.coursebatch.node.logging;

import ch.qos.logback.classic.pattern.ClassicConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import java.util.List;
import java.util.Map;
import org.coursebatch.core.observe.LogContext;

/**
 * {@code %request} in a text pattern: the request's context of a line written for one, as
 * {@code " {request_id=..., route=..., user_id=..., trace_id=...}"} (the entries it has), else
 * nothing. Only these: the rest of the MDC (Akka's actor context) is for JSON lines.
 */
public final class RequestContextConverter extends ClassicConverter {

  private static final List<String> KEYS = List.of(LogContext.REQUEST_ID, LogContext.ROUTE, LogContext.USER_ID, LogContext.TRACE_ID);

  @Override
  public String convert(ILoggingEvent event) {
    Map<String, String> mdc = event.getMDCPropertyMap();
    if (mdc == null || !mdc.containsKey(LogContext.REQUEST_ID)) {
      return "";
    }
    StringBuilder b = new StringBuilder(" {");
    for (String key : KEYS) {
      String value = mdc.get(key);
      if (value != null) {
        b.append(b.length() > 2 ? ", " : "").append(key).append('=').append(value);
      }
    }
    return b.append('}').toString();
  }
}
