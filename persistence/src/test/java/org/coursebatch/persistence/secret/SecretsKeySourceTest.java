package org.coursebatch.persistence.secret;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretsKeySourceTest {

  @TempDir
  Path dataDir;

  @Test
  void theConfiguredKeyWinsElseTheEmbeddedDatabaseHasAKeyFileElseNone() {
    SecretsKey key = SecretsKey.generate();
    assertEquals(new SecretsKeySource.Configured(key), SecretsKeySource.decide(Optional.of(key), true, dataDir));
    assertEquals(new SecretsKeySource.Configured(key), SecretsKeySource.decide(Optional.of(key), false, dataDir));
    assertEquals(new SecretsKeySource.KeyFile(dataDir.resolve("secrets-key")),
        SecretsKeySource.decide(Optional.empty(), true, dataDir));
    SecretsKeySource none = SecretsKeySource.decide(Optional.empty(), false, dataDir);
    assertEquals(new SecretsKeySource.None(), none);
    assertEquals(Optional.empty(), none.load());
  }

  @Test
  void theKeyFileIsGeneratedOnceForItsOwnerAndReadBack() throws Exception {
    Path file = dataDir.resolve("nested").resolve("secrets-key");
    SecretsKeySource source = new SecretsKeySource.KeyFile(file);
    SecretsKey first = source.load().orElseThrow();
    assertEquals(first.base64() + "\n", Files.readString(file));
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    assertEquals(first, source.load().orElseThrow());
    try (var left = Files.list(file.getParent())) {
      assertEquals(List.of(file), left.toList(), "no temporary file left behind");
    }
  }

  @Test
  void processesCreatingTheKeyFileTogetherGetOneKey() throws Exception {
    for (int round = 0; round < 10; round++) {
      Path file = dataDir.resolve("race-" + round);
      ExecutorService pool = Executors.newFixedThreadPool(4);
      try {
        List<Future<SecretsKey>> keys = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
          keys.add(pool.submit(() -> SecretsKeyFile.loadOrCreate(file)));
        }
        for (Future<SecretsKey> k : keys) {
          assertEquals(SecretsKeyFile.loadOrCreate(file), k.get());
        }
      } finally {
        pool.shutdownNow();
      }
    }
  }

  @Test
  void aDamagedKeyFileIsRefusedNamingIt() throws Exception {
    Path file = dataDir.resolve("secrets-key");
    Files.writeString(file, "short\n");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new SecretsKeySource.KeyFile(file).load());
    assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains("openssl rand -base64 32"), e.getMessage());
  }
}
