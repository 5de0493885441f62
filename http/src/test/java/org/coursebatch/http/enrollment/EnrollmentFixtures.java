package org.coursebatch.http.enrollment;

import static org.coursebatch.http.RequestAssertions.json;

import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.coursebatch.core.batch.Batch;
import org.coursebatch.core.batch.BatchStatus;
import org.coursebatch.core.batch.EnrollmentType;
import org.coursebatch.core.batch.Seats;
import org.coursebatch.core.catalog.Course;
import org.coursebatch.core.enrollment.BestScore;
import org.coursebatch.core.enrollment.ContentState;
import org.coursebatch.core.enrollment.Enrollment;
import org.coursebatch.core.enrollment.EnrollmentRecord;
import org.coursebatch.core.enrollment.IssuedCertificate;
import org.coursebatch.core.enrollment.Participation;
import org.coursebatch.core.enrollment.SeatClaim;

/** The learner, course, batches and enrolments of the openapi.yaml examples. */
public final class EnrollmentFixtures {

  public static final String LEARNER = "c4cc494f-04c3-49f3-b3d5-7b1a1984abad";
  public static final String OTHER_LEARNER = "0a4300a0-6a7a-4edb-9111-a7c9c6a53693";
  public static final String COURSE_ID = "do_1131396442662912001425";
  public static final String BATCH_ID = "01315728917531852810";
  static final String WAITLIST_BATCH_ID = "01315728917531852999";
  public static final String CREATOR = "95e4942d-cbe8-477d-aebd-ad8e6de4bfc8";
  static final Instant COMPLETED = Instant.parse("2020-11-24T10:30:00.250Z");
  static final IssuedCertificate CERTIFICATE =
      new IssuedCertificate("9f1f5c4e-6a3b-4f7e-8a51-1e0f8f2c7d10", "Test_Template_4", COMPLETED, false);

  private EnrollmentFixtures() {}

  static Course course() {
    var document = json("{'identifier':'" + COURSE_ID + "','name':'Introduction to Statistics','status':'Live',"
        + "'description':'Mean, median and variance for beginners','appIcon':'https://example.org/statistics.png',"
        + "'leafNodesCount':4,'children':[]}");
    return new Course(COURSE_ID, "Introduction to Statistics", "Live", true, false, 4, List.of(), document);
  }

  static Batch batch() {
    return new Batch(BATCH_ID, COURSE_ID, "test cert scalability", null, null, EnrollmentType.OPEN,
        LocalDate.parse("2020-11-23"), LocalDate.parse("2021-12-30"), null, "UTC", List.of(), List.of(),
        CREATOR, Instant.parse("2020-11-04T10:54:31.731Z"), null, null, BatchStatus.IN_PROGRESS, Map.of(), null, null);
  }

  /** A full batch with a capacity, starting later, where the learner waits. */
  static Batch waitlistBatch() {
    var seats = new Seats(Set.of("holder-1", "holder-2"), List.of(new Seats.Waiting("waiting-1", 1), new Seats.Waiting(LEARNER, 2)),
        Set.of(), 3);
    return new Batch(WAITLIST_BATCH_ID, COURSE_ID, "Weekend cohort", null, null, EnrollmentType.OPEN,
        LocalDate.parse("2020-12-05"), LocalDate.parse("2021-06-30"), null, "UTC", List.of(), List.of(),
        CREATOR, Instant.parse("2020-11-20T08:00:00Z"), null, null, BatchStatus.UPCOMING, Map.of(), 2, seats);
  }

  /** The learner completed the course in {@link #BATCH_ID} and holds a certificate. */
  static EnrollmentRecord completedRecord() {
    return new EnrollmentRecord(BATCH_ID, LEARNER, COURSE_ID, Participation.ACTIVE, false,
        Instant.parse("2020-11-24T09:12:01.512Z"), LEARNER, 4, 100, 2, COMPLETED, "do_qs_1", 2,
        Instant.parse("2020-11-24T10:30:00Z"), null, List.of(CERTIFICATE), COMPLETED);
  }

  static EnrollmentRecord waitlistedRecord() {
    return new EnrollmentRecord(WAITLIST_BATCH_ID, LEARNER, COURSE_ID, Participation.WAITLISTED, false,
        null, LEARNER, 0, 0, 0, null, null, null, null, 2, List.of(), Instant.parse("2020-11-26T08:00:00.100Z"));
  }

  /** The learner's enrolment in {@link #BATCH_ID}: a video and a question set (two attempts) completed. */
  static Enrollment enrollment() {
    var video = new ContentState("do_content_1", 2, 100, 2, 1, Instant.parse("2020-11-24T10:00:00Z"),
        Instant.parse("2020-11-24T10:05:00Z"), json("{'current':[120],'max':120}"));
    var quiz = new ContentState("do_qs_1", 2, 100, 1, 1, Instant.parse("2020-11-24T10:30:00Z"), Instant.parse("2020-11-24T10:30:00Z"), null);
    var best = new BestScore("do_qs_1", "attempt-2", 3.0, 3.0, 2);
    Map<String, ContentState> contents = new LinkedHashMap<>();
    contents.put(video.contentId(), video);
    contents.put(quiz.contentId(), quiz);
    return new Enrollment(BATCH_ID, LEARNER, COURSE_ID, Participation.ACTIVE, false, SeatClaim.NONE, null,
        Instant.parse("2020-11-24T09:12:01.512Z"), LEARNER, contents, Map.of("do_qs_1", best), Set.of("do_qs_1/attempt-1", "do_qs_1/attempt-2"), 4, 100, COMPLETED, List.of(CERTIFICATE),
        "do_qs_1", 2, Instant.parse("2020-11-24T10:30:00Z"), 1, Set.of(), null);
  }
}
