package org.coursebatch.core.group;

import static org.junit.jupiter.api.Assertions.*;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.coursebatch.core.catalog.Course;
import org.coursebatch.core.catalog.CourseCatalog;
import org.coursebatch.core.catalog.CourseNode;
import org.coursebatch.core.catalog.CourseNode.Kind;
import org.coursebatch.core.certificate.CertificateTemplateAsset;
import org.coursebatch.core.enrollment.BestScore;
import org.coursebatch.core.error.ErrorCode;
import org.coursebatch.core.error.Rejections;
import org.coursebatch.core.group.GroupActivity.MemberAggregates;
import org.coursebatch.core.group.GroupActivity.Metric;
import org.coursebatch.core.identity.Caller;
import org.coursebatch.core.testing.MutableClock;
import org.junit.jupiter.api.Test;

/** The aggregator's rules with the groups service, the catalog and the read side faked. */
class GroupActivityAggregatorTest {

  static final Instant NOW = Instant.parse("2030-03-01T12:00:00Z");
  static final Instant T1 = Instant.parse("2030-02-01T08:00:00Z");
  static final Instant T2 = Instant.parse("2030-02-02T08:00:00Z");
  static final String COURSE = "do_course";

  final Map<String, Group> groups = new HashMap<>();
  final Map<String, Course> courses = new HashMap<>();
  final List<MemberActivity> rows = new ArrayList<>();
  /** What the read side was asked: user ids and assessment ids of each call. */
  final List<List<Collection<String>>> asked = new ArrayList<>();
  final List<Optional<String>> tokens = new ArrayList<>();

  final GroupsService groupsService = new GroupsService() {
    @Override
    public CompletionStage<Optional<Group>> group(String groupId) {
      return CompletableFuture.completedFuture(Optional.ofNullable(groups.get(groupId)));
    }

    @Override
    public CompletionStage<Optional<Group>> group(String groupId, Optional<String> userToken) {
      tokens.add(userToken);
      return group(groupId);
    }
  };

  final CourseCatalog catalog = new CourseCatalog() {
    @Override
    public CompletionStage<Optional<Course>> findCourse(String courseId) {
      return CompletableFuture.completedFuture(Optional.ofNullable(courses.get(courseId)));
    }

    @Override
    public CompletionStage<Optional<CertificateTemplateAsset>> findCertificateTemplate(String templateId) {
      return CompletableFuture.completedFuture(Optional.empty());
    }
  };

  final GroupActivityQueries queries = (courseId, userIds, assessmentIds) -> {
    assertEquals(COURSE, courseId);
    asked.add(List.of(List.copyOf(userIds), List.copyOf(assessmentIds)));
    return CompletableFuture.completedFuture(rows.stream().filter(r -> userIds.contains(r.userId())).toList());
  };

  final GroupActivityAggregator aggregator = new GroupActivityAggregator(groupsService, catalog, queries, new org.coursebatch.core.access.AccessPolicy(org.coursebatch.core.access.AccessRoles.SUNBIRD),
      new MutableClock(NOW));

  static GroupMember member(String userId, String role) {
    return new GroupMember(userId, "Name of " + userId, role, "active", "leader");
  }

  /** A course with a video, two question sets (qs2 listed first) in a unit, and a unit without leaves. */
  static Course course() {
    CourseNode video = new CourseNode("do_video", "Video", Kind.CONTENT, List.of(), List.of());
    CourseNode qs2 = new CourseNode("do_qs2", "Quiz 2", Kind.ASSESSMENT, List.of(), List.of(new CourseNode.Question("q1", 2)));
    CourseNode qs1 = new CourseNode("do_qs1", "Quiz 1", Kind.ASSESSMENT, List.of(), List.of(new CourseNode.Question("q1", 5)));
    CourseNode unit = new CourseNode("do_unit", "Unit", Kind.UNIT, List.of(video, qs2, qs1), List.of());
    CourseNode empty = new CourseNode("do_empty", "Empty", Kind.UNIT, List.of(), List.of());
    return new Course(COURSE, "Course", "Live", true, false, 3, List.of(unit, empty), null);
  }

  GroupActivity aggregate(String groupId, String type, Caller caller) throws Exception {
    return aggregator.aggregate(new GroupActivityAggregator.Request(groupId, COURSE, type), caller, caller.userId(),
        Optional.of("token-of-" + caller.userId())).toCompletableFuture().get(5, TimeUnit.SECONDS);
  }

