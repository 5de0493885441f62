package org.coursebatch.node;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import net.lingala.zip4j.ZipFile;
import net.lingala.zip4j.exception.ZipException;
import org.coursebatch.core.testing.MutableClock;
import org.coursebatch.core.user.Consent;
import org.coursebatch.core.user.UserDirectoryAdmin.ConsentUpdate;
import org.coursebatch.core.user.UserProfile;
import org.coursebatch.node.ApiClient.Reply;
import org.coursebatch.persistence.db.DatabaseSettings;
import org.coursebatch.persistence.testing.OnBothDatabases;
import org.coursebatch.persistence.testing.TestDatabase;
import org.coursebatch.persistence.user.JdbcUserDirectory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Exhaust reports over HTTP against a running node (docs/api.md "Exhaust reports"): a batch of a
 * course with nested units and two assessments, created for the learners' organisation, learners
 * at different stages, consent given, revoked and never asked; each report's CSV, as the
 * organisation's admin gets it, is compared cell by cell, and against what a creator who
 * administers no organisation gets. Also: who may ask and download, the password-protected zip,
 * retries up to FAILED, and a job taken over after its node died.
 */
@OnBothDatabases
class ExhaustApiTest {

  @Nested
  class Contract extends NodeApiContract {

    Contract(TestDatabase database) {
      super(database);
    }

    static final String ORG_ADMIN = "org-admin-1";
    /** The learners' root organisation, which {@link #ORG_ADMIN} administers and the batch was created for. */
    static final String ORG = "org-1";
    static final String PASSWORD = "s3cret-key!";
    static final Duration JOB = Duration.ofSeconds(60);
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("dd/MM/yyyy").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter DATE_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

    /** The fixture: course, batch, learners at different stages (ids sort in this order: a < b < c < d). */
    String courseId;
    String batchId;
    String done;
    String halfway;
    String idle;
    String left;

    /** A test here takes a course out of the catalog behind the node's back (SQL): no copy of it may be kept. */
    @Override
    Map<String, Object> configOverrides() {
      return Map.of("course-batch.content.cache.built-in-expiry", "0s");
    }

    @BeforeAll
    void fixture() throws Exception {
      courseId = registerNestedCourse(api, true);
      Map<String, Object> batch = ongoingBatch(courseId);
      batch.put("createdFor", List.of(ORG));
      batchId = createBatch(batch);
      addTemplate(batchId);
      String run = UUID.randomUUID().toString().substring(0, 6);
      done = "a-done-" + run;
      halfway = "b-halfway-" + run;
      idle = "c-idle-" + run;
      left = "d-left-" + run;
      for (String user : List.of(done, halfway, idle, left)) {
        assertEquals(200, call("POST", "/v1/course/enroll", user, Map.of("courseId", courseId, "batchId", batchId)).status());
      }
      assertEquals(200, call("POST", "/v1/course/unenroll", left, Map.of("courseId", courseId, "batchId", batchId)).status());
      // done: every leaf; quiz 1 twice (1 of 5, then 5 of 5), quiz 2 once (2 of 4)
      progress(done, List.of(content("c1", 2), content("c2", 2), content("a1", 2), content("a2", 2)),
          List.of(attempt(done, "a1", "att-1", Map.of("q1", 1, "q2", 0)), attempt(done, "a1", "att-2", Map.of("q1", 2, "q2", 3)),
              attempt(done, "a2", "att-3", Map.of("q3", 2))));
      // halfway: the first video, the second started, quiz 1 once (2 of 5)
      progress(halfway, List.of(content("c1", 2), content("c2", 1)), List.of(attempt(halfway, "a1", "att-4", Map.of("q1", 1, "q2", 1))));
      var directory = new JdbcUserDirectory(node.node().system(), node.node().database(), clock);
      directory.putProfile(new UserProfile(ORG_ADMIN, ORG), "test").toCompletableFuture().get();
      directory.putProfile(new UserProfile(done, ORG, "Asha Rao", "asha@example.org", "+911234", "Karnataka", "Bengaluru",
          "North", "C1", "S-42", "Model School", "Org One", "teacher", "hm", "CBSE"), "test").toCompletableFuture().get();
      directory.putProfile(new UserProfile(halfway, ORG, "Ravi, \"R\" K", null, null, "Kerala", null, null, null, null, null,
          null, "student", null, null), "test").toCompletableFuture().get();
      directory.putConsent(new ConsentUpdate(done, courseId, Consent.COLLECTION, ORG, Consent.Status.ACTIVE), "test")
          .toCompletableFuture().get();
      directory.putConsent(new ConsentUpdate(halfway, courseId, Consent.COLLECTION, ORG, Consent.Status.REVOKED), "test")
          .toCompletableFuture().get();
      // the read side has every event once the last learner's certificate and attempts are there
      pollUntil("the read model of " + batchId, PROJECTION, () -> count("SELECT COUNT(*) FROM assessment_attempt WHERE batch_id = ?")
          + count("SELECT COUNT(*) FROM enrollment_certificate WHERE batch_id = ?")
          + count("SELECT COUNT(*) FROM enrollment WHERE batch_id = ? AND participation = 'INACTIVE'"), n -> n == 4 + 1 + 1);
    }

