package org.coursebatch.http.enrollment;

import java.util.stream.Stream;
import org.coursebatch.http.OpenApiExamples;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The enrolment response records write the properties of their openapi.yaml schemas. Not here:
 * ContentStateUpdateResult (its accepted items are the schema's additionalProperties, which the
 * check cannot tell from a property) and CertificateIssueResult (an allOf of two schemas).
 */
class EnrollmentRecordsSchemaTest {

  private static final OpenApiExamples DOC = OpenApiExamples.load();

  static Stream<Arguments> records() {
    return Stream.of(
        Arguments.of(EnrolResult.class, "EnrolResult"),
        Arguments.of(UserOutcomesResult.class, "UserOutcomesResult"),
        Arguments.of(UserOutcomesResult.UserOutcome.class, "UserOutcome"),
        Arguments.of(ParticipantListResult.class, "ParticipantListResult"),
        Arguments.of(UserEnrollmentListResult.class, "UserEnrollmentListResult"),
        Arguments.of(UserEnrollment.class, "UserEnrollment"),
        Arguments.of(ListedCertificate.class, "IssuedCertificate"),
        Arguments.of(ContentStateReadResult.class, "ContentStateReadResult"),
        Arguments.of(ContentStateReadResult.State.class, "ContentState"));
  }

  @ParameterizedTest(name = "{0} is {1}")
  @MethodSource("records")
  void writesItsSchemasProperties(Class<?> record, String schema) {
    DOC.assertRecordMatchesSchema(record, schema);
  }
}
