package org.coursebatch.persistence.secret;

import java.util.Optional;

/**
 * What a node does with a stored secret, given the key it has (ADR 9). A secret it cannot open
 * is never replaced: a new one would invalidate every outstanding form and report, so the node
 * refuses to start instead.
 */
public final class SecretOpening {

  private SecretOpening() {}

  public sealed interface Decision {
    /** The secret, stored as it should be. */
    record Use(byte[] secret) implements Decision {}

    /** A plain secret and a key: store {@code sealed} in its place (if the row still holds the plain text). */
    record Seal(byte[] secret, StoredSecret.Sealed sealed) implements Decision {}

    /** The node must not start; {@code reason} says what the operator gives. */
    record Refuse(String reason) implements Decision {}
  }

  public static Decision decide(String name, StoredSecret stored, Optional<SecretsKey> key) {
    if (stored instanceof StoredSecret.Plain plain) {
      return key.<Decision>map(k -> new Decision.Seal(plain.secret(), StoredSecret.Sealed.seal(k, name, plain.secret())))
          .orElseGet(() -> new Decision.Use(plain.secret()));
    }
    if (stored instanceof StoredSecret.Unreadable unreadable) {
      return new Decision.Refuse("Secret " + name + " in service_secret cannot be read: " + unreadable.why());
    }
    StoredSecret.Sealed sealed = (StoredSecret.Sealed) stored;
    if (key.isEmpty()) {
      return new Decision.Refuse("Secret " + name + " in service_secret is sealed with key " + sealed.keyId()
          + ", but this node has no key: set BATCH_SECRETS_KEY (course-batch.secrets.key) to that key, the one every"
          + " other node of the cluster has");
    }
    if (!sealed.keyId().equals(key.get().id())) {
      return new Decision.Refuse("Secret " + name + " in service_secret is sealed with key " + sealed.keyId()
          + ", but this node's key is " + key.get().id() + ": set BATCH_SECRETS_KEY (course-batch.secrets.key) to the"
          + " key the secrets were sealed with (changing the key is not supported)");
    }
    return sealed.open(key.get(), name).<Decision>map(Decision.Use::new).orElseGet(() -> new Decision.Refuse(
        "Secret " + name + " in service_secret does not open with key " + sealed.keyId()
            + ": the row was altered or copied from another secret"));
  }

  /** How a new secret is stored: sealed when there is a key, else plain. */
  public static StoredSecret toStore(String name, byte[] secret, Optional<SecretsKey> key) {
    return key.<StoredSecret>map(k -> StoredSecret.Sealed.seal(k, name, secret)).orElseGet(() -> new StoredSecret.Plain(secret));
  }
}
