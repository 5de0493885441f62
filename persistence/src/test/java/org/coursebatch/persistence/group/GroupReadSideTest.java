package org.coursebatch.persistence.group;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.coursebatch.core.enrollment.BestScore;
import org.coursebatch.core.group.Group;
import org.coursebatch.core.group.GroupMember;
import org.coursebatch.core.group.MemberActivity;
import org.coursebatch.core.testing.MutableClock;
import org.coursebatch.persistence.db.Database;
import org.coursebatch.persistence.db.DatabaseSettings;
import org.coursebatch.persistence.db.SqlParameters;
import org.coursebatch.persistence.testing.OnBothDatabases;
import org.coursebatch.persistence.testing.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The built-in groups store, and the group activity query over enrolment read-model rows written
 * directly, on H2 and PostgreSQL.
 */
@OnBothDatabases
class GroupReadSideTest {

  static final String COURSE = "do_course";
  static final String OTHER_COURSE = "do_other";
  static final List<String> ASSESSMENTS = List.of("do_qs1", "do_qs2");

  static <T> T await(CompletionStage<T> stage) throws Exception {
    return stage.toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  static GroupMember member(String userId, String role) {
    return new GroupMember(userId, "Name " + userId, role, "active", "leader");
  }

  @Nested
  @TestInstance(TestInstance.Lifecycle.PER_CLASS)
  class Contract {
    DatabaseSettings settings;
    Database db;
    ActorTestKit testKit;
    JdbcGroupsStore store;
    JdbcGroupActivityQueries queries;

    @BeforeAll
    void open(TestDatabase database, ActorTestKit testKit) throws Exception {
      this.testKit = testKit;
      settings = database.fresh();
      db = Database.open(settings);
      db.migrate();
      store = new JdbcGroupsStore(testKit.system(), db, new MutableClock(Instant.parse("2030-01-01T00:00:00Z")));
      queries = new JdbcGroupActivityQueries(testKit.system(), db);
      seed();
    }

    @AfterAll
    void close() {
      db.close();
    }

    void enrolment(Connection c, String batchId, String userId, String courseId, String participation, int progress,
        int percentage, long updatedAt) throws Exception {
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO enrollment (batch_id, user_id, course_id, participation,"
          + " invited, progress, completion_percentage, status, updated_at, incarnation) VALUES (?, ?, ?, ?, FALSE, ?, ?, ?, ?, 1)")) {
        SqlParameters.bindAll(ps, batchId, userId, courseId, participation, progress, percentage, percentage == 100 ? 2 : 1,
            updatedAt);
        ps.executeUpdate();
      }
    }

    void attempt(Connection c, String batchId, String userId, String contentId, String attemptId, double score,
        double max, long recordedAt) throws Exception {
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO assessment_attempt (batch_id, user_id, content_id, attempt_id,"
          + " course_id, assessment_ts, total_score, total_max_score, responses, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, '[]', ?)")) {
        SqlParameters.bindAll(ps, batchId, userId, contentId, attemptId, COURSE, recordedAt, score, max, recordedAt);
        ps.executeUpdate();
      }
    }

    /** Batches b1 and b2 of the course, bx of another course. */
    void seed() throws Exception {
      try (Connection c = db.dataSource().getConnection()) {
        // alice: active in both batches; her best at qs1 is a tie won by the later attempt (a3)
        enrolment(c, "b1", "alice", COURSE, "ACTIVE", 2, 66, 1_000);
        enrolment(c, "b2", "alice", COURSE, "ACTIVE", 3, 100, 2_000);
        attempt(c, "b1", "alice", "do_qs1", "a1", 3, 5, 10);
        attempt(c, "b2", "alice", "do_qs1", "a2", 4, 5, 20);
        attempt(c, "b1", "alice", "do_qs1", "a3", 4, 5, 30);
        attempt(c, "b1", "alice", "do_qs2", "a4", 1, 2, 40);
        attempt(c, "b1", "alice", "do_not_asked", "a5", 9, 9, 50);
        // not enrolled: waiting, left, deleted, invited only, another course
        enrolment(c, "b1", "bob", COURSE, "WAITLISTED", 0, 0, 1_000);
        enrolment(c, "b1", "carol", COURSE, "INACTIVE", 1, 33, 1_000);
        attempt(c, "b1", "carol", "do_qs1", "c1", 5, 5, 10);
        enrolment(c, "b1", "dave", COURSE, "DELETED", 0, 0, 1_000);
        enrolment(c, "b1", "erin", COURSE, "NONE", 0, 0, 1_000);
        enrolment(c, "bx", "frank", OTHER_COURSE, "ACTIVE", 1, 100, 1_000);
        // gina: enrolled, nothing attempted; harry: his attempts are in the batch he left
        enrolment(c, "b1", "gina", COURSE, "ACTIVE", 0, 0, 500);
        enrolment(c, "b1", "harry", COURSE, "ACTIVE", 1, 33, 700);
        enrolment(c, "b2", "harry", COURSE, "INACTIVE", 3, 100, 900);
        attempt(c, "b2", "harry", "do_qs1", "h1", 5, 5, 10);
        // ivan is enrolled but not asked about
        enrolment(c, "b1", "ivan", COURSE, "ACTIVE", 3, 100, 1_000);
      }
    }

