package org.coursebatch.core.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The seat holders' set: immutable, each change a new set, stored as the plain array it always was. */
class SeatHoldersTest {

  @Test
  void addingAndRemovingMakeNewSetsAndLeaveTheOldOnes() {
    SeatHolders one = SeatHolders.NONE.with("u2");
    SeatHolders three = one.with("u3").with("u1");
    SeatHolders two = three.without("u2");

    assertEquals(Set.of("u2"), one);
    assertEquals(Set.of("u1", "u2", "u3"), three);
    assertEquals(List.of("u1", "u2", "u3"), List.copyOf(three));
    assertEquals(Set.of("u1", "u3"), two);
    assertTrue(two.contains("u3"));
    assertFalse(two.contains("u2"));
    assertFalse(two.contains(42));
  }

  @Test
  void addingAHolderOrRemovingANonHolderChangesNothing() {
    SeatHolders held = SeatHolders.of(Set.of("a", "b"));
    assertSame(held, held.with("a"));
    assertSame(held, held.without("z"));
    assertEquals(2, held.with("a").size());
  }

  @Test
  void cannotBeChangedInPlace() {
    SeatHolders held = SeatHolders.of(Set.of("a"));
    assertThrows(UnsupportedOperationException.class, () -> held.add("b"));
    assertThrows(UnsupportedOperationException.class, () -> held.remove("a"));
    assertThrows(UnsupportedOperationException.class, held::clear);
  }

  @Test
  void seatsCopyTheHoldersTheyAreGiven() {
    var given = new HashSet<>(Set.of("u1", "u2"));
    Seats seats = new Seats(given, List.of(), Set.of(), 1);
    given.add("u3");

    assertEquals(Set.of("u1", "u2"), seats.holders());
    assertEquals(Set.of("u1", "u2", "u3"), seats.take("u3").holders());
    assertEquals(Set.of("u2"), seats.release("u1").holders());
    assertEquals(Set.of("u1", "u2"), seats.holders(), "the seats taken from stay as they were");
  }

  @Test
  void storedAsAnArrayOfIdsAndReadBack() throws Exception {
    var mapper = new ObjectMapper();
    Seats seats = new Seats(Set.of("u2", "u1"), List.of(new Seats.Waiting("u3", 7)), Set.of("u2"), 8);

    String json = mapper.writeValueAsString(seats);

    assertTrue(json.contains("\"holders\":[\"u1\",\"u2\"]"), json);
    assertEquals(seats, mapper.readValue(json, Seats.class));
    // A snapshot from before: the holders in the order they took their seats.
    Seats before = mapper.readValue("{\"holders\":[\"u2\",\"u1\"],\"waitlist\":[],\"promotionsPending\":[],\"nextTicket\":1}",
        Seats.class);
    assertEquals(Set.of("u1", "u2"), before.holders());
    assertTrue(before.holds("u2"));
  }
}
