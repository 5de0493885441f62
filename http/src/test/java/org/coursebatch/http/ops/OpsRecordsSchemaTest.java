package org.coursebatch.http.ops;

import org.coursebatch.http.OpenApiExamples;
import org.junit.jupiter.api.Test;

/** The health record writes what openapi.yaml documents. */
class OpsRecordsSchemaTest {

  @Test
  void recordsWriteTheirSchemasProperties() {
    OpenApiExamples doc = OpenApiExamples.load();
    doc.assertRecordMatchesSchema(OpsEndpoints.Health.class, "HealthResult");
  }
}
