package org.coursebatch.node.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;
import org.coursebatch.core.identity.EntityIds;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's log levels and format, checked at start-up: a value that is not one refuses the start
 * with a message naming the variable, rather than a node that logs other than the operator asked.
 *
 * <ul>
 *   <li>{@code BATCH_LOG_LEVEL} ({@code akka.loglevel}): the root level, Akka's names
 *       ({@code DEBUG, INFO, WARNING, ERROR, OFF}; {@code WARN} and {@code TRACE} are taken too);
 *   <li>{@code BATCH_LOG_LEVELS} ({@code course-batch.log.levels}): levels of loggers and their
 *       packages, comma-separated {@code name=LEVEL} entries, e.g.
 *       {@code org.coursebatch.persistence=DEBUG,akka.cluster=INFO,org.coursebatch.http.access=OFF};
 *   <li>{@code BATCH_LOG_FORMAT}: {@code text} or {@code json}, which logback.xml reads itself to
 *       pick the appender; checked here.
 * </ul>
 */
public record LogSettings(Level root, Map<String, Level> levels) {

  public static final String FORMAT_VARIABLE = "BATCH_LOG_FORMAT";

  private static final Logger log = LoggerFactory.getLogger(LogSettings.class);
  private static final Pattern LOGGER_NAME = Pattern.compile("[A-Za-z_$][A-Za-z0-9_$-]*(\\.[A-Za-z_$][A-Za-z0-9_$-]*)*");

  public LogSettings {
    levels = Map.copyOf(levels);
  }

  /**
   * @param root {@code akka.loglevel}
   * @param levels {@code course-batch.log.levels}
   */
  public static LogSettings parse(String root, String levels) {
    Level rootLevel = level(root, "BATCH_LOG_LEVEL (akka.loglevel)");
    Map<String, Level> parsed = new LinkedHashMap<>();
    for (String entry : levels.split(",", -1)) {
      String e = entry.trim();
      if (e.isEmpty()) {
        continue;
      }
      int eq = e.indexOf('=');
      String name = eq < 0 ? "" : e.substring(0, eq).trim();
      if (eq < 0 || !LOGGER_NAME.matcher(name).matches()) {
        throw new IllegalArgumentException("BATCH_LOG_LEVELS (course-batch.log.levels): \"" + EntityIds.quoted(e)
            + "\" is not logger=LEVEL; give comma-separated entries such as org.coursebatch.persistence=DEBUG,akka.cluster=INFO");
      }
      if (parsed.put(name, level(e.substring(eq + 1).trim(), "BATCH_LOG_LEVELS entry " + name)) != null) {
        throw new IllegalArgumentException("BATCH_LOG_LEVELS (course-batch.log.levels) names " + name + " twice");
      }
    }
    return new LogSettings(rootLevel, parsed);
  }

  /** Refuses a {@value #FORMAT_VARIABLE} other than text or json, as logback reads it (system property, else environment). */
  public static void checkFormat(UnaryOperator<String> systemProperty, UnaryOperator<String> environment) {
    String value = systemProperty.apply(FORMAT_VARIABLE);
    if (value == null) {
      value = environment.apply(FORMAT_VARIABLE);
    }
    if (value != null && !value.equals("text") && !value.equals("json")) {
      throw new IllegalArgumentException(FORMAT_VARIABLE + " must be text or json, was \"" + EntityIds.quoted(value) + "\"");
    }
  }

  /** Sets the levels on logback (when it is the logging backend). */
  public void apply() {
    if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
      return;
    }
    context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).setLevel(root);
    levels.forEach((name, level) -> context.getLogger(name).setLevel(level));
    if (!levels.isEmpty()) {
      log.info("Log levels: root {}, {}", root, levels);
    }
  }

  /**
   * The level Akka publishes its own (classic) log events at: the most verbose of all, since Akka
   * drops an event below it before any logger sees it; each logger's level does the filtering.
   */
  public String akkaLevel() {
    Level most = root;
    for (Level l : levels.values()) {
      if (l != Level.OFF && (most == Level.OFF || l.toInt() < most.toInt())) {
        most = l;
      }
    }
    if (most == Level.OFF) {
      return "OFF";
    }
    if (most.toInt() <= Level.DEBUG_INT) {
      return "DEBUG";
    }
    return most == Level.WARN ? "WARNING" : most.toString();
  }

  private static Level level(String value, String what) {
    String v = value.trim().toUpperCase(Locale.ROOT);
    return switch (v) {
      case "TRACE" -> Level.TRACE;
      case "DEBUG" -> Level.DEBUG;
      case "INFO" -> Level.INFO;
      case "WARN", "WARNING" -> Level.WARN;
      case "ERROR" -> Level.ERROR;
      case "OFF" -> Level.OFF;
      default -> throw new IllegalArgumentException(what + ": \"" + EntityIds.quoted(value)
          + "\" is not a level; one of TRACE, DEBUG, INFO, WARN (WARNING), ERROR, OFF");
    };
  }
}
