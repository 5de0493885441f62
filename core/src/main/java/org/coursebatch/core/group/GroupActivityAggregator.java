package org.coursebatch.core.group;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.coursebatch.core.catalog.Course;
import org.coursebatch.core.catalog.CourseCatalog;
import org.coursebatch.core.catalog.CourseNode;
import org.coursebatch.core.enrollment.BestScore;
import org.coursebatch.core.error.ErrorCode;
import org.coursebatch.core.group.GroupActivity.MemberAggregates;
import org.coursebatch.core.group.GroupActivity.Metric;
import org.coursebatch.core.access.AccessPolicy;
import org.coursebatch.core.access.Operation;
import org.coursebatch.core.access.Requester;
import org.coursebatch.core.identity.Caller;

/**
 * Group activity aggregates: how far a group's members have got in an activity. The members come
 * from the {@link GroupsService}, their progress from the read side ({@link GroupActivityQueries}).
 *
 * <p>For activity type {@code Course} the activity id is a course id, and a member takes part
 * when they are enrolled (participation {@code ACTIVE}) in any batch of the course: waitlisted
 * members (no seat yet), those who left and deleted enrolments do not count. The activity's
 * {@code enrolmentCount} is the number of members taking part. Each member taking part has, over
 * their active enrolments in the course:
 * <ul>
 *   <li>{@code completedCount}: leaf contents completed (the most in any one enrolment), Sunbird's
 *       meaning of the metric, from which its clients compute progress against the course's
 *       {@code leafNodesCount};
 *   <li>{@code enrolmentCount}: their active enrolments in the course's batches (usually 1);
 *   <li>{@code progress}: the best completion percentage, 0 to 100;
 *   <li>for each assessment (question set) of the course they attempted, in course order,
 *       {@code score:<contentId>} (the best attempt's total score, ties to the later attempt) and
 *       {@code max_score:<contentId>} (that attempt's maximum).
 * </ul>
 * A member's metrics are dated by the last change the read side recorded to their enrolments; the
 * activity's count by the time of the answer (as Sunbird does).
 *
 * <p>Who may ask: the group's members (the caller, or the managed user they act for) and system
 * admins; a group belongs to no organisation, so org admins have no authority over it. Anyone
 * else is refused with {@code UNAUTHORIZED_USER}.
 */
public final class GroupActivityAggregator {

  public static final String COURSE = "Course";
  /** The activity types aggregated, as clients spell them. */
  public static final List<String> ACTIVITY_TYPES = List.of(COURSE);

  public static final String ENROLMENT_COUNT = "enrolmentCount";
  public static final String COMPLETED_COUNT = "completedCount";
  public static final String PROGRESS = "progress";
  public static final String SCORE_PREFIX = "score:";
  public static final String MAX_SCORE_PREFIX = "max_score:";

  private final GroupsService groups;
  private final CourseCatalog catalog;
  private final GroupActivityQueries queries;
  private final AccessPolicy access;
  private final Clock clock;

  /** @param access who may read a group's aggregates besides its members */
  public GroupActivityAggregator(GroupsService groups, CourseCatalog catalog, GroupActivityQueries queries,
      AccessPolicy access, Clock clock) {
    this.groups = groups;
    this.catalog = catalog;
    this.queries = queries;
    this.access = access;
    this.clock = clock;
  }

  /** What is asked: the group and the activity (id and type), all present. */
  public record Request(String groupId, String activityId, String activityType) {}

  /**
   * The aggregates of {@code request}'s activity over its group. {@code actingFor} is the user the
   * caller acts for (the caller themself, or a managed user); {@code userToken} is passed on to the
   * groups service. Fails with {@code INVALID_PARAMETER_VALUE} for an activity type other than
   * {@link #ACTIVITY_TYPES}, {@code GROUP_NOT_FOUND}, {@code UNAUTHORIZED_USER} or
   * {@code GROUPS_SERVICE_UNAVAILABLE}.
   */
  public CompletionStage<GroupActivity> aggregate(Request request, Caller caller, String actingFor,
      Optional<String> userToken) {
    String type = activityType(request.activityType());
    return groups.group(request.groupId(), userToken).thenCompose(found -> {
      Group group = found.orElseThrow(() -> ErrorCode.GROUP_NOT_FOUND.reject(request.groupId()).asException());
      checkMayRead(group, caller, actingFor);
      return courseActivity(group, request.activityId())
          .thenApply(members -> new GroupActivity(group.groupId(), request.activityId(), type,
              List.of(new Metric(ENROLMENT_COUNT, members.size(), clock.instant())), members));
    });
  }

