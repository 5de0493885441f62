package org.coursebatch.http.exhaust;

import java.util.stream.Stream;
import org.coursebatch.http.OpenApiExamples;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The report request records write what openapi.yaml documents. */
class ExhaustRecordsSchemaTest {

  private static final OpenApiExamples DOC = OpenApiExamples.load();

  static Stream<Arguments> records() {
    return Stream.of(
        Arguments.of(JobDocument.class, "JobRequest"),
        Arguments.of(JobDocument.JobStats.class, "JobRequest/properties/jobStats"),
        Arguments.of(JobDocument.JobList.class, "JobRequestList"));
  }

  @ParameterizedTest(name = "{0} is {1}")
  @MethodSource("records")
  void writesItsSchemasProperties(Class<?> record, String schema) {
    DOC.assertRecordMatchesSchema(record, schema);
  }
}
