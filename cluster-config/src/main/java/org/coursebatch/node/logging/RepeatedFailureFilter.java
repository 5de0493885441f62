package org.coursebatch.node.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import ch.qos.logback.core.util.Duration;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Marker;
import org.slf4j.MarkerFactory;
import org.slf4j.helpers.MessageFormatter;

/**
 * Keeps a failing node's log readable: a warning or error that repeats (an entity restarting
 * with backoff, a stream retrying, every request during a database outage) is logged in full,
 * stack trace included, the first time; its repeats within {@code window} are counted, not logged,
 * and then reported in one line without a stack trace: the last one's message and how many there
 * were. A failure that stops being repeated for a window is logged in full again when it comes back.
 *
 * <p>Repeats are the same logger, level and failure: thrown at the same place, of the same classes
 * (see {@link #signature}); or, without an exception, the same message pattern (digits aside). The
 * ids an entity's failure names in its message don't make it another failure.
 */
public final class RepeatedFailureFilter extends TurboFilter {

  /** Marks the summary lines this filter logs, so it lets them through. */
  static final Marker REPEATS = MarkerFactory.getMarker("REPEATS");
  /** Failures tracked at most; more distinct failures than this are logged as they come. */
  static final int MAX_FAILURES = 1000;
  private static final int MAX_KEY_TEXT = 200;
  private static final int MAX_CAUSES = 20;

  private final Clock clock;
  private long windowMillis = 60_000;
  private final Map<String, Repeats> failures = new ConcurrentHashMap<>();
  private ScheduledExecutorService reporter;

  public RepeatedFailureFilter() {
    this(Clock.systemUTC());
  }

  RepeatedFailureFilter(Clock clock) {
    this.clock = clock;
  }

  /** How long repeats are counted before they are reported (logback.xml: {@code <window>60 seconds</window>}). */
  public void setWindow(Duration window) {
    this.windowMillis = Math.max(1, window.getMilliseconds());
  }