  static ErrorCode failure(ThrowingCall call) {
    try {
      call.run();
    } catch (ExecutionException e) {
      Throwable cause = Rejections.unwrap(e);
      if (cause instanceof org.coursebatch.core.error.RejectedException r) {
        return r.rejection().code();
      }
      throw new AssertionError("not a rejection", cause);
    } catch (org.coursebatch.core.error.RejectedException r) {
      return r.rejection().code();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
    throw new AssertionError("no failure");
  }

  @FunctionalInterface
  interface ThrowingCall {
    void run() throws Exception;
  }

  static Map<String, Double> values(List<Metric> agg) {
    Map<String, Double> out = new java.util.LinkedHashMap<>();
    agg.forEach(m -> out.put(m.metric(), m.value()));
    return out;
  }

  @Test
  void membersTakingPartInTheGroupsOrderWithTheirMetricsAndScoresInCourseOrder() throws Exception {
    courses.put(COURSE, course());
    groups.put("g1", new Group("g1", "Group", List.of(member("carol", "member"), member("alice", "admin"),
        member("bob", "member"), member("dave", "member"))));
    rows.add(new MemberActivity("alice", 1, 3, 100, List.of(new BestScore("do_qs1", "a2", 4, 5, 2),
        new BestScore("do_qs2", "a1", 2, 2, 1), new BestScore("do_elsewhere", "x", 9, 9, 1)), T2));
    rows.add(new MemberActivity("carol", 2, 1, 33, List.of(), T1));
    rows.add(new MemberActivity("bob", 1, 0, 0, List.of(new BestScore("do_qs1", "b1", 0, 5, 1)), T1));

    GroupActivity result = aggregate("g1", "Course", Caller.of("alice"));

    assertEquals("g1", result.groupId());
    assertEquals(COURSE, result.activityId());
    assertEquals("Course", result.activityType());
    assertEquals(List.of(new Metric("enrolmentCount", 3, NOW)), result.agg(), "members taking part, dated now");
    assertEquals(List.of("carol", "alice", "bob"), result.members().stream().map(m -> m.member().userId()).toList(),
        "the group's order; dave has no enrolment and is left out");
    MemberAggregates alice = result.members().get(1);
    assertEquals(member("alice", "admin"), alice.member());
    assertEquals(Map.of("completedCount", 3.0, "enrolmentCount", 1.0, "progress", 100.0,
        "score:do_qs2", 2.0, "max_score:do_qs2", 2.0, "score:do_qs1", 4.0, "max_score:do_qs1", 5.0), values(alice.agg()));
    assertEquals(List.of("completedCount", "enrolmentCount", "progress", "score:do_qs2", "max_score:do_qs2",
        "score:do_qs1", "max_score:do_qs1"), alice.agg().stream().map(Metric::metric).toList(),
        "counts first, then the assessments in course order; attempts elsewhere are not the course's");
    assertTrue(alice.agg().stream().allMatch(m -> m.lastUpdatedOn().equals(T2)));
    assertEquals(values(List.of(new Metric("completedCount", 1, T1), new Metric("enrolmentCount", 2, T1),
        new Metric("progress", 33, T1))), values(result.members().get(0).agg()), "no attempts: no score metrics");
    assertEquals(List.of("completedCount", "enrolmentCount", "progress", "score:do_qs1", "max_score:do_qs1"),
        result.members().get(2).agg().stream().map(Metric::metric).toList(), "a score of 0 is a score");

    assertEquals(List.of(List.of(List.of("carol", "alice", "bob", "dave"), List.of("do_qs2", "do_qs1"))), asked,
        "one read of every member, with the course's assessments");
    assertEquals(List.of(Optional.of("token-of-alice")), tokens, "the caller's token goes to the groups service");
  }

  @Test
  void nobodyEnrolledIsAnEmptyAggregateAndAnEmptyGroupIsNotQueried() throws Exception {
    courses.put(COURSE, course());
    groups.put("g1", new Group("g1", "Group", List.of(member("alice", "admin"))));
    groups.put("empty", new Group("empty", "Nobody", List.of()));

    GroupActivity none = aggregate("g1", "Course", Caller.of("alice"));
    assertEquals(List.of(new Metric("enrolmentCount", 0, NOW)), none.agg());
    assertEquals(List.of(), none.members());

    GroupActivity empty = aggregate("empty", "Course", Caller.of("someone", "SYSTEM_ADMINISTRATION"));
    assertEquals(List.of(new Metric("enrolmentCount", 0, NOW)), empty.agg());
    assertEquals(List.of(), empty.members());
    assertEquals(1, asked.size(), "the empty group asked the read side nothing");
  }

  @Test
  void eachUserIsAskedForOnceAndMembersWithoutAnIdAreSkipped() throws Exception {
    courses.put(COURSE, course());
    GroupMember first = new GroupMember("alice", "Alice", "admin", "active", "x");
    GroupMember again = new GroupMember("alice", "Alice again", "member", "inactive", "y");
    groups.put("g1", new Group("g1", "Group", List.of(first, new GroupMember(" ", "Blank", "member", "active", "x"), again)));
    rows.add(new MemberActivity("alice", 1, 0, 0, List.of(), T1));

    GroupActivity result = aggregate("g1", "Course", Caller.of("alice"));
    assertEquals(List.of(first), result.members().stream().map(MemberAggregates::member).toList(), "the first listing counts");
    assertEquals(List.of("alice"), asked.get(0).get(0));
  }

  @Test
  void aCourseTheCatalogDoesNotKnowHasNoAssessmentsToScore() throws Exception {
    groups.put("g1", new Group("g1", "Group", List.of(member("alice", "admin"))));
    rows.add(new MemberActivity("alice", 1, 1, 50, List.of(new BestScore("do_qs1", "a1", 1, 5, 1)), T1));

    GroupActivity result = aggregate("g1", "Course", Caller.of("alice"));
    assertEquals(List.of(), asked.get(0).get(1));
    assertEquals(List.of("completedCount", "enrolmentCount", "progress"),
        result.members().get(0).agg().stream().map(Metric::metric).toList());
  }

  @Test
  void theActivityTypeIsCourseInAnyCase() throws Exception {
    courses.put(COURSE, course());
    groups.put("g1", new Group("g1", "Group", List.of(member("alice", "admin"))));
    assertEquals("Course", aggregate("g1", "course", Caller.of("alice")).activityType());
    assertEquals("Course", aggregate("g1", " COURSE ", Caller.of("alice")).activityType());
    assertEquals(ErrorCode.UNSUPPORTED_ACTIVITY_TYPE, failure(() -> aggregate("g1", "Quiz", Caller.of("alice"))));
    assertEquals(2, tokens.size(), "an unsupported type is refused before the groups service is asked");
  }

  @Test
  void onlyMembersAndSystemAdminsMayRead() throws Exception {
    courses.put(COURSE, course());
    groups.put("g1", new Group("g1", "Group", List.of(member("alice", "admin"), member("child", "member"))));

    assertEquals(ErrorCode.UNAUTHORIZED_USER, failure(() -> aggregate("g1", "Course", Caller.of("stranger", "CONTENT_CREATOR"))));
    assertEquals(0, asked.size(), "nothing was read for a stranger");
    assertNotNull(aggregate("g1", "Course", Caller.of("stranger", "system_administration")), "a system admin role, in any case");
    assertEquals(ErrorCode.UNAUTHORIZED_USER, failure(() -> aggregate("g1", "Course", Caller.of("stranger", "ORG_ADMIN"))),
        "a group belongs to no organisation, so no org admin reads it");
    assertNotNull(aggregate("g1", "Course", Caller.of("alice")));
    GroupActivity forChild = aggregator.aggregate(new GroupActivityAggregator.Request("g1", COURSE, "Course"),
        Caller.of("parent"), "child", Optional.empty()).toCompletableFuture().get(5, TimeUnit.SECONDS);
    assertNotNull(forChild, "a parent acting for a member (managed user)");
  }

  @Test
  void anUnknownGroupAndAnUnavailableGroupsServiceAreReported() {
    assertEquals(ErrorCode.GROUP_NOT_FOUND, failure(() -> aggregate("nope", "Course", Caller.of("alice", "ORG_ADMIN"))));

    GroupsService down = groupId -> CompletableFuture.failedFuture(
        ErrorCode.GROUPS_SERVICE_UNAVAILABLE.reject("HTTP 500").asException());
    var failing = new GroupActivityAggregator(down, catalog, queries, new org.coursebatch.core.access.AccessPolicy(org.coursebatch.core.access.AccessRoles.SUNBIRD), new MutableClock(NOW));
    assertEquals(ErrorCode.GROUPS_SERVICE_UNAVAILABLE, failure(() -> failing.aggregate(
        new GroupActivityAggregator.Request("g1", COURSE, "Course"), Caller.of("alice"), "alice", Optional.empty())
        .toCompletableFuture().get(5, TimeUnit.SECONDS)));
  }

  @Test
  void assessmentsAreTheQuestionSetsInHierarchyOrder() {
    assertEquals(List.of("do_qs2", "do_qs1"), GroupActivityAggregator.assessmentIds(course()));
  }
}
