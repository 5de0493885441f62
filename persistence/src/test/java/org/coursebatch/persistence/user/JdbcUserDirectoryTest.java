package org.coursebatch.persistence.user;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.coursebatch.core.testing.MutableClock;
import org.coursebatch.core.user.Consent;
import org.coursebatch.core.user.UserDirectoryAdmin.ConsentUpdate;
import org.coursebatch.core.user.UserDirectoryAdmin.Erasure;
import org.coursebatch.core.user.UserProfile;
import org.coursebatch.persistence.db.Database;
import org.coursebatch.persistence.db.DatabaseSettings;
import org.coursebatch.persistence.testing.OnBothDatabases;
import org.coursebatch.persistence.testing.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

@OnBothDatabases
class JdbcUserDirectoryTest {

  static <T> T await(CompletionStage<T> stage) throws Exception {
    return stage.toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Nested
  @TestInstance(TestInstance.Lifecycle.PER_CLASS)
  class Contract {
    DatabaseSettings settings;
    Database db;
    ActorTestKit testKit;
    MutableClock clock;
    JdbcUserDirectory users;

    @BeforeAll
    void open(TestDatabase database, ActorTestKit testKit) {
      this.testKit = testKit;
      settings = database.fresh();
      db = Database.open(settings);
      db.migrate();
      clock = new MutableClock(Instant.parse("2030-01-01T00:00:00Z"));
      users = new JdbcUserDirectory(testKit.system(), db, clock);
    }

    @AfterAll
    void close() {
      db.close();
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

      Map<String, UserProfile> profiles = await(users.profiles(asked));
      assertEquals(Set.copyOf(known), profiles.keySet(), "profiles are looked up in the same chunks");
      assertEquals(new UserProfile("known-1099", null), profiles.get("known-1099"), "a row from before V8: no personal data");
      assertEquals(Map.of(), await(users.profiles(List.of())));
    }

    /** A profile with every field set, each value telling which field it is. */
    UserProfile fullProfile(String userId) {
      Map<UserProfile.Field, String> values = new EnumMap<>(UserProfile.Field.class);
      for (UserProfile.Field f : UserProfile.Field.values()) {
        values.put(f, f.key() + " of " + userId);
      }
      values.put(UserProfile.Field.EMAIL, userId + "@example.org");
      values.put(UserProfile.Field.PHONE, "+91 98450 12345");
      values.put(UserProfile.Field.NAME, "Aarti Ñúñez " + userId);
      return UserProfile.of(userId, values);
    }

    @Test
    void everyProfileFieldIsStoredAndAReplacementClearsWhatItLacks() throws Exception {
      UserProfile full = fullProfile("u-full");
      await(users.putProfile(full, "admin"));
      assertEquals(Optional.of(full), await(users.findProfile("u-full")));
      assertEquals(Map.of("u-full", full), await(users.profiles(List.of("u-full", "nobody"))));
      assertEquals("schoolId of u-full", await(users.findProfile("u-full")).orElseThrow().schoolId());

      String longest = "x".repeat(UserProfile.Field.DECLARED_BOARD.maxLength());
      Map<UserProfile.Field, String> values = new EnumMap<>(UserProfile.Field.class);
      for (UserProfile.Field f : UserProfile.Field.values()) {
        values.put(f, "y".repeat(f.maxLength()));
      }
      values.put(UserProfile.Field.DECLARED_BOARD, longest);
      UserProfile widest = UserProfile.of("u-full", values);
      await(users.putProfile(widest, "admin"));
      assertEquals(Optional.of(widest), await(users.findProfile("u-full")), "each column holds its field's longest value");

      await(users.putProfile(new UserProfile("u-full", "org-x"), "admin"));
      assertEquals(Optional.of(new UserProfile("u-full", "org-x")), await(users.findProfile("u-full")));
    }

    ConsentUpdate consent(String userId, String courseId, Consent.Status status) {
      return new ConsentUpdate(userId, courseId, Consent.COLLECTION, "org-" + courseId, status);
    }

    @Test
    void aConsentKeepsItsFirstAnswerInstantAndTakesTheLatestStatus() throws Exception {
      Instant first = clock.instant();
      Consent given = await(users.putConsent(consent("c-1", "do_1", Consent.Status.ACTIVE), "c-1"));
      assertEquals(new Consent("c-1", "do_1", "Collection", "org-do_1", Consent.Status.ACTIVE, first, first), given);
      assertTrue(given.active());

      clock.advance(Duration.ofHours(1));
      Consent revoked = await(users.putConsent(consent("c-1", "do_1", Consent.Status.REVOKED), "admin"));
      assertEquals(new Consent("c-1", "do_1", "Collection", "org-do_1", Consent.Status.REVOKED, first, first.plus(Duration.ofHours(1))),
          revoked);
      assertFalse(revoked.active());
      assertEquals(List.of(revoked), await(users.findConsents("c-1", null, null)), "one record per user, course and consumer");

      clock.advance(Duration.ofHours(1));
      Consent again = await(users.putConsent(consent("c-1", "do_1", Consent.Status.ACTIVE), "c-1"));
      assertEquals(first, again.givenAt());
      assertEquals(clock.instant(), again.at(), "the date consent was provided is the latest ACTIVE answer's");
    }

    @Test
    void consentsAreFoundByUserCourseAndConsumer() throws Exception {
      Consent b = await(users.putConsent(consent("c-2", "do_b", Consent.Status.ACTIVE), "c-2"));
      Consent a = await(users.putConsent(consent("c-2", "do_a", Consent.Status.REVOKED), "c-2"));
      Consent other = await(users.putConsent(consent("c-3", "do_a", Consent.Status.ACTIVE), "c-3"));

      assertEquals(List.of(a, b), await(users.findConsents("c-2", null, null)), "ordered by course");
      assertEquals(List.of(b), await(users.findConsents("c-2", "do_b", null)));
      assertEquals(List.of(a), await(users.findConsents("c-2", null, "org-do_a")));
      assertEquals(List.of(), await(users.findConsents("c-2", "do_b", "org-do_a")));
      assertEquals(List.of(), await(users.findConsents("nobody", null, null)));
      assertEquals(Map.of("c-2", a, "c-3", other), await(users.consents("do_a", "org-do_a", List.of("c-2", "c-3", "nobody"))));
      assertEquals(Map.of("c-2", b), await(users.consents("do_b", "org-do_b", List.of("c-2", "c-3"))));
      assertEquals(Map.of(), await(users.consents("do_a", "org-do_a", List.of())));
    }

    @Test
    void aConsentIsGivenToOneOrganisationAndOneWithoutAnOrganisationNamesNone() throws Exception {
      Consent toV = await(users.putConsent(new ConsentUpdate("k-1", "do_k", "Collection", "org-v", Consent.Status.ACTIVE), "k-1"));
      clock.advance(Duration.ofMinutes(1));
      Consent toW = await(users.putConsent(new ConsentUpdate("k-1", "do_k", "Collection", "org-w", Consent.Status.REVOKED), "k-1"));
      Consent toNone = await(users.putConsent(new ConsentUpdate("k-1", "do_k", "Collection", null, Consent.Status.ACTIVE), "k-1"));
      assertEquals("org-v", toV.consumerId());
      assertEquals(null, toNone.consumerId(), "no organisation reads back as none");
      assertEquals(toNone, await(users.putConsent(new ConsentUpdate("k-1", "do_k", "Collection", "", Consent.Status.ACTIVE), "k-1")),
          "an empty consumer is none");
      await(users.putConsent(new ConsentUpdate("k-2", "do_k", "Collection", "org-w", Consent.Status.ACTIVE), "k-2"));

      assertEquals(List.of(toNone, toV, toW), await(users.findConsents("k-1", "do_k", null)), "ordered by consumer, none first");
      assertEquals(List.of(toW), await(users.findConsents("k-1", null, "org-w")));
      assertEquals(Map.of("k-1", toV), await(users.consents("do_k", "org-v", List.of("k-1", "k-2"))));
      assertEquals(Set.of("k-1", "k-2"), await(users.consents("do_k", "org-w", List.of("k-1", "k-2"))).keySet());
      assertEquals(Map.of(), await(users.consents("do_k", "org-x", List.of("k-1", "k-2"))));

      clock.advance(Duration.ofMinutes(1));
      Consent revokedV = await(users.putConsent(new ConsentUpdate("k-1", "do_k", "Collection", "org-v", Consent.Status.REVOKED), "k-1"));
      assertEquals(toV.givenAt(), revokedV.givenAt());
      assertEquals(Consent.Status.ACTIVE, await(users.findConsents("k-1", "do_k", null)).get(0).status(),
          "revoking the consent to one organisation leaves the others");
      assertEquals(new Erasure(false, 3), await(users.erase("k-1")));
    }

    /** A consent recorded before the consumer was part of its key (V8 to V12) names no organisation once migrated. */
    @Test
    void aConsentStoredWithoutAConsumerNamesNoOrganisationAfterTheMigration(TestDatabase database) throws Exception {
      DatabaseSettings older = database.fresh();
      try (Database before = Database.open(older)) {
        Database.migrations(older.vendor()).dataSource(before.dataSource()).target("12").load().migrate();
        try (Connection c = before.dataSource().getConnection()) {
          c.createStatement().execute("INSERT INTO user_consent (user_id, object_id, object_type, consumer_id, status, given_at,"
              + " updated_at, updated_by) VALUES ('m-1', 'do_m', 'Collection', NULL, 'ACTIVE', 0, 0, 'm-1')");
        }
        before.migrate();
        JdbcUserDirectory migrated = new JdbcUserDirectory(testKit.system(), before, clock);
        Consent old = new Consent("m-1", "do_m", "Collection", null, Consent.Status.ACTIVE, Instant.EPOCH, Instant.EPOCH);
        assertEquals(List.of(old), await(migrated.findConsents("m-1", null, null)));
        await(migrated.putConsent(new ConsentUpdate("m-1", "do_m", "Collection", "org-v", Consent.Status.ACTIVE), "m-1"));
        assertEquals(2, await(migrated.findConsents("m-1", "do_m", null)).size(), "a consent to an organisation is another record");
        assertEquals(Map.of(), await(migrated.consents("do_m", "org-w", List.of("m-1"))));
      }
    }

    @Test
    void consentsOfACourseAreLookedUpInChunks() throws Exception {
      List<String> learners = new ArrayList<>();
      for (int i = 0; i < 1_050; i++) {
        String id = "chunk-" + i;
        learners.add(id);
        await(users.putConsent(consent(id, "do_chunks", i % 2 == 0 ? Consent.Status.ACTIVE : Consent.Status.REVOKED), id));
      }
      await(users.putConsent(consent("chunk-0", "do_elsewhere", Consent.Status.REVOKED), "chunk-0"));
      List<String> asked = new ArrayList<>(learners);
      asked.add("never-answered");
      Map<String, Consent> found = await(users.consents("do_chunks", "org-do_chunks", asked));
      assertEquals(Set.copyOf(learners), found.keySet());
      assertEquals(525, found.values().stream().filter(Consent::active).count());
      assertTrue(found.values().stream().allMatch(c -> c.courseId().equals("do_chunks")));
    }

    @Test
    void erasingAUserDeletesTheirProfileAndConsentsOnly() throws Exception {
      await(users.putProfile(fullProfile("e-1"), "admin"));
      await(users.putProfile(fullProfile("e-2"), "admin"));
      await(users.putConsent(consent("e-1", "do_1", Consent.Status.ACTIVE), "e-1"));
      await(users.putConsent(consent("e-1", "do_2", Consent.Status.REVOKED), "e-1"));
      Consent kept = await(users.putConsent(consent("e-2", "do_1", Consent.Status.ACTIVE), "e-2"));

      assertEquals(new Erasure(true, 2), await(users.erase("e-1")));
      assertEquals(Optional.empty(), await(users.findProfile("e-1")));
      assertEquals(List.of(), await(users.findConsents("e-1", null, null)));
      assertEquals(Map.of("e-2", kept), await(users.consents("do_1", "org-do_1", List.of("e-1", "e-2"))));
      assertEquals(Optional.of(fullProfile("e-2")), await(users.findProfile("e-2")));
      try (Connection c = db.dataSource().getConnection();
           PreparedStatement ps = c.prepareStatement(
               "SELECT (SELECT COUNT(*) FROM user_profile WHERE user_id = 'e-1') + (SELECT COUNT(*) FROM user_consent WHERE user_id = 'e-1')")) {
        var rs = ps.executeQuery();
        rs.next();
        assertEquals(0, rs.getInt(1), "no row of the user is left");
      }

      assertEquals(new Erasure(false, 0), await(users.erase("e-1")), "erasing again erases nothing");
      await(users.putConsent(consent("e-3", "do_1", Consent.Status.ACTIVE), "e-3"));
      assertEquals(new Erasure(false, 1), await(users.erase("e-3")), "a learner with consents and no profile");
    }
  }
}
