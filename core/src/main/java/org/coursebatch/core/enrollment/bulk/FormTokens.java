package org.coursebatch.core.enrollment.bulk;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.coursebatch.core.error.ErrorCode;
import org.coursebatch.core.error.RejectedException;

/**
 * Forms are stateless: a form's token is its claims as base64url JSON, a dot, and an HMAC-SHA256
 * of that text under the service's form key. Any node with the key can check a form, so forms
 * need no storage; single use is enforced by the enrolment the form is applied to.
 */
public final class FormTokens {

  private static final String ALGORITHM = "HmacSHA256";
  private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder DECODER = Base64.getUrlDecoder();
  private static final ObjectMapper JSON = new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private final SecretKeySpec key;

  public FormTokens(byte[] secret) {
    if (secret == null || secret.length < 16) {
      throw new IllegalArgumentException("The form key needs at least 16 bytes");
    }
    this.key = new SecretKeySpec(secret.clone(), ALGORITHM);
  }

  String sign(FormClaims claims) {
    try {
      String payload = ENCODER.encodeToString(JSON.writeValueAsBytes(claims));
      return payload + "." + ENCODER.encodeToString(mac(payload));
    } catch (IOException e) {
      throw new IllegalStateException("Form claims did not serialize", e);
    }
  }

  /** The claims of a token this service signed; anything else is FORM_INVALID. */
  FormClaims verify(String token) throws RejectedException {
    if (token == null || token.isBlank()) {
      throw ErrorCode.NULL_ARGUMENT.reject("token").asException();
    }
    int dot = token.indexOf('.');
    if (dot <= 0 || dot != token.lastIndexOf('.')) {
      throw invalid();
    }
    String payload = token.substring(0, dot);
    try {
      byte[] given = DECODER.decode(token.substring(dot + 1));
      if (!MessageDigest.isEqual(given, mac(payload))) {
        throw invalid();
      }
      FormClaims claims = JSON.readValue(DECODER.decode(payload), FormClaims.class);
      if (claims.id() == null || claims.kind() == null || claims.batchId() == null || claims.userId() == null) {
        throw invalid();
      }
      return claims;
    } catch (IllegalArgumentException | IOException e) {
      throw invalid();
    }
  }

  private static RejectedException invalid() {
    return ErrorCode.FORM_INVALID.reject("The form token is not one this service issued, or it was altered.").asException();
  }

  private byte[] mac(String payload) {
    try {
      Mac mac = Mac.getInstance(ALGORITHM);
      mac.init(key);
      return mac.doFinal(payload.getBytes(StandardCharsets.US_ASCII));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(ALGORITHM + " is not available", e);
    }
  }
}
