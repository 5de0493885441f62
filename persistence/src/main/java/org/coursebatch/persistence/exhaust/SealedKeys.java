package org.coursebatch.persistence.exhaust;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import org.coursebatch.persistence.secret.AesGcm;

/**
 * Seals report passwords for the time they sit in the job table (AES-256-GCM under a key every
 * node shares), so that they never appear in plain text in the database, its dumps or its logs.
 * The text is base64 of a random 12-byte nonce followed by the ciphertext and tag.
 */
final class SealedKeys {

  private static final byte[] NO_ASSOCIATED_DATA = new byte[0];

  private final byte[] key;

  SealedKeys(byte[] secret) {
    if (secret.length != AesGcm.KEY_BYTES) {
      throw new IllegalArgumentException("The exhaust key has " + AesGcm.KEY_BYTES + " bytes, not " + secret.length);
    }
    this.key = secret.clone();
  }

  String seal(String password) {
    return Base64.getEncoder().encodeToString(AesGcm.seal(key, password.getBytes(StandardCharsets.UTF_8), NO_ASSOCIATED_DATA));
  }

  String open(String sealed) {
    Optional<byte[]> password;
    try {
      password = AesGcm.open(key, Base64.getDecoder().decode(sealed), NO_ASSOCIATED_DATA);
    } catch (IllegalArgumentException notBase64) {
      password = Optional.empty();
    }
    return new String(password.orElseThrow(() ->
        new IllegalStateException("Could not open a sealed report password (was the exhaust key changed?)")), StandardCharsets.UTF_8);
  }
}
