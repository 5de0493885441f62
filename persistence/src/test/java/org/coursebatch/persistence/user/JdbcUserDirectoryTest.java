package org.coursebatch.persistence.user;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.coursebatch.core.testing.MutableClock;
import org.coursebatch.core.user.UserProfile;
import org.coursebatch.persistence.db.Database;
import org.coursebatch.persistence.db.DatabaseSettings;
import org.coursebatch.persistence.testing.TestDatabases;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

class JdbcUserDirectoryTest {

  static ActorTestKit testKit;

  @TempDir
  static Path tmp;

  @BeforeAll
  static void startSystem() {
    testKit = ActorTestKit.create("user-directory-test", ConfigFactory.load());
  }

  @AfterAll
  static void stopSystem() {
    testKit.shutdownTestKit();
  }

  static <T> T await(CompletionStage<T> stage) throws Exception {
    return stage.toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @TestInstance(TestInstance.Lifecycle.PER_CLASS)
  abstract class Contract {
    DatabaseSettings settings;
    Database db;
    JdbcUserDirectory users;

    abstract DatabaseSettings fresh();

    @BeforeAll
    void open() {
      settings = fresh();
      db = Database.open(settings);
      db.migrate();
      users = new JdbcUserDirectory(testKit.system(), db, new MutableClock(Instant.parse("2030-01-01T00:00:00Z")));
    }

    @AfterAll
    void close() {
      db.close();
      TestDatabases.dropPostgres(settings);
    }

    @Test
    void profilesAreRecordedAndReplaced() throws Exception {
      assertEquals(Optional.empty(), await(users.rootOrgId("u-1")));
      await(users.putProfile(new UserProfile("u-1", "org-a"), "admin"));
      assertEquals(Optional.of("org-a"), await(users.rootOrgId("u-1")));
      await(users.putProfile(new UserProfile("u-1", "org-b"), "admin"));
      assertEquals(Optional.of(new UserProfile("u-1", "org-b")), await(users.findProfile("u-1")));
      await(users.putProfile(new UserProfile("u-1", null), "admin"));
      assertEquals(Optional.empty(), await(users.rootOrgId("u-1")), "a profile without an organisation");
    }

    @Test
    void knownUsersAreLookedUpInChunks() throws Exception {
      List<String> known = new ArrayList<>();
      try (Connection c = db.dataSource().getConnection();
           PreparedStatement ps = c.prepareStatement(
               "INSERT INTO user_profile (user_id, root_org_id, updated_by, updated_at) VALUES (?, NULL, 'admin', 0)")) {
        for (int i = 0; i < 1_100; i++) {
          String id = "known-" + i;
          known.add(id);
          ps.setString(1, id);
          ps.addBatch();
        }
        ps.executeBatch();
      }
      // More than two chunks of 500, known and unknown ids interleaved, some asked twice.
      List<String> asked = new ArrayList<>();
      for (int i = 0; i < 1_100; i++) {
        asked.add(known.get(i));
        if (i % 3 == 0) {
          asked.add("unknown-" + i);
        }
        if (i % 250 == 0) {
          asked.add(known.get(i));
        }
      }
      assertTrue(Set.copyOf(asked).size() > 2 * JdbcUserDirectory.KNOWN_USERS_CHUNK, "asked " + asked.size());
      assertEquals(Set.copyOf(known), await(users.knownUsers(asked)));
      assertEquals(Set.of("known-7", "known-1099"), await(users.knownUsers(List.of("known-7", "nobody", "known-1099"))));
      assertEquals(Set.of(), await(users.knownUsers(List.of())));
      assertEquals(Set.of(), await(users.knownUsers(List.of("x' OR '1'='1"))));
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
