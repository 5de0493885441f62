package org.coursebatch.core.enrollment.bulk;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.MACVerifier;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.text.ParseException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.coursebatch.core.error.ErrorCode;
import org.coursebatch.core.error.RejectedException;

/**
 * Forms are stateless: a form's token is a compact JWS (HS256) whose payload is the form's claims
 * as JSON, under a key derived from the service's form key. Any node with the key can check a
 * form, so forms need no storage; single use is enforced by the enrolment the form is applied to.
 * Only HS256 is accepted: a token naming any other algorithm, or none, is not one of ours.
 */
public final class FormTokens {

  /** The shortest configured form key accepted, as the settings also require. */
  public static final int MIN_SECRET_BYTES = 16;

  /** Names the derived key's one use; a new derivation takes the next version. */
  private static final String KEY_LABEL = "course-batch form key v1";

  private static final JWSHeader HEADER = new JWSHeader(JWSAlgorithm.HS256);
  private static final ObjectMapper JSON = new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private final MACSigner signer;
  private final MACVerifier verifier;

  public FormTokens(byte[] secret) {
    if (secret == null || secret.length < MIN_SECRET_BYTES) {
      throw new IllegalArgumentException("The form key needs at least " + MIN_SECRET_BYTES + " bytes");
    }
    byte[] key = macKey(secret);
    try {
      this.signer = new MACSigner(key);
      this.verifier = new MACVerifier(key);
    } catch (JOSEException e) {
      throw new IllegalStateException("HS256 is not available", e);
    }
  }

  /**
   * The 32-byte HS256 key of a configured form key. nimbus refuses HS256 keys under 256 bits, but
   * deployments may configure as few as 16 bytes (the settings' minimum), so the key is derived
   * rather than used as it is: HMAC-SHA256 keyed by the configured key over a fixed label. That
   * keeps every existing configuration working (the strength stays the configured key's, at least
   * 128 bits, ample for a MAC), gives the same key on every node, and binds it to forms: the same
   * secret configured elsewhere (say as the JWT secret) signs nothing that reads as a form.
   */
  static byte[] macKey(byte[] secret) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret, "HmacSHA256"));
      return mac.doFinal(KEY_LABEL.getBytes(StandardCharsets.US_ASCII));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is not available", e);
    }
  }

  String sign(FormClaims claims) {
    try {
      JWSObject jws = new JWSObject(HEADER, new Payload(JSON.writeValueAsBytes(claims)));
      jws.sign(signer);
      return jws.serialize();
    } catch (IOException e) {
      throw new IllegalStateException("Form claims did not serialize", e);
    } catch (JOSEException e) {
      throw new IllegalStateException("A form did not sign", e);
    }
  }

  /** The claims of a token this service signed; anything else is FORM_INVALID. */
  FormClaims verify(String token) throws RejectedException {
    if (token == null || token.isBlank()) {
      throw ErrorCode.NULL_ARGUMENT.reject("token").asException();
    }
    try {
      // parse takes exactly three parts with a JWS header: alg none, JWE and extra parts fail here.
      JWSObject jws = JWSObject.parse(token);
      // The verifier's 256-bit key already rules out HS384 and HS512; naming HS256 keeps that so
      // whatever the key, and refuses a token before its MAC is computed.
      if (!JWSAlgorithm.HS256.equals(jws.getHeader().getAlgorithm()) || !jws.verify(verifier)) {
        throw invalid();
      }
      // Only claims this service signed get this far; the checks below guard against its own mistakes.
      FormClaims claims = JSON.readValue(jws.getPayload().toBytes(), FormClaims.class);
      if (claims == null || claims.id() == null || claims.kind() == null || claims.batchId() == null
          || claims.userId() == null) {
        throw invalid();
      }
      return claims;
    } catch (ParseException | JOSEException | IOException | RuntimeException e) {
      // Not only checked exceptions: nimbus's parser throws a NullPointerException on a header of
      // JSON null, and a token is caller input, which must never become a server error.
      throw invalid();
    }
  }

  private static RejectedException invalid() {
    return ErrorCode.FORM_INVALID.reject("The form token is not one this service issued, or it was altered.").asException();
  }
}