    // ---- reports, cell by cell ----

    @Test
    void progressReportHasSunbirdsColumnsThenScoresAndUnitsCellByCell() throws Exception {
      JsonNode job = finished(submit(adminToken(), "progress-exhaust", null));
      assertEquals("SUCCESS", job.path("status").asText(), job.toString());
      assertFalse(job.path("encrypted").asBoolean());
      List<List<String>> csv = csv(download(adminToken(), job), null);
      String enrolled = DAY.format(clock.instant());
      List<String> profileless = List.of("", "", "", "", "", "", "", "", "", "");
      List<String> header = List.of("Collection Id", "Collection Name", "Batch Id", "Batch Name", "User UUID", "State", "District",
          "Org Name", "School Id", "School Name", "Block Name", "Cluster Name", "User Type", "User Sub Type", "Declared Board",
          "Enrolment Date", "Completion Date", "Certificate Status", "Progress", "Total Score",
          courseId + "_a1 - Score", courseId + "_a2 - Score",
          courseId + "_u1 - Progress", courseId + "_u11 - Progress", courseId + "_u2 - Progress");
      assertEquals(List.of(header,
          row(done, List.of("Karnataka", "Bengaluru", "Org One", "S-42", "Model School", "North", "C1", "teacher", "hm", "CBSE"),
              enrolled, enrolled, "Issued", "100", "78%", "100%", "50%", "100", "100", "100"),
          row(halfway, List.of("Kerala", "", "", "", "", "", "", "student", "", ""), enrolled, "", "", "25", "40%", "40%", "",
              "33", "0", "0"),
          row(idle, profileless, enrolled, "", "", "0", "", "", "", "0", "0", "0")), csv);

      // the batch's creator administers no organisation: the same progress, none of the learners' profile
      List<List<String>> creators = csv(download(token(CREATOR), finished(submit(token(CREATOR), "progress-exhaust", null))), null);
      assertEquals(List.of(header,
          row(done, profileless, enrolled, enrolled, "Issued", "100", "78%", "100%", "50%", "100", "100", "100"),
          row(halfway, profileless, enrolled, "", "", "25", "40%", "40%", "", "33", "0", "0"),
          row(idle, profileless, enrolled, "", "", "0", "", "", "", "0", "0", "0")), creators);
    }

    private List<String> row(String user, List<String> profile, String... rest) {
      List<String> out = new ArrayList<>(List.of(courseId, "Nested course " + courseId, batchId, "Batch of " + courseId, user));
      out.addAll(profile);
      out.addAll(List.of(rest));
      return out;
    }

    @Test
    void userInfoReportListsOnlyConsentingLearnersInAZipOnlyTheKeyOpens() throws Exception {
      JsonNode job = finished(submit(adminToken(), "userinfo-exhaust", PASSWORD));
      assertEquals("SUCCESS", job.path("status").asText(), job.toString());
      assertTrue(job.path("encrypted").asBoolean());
      assertFalse(job.toString().contains(PASSWORD), "the key is never shown");
      byte[] zip = download(adminToken(), job);
      List<String> header = List.of("Collection Id", "Collection Name", "Batch Id", "Batch Name", "User UUID", "User Name",
          "User Type", "User Sub Type", "State", "District", "Block", "Cluster", "School Id", "School Name", "Org Name", "Email ID",
          "Mobile Number", "Consent Provided", "Consent Provided Date");
      assertEquals(List.of(header,
          row(done, List.of("Asha Rao", "teacher", "hm", "Karnataka", "Bengaluru", "North", "C1", "S-42", "Model School",
              "Org One", "asha@example.org", "+911234", "true", DAY.format(clock.instant())))), csv(zip, PASSWORD));
      assertThrows(ZipException.class, () -> csv(zip, null), "no key");
      assertThrows(ZipException.class, () -> csv(zip, "wrong-key"), "wrong key");
      assertNull(storedKey(job.path("requestId").asText()), "the key is gone once the job finished");

      // the creator's organisation is unknown: no consent names it
      JsonNode creators = finished(submit(token(CREATOR), "userinfo-exhaust", PASSWORD));
      assertEquals(List.of(header), csv(download(token(CREATOR), creators), PASSWORD));
    }

