package org.coursebatch.http.content;

import static org.coursebatch.http.outbound.ScriptedService.json;
import static org.junit.jupiter.api.Assertions.*;

import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.Behaviors;
import com.github.benmanes.caffeine.cache.Ticker;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.coursebatch.core.catalog.Course;
import org.coursebatch.core.catalog.CourseCatalog;
import org.coursebatch.core.catalog.CourseNode;
import org.coursebatch.core.catalog.CourseNode.Kind;
import org.coursebatch.core.catalog.CourseNode.Question;
import org.coursebatch.core.certificate.CertificateTemplateAsset;
import org.coursebatch.core.certificate.Signatory;
import org.coursebatch.core.error.ErrorCode;
import org.coursebatch.core.error.RejectedException;
import org.coursebatch.core.error.Rejection;
import org.coursebatch.core.error.ResponseCode;
import org.coursebatch.http.outbound.OutboundCalls;
import org.coursebatch.http.outbound.ScriptedService;
import org.coursebatch.http.outbound.ScriptedService.Reply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The content service client, and the cache in front of it, against a real HTTP server in this
 * JVM answering in the content service's format (the shapes lms-service reads): what it asks, what
 * it makes of answers (odd ones included), retries, time limits, the circuit breaker, and what the
 * cache keeps for how long (on a clock the test moves).
 */
class HttpCourseCatalogTest {

  static final Duration TIMEOUT = Duration.ofSeconds(1);
  static final String COURSE = "do_2132150743127490561102";
  static final String TEMPLATE = "do_2132150897543208961104";
  static final long MAX_ANSWER_BYTES = 64 * 1024;

  static ActorSystem<Void> system;
  static String hierarchy;
  static String asset;

  ScriptedService service;

