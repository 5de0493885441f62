package org.coursebatch.core.request;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.coursebatch.core.batch.EnrollmentType;
import org.coursebatch.core.batch.NewBatch;
import org.coursebatch.core.enrollment.AssessmentAttempt;
import org.coursebatch.core.enrollment.ContentUpdate;
import org.coursebatch.core.enrollment.QuestionResponse;
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

  /**
   * Digests are journaled with the events a request recorded, and a keyed batch create derives its
   * batch id from one: a retry after an upgrade must digest to the same value. These were computed
   * with Jackson 2.13.5; a changed value means the canonical JSON of the parameters changed.
   */
  @Test
  void theDigestsOfEachOperationsParametersStayAsComputedBefore() {
    var json = JsonNodeFactory.instance;
    NewBatch batch = new NewBatch("do_course_1", "Cohort 1", "About \u00e9t\u00e9", "Terms", EnrollmentType.INVITE_ONLY,
        LocalDate.parse("2030-03-10"), LocalDate.parse("2030-04-10"), LocalDate.parse("2030-03-20"),
        List.of("org-1", "org-2"), List.of("mentor-1"), 25);
    List<ContentUpdate> reported = List.of(
        new ContentUpdate("do_video_1", 2, 100, T0, T0.plusSeconds(60), json.objectNode().put("b", 2).put("a", 1.5)),
        new ContentUpdate("do_video_2", 1, null, null, null, null));
    List<AssessmentAttempt> attempts = List.of(new AssessmentAttempt("do_assess_1", "attempt-1", T0, List.of(
        new QuestionResponse("do_q_1", "mcq", "2 + 2?", 1.0, 1.0,
            json.arrayNode().add(json.objectNode().put("value", 0).put("label", "Four")), json.arrayNode().add(0), 12.5),
        new QuestionResponse("do_q_2", "sa", "Explain", 0.5, 2.0, null, null, null))));
    assertAll(
        () -> assertEquals("b3fc056b38b3f9936fd1edcacecc9c8b", RequestKey.of("key-1", "creator-1", "batch.create", batch).digest(), "batch.create"),
        () -> assertEquals("57e4e900e1417db4066ee6a5115d764a", RequestKey.of("key-1", "learner-1", "enrol", "do_course_1", "0130", "learner-1", false).digest(),
            "enrol"),
        () -> assertEquals("e8b4a6dc25533f8371b8f986cae952d1", RequestKey.of("key-1", "learner-1", "progress", "learner-1", "0130", "do_course_1", reported,
            attempts).digest(), "progress"),
        () -> assertEquals("c84648bdd9376e08c46243bda6183b68", RequestKey.of("key-1", "admin-1", "bulk.update", "form-1", Boolean.TRUE).digest(),
            "bulk.update"));
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