    @Test
    void responseReportHasARowPerQuestionPerAttempt() throws Exception {
      JsonNode job = finished(submit(token(MENTOR), "response-exhaust", null));
      assertEquals("SUCCESS", job.path("status").asText(), job.toString());
      String at = DATE_TIME.format(clock.instant());
      List<String> header = List.of("Collection Id", "Collection Name", "Batch Id", "Batch Name", "User UUID", "QuestionSet Id",
          "QuestionSet Title", "Attempt Id", "Attempted On", "Question Id", "Question Type", "Question Title",
          "Question Description", "Question Duration", "Question Score", "Question Max Score", "Question Options",
          "Question Response");
      String a1 = courseId + "_a1";
      String a2 = courseId + "_a2";
      assertEquals(List.of(header,
          response(done, a1, "Quiz 1", "att-1", at, "q1", 1, 2),
          response(done, a1, "Quiz 1", "att-1", at, "q2", 0, 3),
          response(done, a1, "Quiz 1", "att-2", at, "q1", 2, 2),
          response(done, a1, "Quiz 1", "att-2", at, "q2", 3, 3),
          response(done, a2, "Quiz 2", "att-3", at, "q3", 2, 4),
          response(halfway, a1, "Quiz 1", "att-4", at, "q1", 1, 2),
          response(halfway, a1, "Quiz 1", "att-4", at, "q2", 1, 3)), csv(download(token(MENTOR), job), null));
    }

    private List<String> response(String user, String quiz, String title, String attemptId, String at, String question,
        int score, int max) {
      return row(user, List.of(quiz, title, attemptId, at, question, "mcq", "Question " + question, "", "7",
          Integer.toString(score), Integer.toString(max), "[{\"1\":\"A\"},{\"2\":\"B\"}]", "[{\"1\":\"A\"}]"));
    }

    // ---- who may ask, see and download ----

    @Test
    void onlyThoseWhoAdministerTheBatchMayRequestAndSeeAndOnlyTheRequesterDownloads() throws Exception {
      Reply learner = api.call("POST", "/v1/jobrequest/submit", token(done), submission("progress-exhaust", batchId, null));
      assertError(learner, 401, "UNAUTHORIZED_USER");
      Reply otherOrgsAdmin = api.call("POST", "/v1/jobrequest/submit", token("org-admin-2", "ORG_ADMIN"),
          submission("progress-exhaust", batchId, null));
      assertError(otherOrgsAdmin, 401, "UNAUTHORIZED_USER");
      JsonNode byAdmin = submitOk(api.call("POST", "/api/course/v1/jobrequest/submit", adminToken(),
          submission("progress-exhaust", batchId, null)), "api.jobrequest.submit");
      assertEquals(ORG_ADMIN, byAdmin.path("requestedBy").asText());
      JsonNode job = finished(byAdmin);
      assertEquals("/v1/jobrequest/download/" + job.path("requestId").asText(), job.at("/downloadUrls/0").asText());
      Reply viaGateway = api.call("GET", "/api/course/v1/jobrequest/read/" + job.path("requestId").asText(), token(CREATOR), null);
      assertEquals("/api/course/v1/jobrequest/download/" + job.path("requestId").asText(),
          viaGateway.result().at("/downloadUrls/0").asText(), "the download route in the form the request came in");

      String id = job.path("requestId").asText();
      assertError(api.call("GET", "/v1/jobrequest/download/" + id, token(STRANGER), null), 401, "UNAUTHORIZED_USER");
      assertError(api.call("GET", "/v1/jobrequest/read/" + id, token(done), null), 401, "UNAUTHORIZED_USER");
      assertEquals(200, api.call("GET", "/v1/jobrequest/read/" + id, token(MENTOR), null).status());
      assertError(api.call("GET", "/v1/jobrequest/download/" + id, token(CREATOR), null), 401, "UNAUTHORIZED_USER");
      assertError(api.call("GET", "/v1/jobrequest/download/" + id, token(ORG_ADMIN), null), 401, "UNAUTHORIZED_USER");
      assertTrue(download(adminToken(), job).length > 0, "the requester downloads their report");
      assertError(api.call("GET", "/v1/jobrequest/download/nope", token(CREATOR), null), 404, "RESOURCE_NOT_FOUND");

      Reply strangers = api.call("GET", "/v1/jobrequest/list/" + tag(), token(STRANGER), null);
      assertEquals(200, strangers.status(), strangers.toString());
      assertEquals(0, strangers.result().path("count").asInt(), strangers.toString());
      Reply creators = api.call("GET", "/api/course/v1/jobrequest/list/" + tag(), token(CREATOR), null);
      assertEquals("api.jobrequest.list", creators.body().path("id").asText());
      assertTrue(creators.result().path("count").asInt() >= 1, creators.toString());
      assertEquals(creators.result().path("count").asInt(), creators.result().path("jobs").size());
      assertFalse(creators.toString().contains(PASSWORD));
    }