  @Override
  public void start() {
    long period = Math.max(1, windowMillis / 4);
    reporter = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "log-repeated-failures");
      t.setDaemon(true);
      return t;
    });
    reporter.scheduleWithFixedDelay(this::reportQuietRepeats, period, period, TimeUnit.MILLISECONDS);
    super.start();
  }

  @Override
  public void stop() {
    if (reporter != null) {
      reporter.shutdownNow();
    }
    reportQuietRepeats();
    super.stop();
  }

  @Override
  public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params, Throwable t) {
    // Called for every logging call, enabled or not: cheap answers first.
    if (level == null || !level.isGreaterOrEqual(Level.WARN) || !level.isGreaterOrEqual(logger.getEffectiveLevel())
        || marker == REPEATS || format == null && t == null) {
      return FilterReply.NEUTRAL;
    }
    Throwable failure = t != null ? t : lastThrowable(params);
    String key = logger.getName() + '|' + level + '|' + signature(format, failure);
    long now = clock.millis();
    Repeats repeats = failures.get(key);
    if (repeats == null) {
      if (failures.size() >= MAX_FAILURES) {
        forgetQuiet(now);
      }
      if (failures.size() < MAX_FAILURES) {
        failures.putIfAbsent(key, new Repeats(logger.getName(), level, now));
      }
      return FilterReply.NEUTRAL;
    }
    Report report = repeats.occurred(now, windowMillis, () -> oneLine(format, params, failure));
    if (report == Report.IN_FULL) {
      return FilterReply.NEUTRAL;
    }
    if (report == Report.SUMMARY) {
      repeats.report(logger);
    }
    return FilterReply.DENY;
  }

  /** Reports the repeats of failures that stopped coming, and forgets failures quiet for long. */
  void reportQuietRepeats() {
    long now = clock.millis();
    LoggerContext context = getContext() instanceof LoggerContext c ? c : null;
    List<Repeats> due = new ArrayList<>();
    for (Repeats r : failures.values()) {
      if (r.dueForReport(now, windowMillis)) {
        due.add(r);
      }
    }
    for (Repeats r : due) {
      if (context != null) {
        r.report(context.getLogger(r.loggerName));
      }
    }
    forgetQuiet(now);
  }

  private void forgetQuiet(long now) {
    failures.values().removeIf(r -> r.quietFor(now, 2 * windowMillis));
  }

  /**
   * The failure's identity: where it was thrown, and the classes of it and its causes down to the
   * first {@link SQLException} (with its SQLState, unless a connection failure's, which only says
   * which attempt failed how); without a failure, the message pattern. Messages are left out: they
   * name entities, and a pool's timeout carries whatever its last connection attempt met.
   */
  static String signature(String format, Throwable failure) {
    if (failure == null) {
      return normalized(format);
    }
    StringBuilder b = new StringBuilder();
    StackTraceElement[] frames = failure.getStackTrace();
    if (frames.length > 0) {
      b.append(frames[0].getClassName()).append('.').append(frames[0].getMethodName());
    }
    Throwable t = failure;
    for (int depth = 0; t != null && depth < MAX_CAUSES; depth++, t = t.getCause()) {
      b.append('|').append(t.getClass().getName());
      if (t instanceof SQLException sql) {
        String state = sql.getSQLState();
        if (state != null && !state.startsWith("08")) {
          b.append(':').append(state);
        }
        break;
      }
    }
    return b.toString();
  }

  private static String normalized(String text) {
    if (text == null) {
      return "";
    }
    String t = text.length() > MAX_KEY_TEXT ? text.substring(0, MAX_KEY_TEXT) : text;
    return t.replaceAll("[0-9]+", "#");
  }

  private static Throwable lastThrowable(Object[] params) {
    return params != null && params.length > 0 && params[params.length - 1] instanceof Throwable th ? th : null;
  }

  /**
   * The event's message, and its failure with the cause that tells what it is (as in
   * {@link #signature}) when the message does not already say them, on one line.
   */
  static String oneLine(String format, Object[] params, Throwable failure) {
    String message = format == null ? "" : MessageFormatter.basicArrayFormat(format, params);
    if (failure != null) {
      Throwable cause = telling(failure);
      if (!message.contains(String.valueOf(failure.getMessage()))) {
        message = message + ": " + failure;
      }
      if (cause != failure && !message.contains(String.valueOf(cause.getMessage()))) {
        message = message + " (cause: " + cause + ")";
      }
    }
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }

  /** The first {@link SQLException} among the failure and its causes, else the root cause. */
  private static Throwable telling(Throwable failure) {
    Throwable t = failure;
    for (int depth = 0; t.getCause() != null && depth < MAX_CAUSES && !(t instanceof SQLException); depth++) {
      t = t.getCause();
    }
    return t;
  }

  private enum Report { IN_FULL, COUNTED, SUMMARY }

  /** One failure's repeats since it was last reported. */
  private static final class Repeats {
    final String loggerName;
    final Level level;
    private long reportedAt;
    private long lastAt;
    private int count;
    private String last;

    Repeats(String loggerName, Level level, long now) {
      this.loggerName = loggerName;
      this.level = level;
      this.reportedAt = now;
      this.lastAt = now;
    }

    synchronized Report occurred(long now, long window, java.util.function.Supplier<String> line) {
      boolean quiet = count == 0 && now - lastAt >= window;
      lastAt = now;
      if (quiet) {
        reportedAt = now;
        return Report.IN_FULL;
      }
      count++;
      last = line.get();
      return now - reportedAt >= window ? Report.SUMMARY : Report.COUNTED;
    }

    synchronized boolean dueForReport(long now, long window) {
      return count > 0 && now - reportedAt >= window;
    }

    synchronized boolean quietFor(long now, long time) {
      return count == 0 && now - lastAt >= time;
    }

    /** Logs the repeats counted so far in one line (outside the lock: logging may take a while). */
    void report(Logger logger) {
      int n;
      String line;
      long seconds;
      synchronized (this) {
        if (count == 0) {
          return;
        }
        n = count;
        line = last;
        seconds = Math.max(1, (lastAt - reportedAt + 999) / 1000);
        count = 0;
        last = null;
        reportedAt = lastAt;
      }
      String summary = "{} [{} more like this over {} s; the first was logged in full]";
      if (level == Level.ERROR) {
        logger.error(REPEATS, summary, line, n, seconds);
      } else {
        logger.warn(REPEATS, summary, line, n, seconds);
      }
    }
  }
}
