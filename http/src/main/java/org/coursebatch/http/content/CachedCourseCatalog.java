package org.coursebatch.http.content;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Function;
import org.coursebatch.core.catalog.Course;
import org.coursebatch.core.catalog.CourseCatalog;
import org.coursebatch.core.certificate.CertificateTemplateAsset;

/**
 * A bounded cache in front of a catalog (ADR 10): a course or template found is kept for
 * {@code expiry}, one the catalog does not know for {@code notFoundExpiry}, and a failed lookup is
 * never kept (the next request asks again). Concurrent lookups of one id share one call. In front
 * of the content service, or of the built-in catalog ({@link CachedBuiltInCatalog}).
 */
public final class CachedCourseCatalog implements CourseCatalog {

  /**
   * @param maxCourses the most courses kept (each with its whole hierarchy)
   * @param maxTemplates the most certificate templates kept
   * @param expiry how long a course or template found is kept; zero: nothing is cached
   * @param notFoundExpiry how long "not found" is kept; zero: not at all
   */
  public record Settings(int maxCourses, int maxTemplates, Duration expiry, Duration notFoundExpiry) {
    public Settings {
      if (maxCourses < 1 || maxTemplates < 1 || expiry.isNegative() || notFoundExpiry.isNegative()
          || notFoundExpiry.compareTo(expiry) > 0) {
        throw new IllegalArgumentException("The content cache's settings: max-courses and max-templates must be positive,"
            + " expiry and not-found-expiry not negative, not-found-expiry at most expiry; were " + maxCourses + ", "
            + maxTemplates + ", " + expiry + ", " + notFoundExpiry);
      }
    }

    public boolean enabled() {
      return !expiry.isZero();
    }
  }

  private final CourseCatalog remote;
  private final AsyncCache<String, Optional<Course>> courses;
  private final AsyncCache<String, Optional<CertificateTemplateAsset>> templates;

  /**
   * @param executor runs the cache's upkeep (not the common pool: the service keeps work off it)
   * @param ticker the cache's clock: {@link Ticker#systemTicker()}, or a test's
   */
  public CachedCourseCatalog(CourseCatalog remote, Settings settings, Executor executor, Ticker ticker) {
    this.remote = remote;
    this.courses = cache(settings.maxCourses(), settings, executor, ticker);
    this.templates = cache(settings.maxTemplates(), settings, executor, ticker);
  }

  @Override
  public CompletionStage<Optional<Course>> findCourse(String courseId) {
    return lookUp(courses, courseId, remote::findCourse);
  }

  @Override
  public CompletionStage<Optional<CertificateTemplateAsset>> findCertificateTemplate(String templateId) {
    return lookUp(templates, templateId, remote::findCertificateTemplate);
  }

  /**
   * Drops what is kept of the course: the next lookup reads it again. A lookup still under way is
   * dropped with it, so what it read before a change is not kept either.
   */
  public void forgetCourse(String courseId) {
    courses.synchronous().invalidate(courseId);
  }

  /** Drops what is kept of the template, as {@link #forgetCourse} does for a course. */
  public void forgetCertificateTemplate(String templateId) {
    templates.synchronous().invalidate(templateId);
  }

  /** A failed future is dropped from the cache by Caffeine itself: failures are never kept. */
  private static <T> CompletionStage<Optional<T>> lookUp(AsyncCache<String, Optional<T>> cache, String id,
      Function<String, CompletionStage<Optional<T>>> load) {
    return cache.get(id, (key, executor) -> load.apply(key).toCompletableFuture());
  }

  private static <T> AsyncCache<String, Optional<T>> cache(int maxSize, Settings settings, Executor executor, Ticker ticker) {
    return Caffeine.newBuilder()
        .maximumSize(maxSize)
        .expireAfter(Expiry.<String, Optional<T>>creating((id, found) -> found.isPresent() ? settings.expiry() : settings.notFoundExpiry()))
        .executor(executor)
        .ticker(ticker)
        .buildAsync();
  }
}
