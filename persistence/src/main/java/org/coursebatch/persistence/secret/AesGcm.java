package org.coursebatch.persistence.secret;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Optional;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES-256-GCM from the JDK with a random 96-bit nonce. Sealed bytes are the nonce followed by the
 * ciphertext and its 128-bit tag, so they open with the key and the associated data alone.
 */
public final class AesGcm {

  public static final int KEY_BYTES = 32;
  static final int NONCE_BYTES = 12;
  static final int TAG_BYTES = 16;
  private static final String TRANSFORMATION = "AES/GCM/NoPadding";
  private static final SecureRandom RANDOM = new SecureRandom();

  private AesGcm() {}

  /** {@code plaintext} sealed under {@code key}, bound to {@code associatedData} (may be empty). */
  public static byte[] seal(byte[] key, byte[] plaintext, byte[] associatedData) {
    try {
      byte[] nonce = new byte[NONCE_BYTES];
      RANDOM.nextBytes(nonce);
      Cipher cipher = cipher(Cipher.ENCRYPT_MODE, key, nonce, associatedData);
      byte[] sealed = cipher.doFinal(plaintext);
      return ByteBuffer.allocate(NONCE_BYTES + sealed.length).put(nonce).put(sealed).array();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is not available: " + e.getMessage(), e);
    }
  }

  /**
   * The plaintext of {@code sealed}; empty when it was not sealed under {@code key} with this
   * associated data, or was altered since.
   */
  public static Optional<byte[]> open(byte[] key, byte[] sealed, byte[] associatedData) {
    if (sealed.length < NONCE_BYTES + TAG_BYTES) {
      return Optional.empty();
    }
    try {
      Cipher cipher = cipher(Cipher.DECRYPT_MODE, key, sealed, associatedData);
      return Optional.of(cipher.doFinal(sealed, NONCE_BYTES, sealed.length - NONCE_BYTES));
    } catch (AEADBadTagException notOurs) {
      return Optional.empty();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is not available: " + e.getMessage(), e);
    }
  }

  /** A cipher whose nonce is the first {@link #NONCE_BYTES} of {@code nonce}. */
  private static Cipher cipher(int mode, byte[] key, byte[] nonce, byte[] associatedData) throws GeneralSecurityException {
    if (key.length != KEY_BYTES) {
      throw new IllegalArgumentException("An AES-256 key has " + KEY_BYTES + " bytes, not " + key.length);
    }
    Cipher cipher = Cipher.getInstance(TRANSFORMATION);
    cipher.init(mode, new SecretKeySpec(key, "AES"), new GCMParameterSpec(TAG_BYTES * 8, nonce, 0, NONCE_BYTES));
    if (associatedData.length > 0) {
      cipher.updateAAD(associatedData);
    }
    return cipher;
  }
}
