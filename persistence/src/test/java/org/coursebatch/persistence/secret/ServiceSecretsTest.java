package org.coursebatch.persistence.secret;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.coursebatch.persistence.db.Database;
import org.coursebatch.persistence.db.DatabaseSettings;
import org.coursebatch.persistence.testing.OnBothDatabases;
import org.coursebatch.persistence.testing.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

@OnBothDatabases
class ServiceSecretsTest {

  private static final Optional<SecretsKey> NO_KEY = Optional.empty();

  @Nested
  @TestInstance(TestInstance.Lifecycle.PER_CLASS)
  class Contract {
    DatabaseSettings settings;
    Database db;

    @BeforeAll
    void open(TestDatabase database) {
      settings = database.fresh();
      db = Database.open(settings);
      db.migrate();
    }

    @AfterAll
    void close() {
      db.close();
    }

    @BeforeEach
    void empty() throws Exception {
      try (Connection c = db.dataSource().getConnection()) {
        c.createStatement().execute("DELETE FROM service_secret");
      }
    }

    @Test
    void aSecretIsGeneratedOnceAndThenReadBack() {
      ServiceSecrets secrets = ServiceSecrets.open(db, NO_KEY);
      byte[] first = secrets.getOrCreate("jwt");
      assertEquals(ServiceSecrets.SECRET_BYTES, first.length);
      assertArrayEquals(first, secrets.getOrCreate("jwt"));
      // another node, its own pool on the same database
      try (Database other = Database.open(settings)) {
        assertArrayEquals(first, ServiceSecrets.open(other, NO_KEY).getOrCreate("jwt"));
      }
      byte[] second = secrets.getOrCreate("cursor");
      assertEquals(ServiceSecrets.SECRET_BYTES, second.length);
      assertFalse(Arrays.equals(first, second));
      assertArrayEquals(second, secrets.getOrCreate("cursor"));
      assertThrows(IllegalArgumentException.class, () -> secrets.getOrCreate(""));
    }

    @Test
    void theFirstSecretStoredStays() throws Exception {
      byte[] theirs = {1, 2, 3};
      try (Connection c = db.dataSource().getConnection()) {
        ServiceSecrets.insertIfAbsent(c, "taken", Base64.getEncoder().encodeToString(theirs));
        // a node that lost the race: its insert is dropped without an error
        ServiceSecrets.insertIfAbsent(c, "taken", Base64.getEncoder().encodeToString(new byte[] {9}));
      }
      assertArrayEquals(theirs, ServiceSecrets.open(db, NO_KEY).getOrCreate("taken"));
    }

    @Test
    void withoutAKeyTheRowIsThePlainSecretAsBefore() throws Exception {
      byte[] secret = ServiceSecrets.open(db, NO_KEY).getOrCreate("plain");
      assertEquals(Base64.getEncoder().encodeToString(secret), rows().get("plain"));
      assertTrue(contains(rows().get("plain"), secret), "what the sealed rows are checked against finds a plain one");
    }

    @Test
    void withAKeyTheStoredTextIsNotTheSecretAndTheSameKeyReadsItBack() throws Exception {
      SecretsKey key = SecretsKey.generate();
      byte[] secret = ServiceSecrets.open(db, Optional.of(key)).getOrCreate("form");
      String text = rows().get("form");
      assertTrue(text.startsWith("v1:" + key.id() + ":"), text);
      assertFalse(contains(text, secret), "the secret's bytes are nowhere in the row");
      try (Database other = Database.open(settings)) {
        assertArrayEquals(secret, ServiceSecrets.open(other, Optional.of(SecretsKey.parse(key.base64(), "test")))
            .getOrCreate("form"), "a node restarted with the same key");
      }
      assertEquals(text, rows().get("form"), "reading changes nothing");
    }

    @Test
    void plainRowsAreSealedInPlaceWhenANodeOpensThemWithAKey() throws Exception {
      ServiceSecrets before = ServiceSecrets.open(db, NO_KEY);
      byte[] form = before.getOrCreate("form");
      byte[] exhaust = before.getOrCreate("exhaust");
      SecretsKey key = SecretsKey.generate();

      ServiceSecrets.open(db, Optional.of(key)); // neither row is asked for: opening seals both
      Map<String, String> sealed = rows();
      for (var row : sealed.entrySet()) {
        assertTrue(row.getValue().startsWith("v1:" + key.id() + ":"), row.toString());
      }
      assertFalse(contains(sealed.get("form"), form));
      assertFalse(contains(sealed.get("exhaust"), exhaust));

      ServiceSecrets after = ServiceSecrets.open(db, Optional.of(key));
      assertEquals(sealed, rows(), "sealed once: a second start changes nothing");
      assertArrayEquals(form, after.getOrCreate("form"));
      assertArrayEquals(exhaust, after.getOrCreate("exhaust"));
    }

    @Test
    void aRowSealedWithAnotherKeyOrWithoutAKeyRefusesTheStartAndStaysAsItWas() throws Exception {
      SecretsKey key = SecretsKey.generate();
      byte[] secret = ServiceSecrets.open(db, Optional.of(key)).getOrCreate("form");
      Map<String, String> stored = rows();
      SecretsKey other = SecretsKey.generate();

      IllegalStateException wrong = assertThrows(IllegalStateException.class, () -> ServiceSecrets.open(db, Optional.of(other)));
      for (String said : List.of("form", key.id(), other.id(), "BATCH_SECRETS_KEY")) {
        assertTrue(wrong.getMessage().contains(said), said + " in " + wrong.getMessage());
      }
      IllegalStateException none = assertThrows(IllegalStateException.class, () -> ServiceSecrets.open(db, NO_KEY));
      assertTrue(none.getMessage().contains("no key"), none.getMessage());
      assertEquals(stored, rows(), "nothing replaced");
      assertArrayEquals(secret, ServiceSecrets.open(db, Optional.of(key)).getOrCreate("form"));
    }

