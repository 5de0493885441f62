package org.coursebatch.core.request;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RequestKeyTest {

  private static final Instant T0 = Instant.parse("2030-03-10T10:00:00Z");

  @Test
  void keysAreOneToAHundredCharactersWithoutControlCharacters() {
    assertTrue(RequestKey.acceptable("8e27cbf5-e299-43b0-bca7-8347f7e5abcf"));
    assertTrue(RequestKey.acceptable("k".repeat(100)));
    assertFalse(RequestKey.acceptable("k".repeat(101)));
    assertFalse(RequestKey.acceptable(""));
    assertFalse(RequestKey.acceptable("   "));
    assertFalse(RequestKey.acceptable(null));
    for (String control : new String[] {"a\u0000", "a\tb", "a\nb", "\u007f", "\u0085"}) {
      assertFalse(RequestKey.acceptable(control), control);
    }
    assertThrows(IllegalArgumentException.class, () -> new ClientRequest(null, "k".repeat(101)));
  }

  @Test
  void theDigestIsOfCallerKeyOperationAndParametersNotOfTheirOrder() {
    Map<String, Object> ab = new LinkedHashMap<>();
    ab.put("a", 1);
    ab.put("b", JsonNodeFactory.instance.objectNode().put("x", "y"));
    Map<String, Object> ba = new LinkedHashMap<>();
    ba.put("b", JsonNodeFactory.instance.objectNode().put("x", "y"));
    ba.put("a", 1);
    RequestKey k = RequestKey.of("key", "caller", "op", ab, T0);
    assertEquals(k, RequestKey.of("key", "caller", "op", ba, T0));
    assertEquals(32, k.digest().length());
    assertNotEquals(k.digest(), RequestKey.of("key", "other", "op", ab, T0).digest());
    assertNotEquals(k.digest(), RequestKey.of("key2", "caller", "op", ab, T0).digest());
    assertNotEquals(k.digest(), RequestKey.of("key", "caller", "op2", ab, T0).digest());
    assertNotEquals(k.digest(), RequestKey.of("key", "caller", "op", ab, T0.plusMillis(1)).digest());
    assertEquals(24, k.decimalDigits(24).length());
  }

  @Test
  void rememberedRequestsAreBoundedAndReplacedPerCallerAndKey() {
    RequestKey first = RequestKey.of("k", "u", "op", 1);
    RememberedRequests r = RememberedRequests.none().remember("u", first, T0);
    assertEquals(T0, r.recorded("u", first, T0.plusSeconds(1)).orElseThrow());
    assertTrue(r.recorded("v", first, T0).isEmpty(), "another caller");
    assertTrue(r.recorded("u", first, T0.plus(RememberedRequests.TTL)).isEmpty(), "a day later");

    RequestKey second = RequestKey.of("k", "u", "op", 2);
    RememberedRequests replaced = r.remember("u", second, T0.plusSeconds(1));
    assertEquals(1, replaced.entries().size());
    assertTrue(replaced.recorded("u", first, T0.plusSeconds(2)).isEmpty(), "the key names its latest request");

    RememberedRequests many = r;
    for (int i = 0; i < RememberedRequests.MAX; i++) {
      many = many.remember("u", RequestKey.of("k" + i, "u", "op", i), T0.plusSeconds(i));
    }
    assertEquals(RememberedRequests.MAX, many.entries().size());
    assertTrue(many.recorded("u", first, T0.plusSeconds(20)).isEmpty(), "the oldest went");

    RememberedRequests pruned = r.remember("u", RequestKey.of("other", "u", "op", 3), T0.plus(Duration.ofHours(25)));
    assertEquals(1, pruned.entries().size(), "entries older than a day go when a later one is remembered");
  }
}
