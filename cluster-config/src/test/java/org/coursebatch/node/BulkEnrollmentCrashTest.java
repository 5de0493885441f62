package org.coursebatch.node;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import org.coursebatch.node.ApiClient.Reply;
import org.coursebatch.persistence.db.DatabaseSettings;
import org.coursebatch.persistence.testing.TestDatabases;
import org.junit.jupiter.api.Test;

/**
 * One bulk create of 10,000 forms on PostgreSQL, its node (in a JVM of its own) killed with SIGKILL
 * while the results stream back. A new node on the same database holds every item the client had
 * been told succeeded; no learner is half-enrolled (the journal holds, per learner, nothing or one
 * whole {@code Enrolled} made with that learner's form, and the participant list agrees); and the
 * same 10,000 forms sent again finish the job: the used ones answer {@code FORM_ALREADY_USED}, the
 * others enrol, and every learner ends with exactly one enrolment.
 *
 * <p>The creator and the learners belong to {@link #ORG}, which the batch is created for: the
 * creator has authority over every learner, checked for each item as it is applied.
 */
class BulkEnrollmentCrashTest {

  static final int LEARNERS = 10_000;
  /** Acknowledged successes after which the node is killed. */
  static final int KILL_AFTER = 500;
  static final String BULK = "/v1/enrollments/batch";
  static final String CREATOR = "bulk-crash-creator";
  static final String ORG = "bulk-crash-org";

  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private final long started = System.nanoTime();

  @Test
  void acknowledgedItemsSurviveAKilledNodeAndTheSameFormsFinishTheJob() throws Exception {
    Path dir = Files.createTempDirectory("bulk-crash");
    DatabaseSettings database = TestDatabases.freshPostgres();
    try {
      run(dir, database);
    } finally {
      TestDatabases.dropPostgres(database);
    }
  }

