package org.coursebatch.core.identity;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

class EntityIdsTest {

  @Test
  void idsOfOneToOneHundredCharactersWithoutControlCharactersCanExist() {
    assertTrue(EntityIds.canExist("0134567890123456789"));
    assertTrue(EntityIds.canExist("user:with:colons and spaces é"));
    assertTrue(EntityIds.canExist("x".repeat(100)));
    assertFalse(EntityIds.canExist("x".repeat(101)));
    assertFalse(EntityIds.canExist(""));
    assertFalse(EntityIds.canExist(null));
    assertFalse(EntityIds.canExist("x\u0000"));
    assertFalse(EntityIds.canExist("a\tb"));
    assertFalse(EntityIds.canExist("a\nb"));
    assertFalse(EntityIds.canExist("a\u007fb"));
    assertFalse(EntityIds.canExist("a\u0085b"));
    assertTrue(EntityIds.canExist("x".repeat(200), 200));
    assertFalse(EntityIds.canExist("x".repeat(201), 200));
  }

  @Test
  void aQuotedIdShowsControlCharactersAndIsCutShort() {
    assertEquals("b1", EntityIds.quoted("b1"));
    assertEquals("x\\u0000y\\u001b", EntityIds.quoted("x\u0000y\u001b"));
    assertEquals("i".repeat(100) + "… (5000 characters)", EntityIds.quoted("i".repeat(5000)));
    assertEquals("null", EntityIds.quoted(null));
  }
}
