package org.coursebatch.core.exhaust;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.coursebatch.core.access.ReportScope;
import org.coursebatch.core.batch.Batch;
import org.coursebatch.core.batch.BatchStatus;
import org.coursebatch.core.batch.EnrollmentType;
import org.coursebatch.core.catalog.Course;
import org.coursebatch.core.catalog.CourseNode;
import org.coursebatch.core.catalog.CourseNode.Kind;
import org.coursebatch.core.catalog.CourseNode.Question;
import org.coursebatch.core.enrollment.AssessmentAttempt;
import org.coursebatch.core.enrollment.QuestionResponse;
import org.coursebatch.core.exhaust.ExhaustLearner.ScoredAttempt;
import org.coursebatch.core.user.Consent;
import org.coursebatch.core.user.UserProfile;
import org.junit.jupiter.api.Test;

/** The reports' rows without a database: rounding, best attempts, units, zones, consent, scope. */
class ExhaustRowsTest {

  static final CourseNode QUIZ = new CourseNode("a1", "Quiz", Kind.ASSESSMENT, List.of(), List.of(new Question("q1", 3)));
  static final Course COURSE = new Course("do_1", "Course", "Live", true, true, 3, List.of(
      new CourseNode("u1", "Unit 1", Kind.UNIT, List.of(
          new CourseNode("c1", "Video", Kind.CONTENT, List.of(), List.of()),
          new CourseNode("u11", "Unit 1.1", Kind.UNIT, List.of(QUIZ), List.of())), List.of()),
      new CourseNode("u2", "Empty unit", Kind.UNIT, List.of(), List.of()),
      new CourseNode("c2", "Loose video", Kind.CONTENT, List.of(), List.of())), null);
  // 23:30 UTC on the 1st is the 2nd in Kolkata
  static final Instant LATE = Instant.parse("2024-03-01T23:30:00Z");
  static final ReportScope ADMIN_OF_1 = new ReportScope(Optional.of("org-1"), Optional.of("org-1"), false);
  static final ReportScope CREATOR_OF_1 = new ReportScope(Optional.of("org-1"), Optional.empty(), false);
  static final Batch BATCH = new Batch("b1", "do_1", "Batch", null, null, EnrollmentType.OPEN, LocalDate.parse("2024-03-01"), null,
      null, "Asia/Kolkata", List.of(), List.of(), "creator", LATE, null, null, BatchStatus.IN_PROGRESS, Map.of(), null, null);

  @Test
  void progressRowsRoundScoresUpTakeTheBestAttemptAndCountUnitLeaves() {
    var report = new ProgressExhaust(COURSE, BATCH, ADMIN_OF_1);
    assertEquals(List.of("a1 - Score", "u1 - Progress", "u11 - Progress", "u2 - Progress"),
        report.header().subList(20, report.header().size()));
    var learner = new ExhaustLearner("l1", LATE, null, 33, Set.of("c1"), List.of(
        new ScoredAttempt("a1", "t1", 2, 3), new ScoredAttempt("a1", "t2", 1, 3), new ScoredAttempt("other", "t3", 0, 5)), true);
    List<String> row = report.row(learner, null);
    assertEquals(List.of("02/03/2024", "", "Issued", "33", "67%", "67%", "50", "0", ""), row.subList(15, row.size()));
  }

  @Test
  void aCompletedEnrolmentIsAtOneHundredPercent() {
    var learner = new ExhaustLearner("l1", LATE, LATE, 66, Set.of("c1", "a1", "c2"), List.of(), false);
    List<String> row = new ProgressExhaust(COURSE, BATCH, ADMIN_OF_1).row(learner, null);
    assertEquals(List.of("02/03/2024", "02/03/2024", "", "100", "", "", "100", "100", ""), row.subList(15, row.size()));
  }

