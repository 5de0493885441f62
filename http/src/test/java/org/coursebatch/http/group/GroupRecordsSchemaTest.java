package org.coursebatch.http.group;

import org.coursebatch.http.OpenApiExamples;
import org.junit.jupiter.api.Test;

/** The group records write what openapi.yaml documents. */
class GroupRecordsSchemaTest {

  @Test
  void recordsWriteTheirSchemasProperties() {
    OpenApiExamples doc = OpenApiExamples.load();
    doc.assertRecordMatchesSchema(GroupResult.Activity.class, "GroupActivityResult");
    doc.assertRecordMatchesSchema(GroupResult.ActivityAggregates.class, "GroupActivityResult/properties/activity");
    doc.assertRecordMatchesSchema(GroupResult.WholeMetric.class, "GroupMetric");
    doc.assertRecordMatchesSchema(GroupResult.Metric.class, "GroupMetric");
    doc.assertRecordMatchesSchema(GroupResult.Read.class, "Group");
    doc.assertRecordMatchesSchema(GroupResult.Member.class, "GroupMember");
    doc.assertRecordMatchesSchema(GroupResult.Stored.class, "GroupStoredResult");
  }
}
