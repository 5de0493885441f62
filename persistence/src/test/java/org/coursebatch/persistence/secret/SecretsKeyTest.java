package org.coursebatch.persistence.secret;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

class SecretsKeyTest {

  private static final String SOURCE = "BATCH_SECRETS_KEY";

  @Test
  void aKeyIsTheBase64Of32BytesAsOpensslGivesIt() {
    byte[] bytes = new byte[32];
    for (int i = 0; i < bytes.length; i++) {
      bytes[i] = (byte) (i * 7 - 100);
    }
    String standard = Base64.getEncoder().encodeToString(bytes);
    SecretsKey key = SecretsKey.parse(standard + "\n", SOURCE);
    assertEquals(standard, key.base64());
    assertEquals(key, SecretsKey.parse(Base64.getUrlEncoder().withoutPadding().encodeToString(bytes), SOURCE));
    assertTrue(key.id().matches("[0-9a-f]{16}"), key.id());
    assertEquals(key.id(), SecretsKey.parse(standard, SOURCE).id(), "the same key, the same id");
    assertNotEquals(key.id(), SecretsKey.generate().id());
  }

  @Test
  void aMalformedOrShortKeyIsRefusedSayingWhatToGiveWithoutQuotingIt() {
    String shortKey = Base64.getEncoder().encodeToString(new byte[16]);
    String longKey = Base64.getEncoder().encodeToString(new byte[33]);
    for (String given : List.of("", "   ", "not base64 at all!", shortKey, longKey, "change-me-to-at-least-thirty-two-bytes")) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SecretsKey.parse(given, SOURCE), given);
      assertTrue(e.getMessage().startsWith(SOURCE), e.getMessage());
      assertTrue(e.getMessage().contains("openssl rand -base64 32"), e.getMessage());
      assertFalse(!given.isBlank() && e.getMessage().contains(given), "the value is not quoted: " + e.getMessage());
    }
    assertTrue(assertThrows(IllegalArgumentException.class, () -> SecretsKey.parse(shortKey, SOURCE)).getMessage()
        .contains("16 bytes"));
  }

  @Test
  void theKeyIsNeverPrinted() {
    SecretsKey key = SecretsKey.generate();
    assertEquals("SecretsKey[id=" + key.id() + "]", key.toString());
    assertEquals("Configured[key=SecretsKey[id=" + key.id() + "]]", new SecretsKeySource.Configured(key).toString());
  }
}
