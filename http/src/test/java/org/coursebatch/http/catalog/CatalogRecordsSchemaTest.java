package org.coursebatch.http.catalog;

import java.util.stream.Stream;
import org.coursebatch.http.OpenApiExamples;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The catalog records write what openapi.yaml documents. */
class CatalogRecordsSchemaTest {

  private static final OpenApiExamples DOC = OpenApiExamples.load();

  static Stream<Arguments> records() {
    return Stream.of(
        Arguments.of(CatalogResult.CourseRegistered.class, "CourseRegisteredResult"),
        Arguments.of(CatalogResult.CourseRead.class, "CourseReadResult"),
        Arguments.of(CatalogResult.TemplateRegistered.class, "CertificateTemplateAssetRegisteredResult"),
        Arguments.of(CatalogResult.TemplateRead.class, "CertificateTemplateAssetReadResult"),
        Arguments.of(CatalogResult.Template.class, "CertificateTemplateAssetView"));
  }

  @ParameterizedTest(name = "{0} is {1}")
  @MethodSource("records")
  void writesItsSchemasProperties(Class<?> record, String schema) {
    DOC.assertRecordMatchesSchema(record, schema);
  }
}
