package org.coursebatch.http.content;

import akka.actor.typed.ActorSystem;
import akka.http.javadsl.model.HttpRequest;
import akka.http.javadsl.model.headers.RawHeader;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.coursebatch.core.catalog.Course;
import org.coursebatch.core.catalog.CourseCatalog;
import org.coursebatch.core.certificate.CertificateTemplateAsset;
import org.coursebatch.core.error.ErrorCode;
import org.coursebatch.http.outbound.ServiceCalls;

/**
 * A Sunbird-style content service over HTTP, asked as lms-service asks it:
 * <ul>
 *   <li>a course: {@code GET {url}/content/v3/hierarchy/{courseId}}, the published hierarchy in
 *       the envelope's {@code result.content} ({@code identifier}, {@code name}, {@code status},
 *       {@code trackable.enabled}, {@code userConsent}, nested {@code children}; a question set,
 *       {@code mimeType} {@code application/vnd.sunbird.questionset}, with its questions and their
 *       {@code maxScore} as {@code children} or {@code questions});</li>
 *   <li>a certificate template: {@code GET {url}/asset/v4/read/{templateId}?fields=certType,artifactUrl,issuer,signatoryList,name,data},
 *       the asset in {@code result.content} ({@code name}, {@code artifactUrl}, {@code issuer},
 *       {@code signatoryList}).</li>
 * </ul>
 * Point {@code url} at the content service itself (e.g. {@code http://content-service:9000}), as
 * lms-service's {@code ekstep_api_base_url}. HTTP 404 is an unknown course or template; any other
 * 4xx, an answer {@link ContentAnswers} cannot read, and a service that cannot answer
 * ({@link ServiceCalls}: timeout, retries, breaker) is {@link ErrorCode#CONTENT_SERVICE_UNAVAILABLE}.
 * Nothing is cached here ({@link CachedCourseCatalog} is).
 */
public final class HttpCourseCatalog implements CourseCatalog {

  static final String HIERARCHY_PATH = "/content/v3/hierarchy/";
  static final String ASSET_PATH = "/asset/v4/read/";
  static final String ASSET_FIELDS = "certType,artifactUrl,issuer,signatoryList,name,data";

  /** How one call ended when the service answered (failures are exceptions). */
  private sealed interface Answer<T> {
    record Found<T>(T value) implements Answer<T> {}

    record NotFound<T>() implements Answer<T> {}

    /** A 4xx other than 404: the service refused this request; asking again would not help. */
    record Refused<T>(int status) implements Answer<T> {}
  }

  private final ServiceCalls calls;

  /** @param maxAnswerBytes the largest answer read (a larger one is a failed call) */
  public HttpCourseCatalog(ActorSystem<?> system, ServiceCalls.Settings settings, long maxAnswerBytes) {
    this.calls = new ServiceCalls(system, settings, ErrorCode.CONTENT_SERVICE_UNAVAILABLE, maxAnswerBytes);
  }

  /** The content service's settings from its url and limits. */
  public static ServiceCalls.Settings settings(String url, Duration timeout, int retries,
      Duration retryBackoff, int maxFailures, Duration resetTimeout) {
    return new ServiceCalls.Settings("content service", url, timeout, retries, retryBackoff, maxFailures, resetTimeout);
  }

  @Override
  public CompletionStage<Optional<Course>> findCourse(String courseId) {
    return find("course " + courseId, HIERARCHY_PATH + encode(courseId),
        body -> Optional.of(ContentAnswers.course(courseId, body)));
  }

  @Override
  public CompletionStage<Optional<CertificateTemplateAsset>> findCertificateTemplate(String templateId) {
    return find("certificate template " + templateId, ASSET_PATH + encode(templateId) + "?fields=" + ASSET_FIELDS,
        body -> ContentAnswers.template(templateId, body));
  }

  private <T> CompletionStage<Optional<T>> find(String what, String pathAndQuery, Function<String, Optional<T>> read) {
    String uri = calls.settings().url() + pathAndQuery;
    return calls.call(what, () -> HttpRequest.GET(uri).addHeader(RawHeader.create("Accept", "application/json")),
        answer -> HttpCourseCatalog.<T>answer(answer, read)).thenApply(a -> {
          if (a instanceof Answer.Found<T> f) {
            return Optional.of(f.value());
          }
          if (a instanceof Answer.Refused<T> r) {
            throw calls.refused(what, r.status());
          }
          return Optional.<T>empty();
        });
  }

  private static <T> Answer<T> answer(ServiceCalls.Answer answer, Function<String, Optional<T>> read) {
    if (answer.status() == 404) {
      return new Answer.NotFound<>();
    }
    if (answer.status() >= 300) {
      return new Answer.Refused<>(answer.status());
    }
    return read.apply(answer.body()).<Answer<T>>map(Answer.Found::new).orElseGet(Answer.NotFound::new);
  }

  private static String encode(String id) {
    return URLEncoder.encode(id, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