    @Test
    void requestsAreCheckedInSunbirdsOrder() {
      String creator = token(CREATOR);
      Reply noTag = api.call("POST", "/v1/jobrequest/submit", creator, Map.of("dataset", "progress-exhaust"));
      assertError(noTag, 400, "MANDATORY_PARAMETER_MISSING");
      assertEquals("Mandatory parameter tag is missing.", noTag.errmsg(), "lms-service's ExhaustJobRequestValidator: tag first");
      Reply noDataset = api.call("POST", "/v1/jobrequest/submit", creator, Map.of("tag", tag()));
      assertError(noDataset, 400, "MANDATORY_PARAMETER_MISSING");
      assertEquals("Mandatory parameter dataset is missing.", noDataset.errmsg());
      assertError(api.call("POST", "/v1/jobrequest/submit", creator, submission("course-exhaust", batchId, null)), 400,
          "INVALID_PARAMETER_VALUE");
      assertError(api.call("POST", "/v1/jobrequest/submit", creator, Map.of("tag", tag(), "dataset", "progress-exhaust")), 400,
          "MANDATORY_PARAMETER_MISSING");
      assertError(api.call("POST", "/v1/jobrequest/submit", creator, submission("progress-exhaust", "0199999999", null)), 404,
          "BATCH_NOT_FOUND");
      Reply noKey = api.call("POST", "/v1/jobrequest/submit", creator, submission("userinfo-exhaust", batchId, null));
      assertError(noKey, 400, "MANDATORY_PARAMETER_MISSING");
      assertEquals("Mandatory parameter encryptionKey is missing.", noKey.errmsg());

      String plainCourse = registerNestedCourse(api, false);
      String plainBatch = createBatch(ongoingBatch(plainCourse));
      Reply noConsent = api.call("POST", "/v1/jobrequest/submit", creator, submission("userinfo-exhaust", plainBatch, PASSWORD));
      assertError(noConsent, 400, "CLIENT_ERROR");
      assertEquals("Invalid request. User info exhaust is not applicable for collections which don't request for user"
          + " consent to share data", noConsent.errmsg());
    }

    @Test
    void pressingSubmitTwiceWhileTheJobWaitsGivesTheSameJob() {
      String other = createBatch(ongoingBatch(courseId));
      Map<String, Object> request = submission("response-exhaust", other, null);
      String first = submitOk(api.call("POST", "/v1/jobrequest/submit", token(CREATOR), request), "api.jobrequest.submit")
          .path("requestId").asText();
      JsonNode again = submitOk(api.call("POST", "/v1/jobrequest/submit", token(CREATOR), request), "api.jobrequest.submit");
      JsonNode job = finished(again);
      if (!job.path("requestId").asText().equals(first)) {
        // the first had finished already when the second came: a new job, as it should be
        assertEquals("SUCCESS", read(first).path("status").asText());
      }
    }

