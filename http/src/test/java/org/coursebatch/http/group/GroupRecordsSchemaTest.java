package org.coursebatch.http.group;

import java.util.stream.Stream;
import org.coursebatch.http.OpenApiExamples;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The group records write what openapi.yaml documents. */
class GroupRecordsSchemaTest {

  private static final OpenApiExamples DOC = OpenApiExamples.load();

  static Stream<Arguments> records() {
    return Stream.of(
        Arguments.of(GroupResult.Activity.class, "GroupActivityResult"),
        Arguments.of(GroupResult.ActivityAggregates.class, "GroupActivityResult/properties/activity"),
        Arguments.of(GroupResult.WholeMetric.class, "GroupMetric"),
        Arguments.of(GroupResult.Metric.class, "GroupMetric"),
        Arguments.of(GroupResult.MemberAggregates.class, "GroupMemberAggregates"),
        Arguments.of(GroupResult.Read.class, "Group"),
        Arguments.of(GroupResult.Member.class, "GroupMember"),
        Arguments.of(GroupResult.Stored.class, "GroupStoredResult"));
  }

  @ParameterizedTest(name = "{0} is {1}")
  @MethodSource("records")
  void writesItsSchemasProperties(Class<?> record, String schema) {
    DOC.assertRecordMatchesSchema(record, schema);
  }
}
