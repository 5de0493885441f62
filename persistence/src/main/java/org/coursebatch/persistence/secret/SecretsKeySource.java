package org.coursebatch.persistence.secret;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Where a node's secrets key comes from (ADR 9), decided from its settings: the configured key;
 * else, on the embedded H2 default, a key generated once into the data directory (the database
 * lies there too, so the no-setup start keeps working); else, with a database the operator named,
 * none: secrets stay in plain text and the node warns.
 */
public sealed interface SecretsKeySource {

  /** The key file in the data directory. */
  String FILE_NAME = "secrets-key";

  /** Logged once at start-up by a node without a key. */
  String PLAIN_TEXT_WARNING = "No BATCH_SECRETS_KEY is set: the secrets the nodes share in the database's service_secret"
      + " table (the bulk enrolment form key, the key report passwords are sealed with) are stored in plain text, so"
      + " whoever can read the database (a backup, a replica, a reporting user) can forge enrolment forms and read every"
      + " waiting report's password. Set BATCH_SECRETS_KEY to " + SecretsKey.WHAT_TO_GIVE + ", the same on every node.";

  /** The key, or none; reading a key file may create it. */
  Optional<SecretsKey> load();

  /** Where the key comes from, for the log. */
  String describe();

  record Configured(SecretsKey key) implements SecretsKeySource {
    @Override
    public Optional<SecretsKey> load() {
      return Optional.of(key);
    }

    @Override
    public String describe() {
      return "BATCH_SECRETS_KEY";
    }
  }

  record KeyFile(Path file) implements SecretsKeySource {
    @Override
    public Optional<SecretsKey> load() {
      return Optional.of(SecretsKeyFile.loadOrCreate(file));
    }

    @Override
    public String describe() {
      return "the key file " + file;
    }
  }

  record None() implements SecretsKeySource {
    @Override
    public Optional<SecretsKey> load() {
      return Optional.empty();
    }

    @Override
    public String describe() {
      return "no key";
    }
  }

  /**
   * @param configured the key the operator gave, if any
   * @param embeddedDatabase whether the database is the embedded H2 default under {@code dataDir}
   */
  static SecretsKeySource decide(Optional<SecretsKey> configured, boolean embeddedDatabase, Path dataDir) {
    if (configured.isPresent()) {
      return new Configured(configured.get());
    }
    return embeddedDatabase ? new KeyFile(dataDir.resolve(FILE_NAME)) : new None();
  }
}