  private void run(Path dir, DatabaseSettings database) throws Exception {
    String batchId;
    Map<String, String> formOf = new HashMap<>(); // learner -> form id
    Map<String, String> learnerOf = new HashMap<>(); // form id -> learner
    Map<String, String> tokenOf = new LinkedHashMap<>(); // form id -> token
    Map<String, String> acknowledged = new HashMap<>(); // learner -> enrolment id
    StreamEnd firstEnd;
    int acknowledgedAtKill;
    try (ChildNode child = ChildNode.start(dir, database)) {
      ApiClient api = child.client();
      batchId = courseAndBatch(api);
      step("node up, batch created");
      registerLearners(api);
      step("learners registered");

      List<Map<String, Object>> peers = new ArrayList<>(LEARNERS);
      for (int i = 0; i < LEARNERS; i++) {
        peers.add(Map.of("batchId", batchId, "userId", learner(i)));
      }
      Reply forms = api.call("POST", BULK + "/forms/create", creatorToken(), Map.of("peers", peers, "recordTypes", List.of()));
      assertEquals(200, forms.status(), () -> abbreviated(forms.toString()));
      for (JsonNode f : forms.result().path("forms")) {
        formOf.put(f.path("userId").asText(), f.path("id").asText());
        learnerOf.put(f.path("id").asText(), f.path("userId").asText());
        tokenOf.put(f.path("id").asText(), f.path("token").asText());
      }
      assertEquals(LEARNERS, formOf.size(), "one form per learner");
      assertEquals(LEARNERS, tokenOf.size(), "forms with ids of their own");
      step("forms issued");

      int[] atKill = {-1};
      firstEnd = create(child.httpPort(), tokenOf.values(), item -> {
        if (succeeded(item)) {
          String user = learnerOf.get(item.path("formId").asText());
          assertEquals(batchId + ":" + user + ":1", item.path("enrollmentId").asText(), () -> "the first enrolment: " + item);
          acknowledged.put(user, item.path("enrollmentId").asText());
          if (acknowledged.size() >= KILL_AFTER && atKill[0] < 0) {
            atKill[0] = acknowledged.size();
            kill(child);
          }
        }
      });
      acknowledgedAtKill = atKill[0];
    }
    step("killed after " + acknowledgedAtKill + " acknowledged items; " + acknowledged.size()
        + " acknowledged in all before the response broke off (" + firstEnd.why() + ")");
    assertTrue(acknowledgedAtKill >= KILL_AFTER, "the node was killed once " + KILL_AFTER + " items had succeeded");
    assertFalse(firstEnd.complete(), "the kill came before the response ended, or nothing was tested");
    assertTrue(acknowledged.size() < LEARNERS, "the kill came while items were still being created: " + acknowledged.size());

    analyze(database);
    try (ChildNode child = ChildNode.start(dir, database)) {
      ApiClient api = child.client();
      step("second node up");

      // (a) every acknowledged enrolment is there, under the id it was acknowledged with
      inParallel(new ArrayList<>(acknowledged.values()), id -> {
        Reply r = api.call("GET", "/v1/enrollments/" + id, creatorToken(), null);
        assertEquals(200, r.status(), () -> id + ": " + r);
      });
      step("acknowledged enrolments read");

      // (b) per learner, nothing or one whole enrolment made with that learner's form; the read model agrees
      Map<String, List<JsonNode>> journal = enrollmentJournal(database, batchId);
      Set<String> enrolledBefore = wholeEnrolments(journal, formOf);
      assertTrue(enrolledBefore.containsAll(acknowledged.keySet()), "every acknowledged item is in the journal");
      assertTrue(enrolledBefore.size() < LEARNERS, "some items were never applied: " + enrolledBefore.size());
      awaitParticipants(api, batchId, enrolledBefore);
      step("journal and participant list checked: " + enrolledBefore.size() + " learners enrolled, "
          + acknowledged.size() + " acknowledged");

      // (c) the same forms again: the used ones are refused, the rest enrol
      Map<String, String> outcome = new HashMap<>(); // form id -> SUCCESS or the item's error code
      List<String> pending = new ArrayList<>(tokenOf.values());
      for (int attempt = 1; !pending.isEmpty(); attempt++) {
        assertTrue(attempt <= 3, "items still not done after 3 attempts: " + pending.size());
        List<String> retry = new ArrayList<>();
        StreamEnd end = create(child.httpPort(), pending, item -> {
          String formId = item.path("formId").asText();
          String code = succeeded(item) ? "SUCCESS" : errorCode(item);
          if (code.equals("OPERATION_FAILED")) { // did not answer in time; it may have been applied: send it again
            retry.add(tokenOf.get(formId));
          } else {
            assertNull(outcome.put(formId, code), () -> "one outcome per form: " + item);
          }
        });
        assertTrue(end.complete(), "the second node answered every form: " + end);
        step("forms sent again (attempt " + attempt + "): " + retry.size() + " to retry");
        pending = retry;
      }
      assertEquals(LEARNERS, outcome.size(), "an outcome for every form");
      for (Map.Entry<String, String> o : outcome.entrySet()) {
        String user = learnerOf.get(o.getKey());
        if (enrolledBefore.contains(user)) {
          assertEquals("FORM_ALREADY_USED", o.getValue(), user + " was enrolled before the crash");
        } else {
          assertTrue(Set.of("SUCCESS", "FORM_ALREADY_USED").contains(o.getValue()), user + ": " + o.getValue());
        }
      }
      long refused = outcome.values().stream().filter("FORM_ALREADY_USED"::equals).count();

      Set<String> enrolledAfter = wholeEnrolments(enrollmentJournal(database, batchId), formOf);
      assertEquals(LEARNERS, enrolledAfter.size(), "every learner enrolled once");
      awaitParticipants(api, batchId, enrolledAfter);
      step("sent again: " + (LEARNERS - refused) + " enrolled, " + refused + " FORM_ALREADY_USED; all " + LEARNERS
          + " enrolled once, in the journal and the participant list");
    }
  }

  // ---- set-up ----

  /** The node runs the production settings (its own JVM): creating a batch needs a course-creator role. */
  private static String creatorToken() {
    return TestNode.token(CREATOR, "CONTENT_CREATOR");
  }

