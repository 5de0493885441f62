package org.coursebatch.http.content;

import akka.Done;
import com.github.benmanes.caffeine.cache.Ticker;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import org.coursebatch.core.catalog.CatalogAdmin;
import org.coursebatch.core.catalog.Course;
import org.coursebatch.core.catalog.CourseCatalog;
import org.coursebatch.core.certificate.CertificateTemplateAsset;

/**
 * The built-in catalog behind this node's cache (ADR 10, addendum): a progress report reads its
 * course on every request, and a course changes far less often. A write through
 * this node forgets the id once the write has ended, so this node reads its own writes; other
 * nodes of a cluster read a changed course after at most the cache's expiry. "Not found" is never
 * kept: a course registered on one node is usable on every node at once.
 */
public final class CachedBuiltInCatalog implements CourseCatalog, CatalogAdmin {

  private final CatalogAdmin writes;
  private final CourseCatalog reads;
  /** Empty when the expiry is 0s: every lookup reads the database. */
  private final Optional<CachedCourseCatalog> cache;

  public <C extends CourseCatalog & CatalogAdmin> CachedBuiltInCatalog(C builtIn, CachedCourseCatalog.Settings settings,
      Executor executor) {
    if (!settings.notFoundExpiry().isZero()) {
      throw new IllegalArgumentException("The built-in catalog's cache must not keep \"not found\": " + settings);
    }
    this.writes = builtIn;
    this.cache = settings.enabled() ? Optional.of(new CachedCourseCatalog(builtIn, settings, executor, Ticker.systemTicker()))
        : Optional.empty();
    this.reads = cache.<CourseCatalog>map(c -> c).orElse(builtIn);
  }

  @Override
  public CompletionStage<Optional<Course>> findCourse(String courseId) {
    return reads.findCourse(courseId);
  }

  @Override
  public CompletionStage<Optional<CertificateTemplateAsset>> findCertificateTemplate(String templateId) {
    return reads.findCertificateTemplate(templateId);
  }

  @Override
  public CompletionStage<Done> putCourse(Course course, String actor) {
    return writes.putCourse(course, actor).whenComplete((done, failure) -> cache.ifPresent(c -> c.forgetCourse(course.identifier())));
  }

  @Override
  public CompletionStage<Done> putCertificateTemplate(CertificateTemplateAsset asset, String actor) {
    return writes.putCertificateTemplate(asset, actor)
        .whenComplete((done, failure) -> cache.ifPresent(c -> c.forgetCertificateTemplate(asset.identifier())));
  }
}
