package org.coursebatch.core.enrollment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class EnrollmentIdTest {

  @Test
  void printsAndParsesBack() {
    EnrollmentId id = new EnrollmentId("0131", "user-1", 3);
    assertEquals("0131:user-1:3", id.toString());
    assertEquals(Optional.of(id), EnrollmentId.parse("0131:user-1:3"));
  }

  @Test
  void userIdsMayContainColons() {
    assertEquals(Optional.of(new EnrollmentId("0131", "urn:user:7", 12)), EnrollmentId.parse("0131:urn:user:7:12"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "0131", "0131:user-1", ":user-1:1", "0131::1", "0131:user-1:", "0131:user-1:0",
      "0131:user-1:01", "0131:user-1:x", "0131:user-1:-1", "0131:user-1:1234567890", "sis-enrol-4711"})
  void anythingElseIsNotAnId(String text) {
    assertTrue(EnrollmentId.parse(text).isEmpty(), text);
  }

  @Test
  void refusesToBuildAnImpossibleId() {
    assertThrows(IllegalArgumentException.class, () -> new EnrollmentId("a:b", "u", 1));
    assertThrows(IllegalArgumentException.class, () -> new EnrollmentId("b", "u", 0));
  }
}