  @Test
  void responseRowsWriteWholeNumbersPlainlyAndTheJsonAsSent() throws Exception {
    var json = new ObjectMapper();
    var attempt = new AssessmentAttempt("a1", "t1", LATE, List.of(new QuestionResponse("q1", "mcq", "Q", 1.5, 3, json.readTree("[{\"1\":\"A\"}]"),
        json.readTree("[{\"1\":\"A\"}]"), 6.6)));
    assertEquals(List.of(List.of("do_1", "Course", "b1", "Batch", "l1", "a1", "Quiz", "t1", "2024-03-02 05:00:00", "q1", "mcq", "Q", "",
        "7", "1.5", "3", "[{\"1\":\"A\"}]", "[{\"1\":\"A\"}]")), new ResponseExhaust(COURSE, BATCH).rows("l1", attempt));
  }

  @Test
  void userInfoRowsNeedAnActiveConsentToTheScopesOrganisation() {
    var report = new UserInfoExhaust(COURSE, BATCH, ADMIN_OF_1);
    var revoked = new Consent("l1", "do_1", Consent.COLLECTION, "org-1", Consent.Status.REVOKED, LATE, LATE);
    assertThrows(IllegalArgumentException.class, () -> report.row("l1", null, revoked));
    var toNone = new Consent("l1", "do_1", Consent.COLLECTION, null, Consent.Status.ACTIVE, LATE, LATE);
    var toOther = new Consent("l1", "do_1", Consent.COLLECTION, "org-2", Consent.Status.ACTIVE, LATE, LATE);
    var toAnotherCourse = new Consent("l1", "do_2", Consent.COLLECTION, "org-1", Consent.Status.ACTIVE, LATE, LATE);
    for (Consent c : new Consent[] {null, revoked, toNone, toOther, toAnotherCourse}) {
      assertFalse(report.lists(c), String.valueOf(c));
      assertThrows(IllegalArgumentException.class, () -> report.row("l1", null, c));
    }
    var given = new Consent("l1", "do_1", Consent.COLLECTION, "org-1", Consent.Status.ACTIVE, LATE, LATE);
    assertTrue(report.lists(given));
    assertFalse(new UserInfoExhaust(COURSE, BATCH, ReportScope.NONE).lists(given), "a scope without an organisation lists nobody");
    List<String> row = report.row("l1", null, given);
    assertEquals(List.of("true", "02/03/2024"), row.subList(row.size() - 2, row.size()));
    assertEquals(report.header().size(), row.size());
  }

  @Test
  void progressRowsShowTheProfileOnlyOfLearnersOfTheScopesOrganisation() {
    var learner = new ExhaustLearner("l1", LATE, null, 0, Set.of(), List.of(), false);
    UserProfile of1 = profile("org-1");
    List<String> shown = List.of("Karnataka", "Bengaluru", "Org One", "S-1", "School", "North", "C1", "teacher", "hm", "CBSE");
    List<String> empty = List.of("", "", "", "", "", "", "", "", "", "");
    assertEquals(shown, profileColumns(new ProgressExhaust(COURSE, BATCH, ADMIN_OF_1).row(learner, of1)));
    assertEquals(empty, profileColumns(new ProgressExhaust(COURSE, BATCH, ADMIN_OF_1).row(learner, profile("org-2"))));
    assertEquals(empty, profileColumns(new ProgressExhaust(COURSE, BATCH, ADMIN_OF_1).row(learner, profile(null))));
    assertEquals(empty, profileColumns(new ProgressExhaust(COURSE, BATCH, CREATOR_OF_1).row(learner, of1)), "a creator's report");
    assertEquals(empty, profileColumns(new ProgressExhaust(COURSE, BATCH, ReportScope.NONE).row(learner, of1)));
    var everyone = new ReportScope(Optional.empty(), Optional.empty(), true);
    assertEquals(shown, profileColumns(new ProgressExhaust(COURSE, BATCH, everyone).row(learner, of1)));
    List<String> row = new ProgressExhaust(COURSE, BATCH, CREATOR_OF_1).row(learner, of1);
    assertEquals(List.of("02/03/2024", "", "", "0"), row.subList(15, 19), "the progress itself is shown to all");
  }

  private static UserProfile profile(String rootOrgId) {
    return new UserProfile("l1", rootOrgId, "Asha", "asha@example.org", "+911234", "Karnataka", "Bengaluru", "North", "C1", "S-1",
        "School", "Org One", "teacher", "hm", "CBSE");
  }

  private static List<String> profileColumns(List<String> row) {
    return row.subList(5, 15);
  }
}