    @Test
    void aSealedRowCopiedToAnotherNameDoesNotOpen() throws Exception {
      SecretsKey key = SecretsKey.generate();
      ServiceSecrets secrets = ServiceSecrets.open(db, Optional.of(key));
      secrets.getOrCreate("form");
      secrets.getOrCreate("exhaust");
      try (Connection c = db.dataSource().getConnection();
           PreparedStatement ps = c.prepareStatement("UPDATE service_secret SET secret = ? WHERE name = 'exhaust'")) {
        ps.setString(1, rows().get("form"));
        assertEquals(1, ps.executeUpdate());
      }
      IllegalStateException e = assertThrows(IllegalStateException.class, () -> ServiceSecrets.open(db, Optional.of(key)));
      assertTrue(e.getMessage().contains("exhaust") && e.getMessage().contains("altered"), e.getMessage());
    }

    @Test
    void nodesStartingTogetherGetTheSameSecret() throws Exception {
      for (Optional<SecretsKey> key : List.of(NO_KEY, Optional.of(SecretsKey.generate()))) {
        for (int round = 0; round < 5; round++) {
          String name = "race-" + round;
          List<byte[]> agreed = together(4, () -> ServiceSecrets.open(db, key).getOrCreate(name));
          agreed.forEach(s -> assertArrayEquals(agreed.get(0), s, name));
        }
        empty();
      }
    }

    @Test
    void nodesSealingTogetherSealEachRowOnceAndAgree() throws Exception {
      SecretsKey key = SecretsKey.generate();
      for (int round = 0; round < 5; round++) {
        empty();
        byte[] plain = ServiceSecrets.open(db, NO_KEY).getOrCreate("form");
        // each node its own pool, all opening the plain row at once
        List<byte[]> read = together(4, () -> {
          try (Database node = Database.open(settings)) {
            return ServiceSecrets.open(node, Optional.of(key)).getOrCreate("form");
          }
        });
        for (byte[] s : read) {
          assertArrayEquals(plain, s, "round " + round);
        }
        StoredSecret stored = StoredSecret.parse(rows().get("form"));
        assertInstanceOf(StoredSecret.Sealed.class, stored);
        assertArrayEquals(plain, ((StoredSecret.Sealed) stored).open(key, "form").orElseThrow());
      }
    }

    /**
     * Two nodes given different keys (a misconfiguration) race to seal the same plain row: the row
     * ends sealed with one key, and the node with the other refuses to start instead of sealing
     * over it. (Overwriting would leave the first node running with a row it cannot read again.)
     */
    @Test
    void ofNodesSealingTogetherWithDifferentKeysOnlyOneStarts() throws Exception {
      try (Database one = Database.open(settings); Database two = Database.open(settings)) {
        List<Database> nodes = List.of(one, two);
        for (int round = 0; round < 20; round++) {
          empty();
          ServiceSecrets.open(db, NO_KEY).getOrCreate("form");
          List<SecretsKey> keys = List.of(SecretsKey.generate(), SecretsKey.generate());
          AtomicInteger next = new AtomicInteger();
          List<byte[]> started = together(2, () -> {
            int i = next.getAndIncrement();
            try {
              ServiceSecrets.open(nodes.get(i), Optional.of(keys.get(i)));
              return keys.get(i).id().getBytes(StandardCharsets.UTF_8);
            } catch (IllegalStateException refused) {
              return null;
            }
          });
          List<String> winners = started.stream().filter(Objects::nonNull).map(String::new).toList();
          assertEquals(1, winners.size(), "round " + round + ": " + winners);
          assertTrue(rows().get("form").startsWith("v1:" + winners.get(0) + ":"), "sealed with the key of the node that started");
        }
      }
    }

    /** Runs {@code n} copies of {@code node} released at the same instant; their results. */
    private List<byte[]> together(int n, Callable<byte[]> node) throws Exception {
      ExecutorService pool = Executors.newFixedThreadPool(n);
      try {
        CountDownLatch start = new CountDownLatch(1);
        List<Future<byte[]>> results = new ArrayList<>();
        for (int i = 0; i < n; i++) {
          results.add(pool.submit(() -> {
            start.await();
            return node.call();
          }));
        }
        start.countDown();
        List<byte[]> out = new ArrayList<>();
        for (Future<byte[]> r : results) {
          out.add(r.get(60, TimeUnit.SECONDS));
        }
        return out;
      } finally {
        pool.shutdownNow();
      }
    }

    /** The stored text of every secret, by name. */
    Map<String, String> rows() throws Exception {
      Map<String, String> rows = new TreeMap<>();
      try (Connection c = db.dataSource().getConnection();
           ResultSet rs = c.createStatement().executeQuery("SELECT name, secret FROM service_secret")) {
        while (rs.next()) {
          rows.put(rs.getString(1), rs.getString(2));
        }
      }
      return rows;
    }
  }

  /** Whether the secret's bytes appear in the row's text, as it is or decoded from base64 in any part. */
  static boolean contains(String text, byte[] secret) {
    List<byte[]> readings = new ArrayList<>();
    readings.add(text.getBytes(StandardCharsets.UTF_8));
    for (String part : text.split(":")) {
      try {
        readings.add(Base64.getDecoder().decode(part));
      } catch (IllegalArgumentException notBase64) {
        // not a reading
      }
    }
    for (byte[] bytes : readings) {
      for (int i = 0; i + secret.length <= bytes.length; i++) {
        if (Arrays.equals(bytes, i, i + secret.length, secret, 0, secret.length)) {
          return true;
        }
      }
    }
    return false;
  }
}