    // ---- failures and restarts ----

    @Test
    void aJobThatKeepsFailingIsTriedThreeTimesThenFailed() throws Exception {
      String course = registerNestedCourse(api, false);
      String batch = createBatch(ongoingBatch(course));
      execute("DELETE FROM catalog_course WHERE course_id = ?", course); // the course left the catalog
      JsonNode job = finished(submitOk(api.call("POST", "/v1/jobrequest/submit", token(CREATOR),
          submission("progress-exhaust", batch, null)), "api.jobrequest.submit"));
      assertEquals("FAILED", job.path("status").asText(), job.toString());
      assertEquals(3, job.path("attempts").asInt(), job.toString());
      assertEquals("Course " + course + " is not in the catalog", job.path("errMessage").asText());
      assertEquals(0, job.path("downloadUrls").size());
      assertError(api.call("GET", "/v1/jobrequest/download/" + job.path("requestId").asText(), token(CREATOR), null), 404,
          "FILE_NOT_AVAILABLE");
    }

    /**
     * A node takes a job and dies in the middle of it (its row stays PROCESSING with its last sign
     * of life); the next node to start takes it over once the lease has run out and finishes it.
     */
    @Test
    void aJobLeftProcessingByADeadNodeIsFinishedByTheNextNode() throws Exception {
      Path dir = Files.createTempDirectory("exhaust-restart");
      DatabaseSettings database = ownDatabase(dir);
      MutableClock nodeClock = MutableClock.startingNow();
      String requestId;
      try (TestNode first = new TestNode(dir, database, nodeClock, Map.of("course-batch.exhaust.enabled", false))) {
        first.startNode();
        ApiClient client = first.client();
        String course = registerNestedCourse(client, true);
        String batch = createBatch(client, ongoingBatch(course));
        assertEquals(200, client.call("POST", "/v1/course/enroll", token("learner-r"), Map.of("courseId", course, "batchId", batch))
            .status());
        Reply submitted = client.call("POST", "/v1/jobrequest/submit", token(CREATOR), submission("progress-exhaust", batch, null));
        requestId = submitOk(submitted, "api.jobrequest.submit").path("requestId").asText();
        pollUntil("the enrolment on the read side", PROJECTION, () -> count(first, "SELECT COUNT(*) FROM enrollment WHERE batch_id = ?",
            batch), n -> n == 1);
        // what a worker that died in its first attempt leaves behind
        try (Connection c = first.node().database().dataSource().getConnection();
             PreparedStatement ps = c.prepareStatement("UPDATE exhaust_job SET status = 'PROCESSING', attempts = 1, progress = 40,"
                 + " started_at = ?, heartbeat_at = ? WHERE request_id = ?")) {
          long stale = nodeClock.instant().minus(Duration.ofMinutes(5)).toEpochMilli();
          ps.setLong(1, stale);
          ps.setLong(2, stale);
          ps.setString(3, requestId);
          assertEquals(1, ps.executeUpdate());
        }
      }
      try (TestNode next = new TestNode(dir, database, nodeClock, Map.of())) {
        next.startNode();
        ApiClient client = next.client();
        JsonNode job = pollUntil("job " + requestId, JOB,
            () -> client.call("GET", "/v1/jobrequest/read/" + requestId, token(CREATOR), null).result(),
            j -> j.path("status").asText().equals("SUCCESS"));
        assertEquals(2, job.path("attempts").asInt(), job.toString());
        assertEquals(100, job.path("progress").asInt());
        List<List<String>> csv = csv(bytes(client, job.at("/downloadUrls/0").asText(), token(CREATOR)), null);
        assertEquals(2, csv.size(), "the header and the one learner: " + csv);
        assertEquals("learner-r", csv.get(1).get(4));
      }
    }

    // ---- helpers ----

    String tag() {
      return courseId + "_" + batchId;
    }

    Map<String, Object> submission(String dataset, String batch, String key) {
      Map<String, Object> r = new HashMap<>(Map.of("tag", tag(), "dataset", dataset, "datasetConfig", Map.of("batchId", batch),
          "output_format", "csv"));
      if (key != null) {
        r.put("encryptionKey", key);
      }
      return r;
    }

    JsonNode submit(String token, String dataset, String key) {
      return submitOk(api.call("POST", "/v1/jobrequest/submit", token, submission(dataset, batchId, key)), "api.jobrequest.submit");
    }

