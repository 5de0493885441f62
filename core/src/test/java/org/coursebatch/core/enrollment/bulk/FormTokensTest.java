package org.coursebatch.core.enrollment.bulk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.nimbusds.jose.EncryptionMethod;
import com.nimbusds.jose.JWEAlgorithm;
import com.nimbusds.jose.JWEHeader;
import com.nimbusds.jose.JWEObject;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.PlainObject;
import com.nimbusds.jose.crypto.DirectEncrypter;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.coursebatch.core.error.ErrorCode;
import org.coursebatch.core.error.RejectedException;
import org.junit.jupiter.api.Test;

class FormTokensTest {

  private static final byte[] KEY = "a-key-of-at-least-sixteen-bytes".getBytes(StandardCharsets.UTF_8);
  private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();
  private final FormTokens tokens = new FormTokens(KEY);
  private final FormClaims claims = new FormClaims("form-1", EnrollmentForm.Kind.UPDATE, "0131", "urn:user:7", 2,
      List.of(EnrollmentBatchAdmin.PROGRESS_RECORD), 1_900_000_000L);

  @Test
  void aSignedFormReadsBack() {
    assertEquals(claims, tokens.verify(tokens.sign(claims)));
  }

  @Test
  void aFormIsACompactHs256Jws() throws Exception {
    JWSObject jws = JWSObject.parse(tokens.sign(claims));
    assertEquals(JWSAlgorithm.HS256, jws.getHeader().getAlgorithm());
    assertEquals("{\"i\":\"form-1\",\"k\":\"UPDATE\",\"b\":\"0131\",\"u\":\"urn:user:7\",\"n\":2,"
        + "\"r\":[\"" + EnrollmentBatchAdmin.PROGRESS_RECORD + "\"],\"x\":1900000000}", jws.getPayload().toString());
  }

  @Test
  void aFormIssuedUnderTheSameKeyByAnotherNodeReads() {
    // Signed under KEY outside this code, from the documented derivation (HMAC-SHA256 of the label
    // under KEY, then HS256): neither may drift between versions, or a rolling upgrade would refuse
    // the forms the older nodes issued.
    String issued = "eyJhbGciOiJIUzI1NiJ9"
        + ".eyJpIjoiZm9ybS0xIiwiayI6IlVQREFURSIsImIiOiIwMTMxIiwidSI6InVybjp1c2VyOjciLCJuIjoyLCJyIjpbImVucm9sbG1l"
        + "bnQ6cHJvZ3Jlc3NAY291cnNlYmF0Y2giXSwieCI6MTkwMDAwMDAwMH0"
        + ".Cq94gJ5Kq-1e-DOWdraStfbUdfI2LVNZlvLAkOWhqNA";
    assertEquals(claims, tokens.verify(issued));
    assertEquals(issued, tokens.sign(claims));
  }

  @Test
  void aSixteenByteKeyWorks() {
    var shortest = new FormTokens("sixteen-byte-key".getBytes(StandardCharsets.UTF_8));
    assertEquals(claims, shortest.verify(shortest.sign(claims)));
    assertInvalid(tokens, shortest.sign(claims));
  }

  @Test
  void anotherKeysFormIsInvalid() {
    String foreign = new FormTokens("another-key-of-sixteen-bytes".getBytes(StandardCharsets.UTF_8)).sign(claims);
    assertInvalid(foreign);
  }

  @Test
  void aFormSignedWithTheConfiguredKeyItselfIsInvalid() throws Exception {
    // Only the derived key signs forms: a token MACed with the raw setting (e.g. reused as a JWT secret) is not one.
    byte[] raw = "a-raw-key-of-thirty-two-bytes-ok".getBytes(StandardCharsets.UTF_8);
    assertInvalid(new FormTokens(raw), jws(JWSAlgorithm.HS256, claimsJson(), raw));
  }

