package org.coursebatch.node.logging;

import static org.junit.jupiter.api.Assertions.*;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.coursebatch.core.testing.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A logback context of its own, with the filter on a clock the test moves. */
class RepeatedFailureFilterTest {

  private final MutableClock clock = new MutableClock(Instant.parse("2025-01-01T00:00:00Z"));
  private final LoggerContext context = new LoggerContext();
  private final ListAppender<ILoggingEvent> logged = new ListAppender<>();
  private RepeatedFailureFilter filter;
  private Logger entity;

  @BeforeEach
  void setUp() {
    filter = new RepeatedFailureFilter(clock);
    filter.setContext(context);
    filter.setWindow(ch.qos.logback.core.util.Duration.buildBySeconds(60));
    filter.start();
    context.addTurboFilter(filter);
    logged.setContext(context);
    logged.start();
    Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    root.setLevel(Level.INFO);
    root.addAppender(logged);
    entity = context.getLogger("org.coursebatch.core.enrollment.EnrollmentEntity");
  }

  @AfterEach
  void tearDown() {
    context.stop();
  }

  /**
   * The pool's timeout, thrown at one place whoever asked for the connection, with whatever its
   * last connection attempt met as its cause.
   */
  private static Exception poolTimeout(int attempt) {
    Exception lastAttempt = attempt % 2 == 0 ? new java.net.SocketException("Connection reset by peer")
        : new SQLException("This connection has been closed.", "08003");
    return new IllegalStateException("Exception during recovery from snapshot",
        new SQLTransientConnectionException("slick - Connection is not available, request timed out after 5000ms.",
            attempt % 2 == 0 ? null : "08003", lastAttempt));
  }

  private void entityFailed(int restart, String learner) {
    // As Akka logs it: the message names the entity and the restart.
    entity.error("Supervisor RestartSupervisor saw failure [" + restart + "]: PersistenceId [Enrollment|b1:" + learner + "]",
        poolTimeout(restart));
  }

  @Test
  void aFailureIsLoggedInFullOnceAndItsRepeatsInOneLineWithTheirCount() {
    for (int i = 1; i <= 50; i++) {
      entityFailed(i % 7, "learner-" + i);
      clock.advance(Duration.ofMillis(200));
    }
    assertEquals(1, logged.list.size(), "the repeats within the window are not logged");
    assertNotNull(logged.list.get(0).getThrowableProxy(), "the first is logged with its stack trace");

    clock.advance(Duration.ofSeconds(51));
    entityFailed(3, "learner-51");

    assertEquals(2, logged.list.size());
    ILoggingEvent summary = logged.list.get(1);
    assertNull(summary.getThrowableProxy(), "a summary has no stack trace");
    assertEquals(Level.ERROR, summary.getLevel());
    assertEquals("org.coursebatch.core.enrollment.EnrollmentEntity", summary.getLoggerName());
    assertEquals("Supervisor RestartSupervisor saw failure [3]: PersistenceId [Enrollment|b1:learner-51]: "
        + "java.lang.IllegalStateException: Exception during recovery from snapshot (cause: java.sql.SQLTransientConnectionException:"
        + " slick - Connection is not available, request timed out after 5000ms.) [50 more like this over 61 s; the first was logged in full]", summary.getFormattedMessage());
  }

  @Test
  void repeatsThatStopAreReportedAfterTheWindowAndAFailureThatComesBackIsLoggedInFull() {
    for (int i = 0; i < 10; i++) {
      entityFailed(1, "learner-" + i);
    }
    clock.advance(Duration.ofSeconds(59));
    filter.reportQuietRepeats();
    assertEquals(1, logged.list.size(), "nothing is reported before the window ends");

    clock.advance(Duration.ofSeconds(2));
    filter.reportQuietRepeats();
    assertEquals(2, logged.list.size());
    assertTrue(logged.list.get(1).getFormattedMessage().endsWith("[9 more like this over 1 s; the first was logged in full]"),
        logged.list.get(1).getFormattedMessage());
    filter.reportQuietRepeats();
    assertEquals(2, logged.list.size(), "reported once");

    clock.advance(Duration.ofSeconds(61));
    entityFailed(1, "learner-x");
    assertEquals(3, logged.list.size());
    assertNotNull(logged.list.get(2).getThrowableProxy(), "back after a quiet window: in full again");
  }

  @Test
  void otherFailuresOtherLoggersAndInfoAreLoggedAsTheyCome() {
    entityFailed(1, "learner-1");
    entity.error("Supervisor RestartSupervisor saw failure [1]: PersistenceId [Enrollment|b1:learner-2]",
        new IllegalStateException("Exception during recovery from snapshot",
            new java.io.NotSerializableException("Cannot find serializer with id [424242]")));
    Logger failures = context.getLogger("org.coursebatch.http.api.Failures");
    failures.warn("Request failed, storage unavailable: {}", "java.sql.SQLTransientConnectionException: ... 5000ms.");
    failures.warn("Request failed, storage unavailable: {}", "java.sql.SQLTransientConnectionException: ... 5001ms.");
    failures.warn("Request timed out: {}", "Ask timed out after [5000 ms]");
    // The same statement failing for different reasons: different failures.
    failures.error("Request failed", new SQLException("ERROR: duplicate key value", "23505"));
    failures.error("Request failed", new SQLException("ERROR: value too long", "22001"));
    failures.error("Request failed", new SQLException("ERROR: duplicate key value", "23505"));
    for (int i = 0; i < 3; i++) {
      context.getLogger("org.coursebatch.node.ServiceNode").info("Starting node");
    }

    List<String> messages = logged.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
    assertEquals(9, messages.size(), String.join("\n", messages));
  }

  @Test
  void eventsTheLoggerDoesNotLogAreNotCounted() {
    Logger hikari = context.getLogger("com.zaxxer.hikari");
    hikari.setLevel(Level.ERROR);
    for (int i = 0; i < 5; i++) {
      hikari.warn("Connection marked as broken", poolTimeout(i));
    }
    clock.advance(Duration.ofSeconds(61));
    filter.reportQuietRepeats();
    assertEquals(List.of(), logged.list);
  }

  @Test
  void theNodesLoggingConfigurationUsesIt() throws Exception {
    LoggerContext production = new LoggerContext();
    try {
      JoranConfigurator configurator = new JoranConfigurator();
      configurator.setContext(production);
      configurator.doConfigure(RepeatedFailureFilterTest.class.getResource("/logback.xml"));
      assertTrue(production.getTurboFilterList().stream().anyMatch(f -> f instanceof RepeatedFailureFilter && f.isStarted()),
          "logback.xml has no RepeatedFailureFilter: " + production.getTurboFilterList());
    } finally {
      production.stop();
    }
  }
}
