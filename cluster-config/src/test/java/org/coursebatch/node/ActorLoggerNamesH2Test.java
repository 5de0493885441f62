package org.coursebatch.node;

import static org.junit.jupiter.api.Assertions.*;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.nio.file.Files;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.coursebatch.core.testing.MutableClock;
import org.coursebatch.node.ApiClient.Reply;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Lines an actor of the service writes are named after its class, not {@code akka.actor.ActorCell}
 * (what Akka names an actor's logger when its first line is one Akka writes for it), and carry the
 * actor's context, not a request's.
 */
class ActorLoggerNamesH2Test {

  @Test
  void theWakeUpSchedulersLinesAreItsOwn() throws Exception {
    List<ILoggingEvent> events = new CopyOnWriteArrayList<>();
    AppenderBase<ILoggingEvent> capture = new AppenderBase<>() {
      @Override
      protected void append(ILoggingEvent e) {
        e.getMDCPropertyMap(); // taken now, on the thread that logs
        events.add(e);
      }
    };
    LoggerContext logback = (LoggerContext) LoggerFactory.getILoggerFactory();
    capture.setContext(logback);
    capture.start();
    logback.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).addAppender(capture);
    MutableClock clock = MutableClock.startingNow();
    try (TestNode node = TestNode.start(Files.createTempDirectory("batch-logger-names"), null, clock,
        Map.of("course-batch.log.levels", "org.coursebatch.core=INFO,akka.actor.ActorCell=INFO"))) {
      ApiClient api = node.client();
      LocalDate today = LocalDate.now(ZoneOffset.UTC);
      assertEquals(200, api.call("PUT", "/v1/catalog/course/do_names", TestNode.token("curator", "CONTENT_CREATOR"),
          Map.of("name", "Names", "trackable", Map.of("enabled", "Yes"),
              "children", List.of(Map.of("identifier", "do_names_c1", "name", "Leaf")))).status());
      Reply created = api.call("POST", "/v1/course/batch/create", TestNode.token("creator"), Map.of(
          "courseId", "do_names", "name", "Names", "enrollmentType", "open",
          "startDate", today.plusDays(1).toString(), "endDate", today.plusDays(10).toString()));
      assertEquals(200, created.status(), created.toString());
      clock.advance(Duration.ofDays(2)); // the batch's start is due: the scheduler wakes it and logs that

      ILoggingEvent woke = null;
      long until = System.nanoTime() + 30_000_000_000L;
      while (woke == null && System.nanoTime() < until) {
        woke = events.stream().filter(e -> e.getFormattedMessage().startsWith("Woke ")).findFirst().orElse(null);
        Thread.sleep(50);
      }
      assertNotNull(woke, "the scheduler woke the batch");
      assertEquals("org.coursebatch.core.schedule.BatchWakeUpScheduler", woke.getLoggerName());
      assertTrue(woke.getMDCPropertyMap().get("akkaSource").contains("batch-wake-up-scheduler"), woke.getMDCPropertyMap().toString());
      assertFalse(woke.getMDCPropertyMap().containsKey("request_id"), "no request's context: " + woke.getMDCPropertyMap());
    } finally {
      logback.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).detachAppender(capture);
      logback.getLogger("org.coursebatch.core").setLevel(null);
      logback.getLogger("akka.actor.ActorCell").setLevel(null);
    }
    assertEquals(List.of(), events.stream().filter(e -> e.getLoggerName().equals("akka.actor.ActorCell"))
        .map(ILoggingEvent::getFormattedMessage).toList());
  }
}