  /** Starts the system and the HTTP client (which takes a while once) before the tests make calls. */
  @BeforeAll
  static void startSystem() throws Exception {
    system = ActorSystem.create(Behaviors.empty(), "http-course-catalog-test");
    hierarchy = fixture("course-hierarchy.json");
    asset = fixture("certificate-asset.json");
    try (ScriptedService warmUp = ScriptedService.start()) {
      new HttpCourseCatalog(system, HttpCourseCatalog.settings(warmUp.url(), Duration.ofSeconds(30), 0, Duration.ZERO, 1,
          Duration.ofSeconds(1)), MAX_ANSWER_BYTES).findCourse("warm-up").toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }

  @AfterAll
  static void stopSystem() {
    system.terminate();
  }

  @BeforeEach
  void startService() throws IOException {
    service = ScriptedService.start();
  }

  @AfterEach
  void stopService() {
    service.close();
  }

  static String fixture(String name) throws IOException {
    try (InputStream in = HttpCourseCatalogTest.class.getResourceAsStream("/content/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  HttpCourseCatalog client(int retries, int maxFailures, Duration resetTimeout) {
    return new HttpCourseCatalog(system, HttpCourseCatalog.settings(service.url() + "/", TIMEOUT, retries, Duration.ofMillis(50),
        maxFailures, resetTimeout), MAX_ANSWER_BYTES);
  }

  HttpCourseCatalog client() {
    return client(2, 100, Duration.ofSeconds(30));
  }

  static <T> T get(CompletionStage<T> lookup) throws Exception {
    return lookup.toCompletableFuture().get(20, TimeUnit.SECONDS);
  }

  /** The rejection the lookup failed with. */
  static Rejection failure(CompletionStage<?> lookup) throws Exception {
    try {
      get(lookup);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RejectedException r) {
        return r.rejection();
      }
      throw e;
    }
    throw new AssertionError("the lookup succeeded");
  }

  static void assertUnavailable(Rejection r, String because) {
    assertEquals(ErrorCode.CONTENT_SERVICE_UNAVAILABLE, r.code());
    assertEquals(ResponseCode.SERVICE_UNAVAILABLE, r.code().responseCode());
    assertTrue(r.message().startsWith("Error while fetching course details: the content service is unavailable ("), r.message());
    assertTrue(r.message().contains(because), r.message());
  }

  // ---- what it asks and what it reads ----

  @Test
  void readsACoursesHierarchyFromTheContentService() throws Exception {
    service.reply(json(200, hierarchy));
    Course course = get(client().findCourse(COURSE)).orElseThrow();
    assertEquals(List.of("GET /content/v3/hierarchy/" + COURSE), service.requests());

    assertEquals(COURSE, course.identifier());
    assertEquals("Basics of Fractions", course.name());
    assertEquals("Live", course.status());
    assertTrue(course.trackable());
    assertTrue(course.userConsent());
    assertEquals(3, course.leafNodesCount());
    assertTrue(course.acceptsBatches());
    String p = "do_21321507431274905611_";
    assertEquals(List.of(
        new CourseNode(p + "unit1", "Unit 1: What a fraction is", Kind.UNIT, List.of(
            new CourseNode(p + "video", "Halves and quarters", Kind.CONTENT, List.of(), List.of()),
            new CourseNode(p + "pdf", "Worksheet", Kind.CONTENT, List.of(), List.of())), List.of()),
        new CourseNode(p + "qs", "Check your understanding", Kind.ASSESSMENT, List.of(),
            List.of(new Question(p + "q1", 1), new Question(p + "q2", 2)))), course.children(),
        "units, leaves in order, and the question set's questions (its children) with their max scores");
    assertEquals(List.of(p + "video", p + "pdf", p + "qs"), course.leaves().stream().map(CourseNode::identifier).toList());
    assertEquals("Enter description for Course", course.document().path("description").asText(), "the metadata clients get");
    assertEquals(3, course.document().path("leafNodesCount").asInt());
  }

  @Test
  void aQuestionSetWithItsOwnQuestionsKeepsThem() throws Exception {
    service.reply(json(200, envelope("{\"identifier\":\"do_c\",\"name\":\"C\",\"status\":\"Unlisted\",\"trackable\":{\"enabled\":\"No\"},"
        + "\"children\":[{\"identifier\":\"do_qs\",\"mimeType\":\"application/vnd.sunbird.questionset\","
        + "\"questions\":[{\"identifier\":\"q9\",\"maxScore\":5}],\"children\":[{\"identifier\":\"ignored\"}]}]}")));
    Course course = get(client().findCourse("do_c")).orElseThrow();
    assertEquals(List.of(new Question("q9", 5)), course.leaves().get(0).questions());
    assertFalse(course.trackable());
    assertFalse(course.acceptsBatches());
  }

  @Test
  void readsACertificateTemplateAsset() throws Exception {
    service.reply(json(200, asset));
    CertificateTemplateAsset template = get(client().findCertificateTemplate(TEMPLATE)).orElseThrow();
    assertEquals(List.of("GET /asset/v4/read/" + TEMPLATE + "?fields=certType,artifactUrl,issuer,signatoryList,name,data"),
        service.requests());
    assertEquals(TEMPLATE, template.identifier());
    assertEquals("Course completion certificate", template.name());
    assertEquals("https://cdn.example.org/content/" + TEMPLATE + "/artifact/certificate.svg", template.url());
    assertEquals("State Council of Education", template.issuer().path("name").asText());
    assertEquals(List.of(new Signatory("A. Director", "CEO", "CEO", "https://cdn.example.org/signatures/ceo.png")),
        template.signatoryList());
  }

  @Test
  void anAssetOfAnotherIdIsNoSuchTemplate() throws Exception {
    service.reply(json(200, asset));
    assertEquals(Optional.empty(), get(client().findCertificateTemplate("do_other")));
  }

  @Test
  void idsAreSentAsOnePathSegment() throws Exception {
    service.reply(json(404, "{}"));
    get(client().findCourse("do 1/../x"));
    assertEquals(List.of("GET /content/v3/hierarchy/do%201%2F..%2Fx"), service.requests());
  }

  @Test
  void notFoundIsEmptyAndIsNotRetried() throws Exception {
    service.reply(json(404, "{\"id\":\"api.content.hierarchy.get\",\"responseCode\":\"RESOURCE_NOT_FOUND\","
        + "\"params\":{\"err\":\"NOT_FOUND\",\"status\":\"failed\",\"errmsg\":\"rootId do_x does not exist\"},\"result\":{}}"));
    HttpCourseCatalog client = client();
    assertEquals(Optional.empty(), get(client.findCourse("do_x")));
    assertEquals(Optional.empty(), get(client.findCertificateTemplate("do_t")));
    assertEquals(2, service.requests().size());
  }

  // ---- failures ----

  @Test
  void aServerErrorIsRetriedThenReportedAsUnavailable() throws Exception {
    service.reply(json(500, "{\"responseCode\":\"SERVER_ERROR\"}"));
    assertUnavailable(failure(client().findCourse(COURSE)), "it answered HTTP 500");
    assertEquals(3, service.requests().size(), "the call and two retries");
  }

  /** Answers a course lookup cannot be read from: each is a failed call (503), never a course and never a 500. */
  @ParameterizedTest
  @ValueSource(strings = {
      "<html>bad gateway</html>",
      "{\"result\":{}}",
      "{\"result\":{\"content\":[1,2]}}",
      "null",
      "{\"result\":{\"content\":{\"identifier\":\"do_other\",\"name\":\"Other\"}}}",
      "{\"result\":{\"content\":{\"name\":\"Duplicates\",\"children\":[{\"identifier\":\"a\"},{\"identifier\":\"a\"}]}}}",
      "{\"result\":{\"content\":{\"name\":\"No id\",\"children\":[{\"name\":\"x\"}]}}}",
      "{\"result\":{\"content\":{\"name\":\"Bad score\",\"children\":[{\"identifier\":\"qs\",\"mimeType\":\"application/vnd.sunbird.questionset\",\"children\":[{\"identifier\":\"q\",\"maxScore\":-1}]}]}}}",
      "{\"result\":{\"content\":{\"name\":\"Children not a list\",\"children\":\"nope\"}}}",
      "{\"result\":{\"content\":{\"name\":{\"en\":\"not text\"}}}}",
      "{\"result\":{\"content\":{\"name\":\"x\",\"trackable\":\"Yes\"}}}",
  })
  void anAnswerThatIsNotACourseIsAFailure(String body) throws Exception {
    service.reply(json(200, body));
    Rejection r = failure(client(1, 100, Duration.ofSeconds(30)).findCourse(COURSE));
    assertUnavailable(r, "");
    assertEquals(2, service.requests().size(), "a failed call is retried");
  }

  @Test
  void aTooLongNameIsAFailure() throws Exception {
    service.reply(json(200, envelope("{\"identifier\":\"do_c\",\"name\":\"" + "n".repeat(1_001) + "\"}")));
    assertUnavailable(failure(client(0, 100, Duration.ofSeconds(30)).findCourse("do_c")), "Parameter name is at most 1000");
  }

  @Test
  void anOversizedAnswerIsAFailure() throws Exception {
    String padding = "x".repeat((int) MAX_ANSWER_BYTES);
    service.reply(json(200, envelope("{\"identifier\":\"do_c\",\"name\":\"C\",\"description\":\"" + padding + "\"}")));
    assertUnavailable(failure(client(0, 100, Duration.ofSeconds(30)).findCourse("do_c")),
        "its answer is larger than " + MAX_ANSWER_BYTES + " bytes");
  }

  @Test
  void anUnreadableTemplateIsAFailure() throws Exception {
    service.reply(json(200, envelope("{\"identifier\":\"do_t\",\"name\":\"T\",\"signatoryList\":\"CEO\"}")));
    assertUnavailable(failure(client(0, 100, Duration.ofSeconds(30)).findCertificateTemplate("do_t")),
        "certificate template do_t is not one this service can read");
  }

  @Test
  void aRefusalIsReportedAtOnceAndDoesNotCountAgainstTheBreaker() throws Exception {
    service.reply(json(401, "{}"));
    HttpCourseCatalog client = client(2, 1, Duration.ofSeconds(30));
    assertUnavailable(failure(client.findCourse(COURSE)), "it refused the request with HTTP 401");
    assertEquals(1, service.requests().size(), "not retried");
    service.reply(json(200, hierarchy));
    assertTrue(get(client.findCourse(COURSE)).isPresent(), "the breaker (one failure opens it) is still closed");
  }

  @Test
  void aSlowServiceIsUnavailable() throws Exception {
    service.reply(exchange -> {
      Thread.sleep(10_000);
      json(200, hierarchy).to(exchange);
    });
    assertUnavailable(failure(client(1, 100, Duration.ofSeconds(30)).findCourse(COURSE)), "no answer within 1000 ms");
    assertEquals(2, service.requests().size(), "the call and one retry");
  }

  @Test
  void aServiceThatIsDownIsUnavailable() throws Exception {
    int closedPort = OutboundCalls.closedPort();
    var client = new HttpCourseCatalog(system, HttpCourseCatalog.settings("http://127.0.0.1:" + closedPort, TIMEOUT, 1,
        Duration.ofMillis(10), 5, Duration.ofSeconds(30)), MAX_ANSWER_BYTES);
    assertUnavailable(failure(client.findCourse(COURSE)), "cannot reach http://127.0.0.1:" + closedPort);
  }

  @Test
  void theBreakerOpensAfterFailuresInARow() throws Exception {
    service.reply(json(503, "{}"));
    HttpCourseCatalog client = client(0, 3, Duration.ofMinutes(5));
    for (int i = 0; i < 3; i++) {
      assertUnavailable(failure(client.findCourse(COURSE)), "HTTP 503");
    }
    OutboundCalls.untilBreakerOpens(() -> client.findCourse(COURSE));
    int calls = service.requests().size();
    assertTrue(calls <= 4, calls + " calls: the breaker opened after the third failure, or the call right after it");
    service.reply(json(200, hierarchy));
    assertUnavailable(failure(client.findCourse(COURSE)), "too many failures in a row");
    assertUnavailable(failure(client.findCertificateTemplate(TEMPLATE)), "too many failures in a row");
    assertEquals(calls, service.requests().size(), "an open breaker does not call");
  }

  // ---- the cache ----

  /** A clock for the cache that moves only when the test says. */
  static final class TestTicker implements Ticker {
    final AtomicLong nanos = new AtomicLong();

    @Override
    public long read() {
      return nanos.get();
    }

    void advance(Duration d) {
      nanos.addAndGet(d.toNanos());
    }
  }

  final TestTicker ticker = new TestTicker();

  CourseCatalog cached(Duration expiry, Duration notFoundExpiry) {
    return new CachedCourseCatalog(client(), new CachedCourseCatalog.Settings(10, 10, expiry, notFoundExpiry), Runnable::run, ticker);
  }

  @Test
  void aCourseFoundIsKeptUntilItExpires() throws Exception {
    service.reply(json(200, hierarchy));
    CourseCatalog catalog = cached(Duration.ofMinutes(5), Duration.ofSeconds(10));
    Course first = get(catalog.findCourse(COURSE)).orElseThrow();
    ticker.advance(Duration.ofMinutes(4));
    assertEquals(first, get(catalog.findCourse(COURSE)).orElseThrow());
    assertEquals(1, service.requests().size(), "the second lookup is answered from the cache");

    ticker.advance(Duration.ofMinutes(2));
    assertTrue(get(catalog.findCourse(COURSE)).isPresent());
    assertEquals(2, service.requests().size(), "expired: asked again");
  }

  @Test
  void notFoundIsKeptForItsShorterTime() throws Exception {
    service.reply(json(404, "{}"));
    CourseCatalog catalog = cached(Duration.ofMinutes(5), Duration.ofSeconds(10));
    assertEquals(Optional.empty(), get(catalog.findCourse(COURSE)));
    service.reply(json(200, hierarchy));
    assertEquals(Optional.empty(), get(catalog.findCourse(COURSE)), "not found is kept for a while");
    assertEquals(1, service.requests().size());
    ticker.advance(Duration.ofSeconds(11));
    assertTrue(get(catalog.findCourse(COURSE)).isPresent(), "then asked again");
    assertEquals(2, service.requests().size());
  }

  @Test
  void notFoundIsNotKeptWhenItsTimeIsZero() throws Exception {
    service.reply(json(404, "{}"));
    CourseCatalog catalog = cached(Duration.ofMinutes(5), Duration.ZERO);
    assertEquals(Optional.empty(), get(catalog.findCourse(COURSE)));
    service.reply(json(200, hierarchy));
    assertTrue(get(catalog.findCourse(COURSE)).isPresent());
    assertEquals(2, service.requests().size());
  }

  @Test
  void failuresAndOddAnswersAreNeverKept() throws Exception {
    CourseCatalog catalog = cached(Duration.ofMinutes(5), Duration.ofSeconds(10));
    service.reply(json(500, "{}"));
    assertUnavailable(failure(catalog.findCourse(COURSE)), "HTTP 500");
    service.reply(json(200, "{\"result\":{\"content\":\"odd\"}}"));
    assertUnavailable(failure(catalog.findCourse(COURSE)), "has no result.content");
    service.reply(json(200, hierarchy));
    assertTrue(get(catalog.findCourse(COURSE)).isPresent(), "the next lookup asks again");
    int asked = service.requests().size();
    assertTrue(get(catalog.findCourse(COURSE)).isPresent());
    assertEquals(asked, service.requests().size(), "and what it found is kept");
  }

  @Test
  void templatesAreCachedToo() throws Exception {
    service.reply(json(200, asset));
    CourseCatalog catalog = cached(Duration.ofMinutes(5), Duration.ofSeconds(10));
    assertTrue(get(catalog.findCertificateTemplate(TEMPLATE)).isPresent());
    assertTrue(get(catalog.findCertificateTemplate(TEMPLATE)).isPresent());
    assertEquals(1, service.requests().size());
  }

  @Test
  void cacheSettingsAreChecked() {
    assertThrows(IllegalArgumentException.class, () -> new CachedCourseCatalog.Settings(0, 1, Duration.ZERO, Duration.ZERO));
    assertThrows(IllegalArgumentException.class, () -> new CachedCourseCatalog.Settings(1, 1, Duration.ofSeconds(-1), Duration.ZERO));
    assertThrows(IllegalArgumentException.class,
        () -> new CachedCourseCatalog.Settings(1, 1, Duration.ofSeconds(1), Duration.ofSeconds(2)), "not found longer than found");
    assertFalse(new CachedCourseCatalog.Settings(1, 1, Duration.ZERO, Duration.ZERO).enabled());
  }

  static String envelope(String content) {
    return "{\"id\":\"api.content.hierarchy.get\",\"ver\":\"3.0\",\"params\":{\"status\":\"successful\"},\"responseCode\":\"OK\","
        + "\"result\":{\"content\":" + content + "}}";
  }
}