    static String adminToken() {
      return token(ORG_ADMIN, "ORG_ADMIN");
    }

    static JsonNode submitOk(Reply r, String apiId) {
      assertEquals(200, r.status(), r.toString());
      assertEquals(apiId, r.body().path("id").asText(), r.toString());
      JsonNode job = r.result();
      assertTrue(List.of("SUBMITTED", "PROCESSING", "SUCCESS").contains(job.path("status").asText()), job.toString());
      assertFalse(job.path("requestId").asText().isBlank());
      return job;
    }

    /**
     * The rows of a report of the batch, requested and downloaded with {@code token}, once its job
     * succeeded; {@code key} opens the zip (null: none).
     */
    static List<List<String>> report(ApiClient api, String token, String courseId, String batchId, String dataset, String key)
        throws Exception {
      Map<String, Object> request = new HashMap<>(Map.of("tag", courseId + "_" + batchId, "dataset", dataset,
          "datasetConfig", Map.of("batchId", batchId), "output_format", "csv"));
      if (key != null) {
        request.put("encryptionKey", key);
      }
      JsonNode submitted = submitOk(api.call("POST", "/v1/jobrequest/submit", token, request), "api.jobrequest.submit");
      String id = submitted.path("requestId").asText();
      JsonNode job = pollUntil("job " + id, JOB, () -> api.call("GET", "/v1/jobrequest/read/" + id, token, null).result(),
          j -> List.of("SUCCESS", "FAILED").contains(j.path("status").asText()));
      assertEquals("SUCCESS", job.path("status").asText(), job.toString());
      return csv(bytes(api, job.at("/downloadUrls/0").asText(), token), key);
    }

    JsonNode read(String requestId) {
      Reply r = api.call("GET", "/v1/jobrequest/read/" + requestId, token(CREATOR), null);
      assertEquals(200, r.status(), r.toString());
      assertEquals("api.jobrequest.read", r.body().path("id").asText());
      return r.result();
    }

    /** The job once it finished (SUCCESS or FAILED). */
    JsonNode finished(JsonNode submitted) {
      String id = submitted.path("requestId").asText();
      return pollUntil("job " + id, JOB, () -> read(id), j -> List.of("SUCCESS", "FAILED").contains(j.path("status").asText()));
    }

    byte[] download(String token, JsonNode job) throws Exception {
      return bytes(api, job.at("/downloadUrls/0").asText(), token);
    }

