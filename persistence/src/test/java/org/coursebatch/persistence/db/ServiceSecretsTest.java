package org.coursebatch.persistence.db;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.coursebatch.persistence.testing.TestDatabases;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

class ServiceSecretsTest {

  @TempDir
  static Path tmp;

  @TestInstance(TestInstance.Lifecycle.PER_CLASS)
  abstract class Contract {
    DatabaseSettings settings;
    Database db;

    abstract DatabaseSettings fresh();

    @BeforeAll
    void open() {
      settings = fresh();
      db = Database.open(settings);
      db.migrate();
    }

    @AfterAll
    void close() {
      db.close();
      TestDatabases.dropPostgres(settings);
    }

    @Test
    void aSecretIsGeneratedOnceAndThenReadBack() {
      byte[] first = ServiceSecrets.getOrCreate(db, "jwt");
      assertEquals(ServiceSecrets.SECRET_BYTES, first.length);
      assertArrayEquals(first, ServiceSecrets.getOrCreate(db, "jwt"));
      // another node, its own pool on the same database
      try (Database other = Database.open(settings)) {
        assertArrayEquals(first, ServiceSecrets.getOrCreate(other, "jwt"));
      }
      byte[] second = ServiceSecrets.getOrCreate(db, "cursor");
      assertEquals(ServiceSecrets.SECRET_BYTES, second.length);
      assertFalse(java.util.Arrays.equals(first, second));
      assertArrayEquals(second, ServiceSecrets.getOrCreate(db, "cursor"));
      assertThrows(IllegalArgumentException.class, () -> ServiceSecrets.getOrCreate(db, ""));
    }

    @Test
    void theFirstSecretStoredStays() throws Exception {
      byte[] theirs = {1, 2, 3};
      try (Connection c = db.dataSource().getConnection()) {
        ServiceSecrets.insertIfAbsent(c, "taken", Base64.getEncoder().encodeToString(theirs));
        // a node that lost the race: its insert is dropped without an error
        ServiceSecrets.insertIfAbsent(c, "taken", Base64.getEncoder().encodeToString(new byte[] {9}));
      }
      assertArrayEquals(theirs, ServiceSecrets.getOrCreate(db, "taken"));
    }

    @Test
    void nodesStartingTogetherGetTheSameSecret() throws Exception {
      ExecutorService pool = Executors.newFixedThreadPool(4);
      try {
        for (int round = 0; round < 5; round++) {
          String name = "race-" + round;
          List<Callable<byte[]>> nodes = new ArrayList<>();
          for (int i = 0; i < 4; i++) {
            nodes.add(() -> ServiceSecrets.getOrCreate(db, name));
          }
          List<Future<byte[]>> results = pool.invokeAll(nodes, 30, TimeUnit.SECONDS);
          byte[] agreed = results.get(0).get();
          for (Future<byte[]> r : results) {
            assertArrayEquals(agreed, r.get(), name);
          }
        }
      } finally {
        pool.shutdownNow();
      }
    }
  }

  @Nested
  class OnH2 extends Contract {
    @Override
    DatabaseSettings fresh() {
      return TestDatabases.freshH2(tmp);
    }
  }

  @Nested
  class OnPostgres extends Contract {
    @Override
    DatabaseSettings fresh() {
      return TestDatabases.freshPostgres();
    }
  }
}
