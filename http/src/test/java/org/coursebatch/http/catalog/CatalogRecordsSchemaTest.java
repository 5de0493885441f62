package org.coursebatch.http.catalog;

import org.coursebatch.http.OpenApiExamples;
import org.junit.jupiter.api.Test;

/** The catalog records write what openapi.yaml documents. */
class CatalogRecordsSchemaTest {

  @Test
  void recordsWriteTheirSchemasProperties() {
    OpenApiExamples doc = OpenApiExamples.load();
    doc.assertRecordMatchesSchema(CatalogResult.CourseRegistered.class, "CourseRegisteredResult");
    doc.assertRecordMatchesSchema(CatalogResult.CourseRead.class, "CourseReadResult");
    doc.assertRecordMatchesSchema(CatalogResult.TemplateRegistered.class, "CertificateTemplateAssetRegisteredResult");
    doc.assertRecordMatchesSchema(CatalogResult.TemplateRead.class, "CertificateTemplateAssetReadResult");
    doc.assertRecordMatchesSchema(CatalogResult.Template.class, "CertificateTemplateAssetView");
  }
}
