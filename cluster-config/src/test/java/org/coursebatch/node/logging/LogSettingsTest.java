package org.coursebatch.node.logging;

import static org.junit.jupiter.api.Assertions.*;

import ch.qos.logback.classic.Level;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LogSettingsTest {

  @Test
  void rootAndPackageLevels() {
    LogSettings s = LogSettings.parse("WARNING",
        " org.coursebatch.persistence=DEBUG, akka.cluster=info,org.coursebatch.http.access=OFF,");
    assertEquals(Level.WARN, s.root());
    assertEquals(Map.of("org.coursebatch.persistence", Level.DEBUG, "akka.cluster", Level.INFO,
        "org.coursebatch.http.access", Level.OFF), s.levels());
    assertEquals("DEBUG", s.akkaLevel(), "Akka publishes what the most verbose logger takes");
  }

  @Test
  void noneIsTheRootAlone() {
    LogSettings s = LogSettings.parse("INFO", "");
    assertEquals(Map.of(), s.levels());
    assertEquals("INFO", s.akkaLevel());
    assertEquals("WARNING", LogSettings.parse("WARN", "x=OFF").akkaLevel());
    assertEquals("OFF", LogSettings.parse("OFF", "").akkaLevel());
  }

  @ParameterizedTest
  @ValueSource(strings = {"org.coursebatch", "=DEBUG", "org.coursebatch=LOUD", "org.coursebatch=", "a b=INFO",
      "org..coursebatch=INFO", "org.coursebatch=INFO,org.coursebatch=DEBUG", "x=INFO;y=DEBUG", "x=IN\u0000FO"})
  void aMalformedEntryRefusesTheStartNamingTheVariable(String levels) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LogSettings.parse("INFO", levels));
    assertTrue(e.getMessage().contains("BATCH_LOG_LEVELS"), e.getMessage());
    assertFalse(e.getMessage().contains("\n"), e.getMessage());
  }

  @Test
  void anUnknownRootLevelRefusesTheStart() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LogSettings.parse("VERBOSE", ""));
    assertTrue(e.getMessage().contains("BATCH_LOG_LEVEL"), e.getMessage());
  }

  @Test
  void theFormatIsTextOrJson() {
    LogSettings.checkFormat(k -> null, k -> null);
    LogSettings.checkFormat(k -> null, k -> "json");
    LogSettings.checkFormat(k -> "text", k -> "xml");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LogSettings.checkFormat(k -> null, k -> "JSON "));
    assertTrue(e.getMessage().contains("BATCH_LOG_FORMAT"), e.getMessage());
  }
}
