package org.coursebatch.persistence.secret;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The key the secrets in {@code service_secret} are sealed with (ADR 9): 32 bytes, the same on
 * every node of a cluster. Its id names it in sealed rows and in messages without giving it away.
 */
public final class SecretsKey {

  public static final int BYTES = AesGcm.KEY_BYTES;

  /** What an operator gives, said in every refusal. */
  public static final String WHAT_TO_GIVE = "the base64 of 32 random bytes, e.g. the output of `openssl rand -base64 32`";

  /** The id is a MAC of this text under the key: it tells keys apart and says nothing of the key. */
  private static final byte[] ID_LABEL = "course-batch secrets key id".getBytes(StandardCharsets.UTF_8);
  private static final int ID_BYTES = 8;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final byte[] bytes;
  private final String id;

  private SecretsKey(byte[] bytes) {
    this.bytes = bytes.clone();
    this.id = idOf(this.bytes);
  }

  /**
   * The key written as base64 (standard or URL-safe alphabet; white space around it is ignored,
   * e.g. the line end of a file). {@code source} names where it came from in the refusal, which
   * never quotes the value.
   */
  public static SecretsKey parse(String base64, String source) {
    String text = base64 == null ? "" : base64.strip();
    if (text.isEmpty()) {
      throw new IllegalArgumentException(source + " is empty: give " + WHAT_TO_GIVE);
    }
    for (Base64.Decoder decoder : List.of(Base64.getDecoder(), Base64.getUrlDecoder())) {
      byte[] decoded;
      try {
        decoded = decoder.decode(text);
      } catch (IllegalArgumentException notThisAlphabet) {
        continue;
      }
      if (decoded.length != BYTES) {
        throw new IllegalArgumentException(source + " holds " + decoded.length + " bytes, not " + BYTES + ": give "
            + WHAT_TO_GIVE);
      }
      return new SecretsKey(decoded);
    }
    throw new IllegalArgumentException(source + " is not base64: give " + WHAT_TO_GIVE);
  }

  /** A new random key. */
  public static SecretsKey generate() {
    byte[] bytes = new byte[BYTES];
    RANDOM.nextBytes(bytes);
    return new SecretsKey(bytes);
  }

  /** 16 hex digits that name this key. */
  public String id() {
    return id;
  }

  /** The key as base64, the form it is given in. */
  public String base64() {
    return Base64.getEncoder().encodeToString(bytes);
  }

  byte[] bytes() {
    return bytes.clone();
  }

  private static String idOf(byte[] key) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return HexFormat.of().formatHex(Arrays.copyOf(mac.doFinal(ID_LABEL), ID_BYTES));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is not available", e);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SecretsKey other && java.security.MessageDigest.isEqual(bytes, other.bytes);
  }

  @Override
  public int hashCode() {
    return id.hashCode();
  }

  /** Never the key itself: settings end up in logs. */
  @Override
  public String toString() {
    return "SecretsKey[id=" + id + "]";
  }
}
