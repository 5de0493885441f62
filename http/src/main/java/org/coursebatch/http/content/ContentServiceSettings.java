package org.coursebatch.http.content;

import akka.actor.typed.ActorSystem;
import com.github.benmanes.caffeine.cache.Ticker;
import org.coursebatch.core.catalog.CourseCatalog;
import org.coursebatch.http.outbound.ServiceCalls;

/**
 * How a node reads courses and certificate templates from a content service
 * ({@code course-batch.content}).
 *
 * @param calls its url and the limits of each call
 * @param maxAnswerBytes the largest answer read; a larger one is a failed call
 * @param cache what is kept of its answers, and for how long
 */
public record ContentServiceSettings(ServiceCalls.Settings calls, long maxAnswerBytes, CachedCourseCatalog.Settings cache) {

  public ContentServiceSettings {
    if (maxAnswerBytes < 1) {
      throw new IllegalArgumentException("The content service's max-answer-size must be positive, was " + maxAnswerBytes);
    }
  }

  /** The catalog over the content service, behind the cache unless it is turned off. */
  public CourseCatalog catalog(ActorSystem<?> system) {
    var remote = new HttpCourseCatalog(system, calls, maxAnswerBytes);
    return cache.enabled() ? new CachedCourseCatalog(remote, cache, system.executionContext(), Ticker.systemTicker()) : remote;
  }
}
