package org.coursebatch.http.batch;

import org.coursebatch.core.certificate.Signatory;
import org.coursebatch.http.OpenApiExamples;
import org.junit.jupiter.api.Test;

/** The batch records write what openapi.yaml documents. */
class BatchRecordsSchemaTest {

  @Test
  void recordsWriteTheirSchemasProperties() {
    OpenApiExamples doc = OpenApiExamples.load();
    doc.assertRecordMatchesSchema(BatchDocument.class, "Batch");
    doc.assertRecordMatchesSchema(BatchDocument.Template.class, "CertificateTemplate");
    doc.assertRecordMatchesSchema(BatchDocument.Criteria.class, "CertificateCriteria");
    doc.assertRecordMatchesSchema(BatchDocument.Enrollment.class, "CertificateCriteria/properties/enrollment");
    doc.assertRecordMatchesSchema(BatchDocument.Assessment.class, "CertificateCriteria/properties/assessment");
    doc.assertRecordMatchesSchema(BatchDocument.User.class, "CertificateCriteria/properties/user");
    doc.assertRecordMatchesSchema(Signatory.class, "Signatory");
    doc.assertRecordMatchesSchema(BatchResult.Saved.class, "BatchIdResult");
    doc.assertRecordMatchesSchema(BatchResult.TemplatesChanged.class, "SuccessResult");
    doc.assertRecordMatchesSchema(BatchResult.Read.class, "BatchReadResult");
    doc.assertRecordMatchesSchema(BatchResult.Search.class, "BatchSearchResult");
    doc.assertRecordMatchesSchema(BatchResult.Page.class, "BatchSearchResult/properties/response");
  }
}