  /**
   * Refuses ({@code UNAUTHORIZED_USER}) a caller who is not a member of the group, does not act for
   * one and is not a system admin: who may see a group's activity, and the group itself.
   */
  public void checkMayRead(Group group, Caller caller, String actingFor) {
    boolean member = group.hasMember(caller.userId()) || group.hasMember(actingFor);
    access.require(Operation.GROUP_READ, new Requester(caller, actingFor, Optional.empty()), AccessPolicy.Target.group(member));
  }

  /** The supported type {@code given} names, in its canonical spelling (any case is accepted). */
  static String activityType(String given) {
    return ACTIVITY_TYPES.stream().filter(t -> t.equalsIgnoreCase(given.trim())).findFirst()
        .orElseThrow(() -> ErrorCode.UNSUPPORTED_ACTIVITY_TYPE.reject(given, String.join(", ", ACTIVITY_TYPES)).asException());
  }

  private CompletionStage<List<MemberAggregates>> courseActivity(Group group, String courseId) {
    Map<String, GroupMember> members = distinctMembers(group);
    if (members.isEmpty()) {
      return CompletableFuture.completedFuture(List.of());
    }
    return catalog.findCourse(courseId).thenCompose(course -> {
      List<String> assessments = course.map(GroupActivityAggregator::assessmentIds).orElse(List.of());
      return queries.courseActivity(courseId, members.keySet(), assessments)
          .thenApply(rows -> aggregates(members, assessments, rows));
    });
  }

  /** The members with a user id, the first listing of each. */
  private static Map<String, GroupMember> distinctMembers(Group group) {
    Map<String, GroupMember> out = new LinkedHashMap<>();
    for (GroupMember m : group.members()) {
      if (m.userId() != null && !m.userId().isBlank()) {
        out.putIfAbsent(m.userId(), m);
      }
    }
    return out;
  }

  /** The course's assessments (question sets), in hierarchy order. */
  static List<String> assessmentIds(Course course) {
    return course.leaves().stream().filter(n -> n.kind() == CourseNode.Kind.ASSESSMENT)
        .map(CourseNode::identifier).distinct().toList();
  }

  /** Members in the group's order, those without activity left out. */
  static List<MemberAggregates> aggregates(Map<String, GroupMember> members, List<String> assessments,
      List<MemberActivity> rows) {
    Map<String, MemberActivity> byUser = rows.stream().collect(Collectors.toMap(MemberActivity::userId, Function.identity()));
    List<MemberAggregates> out = new ArrayList<>();
    members.forEach((userId, member) -> {
      MemberActivity activity = byUser.get(userId);
      if (activity != null) {
        out.add(new MemberAggregates(member, metrics(activity, assessments)));
      }
    });
    return out;
  }

  static List<Metric> metrics(MemberActivity a, List<String> assessments) {
    List<Metric> agg = new ArrayList<>();
    agg.add(new Metric(COMPLETED_COUNT, a.completedCount(), a.lastUpdatedOn()));
    agg.add(new Metric(ENROLMENT_COUNT, a.enrolmentCount(), a.lastUpdatedOn()));
    agg.add(new Metric(PROGRESS, a.progress(), a.lastUpdatedOn()));
    Map<String, BestScore> best = a.bestScores().stream().collect(Collectors.toMap(BestScore::contentId, Function.identity()));
    for (String contentId : assessments) {
      BestScore score = best.get(contentId);
      if (score != null) {
        agg.add(new Metric(SCORE_PREFIX + contentId, score.score(), a.lastUpdatedOn()));
        agg.add(new Metric(MAX_SCORE_PREFIX + contentId, score.maxScore(), a.lastUpdatedOn()));
      }
    }
    return agg;
  }
}
