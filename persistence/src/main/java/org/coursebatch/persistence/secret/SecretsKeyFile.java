package org.coursebatch.persistence.secret;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The secrets key of a node on the embedded database, kept as base64 text in its data directory
 * (owner-only where the file system has permissions) and generated the first time.
 */
final class SecretsKeyFile {

  private static final Logger log = LoggerFactory.getLogger(SecretsKeyFile.class);

  private SecretsKeyFile() {}

  static SecretsKey loadOrCreate(Path file) {
    try {
      if (Files.exists(file)) {
        return read(file);
      }
      Path dir = file.toAbsolutePath().getParent();
      Files.createDirectories(dir);
      SecretsKey key = SecretsKey.generate();
      Path tmp = Files.createTempFile(dir, "secrets-key", ".tmp");
      try {
        try {
          Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException notPosix) {
          // a file system without permissions
        }
        Files.writeString(tmp, key.base64() + "\n");
        // A link, unlike a rename, never replaces a key another process wrote in the meantime.
        try {
          Files.createLink(file, tmp);
        } catch (UnsupportedOperationException noLinks) {
          Files.move(tmp, file); // refuses an existing file, though not atomically
        }
      } catch (FileAlreadyExistsException raced) {
        return read(file);
      } finally {
        Files.deleteIfExists(tmp);
      }
      log.warn("Generated the key service secrets are sealed with at {}; keep it with the data directory, and set"
          + " BATCH_SECRETS_KEY on nodes of a shared database", file);
      return key;
    } catch (IOException e) {
      throw new UncheckedIOException("Could not read or create the secrets key file " + file + ": " + e.getMessage(), e);
    }
  }

  private static SecretsKey read(Path file) throws IOException {
    return SecretsKey.parse(Files.readString(file), "The secrets key file " + file);
  }
}
