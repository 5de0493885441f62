package org.coursebatch.http.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import akka.pattern.CircuitBreakerOpenException;
import java.sql.BatchUpdateException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.RejectedExecutionException;
import org.coursebatch.core.error.ErrorCode;
import org.junit.jupiter.api.Test;
import scala.concurrent.duration.FiniteDuration;

/**
 * What a storage failure answers: 503 when the database (or the journal in front of it) cannot
 * serve for now, wherever in the chain of causes that shows, and 500 for anything else.
 */
class FailuresTest {

  private static ErrorCode answer(Throwable failure) {
    return Failures.toRejection(failure, 1024).code();
  }

  @Test
  void aDatabaseThatCannotServeForNowIsServiceUnavailable() {
    List<Throwable> unavailable = List.of(
        // HikariCP: no connection within its connection timeout
        new SQLTransientConnectionException("course-batch-db - Connection is not available, request timed out after 5000ms."),
        // PostgreSQL's driver: the connection broke, or could not be opened
        new SQLException("An I/O error occurred while sending to the backend.", "08006"),
        new SQLException("Connection to 127.0.0.1:5432 refused.", "08001"),
        // the server shuts down, restarts, or has no connection to spare
        new SQLException("FATAL: terminating connection due to administrator command", "57P01"),
        new SQLException("FATAL: the database system is starting up", "57P03"),
        new SQLException("FATAL: sorry, too many clients already", "53300"),
        new SQLException("ERROR: canceling statement due to statement timeout", "57014"),
        // a batch whose connection broke (its state is its first failure's)
        new BatchUpdateException("Batch entry 0 <unknown> was aborted", "08006", new int[0]),
        // the journal's executor queue is full, the plugin's breaker is open
        new RejectedExecutionException("queue full"),
        new CircuitBreakerOpenException(FiniteDuration.Zero(), "Circuit Breaker is open; calls are failing fast"));
    for (Throwable t : unavailable) {
      assertEquals(ErrorCode.SERVICE_UNAVAILABLE, answer(t), t.toString());
      // as a stage completes with it, and wrapped by whatever reported it
      assertEquals(ErrorCode.SERVICE_UNAVAILABLE, answer(new CompletionException(t)), t.toString());
      assertEquals(ErrorCode.SERVICE_UNAVAILABLE,
          answer(new CompletionException(new IllegalStateException("Could not open a database session", t))), t.toString());
    }
  }

  @Test
  void otherFailuresRemainInternalErrors() {
    List<Throwable> faults = List.of(
        new SQLException("ERROR: duplicate key value violates unique constraint", "23505"),
        new SQLException("ERROR: value too long for type character varying(100)", "22001"),
        new SQLException("no state"),
        new IllegalStateException("a bug"),
        new CompletionException(new NullPointerException()));
    for (Throwable t : faults) {
      assertEquals(ErrorCode.INTERNAL_ERROR, answer(t), t.toString());
    }
  }
}
