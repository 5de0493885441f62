package org.coursebatch.core.exhaust;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.coursebatch.core.access.ReportScope;
import org.coursebatch.core.batch.Batch;
import org.coursebatch.core.catalog.Course;
import org.coursebatch.core.catalog.CourseNode;
import org.coursebatch.core.exhaust.ExhaustLearner.ScoredAttempt;
import org.coursebatch.core.user.UserProfile;

/**
 * The progress report of a batch: Sunbird's columns, then one {@code <contentId> - Score} column
 * per assessment of the course and one {@code <unitId> - Progress} column per unit, both in
 * hierarchy order (units depth first, a unit before the units inside it).
 *
 * <ul>
 *   <li>Progress: the completion percentage, 100 once the enrolment is completed.
 *   <li>Scores: the best attempt at each assessment (ties: the later one), as a percentage rounded
 *       up; Total Score sums the best attempts over their maximums. Empty before any attempt.
 *   <li>Unit progress: the percentage of the unit's leaves (at any depth) the learner completed,
 *       rounded down; empty for a unit without leaves.
 *   <li>Certificate Status: {@code Issued} once any certificate was issued, else empty.
 *   <li>The profile columns (State to Declared Board) are filled only for learners whose
 *       organisation the report's scope shows; for others they are empty.
 * </ul>
 */
public final class ProgressExhaust {

  static final List<String> COLUMNS = List.of("State", "District", "Org Name", "School Id", "School Name", "Block Name",
      "Cluster Name", "User Type", "User Sub Type", "Declared Board", "Enrolment Date", "Completion Date",
      "Certificate Status", "Progress", "Total Score");

  private final Course course;
  private final Batch batch;
  private final ReportScope scope;
  private final List<CourseNode> assessments;
  private final List<CourseNode> units;

  public ProgressExhaust(Course course, Batch batch, ReportScope scope) {
    this.course = course;
    this.batch = batch;
    this.scope = scope;
    this.assessments = course.leaves().stream().filter(n -> n.kind() == CourseNode.Kind.ASSESSMENT).toList();
    List<CourseNode> found = new ArrayList<>();
    collectUnits(course.children(), found);
    this.units = List.copyOf(found);
  }

  private static void collectUnits(List<CourseNode> nodes, List<CourseNode> out) {
    for (CourseNode n : nodes) {
      if (n.kind() == CourseNode.Kind.UNIT) {
        out.add(n);
        collectUnits(n.children(), out);
      }
    }
  }

  public List<String> header() {
    List<String> out = ExhaustColumns.header(COLUMNS);
    assessments.forEach(a -> out.add(a.identifier() + " - Score"));
    units.forEach(u -> out.add(u.identifier() + " - Progress"));
    return out;
  }

  /**
   * The learner's row; {@code profile} may be null (the directory does not know the learner). Its
   * columns are left empty unless the scope shows the location of the learner's root organisation.
   */
  public List<String> row(ExhaustLearner learner, UserProfile profile) {
    boolean shown = profile != null && scope.showsLocationOf(Optional.ofNullable(profile.rootOrgId()));
    UserProfile p = shown ? profile : new UserProfile(learner.userId(), null);
    var zone = batch.zone();
    List<String> out = ExhaustColumns.row(course, batch, learner.userId());
    for (String v : List.of(s(p.state()), s(p.district()), s(p.orgName()), s(p.schoolId()), s(p.schoolName()), s(p.block()),
        s(p.cluster()), s(p.userType()), s(p.userSubType()), s(p.declaredBoard()))) {
      out.add(v);
    }
    out.add(ExhaustColumns.date(learner.enrolledDate(), zone));
    out.add(ExhaustColumns.date(learner.completedOn(), zone));
    out.add(learner.certified() ? "Issued" : "");
    out.add(Integer.toString(learner.completedOn() != null ? 100 : learner.completionPercentage()));
    Map<String, ScoredAttempt> best = bestAttempts(learner.attempts());
    double score = 0;
    double max = 0;
    for (CourseNode a : assessments) {
      ScoredAttempt b = best.get(a.identifier());
      if (b != null) {
        score += b.score();
        max += b.maxScore();
      }
    }
    out.add(best.isEmpty() ? "" : ExhaustColumns.percent(score, max));
    for (CourseNode a : assessments) {
      ScoredAttempt b = best.get(a.identifier());
      out.add(b == null ? "" : ExhaustColumns.percent(b.score(), b.maxScore()));
    }
    for (CourseNode u : units) {
      out.add(unitProgress(u, learner));
    }
    return out;
  }

  /** The best attempt per assessment of the course; ties go to the later attempt, as the enrolment entity decides. */
  private Map<String, ScoredAttempt> bestAttempts(List<ScoredAttempt> attempts) {
    Map<String, ScoredAttempt> best = new LinkedHashMap<>();
    for (ScoredAttempt a : attempts) {
      ScoredAttempt previous = best.get(a.contentId());
      if (previous == null || a.score() >= previous.score()) {
        best.put(a.contentId(), a);
      }
    }
    best.keySet().retainAll(assessments.stream().map(CourseNode::identifier).toList());
    return best;
  }

  private static String unitProgress(CourseNode unit, ExhaustLearner learner) {
    List<CourseNode> leaves = CourseNode.leavesOf(unit.children());
    if (leaves.isEmpty()) {
      return "";
    }
    long done = leaves.stream().filter(l -> learner.completedContents().contains(l.identifier())).count();
    return Long.toString(done * 100 / leaves.size());
  }

  private static String s(String value) {
    return ExhaustColumns.orEmpty(value);
  }
}
