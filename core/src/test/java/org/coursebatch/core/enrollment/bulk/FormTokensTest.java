package org.coursebatch.core.enrollment.bulk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.coursebatch.core.error.ErrorCode;
import org.coursebatch.core.error.RejectedException;
import org.junit.jupiter.api.Test;

class FormTokensTest {

  private static final byte[] KEY = "a-key-of-at-least-sixteen-bytes".getBytes(StandardCharsets.UTF_8);
  private final FormTokens tokens = new FormTokens(KEY);
  private final FormClaims claims = new FormClaims("form-1", EnrollmentForm.Kind.UPDATE, "0131", "urn:user:7", 2,
      List.of(EnrollmentBatchAdmin.PROGRESS_RECORD), 1_900_000_000L);

  @Test
  void aSignedFormReadsBack() {
    assertEquals(claims, tokens.verify(tokens.sign(claims)));
  }

  @Test
  void anotherKeysFormIsInvalid() {
    String foreign = new FormTokens("another-key-of-sixteen-bytes".getBytes(StandardCharsets.UTF_8)).sign(claims);
    assertInvalid(foreign);
  }

  @Test
  void anAlteredFormIsInvalid() {
    String token = tokens.sign(claims);
    String payload = token.substring(0, token.indexOf('.'));
    String json = new String(Base64.getUrlDecoder().decode(payload), StandardCharsets.UTF_8).replace("urn:user:7", "urn:user:8");
    String altered = Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8))
        + token.substring(token.indexOf('.'));
    assertInvalid(altered);
  }

  @Test
  void garbageIsInvalidAndNothingIsMissing() {
    assertInvalid("not a token");
    assertInvalid("a.b.c");
    assertInvalid("!!!.???");
    var missing = assertThrows(RejectedException.class, () -> tokens.verify(" "));
    assertEquals(ErrorCode.NULL_ARGUMENT, missing.rejection().code());
  }

  @Test
  void aShortKeyIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> new FormTokens(new byte[8]));
  }

  private void assertInvalid(String token) {
    var e = assertThrows(RejectedException.class, () -> tokens.verify(token));
    assertEquals(ErrorCode.FORM_INVALID, e.rejection().code());
  }
}
