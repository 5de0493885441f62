package org.coursebatch.http.catalog;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.coursebatch.core.catalog.Course;
import org.coursebatch.core.certificate.CertificateTemplateAsset;
import org.coursebatch.core.certificate.Signatory;

/** The {@code result} of each catalog operation. */
public sealed interface CatalogResult {

  /** A course registered: {@code {response: "SUCCESS", identifier, leafNodesCount}}. */
  record CourseRegistered(String response, String identifier, int leafNodesCount) implements CatalogResult {
    public static CourseRegistered of(Course course) {
      return new CourseRegistered("SUCCESS", course.identifier(), course.leafNodesCount());
    }
  }

  /** A course: its hierarchy as it was registered. */
  record CourseRead(JsonNode content) implements CatalogResult {}

  /** A certificate template registered: {@code {response: "SUCCESS", identifier}}. */
  record TemplateRegistered(String response, String identifier) implements CatalogResult {
    public static TemplateRegistered of(CertificateTemplateAsset asset) {
      return new TemplateRegistered("SUCCESS", asset.identifier());
    }
  }

  /** A certificate template: {@code {content: {...}}}. */
  record TemplateRead(Template content) implements CatalogResult {
    public static TemplateRead of(CertificateTemplateAsset asset) {
      return new TemplateRead(new Template(asset.identifier(), asset.name(), asset.url(), asset.issuer(), asset.signatoryList()));
    }
  }

  /** A template asset; {@code issuer} (stored JSON, as given) only when it has one. */
  record Template(
      String identifier,
      String name,
      String url,
      @JsonInclude(JsonInclude.Include.NON_NULL) JsonNode issuer,
      List<Signatory> signatoryList) {}
}
