package org.coursebatch.http.history;

import java.util.stream.Stream;
import org.coursebatch.http.OpenApiExamples;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The history records write what openapi.yaml documents. */
class HistoryRecordsSchemaTest {

  private static final OpenApiExamples DOC = OpenApiExamples.load();

  static Stream<Arguments> records() {
    return Stream.of(
        Arguments.of(HistoryResult.History.class, "HistoryPageResult"),
        Arguments.of(HistoryResult.BatchAt.class, "BatchAtResult"),
        Arguments.of(HistoryResult.EnrollmentAt.class, "EnrollmentAtResult"),
        Arguments.of(HistoryResult.Page.class, "HistoryPage"),
        Arguments.of(HistoryResult.Entry.class, "HistoryItem"));
  }

  @ParameterizedTest(name = "{0} is {1}")
  @MethodSource("records")
  void writesItsSchemasProperties(Class<?> record, String schema) {
    DOC.assertRecordMatchesSchema(record, schema);
  }
}
