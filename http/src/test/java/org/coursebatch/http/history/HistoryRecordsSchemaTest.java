package org.coursebatch.http.history;

import org.coursebatch.http.OpenApiExamples;
import org.junit.jupiter.api.Test;

/** The history records write what openapi.yaml documents (the results themselves are documented as one union per route). */
class HistoryRecordsSchemaTest {

  @Test
  void recordsWriteTheirSchemasProperties() {
    OpenApiExamples doc = OpenApiExamples.load();
    doc.assertRecordMatchesSchema(HistoryResult.Entry.class, "HistoryItem");
    doc.assertRecordMatchesSchema(HistoryResult.Page.class, "HistoryPage");
  }
}
