package org.coursebatch.http.catalog;

import org.coursebatch.core.access.Operation;
import org.coursebatch.core.access.AccessPolicy;
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

/**
 * The catalog's routes: courses (Sunbird-style collection hierarchies) and certificate-template
 * assets are read with GET; in the built-in catalog they are registered with PUT. When they come
 * from a content service a PUT is refused ({@code CATALOG_READ_ONLY}): a copy written here would
 * never be read.
 */
public final class CatalogEndpoints {

  /** Where courses and templates are written. */
  private sealed interface Writes {
    /** The built-in catalog, through this service. */
    record Here(CatalogAdmin admin) implements Writes {}

    /** The content service at {@code url}, not through this service. */
    record Elsewhere(String url) implements Writes {}
  }

  private final CourseCatalog catalog;
  private final Writes writes;
  private final AccessPolicy access;

  /** The built-in catalog. @param access who may register courses and templates */
  public CatalogEndpoints(CourseCatalog catalog, CatalogAdmin admin, AccessPolicy access) {
    this(catalog, new Writes.Here(admin), access);
  }

  private CatalogEndpoints(CourseCatalog catalog, Writes writes, AccessPolicy access) {
    this.catalog = catalog;
    this.writes = writes;
    this.access = access;
  }

  /** Courses and templates read from the content service at {@code url} ({@code catalog}); writes are refused. */
  public static CatalogEndpoints readOnly(CourseCatalog catalog, String url, AccessPolicy access) {
    return new CatalogEndpoints(catalog, new Writes.Elsewhere(url), access);
  }

  public List<Endpoint> endpoints() {
    return List.of(
        Endpoint.put("/v1/catalog/course/{courseId}", "api.catalog.course.put", this::putCourse),
        Endpoint.get("/v1/catalog/course/{courseId}", "api.catalog.course.read", this::getCourse),
        Endpoint.put("/v1/catalog/certificate-template/{templateId}", "api.catalog.certificate-template.put", this::putTemplate),
        Endpoint.get("/v1/catalog/certificate-template/{templateId}", "api.catalog.certificate-template.read", this::getTemplate));
  }

  private CompletionStage<CatalogResult> putCourse(ApiRequest req) {
    Caller caller = checkWriter(req);
    CatalogAdmin admin = admin("Courses");
    var course = CourseDocuments.parse(req.pathParam("courseId"), req.request().node());
    return admin.putCourse(course, caller.userId()).thenApply(done -> CatalogResult.CourseRegistered.of(course));
  }

  private CompletionStage<CatalogResult> getCourse(ApiRequest req) {
    String id = req.pathParam("courseId");
    return catalog.findCourse(id).thenApply(found -> {
      var course = found.orElseThrow(() -> ErrorCode.CATALOG_ITEM_NOT_FOUND.reject("Course", id).asException());
      return new CatalogResult.CourseRead(course.document());
    });
  }

  private CompletionStage<CatalogResult> putTemplate(ApiRequest req) {
    Caller caller = checkWriter(req);
    CatalogAdmin admin = admin("Certificate templates");
    var asset = CertificateDocuments.parseAsset(req.pathParam("templateId"), req.request().node());
    return admin.putCertificateTemplate(asset, caller.userId()).thenApply(done -> CatalogResult.TemplateRegistered.of(asset));
  }

  private CompletionStage<CatalogResult> getTemplate(ApiRequest req) {
    String id = req.pathParam("templateId");
    return catalog.findCertificateTemplate(id).thenApply(found -> {
      CertificateTemplateAsset asset = found.orElseThrow(() -> ErrorCode.CATALOG_ITEM_NOT_FOUND.reject("Certificate template", id).asException());
      return CatalogResult.TemplateRead.of(asset);
    });
  }

  /** Where {@code what} is written: here, or refused when it comes from a content service. */
  private CatalogAdmin admin(String what) {
    if (writes instanceof Writes.Elsewhere elsewhere) {
      throw ErrorCode.CATALOG_READ_ONLY.reject(what, elsewhere.url()).asException();
    }
    return ((Writes.Here) writes).admin();
  }

  private Caller checkWriter(ApiRequest req) {
    access.require(Operation.CATALOG_WRITE, req.requester(), AccessPolicy.Target.none());
    return req.requireCaller();
  }
}
