package org.coursebatch.http.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class RequestIdsTest {

  @Test
  void idsAreVersion4UuidsOfTheIetfVariant() {
    for (int i = 0; i < 1_000; i++) {
      String id = RequestIds.next();
      UUID uuid = UUID.fromString(id);
      assertEquals(id, uuid.toString(), "canonical text");
      assertEquals(4, uuid.version());
      assertEquals(2, uuid.variant());
    }
  }

  @Test
  void idsDoNotRepeat() {
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 100_000; i++) {
      seen.add(RequestIds.next());
    }
    assertEquals(100_000, seen.size());
  }
}