    static final List<String> ASKED = List.of("alice", "bob", "carol", "dave", "erin", "frank", "gina", "harry", "nobody");

    List<MemberActivity> sorted(List<MemberActivity> rows) {
      List<MemberActivity> out = new ArrayList<>(rows);
      out.sort(Comparator.comparing(MemberActivity::userId));
      return out.stream().map(r -> new MemberActivity(r.userId(), r.enrolmentCount(), r.completedCount(), r.progress(),
          r.bestScores().stream().sorted(Comparator.comparing(BestScore::contentId)).toList(), r.lastUpdatedOn())).toList();
    }

    static final List<MemberActivity> EXPECTED = List.of(
        new MemberActivity("alice", 2, 3, 100, List.of(new BestScore("do_qs1", "a3", 4, 5, 3), new BestScore("do_qs2", "a4", 1, 2, 1)),
            Instant.ofEpochMilli(2_000)),
        new MemberActivity("gina", 1, 0, 0, List.of(), Instant.ofEpochMilli(500)),
        new MemberActivity("harry", 1, 1, 33, List.of(), Instant.ofEpochMilli(700)));

    @Test
    void activeEnrolmentsInTheCourseCountWithTheirBestAttempts() throws Exception {
      assertEquals(EXPECTED, sorted(await(queries.courseActivity(COURSE, ASKED, ASSESSMENTS))));
    }

    @Test
    void withoutAssessmentsOnlyTheCountsAreRead() throws Exception {
      List<MemberActivity> expected = EXPECTED.stream().map(r -> new MemberActivity(r.userId(), r.enrolmentCount(),
          r.completedCount(), r.progress(), List.of(), r.lastUpdatedOn())).toList();
      assertEquals(expected, sorted(await(queries.courseActivity(COURSE, ASKED, List.of()))));
    }

    @Test
    void usersAreReadInChunksWithTheSameAnswer() throws Exception {
      var small = new JdbcGroupActivityQueries(testKit.system(), db, 2);
      List<String> asked = new ArrayList<>(ASKED);
      asked.add("alice"); // asked twice, counted once
      assertEquals(EXPECTED, sorted(await(small.courseActivity(COURSE, asked, ASSESSMENTS))));

      // more than two chunks of the default size: every other user enrolled
      List<String> many = new ArrayList<>();
      try (Connection c = db.dataSource().getConnection()) {
        for (int i = 0; i < 1_100; i++) {
          many.add("many-" + i);
          if (i % 2 == 0) {
            enrolment(c, "b3", "many-" + i, COURSE, "ACTIVE", 1, 50, i);
          }
        }
      }
      assertTrue(many.size() > 2 * JdbcGroupActivityQueries.USERS_CHUNK);
      List<MemberActivity> found = await(queries.courseActivity(COURSE, many, ASSESSMENTS));
      assertEquals(550, found.size());
      assertTrue(found.stream().allMatch(r -> r.enrolmentCount() == 1 && r.progress() == 50), found.toString());
    }

    @Test
    void nobodyAskedOrNobodyEnrolledIsEmpty() throws Exception {
      assertEquals(List.of(), await(queries.courseActivity(COURSE, List.of(), ASSESSMENTS)));
      assertEquals(List.of(), await(queries.courseActivity(COURSE, List.of("bob", "x' OR '1'='1"), ASSESSMENTS)));
      assertEquals(List.of(), await(queries.courseActivity("do_unknown", ASKED, ASSESSMENTS)));
    }

    @Test
    void aGroupIsStoredWholeAndReplacedWhole() throws Exception {
      assertEquals(Optional.empty(), await(store.group("g1")));
      Group group = new Group("g1", "Study group", List.of(member("zed", "admin"), member("amy", "member"),
          new GroupMember("kim", null, "member", "inactive", null)));
      await(store.putGroup(group, "admin-1"));
      assertEquals(Optional.of(group), await(store.group("g1")), "members in the order given");

      Group smaller = new Group("g1", null, List.of(member("amy", "admin")));
      await(store.putGroup(smaller, "admin-1"));
      assertEquals(Optional.of(smaller), await(store.group("g1")));

      Group empty = new Group("g1", "Nobody yet", List.of());
      await(store.putGroup(empty, "admin-1"));
      assertEquals(Optional.of(empty), await(store.group("g1")));
      assertEquals(Optional.empty(), await(store.group("g2")));
    }
  }
}