  private static String courseAndBatch(ApiClient api) {
    String courseId = "do_bulk_crash";
    Map<String, Object> course = Map.of("name", "Bulk crash course", "trackable", Map.of("enabled", "Yes"),
        "children", List.of(Map.of("identifier", "do_bulk_crash_c1", "name", "One")));
    Reply c = api.call("PUT", "/v1/catalog/course/" + courseId, TestNode.token("curator", "CONTENT_CREATOR"), course);
    assertEquals(200, c.status(), c.toString());
    LocalDate today = LocalDate.now(ZoneOffset.UTC);
    Reply b = api.call("POST", "/v1/course/batch/create", creatorToken(), Map.of("courseId", courseId,
        "name", "Bulk crash batch", "enrollmentType", "open", "startDate", today.toString(), "endDate", today.plusDays(10).toString(),
        "createdFor", List.of(ORG)));
    assertEquals(200, b.status(), b.toString());
    return b.result().path("batchId").asText();
  }

  /** Profiles in {@link #ORG} for the creator and every learner, written 16 at a time. */
  private static void registerLearners(ApiClient api) throws Exception {
    List<String> users = new ArrayList<>(LEARNERS + 1);
    users.add(CREATOR);
    for (int i = 0; i < LEARNERS; i++) {
      users.add(learner(i));
    }
    inParallel(users, user -> Directory.place(api, ORG, user));
  }

  private static String learner(int i) {
    return "crash-learner-" + i;
  }

