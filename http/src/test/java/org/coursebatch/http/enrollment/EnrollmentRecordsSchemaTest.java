package org.coursebatch.http.enrollment;

import java.util.stream.Stream;
import org.coursebatch.http.OpenApiExamples;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The enrolment response records write the properties of their openapi.yaml schemas. Not here:
 * BatchDetails, an enrolment's batch with the fields the request named, whose schema is only
 * additionalProperties (AnswerRecordsTest lists it).
 */
class EnrollmentRecordsSchemaTest {

  private static final OpenApiExamples DOC = OpenApiExamples.load();

  static Stream<Arguments> records() {
    return Stream.of(
        Arguments.of(EnrolResult.class, "EnrolResult"),
        Arguments.of(UserOutcomesResult.class, "UserOutcomesResult"),
        Arguments.of(UserOutcomesResult.UserOutcome.class, "UserOutcome"),
        Arguments.of(UserOutcomesResult.Issued.class, "CertificateIssuedNow"),
        Arguments.of(CertificateIssueResult.class, "CertificateIssueResult"),
        Arguments.of(CertificateIssueResult.Submitted.class, "CertificateIssueResult/allOf/1/properties/result"),
        Arguments.of(ParticipantListResult.class, "ParticipantListResult"),
        Arguments.of(ParticipantListResult.Participants.class, "ParticipantListResult/properties/batch"),
        Arguments.of(UserEnrollmentListResult.class, "UserEnrollmentListResult"),
        Arguments.of(UserEnrollment.class, "UserEnrollment"),
        Arguments.of(CourseContent.class, "UserEnrollment/properties/content"),
        Arguments.of(ListedCertificate.class, "IssuedCertificate"),
        Arguments.of(ContentStateReadResult.class, "ContentStateReadResult"),
        Arguments.of(ContentStateReadResult.State.class, "ContentState"),
        Arguments.of(ContentStateReadResult.Score.class, "ContentState/properties/score/items"),
        Arguments.of(ContentStateUpdateResult.class, "ContentStateUpdateResult"),
        Arguments.of(ContentStateUpdateResult.LeftOut.class, "ContentStateUpdateResult/properties/INVALID_ITEMS/items"));
  }

  @ParameterizedTest(name = "{0} is {1}")
  @MethodSource("records")
  void writesItsSchemasProperties(Class<?> record, String schema) {
    DOC.assertRecordMatchesSchema(record, schema);
  }
}
