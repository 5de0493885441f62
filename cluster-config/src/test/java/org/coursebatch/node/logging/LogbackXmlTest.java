package org.coursebatch.node.logging;

import static org.junit.jupiter.api.Assertions.*;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

/** The service's logback.xml (not the tests' logback-test.xml) in a context of its own, per BATCH_LOG_FORMAT. */
class LogbackXmlTest {

  private static String encode(String format, Map<String, String> mdc, Throwable error) throws Exception {
    LoggerContext context = new LoggerContext();
    context.setMDCAdapter(MDC.getMDCAdapter());
    context.putProperty("BATCH_LOG_FORMAT", format);
    JoranConfigurator configurator = new JoranConfigurator();
    configurator.setContext(context);
    configurator.doConfigure(LogbackXmlTest.class.getResource("/logback.xml"));
    try {
      Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
      @SuppressWarnings("unchecked")
      var appender = (OutputStreamAppender<ILoggingEvent>) root.getAppender(format);
      assertNotNull(appender, format);
      MDC.setContextMap(mdc);
      LoggingEvent event = new LoggingEvent(Logger.class.getName(), context.getLogger("org.coursebatch.core.enrollment.EnrollmentService"),
          Level.WARN, "Item for user {} not known to be applied", error, new Object[] {"u1"});
      return new String(appender.getEncoder().encode(event), StandardCharsets.UTF_8);
    } finally {
      MDC.clear();
      context.stop();
    }
  }

  @Test
  void jsonLinesCarryTheFieldsAndTheContext() throws Exception {
    String line = encode("json", Map.of("request_id", "r-1", "route", "/v1/course/enroll"), new IllegalStateException("boom"));
    assertEquals(line.length() - 1, line.indexOf('\n'), "one line");
    JsonNode json = new ObjectMapper().readTree(line);
    assertEquals("WARN", json.path("level").asText());
    assertEquals("org.coursebatch.core.enrollment.EnrollmentService", json.path("logger").asText());
    assertEquals("Item for user u1 not known to be applied", json.path("message").asText());
    assertEquals(Thread.currentThread().getName(), json.path("thread").asText());
    assertTrue(json.path("timestamp").isTextual());
    assertTrue(json.path("stack_trace").asText().contains("IllegalStateException: boom"), line);
    assertEquals("r-1", json.path("request_id").asText());
    assertEquals("/v1/course/enroll", json.path("route").asText());
    assertTrue(json.path("@version").isMissingNode() && json.path("level_value").isMissingNode(), line);
  }

  @Test
  void textLinesEndWithTheRequestsContextWhenThereIsOne() throws Exception {
    String line = encode("text", Map.of("request_id", "r-1", "route", "/v1/course/enroll", "akkaSource", "akka://x"), null);
    assertTrue(line.endsWith("EnrollmentService] Item for user u1 not known to be applied {request_id=r-1, route=/v1/course/enroll}"
        + System.lineSeparator()), line);
    String bare = encode("text", Map.of("akkaSource", "akka://x"), null);
    assertTrue(bare.endsWith("Item for user u1 not known to be applied" + System.lineSeparator()), bare);
  }
}
