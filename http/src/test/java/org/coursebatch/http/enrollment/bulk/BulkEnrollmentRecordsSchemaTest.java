package org.coursebatch.http.enrollment.bulk;

import java.util.stream.Stream;
import org.coursebatch.http.OpenApiExamples;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The bulk enrolment response records write the properties of their openapi.yaml schemas. */
class BulkEnrollmentRecordsSchemaTest {

  private static final OpenApiExamples DOC = OpenApiExamples.load();

  static Stream<Arguments> records() {
    return Stream.of(
        Arguments.of(EnrollmentFormsResult.class, "EnrollmentFormsResult"),
        Arguments.of(EnrollmentFormsResult.Form.class, "EnrollmentForm"),
        Arguments.of(EnrollmentFormsResult.Field.class, "FormField"),
        Arguments.of(CreateItem.class, "CreateItem"),
        Arguments.of(CreateItem.Progress.class, "EnrollmentProgress"),
        Arguments.of(UpdateItem.class, "UpdateItem"),
        Arguments.of(DeleteItem.class, "DeleteItem"),
        Arguments.of(AliasItem.class, "AliasItem"),
        Arguments.of(ItemError.class, "ItemError"),
        Arguments.of(EnrollmentReadResult.class, "EnrollmentReadResult"),
        Arguments.of(EnrollmentReadResult.Document.class, "Enrollment"));
  }

  @ParameterizedTest(name = "{0} is {1}")
  @MethodSource("records")
  void writesItsSchemasProperties(Class<?> record, String schema) {
    DOC.assertRecordMatchesSchema(record, schema);
  }
}