  /** Runs {@code check} for every element, 16 at a time; the first failure fails the test. */
  private static <T> void inParallel(List<T> elements, Consumer<T> check) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(16);
    try {
      List<Future<?>> all = new ArrayList<>(elements.size());
      for (T e : elements) {
        all.add(pool.submit(() -> check.accept(e)));
      }
      for (Future<?> f : all) {
        try {
          f.get();
        } catch (ExecutionException e) {
          if (e.getCause() instanceof AssertionError a) {
            throw a;
          }
          throw e;
        }
      }
    } finally {
      pool.shutdownNow();
    }
  }

  private static void kill(ChildNode child) {
    try {
      child.kill();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  // ---- the streamed create ----

  /** How a streamed response ended: read to its last byte, or broken off, and how many items it held. */
  record StreamEnd(boolean complete, int items, String why) {}

  /**
   * Posts the forms (by token) to the create route and hands each item of {@code result.responses}
   * to {@code item} as soon as its bytes have arrived, until the response ends or breaks.
   */
  private static StreamEnd create(int port, Collection<String> tokens, Consumer<JsonNode> item) throws Exception {
    List<Map<String, String>> forms = tokens.stream().map(t -> Map.of("token", t)).toList();
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + BULK + "/create"))
        .timeout(Duration.ofMinutes(3))
        .header("Content-Type", "application/json").header("Authorization", "Bearer " + creatorToken())
        .POST(HttpRequest.BodyPublishers.ofString(ApiClient.envelope(Map.of("forms", forms)))).build();
    HttpResponse<InputStream> r = HTTP.send(request, HttpResponse.BodyHandlers.ofInputStream());
    try (InputStream body = r.body()) {
      if (r.statusCode() != 200) {
        fail("create: " + r.statusCode() + " " + new String(body.readAllBytes(), StandardCharsets.UTF_8));
      }
      int[] items = {0};
      try (JsonParser p = ApiClient.JSON.createParser(body)) {
        assertEquals(JsonToken.START_OBJECT, p.nextToken());
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String field = p.currentName();
          if (p.nextToken() == JsonToken.START_OBJECT && field.equals("result")) {
            while (p.nextToken() == JsonToken.FIELD_NAME) {
              String inner = p.currentName();
              if (p.nextToken() == JsonToken.START_ARRAY && inner.equals("responses")) {
                while (p.nextToken() == JsonToken.START_OBJECT) {
                  items[0]++;
                  item.accept(p.readValueAsTree());
                }
              } else {
                p.skipChildren();
              }
            }
          } else {
            p.skipChildren();
          }
        }
        return new StreamEnd(true, items[0], "ended");
      } catch (IOException broken) {
        return new StreamEnd(false, items[0], broken.toString());
      }
    }
  }

  private static boolean succeeded(JsonNode item) {
    return item.path("successful").asBoolean(false);
  }

  private static String errorCode(JsonNode item) {
    return item.path("error").path("err").asText("(no error code: " + item + ")");
  }

  // ---- the journal and the read model ----

  /** Every event of every learner's enrolment in the batch, straight from the journal table (JSON), per learner, oldest first. */
  private static Map<String, List<JsonNode>> enrollmentJournal(DatabaseSettings database, String batchId) throws Exception {
    String prefix = JournalProbe.enrollmentId(batchId, "");
    Map<String, List<JsonNode>> events = new LinkedHashMap<>();
    try (Connection c = DriverManager.getConnection(database.url(), database.user(), database.password());
         PreparedStatement ps = c.prepareStatement("SELECT persistence_id, event_payload FROM event_journal"
             + " WHERE persistence_id LIKE ? ORDER BY persistence_id, sequence_number")) {
      ps.setString(1, prefix.replace("_", "\\_") + "%");
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          String user = rs.getString(1).substring(prefix.length());
          events.computeIfAbsent(user, u -> new ArrayList<>()).add(ApiClient.JSON.readTree(rs.getBytes(2)));
        }
      }
    }
    return events;
  }

  /**
   * Gathers statistics, as autovacuum would: CI's PostgreSQL runs without it, and a read journal
   * query planned on never-analyzed tables keeps a plan for empty ones, under which the read
   * model falls further behind with every event (see BENCHMARKS.md, bulk enrolment).
   */
  private static void analyze(DatabaseSettings database) throws Exception {
    try (Connection c = DriverManager.getConnection(database.url(), database.user(), database.password());
         Statement st = c.createStatement()) {
      st.execute("ANALYZE");
    }
  }

  /**
   * The learners with an enrolment, checking that each learner's journal is empty or exactly one
   * {@code Enrolled} made with that learner's form (so no second enrolment, and nothing half-made).
   */
  private static Set<String> wholeEnrolments(Map<String, List<JsonNode>> journal, Map<String, String> formOf) {
    Set<String> enrolled = new HashSet<>();
    journal.forEach((user, events) -> {
      assertTrue(formOf.containsKey(user), "only the batch's learners have events: " + user);
      assertEquals(1, events.size(), () -> user + ": one event, " + events);
      JsonNode e = events.get(0);
      assertEquals("Enrolled", e.path("type").asText(), () -> user + ": " + e);
      assertEquals(formOf.get(user), e.path("formId").asText(), () -> user + ": made with the learner's form: " + e);
      enrolled.add(user);
    });
    return enrolled;
  }

  /** Waits (up to 60 s) until the participant list is exactly {@code expected}. */
  private static void awaitParticipants(ApiClient api, String batchId, Set<String> expected) throws InterruptedException {
    Set<String> listed = Set.of();
    int count = -1;
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (System.nanoTime() < deadline) {
      Reply r = api.call("POST", "/v1/batch/participants/list", creatorToken(), Map.of("batch", Map.of("batchId", batchId)));
      assertEquals(200, r.status(), () -> abbreviated(r.toString()));
      count = r.result().path("batch").path("count").asInt();
      listed = new HashSet<>();
      for (JsonNode p : r.result().path("batch").path("participants")) {
        listed.add(p.asText());
      }
      if (count == expected.size() && listed.equals(expected)) {
        return;
      }
      Thread.sleep(200);
    }
    Set<String> missing = new HashSet<>(expected);
    missing.removeAll(listed);
    Set<String> extra = new HashSet<>(listed);
    extra.removeAll(expected);
    fail("the participant list (count " + count + ") differs from the journal (" + expected.size() + "): missing "
        + abbreviated(missing.toString()) + ", not enrolled but listed " + abbreviated(extra.toString()));
  }

  private void step(String what) {
    System.out.printf("%6.1f s  %s%n", (System.nanoTime() - started) / 1e9, what);
  }

  private static String abbreviated(String text) {
    return text.length() <= 1000 ? text : text.substring(0, 1000) + "…";
  }
}
