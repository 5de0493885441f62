package org.coursebatch.http.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.coursebatch.core.catalog.CatalogAdmin;
import org.coursebatch.core.catalog.CourseCatalog;
import org.coursebatch.core.catalog.CourseDocuments;
import org.coursebatch.core.certificate.CertificateDocuments;
import org.coursebatch.core.certificate.CertificateTemplateAsset;
import org.coursebatch.core.error.ErrorCode;
import org.coursebatch.core.identity.Caller;
import org.coursebatch.http.api.ApiRequest;
import org.coursebatch.http.api.Endpoint;
import org.coursebatch.http.api.Envelope;

/**
 * The built-in catalog: courses (Sunbird-style collection hierarchies) and certificate-template
 * assets are registered with PUT and read back with GET.
 */
public final class CatalogEndpoints {

  /** The catalog tables' columns (V4__catalog.sql). */
  private static final int MAX_NAME_LENGTH = 1000;
  private static final int MAX_STATUS_LENGTH = 32;
  private static final int MAX_URL_LENGTH = 2000;

  private final CourseCatalog catalog;
  private final CatalogAdmin admin;
  private final List<String> writerRoles;

  /** @param writerRoles roles allowed to register; empty lets any authenticated user register */
  public CatalogEndpoints(CourseCatalog catalog, CatalogAdmin admin, List<String> writerRoles) {
    this.catalog = catalog;
    this.admin = admin;
    this.writerRoles = List.copyOf(writerRoles);
  }

  public List<Endpoint> endpoints() {
    return List.of(
        Endpoint.put("/v1/catalog/course/{courseId}", "api.catalog.course.put", this::putCourse),
        Endpoint.get("/v1/catalog/course/{courseId}", "api.catalog.course.read", this::getCourse),
        Endpoint.put("/v1/catalog/certificate-template/{templateId}", "api.catalog.certificate-template.put", this::putTemplate),
        Endpoint.get("/v1/catalog/certificate-template/{templateId}", "api.catalog.certificate-template.read", this::getTemplate));
  }

  private CompletionStage<JsonNode> putCourse(ApiRequest req) {
    Caller caller = checkWriter(req);
    var course = CourseDocuments.parse(req.pathParam("courseId"), req.request().node());
    refuseLongerThanItsColumn("name", course.name(), MAX_NAME_LENGTH);
    refuseLongerThanItsColumn("status", course.status(), MAX_STATUS_LENGTH);
    return admin.putCourse(course, caller.userId()).thenApply(done -> {
      ObjectNode result = Envelope.JSON.createObjectNode();
      result.put("response", "SUCCESS");
      result.put("identifier", course.identifier());
      result.put("leafNodesCount", course.leafNodesCount());
      return result;
    });
  }

  private CompletionStage<JsonNode> getCourse(ApiRequest req) {
    String id = req.pathParam("courseId");
    return catalog.findCourse(id).thenApply(found -> {
      var course = found.orElseThrow(() -> ErrorCode.CATALOG_ITEM_NOT_FOUND.reject("Course", id).asException());
      ObjectNode result = Envelope.JSON.createObjectNode();
      result.set("content", course.document());
      return result;
    });
  }

  private CompletionStage<JsonNode> putTemplate(ApiRequest req) {
    Caller caller = checkWriter(req);
    var asset = CertificateDocuments.parseAsset(req.pathParam("templateId"), req.request().node());
    refuseLongerThanItsColumn("name", asset.name(), MAX_NAME_LENGTH);
    refuseLongerThanItsColumn("url", asset.url(), MAX_URL_LENGTH);
    return admin.putCertificateTemplate(asset, caller.userId()).thenApply(done -> {
      ObjectNode result = Envelope.JSON.createObjectNode();
      result.put("response", "SUCCESS");
      result.put("identifier", asset.identifier());
      return result;
    });
  }

  private CompletionStage<JsonNode> getTemplate(ApiRequest req) {
    String id = req.pathParam("templateId");
    return catalog.findCertificateTemplate(id).thenApply(found -> {
      CertificateTemplateAsset asset = found.orElseThrow(() -> ErrorCode.CATALOG_ITEM_NOT_FOUND.reject("Certificate template", id).asException());
      ObjectNode result = Envelope.JSON.createObjectNode();
      ObjectNode content = result.putObject("content");
      content.put("identifier", asset.identifier());
      content.put("name", asset.name());
      content.put("url", asset.url());
      if (asset.issuer() != null) {
        content.set("issuer", asset.issuer());
      }
      content.set("signatoryList", Envelope.JSON.valueToTree(asset.signatoryList()));
      return result;
    });
  }

  /** A text longer than the catalog's column for it would fail the write (a 500); it is refused instead. */
  private static void refuseLongerThanItsColumn(String field, String value, int max) {
    if (value != null && value.length() > max) {
      throw ErrorCode.VALUE_TOO_LONG.reject(field, max, value.length()).asException();
    }
  }

  private Caller checkWriter(ApiRequest req) {
    Caller caller = req.requireCaller();
    if (!writerRoles.isEmpty() && !caller.hasAnyRole(writerRoles)) {
      throw ErrorCode.FORBIDDEN.reject("Registering in the catalog needs one of the roles " + writerRoles + ".").asException();
    }
    return caller;
  }
}
