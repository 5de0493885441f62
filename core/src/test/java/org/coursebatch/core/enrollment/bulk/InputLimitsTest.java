package org.coursebatch.core.enrollment.bulk;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.stream.IntStream;
import org.coursebatch.core.error.ErrorCode;
import org.coursebatch.core.error.RejectedException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class InputLimitsTest {

  private final InputLimits limits = new InputLimits(3);

  @Test
  void asManyItemsAsTheLimitPassAndOneMoreIsRefused() {
    assertDoesNotThrow(() -> limits.requireItems(List.of(), "forms"));
    assertDoesNotThrow(() -> limits.requireItems(List.of(1, 2, 3), "forms"));
    var e = refused(ErrorCode.TOO_MANY_ITEMS, () -> limits.requireItems(List.of(1, 2, 3, 4), "forms"));
    assertTrue(e.getMessage().contains("3") && e.getMessage().contains("4"), e.getMessage());
  }

  @Test
  void aMissingListIsNamed() {
    var e = refused(ErrorCode.NULL_ARGUMENT, () -> limits.requireItems(null, "forms"));
    assertTrue(e.getMessage().contains("forms"), e.getMessage());
  }

  @Test
  void idsAreCountedThenEachMustHaveText() {
    assertDoesNotThrow(() -> limits.requireIds(List.of("a", "b", "c"), "ids"));
    refused(ErrorCode.TOO_MANY_ITEMS, () -> limits.requireIds(List.of("a", "b", "c", "d"), "ids"));
    var blank = refused(ErrorCode.NULL_ARGUMENT, () -> limits.requireIds(List.of("a", " "), "ids"));
    assertTrue(blank.getMessage().contains("ids[1]"), blank.getMessage());
    var missing = refused(ErrorCode.NULL_ARGUMENT, () -> limits.requireIds(Arrays.asList("a", "b", null), "ids"));
    assertTrue(missing.getMessage().contains("ids[2]"), missing.getMessage());
  }

  @Test
  void textIsRequiredNotJustPresent() {
    assertDoesNotThrow(() -> InputLimits.requireText("x", "batchId"));
    refused(ErrorCode.NULL_ARGUMENT, () -> InputLimits.requireText(null, "batchId"));
    refused(ErrorCode.NULL_ARGUMENT, () -> InputLimits.requireText("", "batchId"));
    refused(ErrorCode.NULL_ARGUMENT, () -> InputLimits.requireText(" \t", "batchId"));
  }

  @Test
  void tenIdsAreListedInFullAndMoreAreCounted() {
    List<String> ten = ids(10);
    assertEquals(String.join(", ", ten), InputLimits.listed(ten));
    List<String> eleven = ids(11);
    assertEquals(String.join(", ", ten) + " and 1 more", InputLimits.listed(eleven));
    assertEquals(String.join(", ", ten) + " and 15 more", InputLimits.listed(ids(25)));
    assertEquals("", InputLimits.listed(Collections.emptyList()));
  }

  private static List<String> ids(int n) {
    return IntStream.rangeClosed(1, n).mapToObj(i -> "id-" + i).toList();
  }

  private static RejectedException refused(ErrorCode code, Executable check) {
    var e = assertThrows(RejectedException.class, check);
    assertEquals(code, e.rejection().code());
    return e;
  }
}
