package org.coursebatch.http.batch;

import java.util.stream.Stream;
import org.coursebatch.core.certificate.Signatory;
import org.coursebatch.http.OpenApiExamples;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The batch records write what openapi.yaml documents. */
class BatchRecordsSchemaTest {

  private static final OpenApiExamples DOC = OpenApiExamples.load();

  static Stream<Arguments> records() {
    return Stream.of(
        Arguments.of(BatchDocument.class, "Batch"),
        Arguments.of(BatchDocument.Template.class, "CertificateTemplate"),
        Arguments.of(BatchDocument.Criteria.class, "CertificateCriteria"),
        Arguments.of(BatchDocument.Enrollment.class, "CertificateCriteria/properties/enrollment"),
        Arguments.of(BatchDocument.Assessment.class, "CertificateCriteria/properties/assessment"),
        Arguments.of(BatchDocument.User.class, "CertificateCriteria/properties/user"),
        Arguments.of(Signatory.class, "Signatory"),
        Arguments.of(BatchResult.Saved.class, "BatchIdResult"),
        Arguments.of(BatchResult.TemplatesChanged.class, "SuccessResult"),
        Arguments.of(BatchResult.Read.class, "BatchReadResult"),
        Arguments.of(BatchResult.Search.class, "BatchSearchResult"),
        Arguments.of(BatchResult.Page.class, "BatchSearchResult/properties/response"));
  }

  @ParameterizedTest(name = "{0} is {1}")
  @MethodSource("records")
  void writesItsSchemasProperties(Class<?> record, String schema) {
    DOC.assertRecordMatchesSchema(record, schema);
  }
}
