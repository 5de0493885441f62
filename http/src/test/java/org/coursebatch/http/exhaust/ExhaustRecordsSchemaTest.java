package org.coursebatch.http.exhaust;

import org.coursebatch.http.OpenApiExamples;
import org.junit.jupiter.api.Test;

/** The report request records write what openapi.yaml documents. */
class ExhaustRecordsSchemaTest {

  @Test
  void recordsWriteTheirSchemasProperties() {
    OpenApiExamples doc = OpenApiExamples.load();
    doc.assertRecordMatchesSchema(JobDocument.class, "JobRequest");
    doc.assertRecordMatchesSchema(JobDocument.JobStats.class, "JobRequest/properties/jobStats");
    doc.assertRecordMatchesSchema(JobDocument.JobList.class, "JobRequestList");
  }
}
