package org.coursebatch.persistence.secret;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Base64;
import java.util.Optional;
import org.coursebatch.persistence.secret.SecretOpening.Decision;
import org.junit.jupiter.api.Test;

class SecretOpeningTest {

  private static final byte[] SECRET = "thirty-two bytes of shared key!!".getBytes(java.nio.charset.StandardCharsets.UTF_8);
  private final SecretsKey key = SecretsKey.generate();

  @Test
  void aPlainSecretIsUsedWithoutAKeyAndSealedWithOne() {
    StoredSecret plain = StoredSecret.parse(Base64.getEncoder().encodeToString(SECRET));
    assertArrayEquals(SECRET, assertInstanceOf(Decision.Use.class, SecretOpening.decide("form", plain, Optional.empty())).secret());

    Decision.Seal seal = assertInstanceOf(Decision.Seal.class, SecretOpening.decide("form", plain, Optional.of(key)));
    assertArrayEquals(SECRET, seal.secret());
    String text = seal.sealed().text();
    assertTrue(text.startsWith("v1:" + key.id() + ":"), text);
    assertFalse(ServiceSecretsTest.contains(text, SECRET), text);
    assertArrayEquals(SECRET, assertInstanceOf(Decision.Use.class,
        SecretOpening.decide("form", StoredSecret.parse(text), Optional.of(key))).secret(), "the sealed text read back");
  }

  @Test
  void sealingTwiceGivesDifferentTextsThatOpenToTheSameSecret() {
    String first = SecretOpening.toStore("form", SECRET, Optional.of(key)).text();
    String second = SecretOpening.toStore("form", SECRET, Optional.of(key)).text();
    assertNotEquals(first, second, "a fresh nonce each time");
    for (String text : new String[] {first, second}) {
      assertArrayEquals(SECRET, ((StoredSecret.Sealed) StoredSecret.parse(text)).open(key, "form").orElseThrow());
    }
    assertEquals(Base64.getEncoder().encodeToString(SECRET), SecretOpening.toStore("form", SECRET, Optional.empty()).text());
  }

  @Test
  void aSealedSecretWithoutItsKeyIsRefusedNeverReplaced() {
    StoredSecret sealed = SecretOpening.toStore("form", SECRET, Optional.of(key));
    SecretsKey other = SecretsKey.generate();

    String none = assertInstanceOf(Decision.Refuse.class, SecretOpening.decide("form", sealed, Optional.empty())).reason();
    assertTrue(none.contains(key.id()) && none.contains("no key") && none.contains("BATCH_SECRETS_KEY"), none);
    String wrong = assertInstanceOf(Decision.Refuse.class, SecretOpening.decide("form", sealed, Optional.of(other))).reason();
    assertTrue(wrong.contains(key.id()) && wrong.contains(other.id()) && wrong.contains("not supported"), wrong);
    String swapped = assertInstanceOf(Decision.Refuse.class, SecretOpening.decide("exhaust", sealed, Optional.of(key))).reason();
    assertTrue(swapped.contains("exhaust") && swapped.contains("altered or copied"), swapped);
  }

  @Test
  void anAlteredSealedSecretIsRefused() {
    String text = SecretOpening.toStore("form", SECRET, Optional.of(key)).text();
    byte[] box = Base64.getDecoder().decode(text.substring(text.lastIndexOf(':') + 1));
    box[box.length / 2] ^= 1;
    String altered = text.substring(0, text.lastIndexOf(':') + 1) + Base64.getEncoder().encodeToString(box);
    assertInstanceOf(Decision.Refuse.class, SecretOpening.decide("form", StoredSecret.parse(altered), Optional.of(key)));
  }

  @Test
  void textThisVersionCannotReadIsRefused() {
    for (String text : new String[] {"v2:0123456789abcdef:AAAA", "v1:nokeyid", "v1:0123456789abcdef:%%%", "not base64!"}) {
      StoredSecret stored = StoredSecret.parse(text);
      assertInstanceOf(StoredSecret.Unreadable.class, stored, text);
      assertEquals(text, stored.text());
      for (Optional<SecretsKey> k : java.util.List.of(Optional.<SecretsKey>empty(), Optional.of(key))) {
        String reason = assertInstanceOf(Decision.Refuse.class, SecretOpening.decide("form", stored, k)).reason();
        assertTrue(reason.contains("form"), reason);
      }
    }
    assertTrue(((StoredSecret.Unreadable) StoredSecret.parse("v2:x:y")).why().contains("newer"));
  }
}
