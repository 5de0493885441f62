package org.coursebatch.persistence.secret;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A secret as written in {@code service_secret.secret}. Plain: the base64 of its bytes, as every
 * version before sealing wrote it. Sealed: {@code v1:<key id>:<base64 of AES-GCM nonce, ciphertext
 * and tag>}, the secret's name as associated data. Base64 has no {@code :}, so the two never look
 * alike, and a later format takes the next version prefix.
 */
public sealed interface StoredSecret {

  /** The column's text. */
  String text();

  static StoredSecret parse(String text) {
    int colon = text.indexOf(':');
    if (colon < 0) {
      try {
        return new Plain(Base64.getDecoder().decode(text));
      } catch (IllegalArgumentException notBase64) {
        return new Unreadable(text, "neither base64 nor a sealed secret");
      }
    }
    String version = text.substring(0, colon);
    if (!version.equals(Sealed.VERSION)) {
      return new Unreadable(text, "format '" + version + "' is not known to this version of the service (written by a newer one?)");
    }
    String rest = text.substring(colon + 1);
    int second = rest.indexOf(':');
    if (second < 0 || !Sealed.KEY_ID.matcher(rest.substring(0, second)).matches()) {
      return new Unreadable(text, "a damaged sealed secret (no key id)");
    }
    try {
      return new Sealed(rest.substring(0, second), Base64.getDecoder().decode(rest.substring(second + 1)));
    } catch (IllegalArgumentException notBase64) {
      return new Unreadable(text, "a damaged sealed secret (not base64)");
    }
  }

  /** A secret stored as it is: whoever reads the row has it. */
  record Plain(byte[] secret) implements StoredSecret {
    @Override
    public String text() {
      return Base64.getEncoder().encodeToString(secret);
    }
  }

  /** A secret sealed under the key named {@code keyId}. */
  record Sealed(String keyId, byte[] box) implements StoredSecret {

    static final String VERSION = "v1";
    static final Pattern KEY_ID = Pattern.compile("[0-9a-f]{16}");

    /** {@code secret}, stored under {@code name}, sealed with {@code key}. */
    public static Sealed seal(SecretsKey key, String name, byte[] secret) {
      return new Sealed(key.id(), AesGcm.seal(key.bytes(), secret, associatedData(name)));
    }

    /** The secret; empty when this was not sealed with {@code key} for {@code name}, or was altered. */
    public Optional<byte[]> open(SecretsKey key, String name) {
      return AesGcm.open(key.bytes(), box, associatedData(name));
    }

    @Override
    public String text() {
      return VERSION + ":" + keyId + ":" + Base64.getEncoder().encodeToString(box);
    }

    /** The name binds the secret to its row: a sealed value copied to another row does not open. */
    private static byte[] associatedData(String name) {
      return name.getBytes(StandardCharsets.UTF_8);
    }
  }

  /** Text this version cannot read, and why. */
  record Unreadable(String text, String why) implements StoredSecret {}
}