    static byte[] bytes(ApiClient client, String path, String token) throws Exception {
      String base = client.call("GET", "/health", null, null).raw().uri().toString().replace("/health", "");
      HttpResponse<byte[]> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base + path))
          .header("Authorization", "Bearer " + token).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
      assertEquals(200, r.statusCode(), new String(r.body(), StandardCharsets.UTF_8));
      assertEquals("application/zip", r.headers().firstValue("Content-Type").orElse(""));
      return r.body();
    }

    /** The rows of the zip's one CSV entry, opened with {@code password} (null: none). */
    static List<List<String>> csv(byte[] zip, String password) throws Exception {
      Path file = Files.createTempFile("exhaust", ".zip");
      try {
        Files.write(file, zip);
        try (ZipFile z = password == null ? new ZipFile(file.toFile()) : new ZipFile(file.toFile(), password.toCharArray())) {
          var headers = z.getFileHeaders();
          assertEquals(1, headers.size());
          try (InputStream in = z.getInputStream(headers.get(0))) {
            CsvMapper mapper = new CsvMapper().enable(CsvParser.Feature.WRAP_AS_ARRAY);
            MappingIterator<List<String>> rows = mapper.readerForListOf(String.class).readValues(in);
            return rows.readAll();
          }
        }
      } finally {
        Files.deleteIfExists(file);
      }
    }

    String storedKey(String requestId) throws Exception {
      try (Connection c = node.node().database().dataSource().getConnection();
           PreparedStatement ps = c.prepareStatement("SELECT encryption_key FROM exhaust_job WHERE request_id = ?")) {
        ps.setString(1, requestId);
        try (var rs = ps.executeQuery()) {
          assertTrue(rs.next());
          return rs.getString(1);
        }
      }
    }

    long count(String sql) {
      return count(node, sql, batchId);
    }

    static long count(TestNode n, String sql, String param) {
      try (Connection c = n.node().database().dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
        ps.setString(1, param);
        try (var rs = ps.executeQuery()) {
          rs.next();
          return rs.getLong(1);
        }
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }

    void execute(String sql, String param) throws Exception {
      try (Connection c = node.node().database().dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
        ps.setString(1, param);
        ps.executeUpdate();
      }
    }

    /**
     * A course that asks for consent ({@code consent}) with nested units: u1 (video c1, unit u11
     * (video c2, quiz a1 of q1 worth 2 and q2 worth 3)) and u2 (quiz a2 of q3 worth 4).
     */
    static String registerNestedCourse(ApiClient client, boolean consent) {
      String id = "do_" + UUID.randomUUID().toString().substring(0, 8);
      String collection = "application/vnd.ekstep.content-collection";
      String questionSet = "application/vnd.sunbird.questionset";
      Map<String, Object> course = Map.of("identifier", id, "name", "Nested course " + id, "status", "Live",
          "trackable", Map.of("enabled", "Yes"), "userConsent", consent ? "Yes" : "No",
          "children", List.of(
              Map.of("identifier", id + "_u1", "name", "Unit 1", "mimeType", collection, "children", List.of(
                  Map.of("identifier", id + "_c1", "name", "Video 1", "mimeType", "video/mp4"),
                  Map.of("identifier", id + "_u11", "name", "Unit 1.1", "mimeType", collection, "children", List.of(
                      Map.of("identifier", id + "_c2", "name", "Video 2", "mimeType", "video/mp4"),
                      Map.of("identifier", id + "_a1", "name", "Quiz 1", "mimeType", questionSet, "questions",
                          List.of(Map.of("identifier", "q1", "maxScore", 2), Map.of("identifier", "q2", "maxScore", 3))))))),
              Map.of("identifier", id + "_u2", "name", "Unit 2", "mimeType", collection, "children", List.of(
                  Map.of("identifier", id + "_a2", "name", "Quiz 2", "mimeType", questionSet, "questions",
                      List.of(Map.of("identifier", "q3", "maxScore", 4)))))));
      Reply r = client.call("PUT", "/v1/catalog/course/" + id, token(CURATOR, "CONTENT_CREATOR"), course);
      assertEquals(200, r.status(), r.toString());
      return id;
    }

    /** A certificate for completing the course. */
    void addTemplate(String batch) {
      String templateId = "tmpl-" + UUID.randomUUID().toString().substring(0, 8);
      registerTemplate(templateId, true);
      Reply r = call("PATCH", "/v1/course/batch/cert/template/add", CREATOR, Map.of("batch", Map.of("courseId", courseId,
          "batchId", batch, "template", Map.of("identifier", templateId, "criteria", Map.of("enrollment", Map.of("status", 2))))));
      assertEquals(200, r.status(), r.toString());
    }

    Map<String, Object> content(String leaf, int status) {
      return Map.of("courseId", courseId, "batchId", batchId, "contentId", courseId + "_" + leaf, "status", status);
    }

    /** An attempt at a quiz: one ASSESS event per question with its score (options A and B, the answer A, 7 s). */
    Map<String, Object> attempt(String user, String quiz, String attemptId, Map<String, Integer> scores) {
      List<Map<String, String>> options = List.of(Map.of("1", "A"), Map.of("2", "B"));
      Map<String, Integer> max = Map.of("q1", 2, "q2", 3, "q3", 4);
      List<Object> events = new ArrayList<>();
      scores.keySet().stream().sorted().forEach(q -> events.add(Map.of("eid", "ASSESS", "ets", clock.millis(), "edata", Map.of(
          "item", Map.of("id", q, "title", "Question " + q, "type", "mcq", "maxscore", max.get(q), "params", options),
          "score", scores.get(q), "resvalues", List.of(options.get(0)), "duration", 7))));
      return Map.of("assessmentTs", clock.millis(), "courseId", courseId, "contentId", courseId + "_" + quiz, "batchId", batchId,
          "userId", user, "attemptId", attemptId, "events", events);
    }

    void progress(String user, List<?> contents, List<?> assessments) {
      Reply r = call("PATCH", "/v1/content/state/update", user, Map.of("contents", contents, "assessments", assessments));
      assertEquals(200, r.status(), r.toString());
    }

  }
}
