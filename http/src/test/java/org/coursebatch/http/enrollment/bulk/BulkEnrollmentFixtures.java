package org.coursebatch.http.enrollment.bulk;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.coursebatch.core.enrollment.ContentState;
import org.coursebatch.core.enrollment.Enrollment;
import org.coursebatch.core.enrollment.EnrollmentId;
import org.coursebatch.core.enrollment.Participation;
import org.coursebatch.core.enrollment.SeatClaim;
import org.coursebatch.core.enrollment.bulk.EnrollmentBatchAdmin;
import org.coursebatch.core.enrollment.bulk.EnrollmentBatchAdmin.FoundEnrollment;
import org.coursebatch.core.enrollment.bulk.EnrollmentForm;
import org.coursebatch.core.enrollment.bulk.FormField;
import org.coursebatch.http.enrollment.EnrollmentFixtures;

/** The forms and enrolments the bulk openapi.yaml examples show. */
final class BulkEnrollmentFixtures {

  static final String BATCH_ID = EnrollmentFixtures.BATCH_ID;
  static final String LEARNER = EnrollmentFixtures.LEARNER;
  static final String OTHER_LEARNER = EnrollmentFixtures.OTHER_LEARNER;
  static final EnrollmentId ENROLLMENT = new EnrollmentId(BATCH_ID, LEARNER, 1);
  static final EnrollmentId OTHER_ENROLLMENT = new EnrollmentId(BATCH_ID, OTHER_LEARNER, 2);
  static final String CREATE_FORM_ID = "5b0e4d7a-8c1f-4f55-9a8e-0c6f1d2e3a41";
  static final String OTHER_CREATE_FORM_ID = "a7d3c2b1-1e0f-4d9c-8b7a-6f5e4d3c2b10";
  static final String UPDATE_FORM_ID = "e1f2a3b4-c5d6-4e7f-8a9b-0c1d2e3f4a5b";
  static final String CREATE_TOKEN = "eyJpIjoiNWIwZTRkN2EtOGMxZi00ZjU1LTlhOGUtMGM2ZjFkMmUzYTQxIiwiayI6IkNSRUFURSJ9.Xq3c6yO8lq4mJ0b1rW9x2YbF5n7s0dKc1uE4gH8jT2A";
  static final String OTHER_CREATE_TOKEN = "eyJpIjoiYTdkM2MyYjEtMWUwZi00ZDljLThiN2EtNmY1ZTRkM2MyYjEwIiwiayI6IkNSRUFURSJ9.pL2m9Qw7eR4tY1uI8oA3sD6fG0hJ5kZ2xC7vB4nM1Q0";
  static final String UPDATE_TOKEN = "eyJpIjoiZTFmMmEzYjQtYzVkNi00ZTdmLThhOWItMGMxZDJlM2Y0YTViIiwiayI6IlVQREFURSJ9.c9V8b7N6m5L4k3J2h1G0f9D8s7A6q5W4e3R2t1Y0u9I";
  static final Instant EXPIRES = Instant.parse("2024-05-01T11:00:01Z");

  private BulkEnrollmentFixtures() {}

  static EnrollmentForm createForm(String id, String userId, String token) {
    List<FormField> metadata = List.of(
        new FormField("batchId", "string", true, true, BATCH_ID, "The batch (program offering) to enrol in."),
        new FormField("userId", "string", true, true, userId, "The learner (student) to enrol."));
    return new EnrollmentForm(id, EnrollmentForm.Kind.CREATE, BATCH_ID, userId, null,
        List.of(EnrollmentBatchAdmin.PROGRESS_RECORD), EXPIRES, metadata, token, null);
  }

  static List<EnrollmentForm> createForms() {
    return List.of(createForm(CREATE_FORM_ID, LEARNER, CREATE_TOKEN), createForm(OTHER_CREATE_FORM_ID, OTHER_LEARNER, OTHER_CREATE_TOKEN));
  }

  static EnrollmentForm updateForm() {
    List<FormField> metadata = List.of(
        new FormField("enrollmentId", "string", true, true, ENROLLMENT.toString(), "The enrolment this form updates."),
        new FormField("batchId", "string", true, true, BATCH_ID, "The batch (program offering)."),
        new FormField("userId", "string", true, true, LEARNER, "The learner (student)."),
        new FormField("active", "boolean", false, true, true,
            "false unenrols (or takes the learner off the waitlist); true enrols an unenrolled learner again."
                + " The same rules and codes as single enrolment apply."));
    return new EnrollmentForm(UPDATE_FORM_ID, EnrollmentForm.Kind.UPDATE, BATCH_ID, LEARNER, ENROLLMENT.toString(), List.of(),
        EXPIRES, metadata, UPDATE_TOKEN, null);
  }

  /** An active enrolment, enrolled by a bulk form, with one of its two contents completed. */
  static FoundEnrollment found() {
    Instant accessed = Instant.parse("2024-05-01T08:30:00Z");
    var video = new ContentState("do_content_1", 2, 100, 1, 1, accessed, accessed, null);
    Enrollment e = new Enrollment(BATCH_ID, LEARNER, EnrollmentFixtures.COURSE_ID, Participation.ACTIVE, false, SeatClaim.NONE, null,
        Instant.parse("2024-04-30T09:12:01.512Z"), EnrollmentFixtures.CREATOR, Map.of(video.contentId(), video), Map.of(), Set.of(), 1, 50, null,
        List.of(), video.contentId(), 2, accessed, 1, Set.of(CREATE_FORM_ID), null);
    return new FoundEnrollment(ENROLLMENT, e);
  }
}