  @Test
  void anAlteredFormIsInvalid() {
    String token = tokens.sign(claims);
    String[] parts = token.split("\\.");
    String json = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8).replace("urn:user:7", "urn:user:8");
    assertInvalid(parts[0] + "." + B64URL.encodeToString(json.getBytes(StandardCharsets.UTF_8)) + "." + parts[2]);
    assertInvalid(parts[0] + "." + parts[1] + "." + parts[2].substring(1) + (parts[2].charAt(0) == 'A' ? "B" : "A"));
  }

  @Test
  void onlyHs256IsAccepted() throws Exception {
    String json = claimsJson();
    assertInvalid(new PlainObject(new Payload(json)).serialize());
    assertInvalid(B64URL.encodeToString("{\"alg\":\"none\"}".getBytes(StandardCharsets.US_ASCII)) + "."
        + B64URL.encodeToString(json.getBytes(StandardCharsets.UTF_8)) + ".");
    // HS512 under the very key that signs forms: a verifier that followed the header would accept it.
    String header = B64URL.encodeToString("{\"alg\":\"HS512\"}".getBytes(StandardCharsets.US_ASCII));
    String payload = B64URL.encodeToString(json.getBytes(StandardCharsets.UTF_8));
    Mac hs512 = Mac.getInstance("HmacSHA512");
    hs512.init(new SecretKeySpec(FormTokens.macKey(KEY), "HmacSHA512"));
    assertInvalid(header + "." + payload + "."
        + B64URL.encodeToString(hs512.doFinal((header + "." + payload).getBytes(StandardCharsets.US_ASCII))));
    byte[] longKey = new byte[64];
    new Random(1).nextBytes(longKey);
    assertInvalid(jws(JWSAlgorithm.HS384, json, longKey));
    assertInvalid(jws(JWSAlgorithm.HS512, json, longKey));
    var rsa = KeyPairGenerator.getInstance("RSA");
    rsa.initialize(2048);
    JWSObject rs256 = new JWSObject(new JWSHeader(JWSAlgorithm.RS256), new Payload(json));
    rs256.sign(new RSASSASigner(rsa.generateKeyPair().getPrivate()));
    assertInvalid(rs256.serialize());
  }

  @Test
  void tokensOfTheWrongShapeAreInvalid() throws Exception {
    String[] parts = tokens.sign(claims).split("\\.");
    assertInvalid(parts[0]);
    assertInvalid(parts[0] + ".");
    assertInvalid(parts[0] + "." + parts[1]);
    assertInvalid(parts[0] + "." + parts[1] + ".");
    assertInvalid(parts[0] + "." + parts[1] + "." + parts[2] + "." + parts[2]);
    assertInvalid(parts[0] + "." + parts[1] + "." + parts[2] + ".");
    JWEObject jwe = new JWEObject(new JWEHeader(JWEAlgorithm.DIR, EncryptionMethod.A256GCM), new Payload(claimsJson()));
    jwe.encrypt(new DirectEncrypter(FormTokens.macKey(KEY)));
    assertInvalid(jwe.serialize());
    assertInvalid(parts[0] + "." + parts[1] + "." + parts[2] + "." + parts[2] + "." + parts[2]);
  }

  @Test
  void aFormOfTheFormerFormatIsInvalid() throws Exception {
    // The claims as base64url JSON, a dot, HMAC-SHA256 of that text under the configured key.
    String payload = B64URL.encodeToString(claimsJson().getBytes(StandardCharsets.UTF_8));
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(KEY, "HmacSHA256"));
    assertInvalid(payload + "." + B64URL.encodeToString(mac.doFinal(payload.getBytes(StandardCharsets.US_ASCII))));
  }

  @Test
  void signedPayloadsThatAreNotClaimsAreInvalid() throws Exception {
    byte[] key = FormTokens.macKey(KEY);
    for (String payload : List.of("", "not json", "null", "42", "\"text\"", "[]", "[{\"i\":\"form-1\"}]", "{}",
        "{\"i\":\"form-1\",\"k\":\"UPDATE\",\"b\":\"0131\"}", "{\"i\":\"form-1\",\"k\":\"JOIN\",\"b\":\"0131\",\"u\":\"u\"}",
        "{\"i\":\"form-1\",\"k\":\"CREATE\",\"b\":\"0131\",\"u\":\"u\",\"n\":1e999}",
        "{\"i\":\"form-1\",\"k\":\"CREATE\",\"b\":\"0131\",\"u\":\"u\",\"r\":[null]}",
        "[".repeat(5_000) + "]".repeat(5_000))) {
      assertInvalid(jws(JWSAlgorithm.HS256, payload, key));
    }
  }

  @Test
  void garbageIsInvalidAndNothingIsMissing() {
    assertInvalid("not a token");
    assertInvalid("a.b.c");
    assertInvalid("!!!.???");
    assertInvalid("..");
    assertInvalid("e30.e30.e30");
    assertInvalid("eyJhbGciOiJIUzI1NiJ9.!!!.???");
    assertInvalid(B64URL.encodeToString("[".repeat(10_000).getBytes(StandardCharsets.US_ASCII)) + ".e30.e30");
    String payload = tokens.sign(claims).split("\\.")[1];
    for (String header : List.of("null", "[]", "\"HS256\"", "{}", "{\"alg\":null}", "{\"alg\":256}", "{\"alg\":\"HS256\"",
        "{\"alg\":\"HS256\",\"crit\":\"b64\"}", "{\"alg\":\"HS256\",\"jwk\":\"key\"}", "{\"alg\":\"HS256\",\"x5c\":[1]}")) {
      assertInvalid(B64URL.encodeToString(header.getBytes(StandardCharsets.UTF_8)) + "." + payload + ".e30");
    }
    var missing = assertThrows(RejectedException.class, () -> tokens.verify(" "));
    assertEquals(ErrorCode.NULL_ARGUMENT, missing.rejection().code());
    assertEquals(ErrorCode.NULL_ARGUMENT, assertThrows(RejectedException.class, () -> tokens.verify(null)).rejection().code());
  }

  @Test
  void aMegabyteOfGarbageIsInvalid() {
    assertInvalid("x".repeat(1 << 20));
    var random = new Random(7);
    var chars = new StringBuilder(1 << 20);
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.=+/!{}\"";
    while (chars.length() < 1 << 20) {
      chars.append(alphabet.charAt(random.nextInt(alphabet.length())));
    }
    assertInvalid(chars.toString());
    String third = B64URL.encodeToString(new byte[1 << 18]);
    assertInvalid(third + "." + third + "." + third);
    assertInvalid("eyJhbGciOiJIUzI1NiJ9." + third + "." + third);
  }

  @Test
  void aShortKeyIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> new FormTokens(new byte[8]));
    assertThrows(IllegalArgumentException.class, () -> new FormTokens(new byte[15]));
  }

  private String claimsJson() throws Exception {
    return JWSObject.parse(tokens.sign(claims)).getPayload().toString();
  }

  private static String jws(JWSAlgorithm alg, String payload, byte[] key) throws Exception {
    JWSObject jws = new JWSObject(new JWSHeader(alg), new Payload(payload));
    jws.sign(new MACSigner(key));
    return jws.serialize();
  }

  private void assertInvalid(String token) {
    assertInvalid(tokens, token);
  }

  private static void assertInvalid(FormTokens tokens, String token) {
    var e = assertThrows(RejectedException.class, () -> tokens.verify(token));
    assertEquals(ErrorCode.FORM_INVALID, e.rejection().code());
    assertEquals("The form token is not one this service issued, or it was altered.", e.rejection().message());
  }
}
