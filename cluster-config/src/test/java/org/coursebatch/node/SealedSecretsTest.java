package org.coursebatch.node;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import net.lingala.zip4j.exception.ZipException;
import org.coursebatch.core.testing.MutableClock;
import org.coursebatch.node.ApiClient.Reply;
import org.coursebatch.persistence.db.DatabaseSettings;
import org.coursebatch.persistence.secret.SecretsKey;
import org.coursebatch.persistence.testing.OnBothDatabases;
import org.coursebatch.persistence.testing.TestDatabase;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The secrets the nodes share (the bulk enrolment form key, the key report passwords are sealed
 * with) are sealed in the database under BATCH_SECRETS_KEY, seen from the API of running nodes:
 * forms issued and report passwords given before a restart still work after it, rows written in
 * plain text are sealed by the first node with a key, a node with another key (or none) does not
 * start, and nodes starting together agree. On both databases; it is always one the settings name
 * (BATCH_DB_URL), so a node without a key stores plain text as before ({@link EmbeddedSecretsKeyH2Test}:
 * the embedded default).
 */
@OnBothDatabases
class SealedSecretsTest {

  @Nested
  class Contract {

    static final String CREATOR = NodeApiContract.CREATOR;
    static final String PASSWORD = "report-password-1";
    static final String KEY = SecretsKey.generate().base64();
    static final String KEY_ID = SecretsKey.parse(KEY, "test").id();

    private final TestDatabase run;

    Contract(TestDatabase run) {
      this.run = run;
    }

    /** A new database of the run, which the settings name (as BATCH_DB_URL would); dropped after the run. */
    DatabaseSettings ownDatabase(Path dataDir) {
      return run.fresh();
    }

    @Test
    void plainSecretsAreSealedByTheFirstNodeWithAKeyAndOutliveRestarts() throws Exception {
      Path dir = Files.createTempDirectory("sealed-secrets");
      DatabaseSettings database = ownDatabase(dir);
      MutableClock clock = MutableClock.startingNow();
      String batchId;
      List<JsonNode> plainForms;
      String plainReport;
      try (TestNode plain = node(dir, database, clock, null, false)) {
        ApiClient api = plain.client();
        batchId = batch(api, clock);
        plainForms = forms(api, batchId, 2);
        plainReport = submitReport(api, batchId, PASSWORD);
        String formRow = rows(plain).get(ServiceNode.FORM_SECRET_NAME);
        assertTrue(signs(formRow, plainForms.get(0)), "without a key the row is the form key itself: " + formRow);
      }

      Map<String, String> sealed;
      List<JsonNode> sealedForms;
      String sealedReport;
      try (TestNode keyed = node(dir, database, clock, KEY, false)) {
        ApiClient api = keyed.client();
        sealed = rows(keyed);
        assertEquals(2, sealed.size(), sealed.toString());
        sealed.forEach((name, text) -> assertTrue(text.startsWith("v1:" + KEY_ID + ":"), name + " is sealed: " + text));
        assertFalse(signs(sealed.get(ServiceNode.FORM_SECRET_NAME), plainForms.get(0)), "the stored bytes are not the form key");
        assertApplied(apply(api, plainForms.get(0)), "a form issued before the key was set");
        sealedForms = forms(api, batchId, 1);
        sealedReport = submitReport(api, batchId, PASSWORD + "-2");
      }

      try (TestNode restarted = node(dir, database, clock, KEY, true)) {
        ApiClient api = restarted.client();
        assertEquals(sealed, rows(restarted), "sealed once: the restart changed nothing");
        assertApplied(apply(api, plainForms.get(1)), "a form issued before the key was set");
        assertApplied(apply(api, sealedForms.get(0)), "a form issued before the restart");
        assertOpensOnlyWith(api, plainReport, PASSWORD);
        assertOpensOnlyWith(api, sealedReport, PASSWORD + "-2");
      }
    }

    @Test
    void aNodeWithAnotherKeyOrNoKeyRefusesToStartAndChangesNothing() throws Exception {
      Path dir = Files.createTempDirectory("sealed-secrets-refused");
      DatabaseSettings database = ownDatabase(dir);
      MutableClock clock = MutableClock.startingNow();
      Map<String, String> sealed;
      List<JsonNode> forms;
      try (TestNode keyed = node(dir, database, clock, KEY, true)) {
        forms = forms(keyed.client(), batch(keyed.client(), clock), 1);
        sealed = rows(keyed);
      }

      SecretsKey other = SecretsKey.generate();
      IllegalStateException wrong = assertThrows(IllegalStateException.class,
          () -> node(dir, database, clock, other.base64(), true).close());
      for (String said : List.of("did not start", KEY_ID, other.id(), "BATCH_SECRETS_KEY")) {
        assertTrue(wrong.getMessage().contains(said), said + " in " + wrong.getMessage());
      }
      IllegalStateException none = assertThrows(IllegalStateException.class, () -> node(dir, database, clock, null, true).close());
      assertTrue(none.getMessage().contains("no key") && none.getMessage().contains("BATCH_SECRETS_KEY"), none.getMessage());
      IllegalArgumentException malformed = assertThrows(IllegalArgumentException.class,
          () -> node(dir, database, clock, Base64.getEncoder().encodeToString(new byte[16]), true).close());
      assertTrue(malformed.getMessage().contains("BATCH_SECRETS_KEY") && malformed.getMessage().contains("openssl rand -base64 32"),
          malformed.getMessage());

      try (TestNode again = node(dir, database, clock, KEY, true)) {
        assertEquals(sealed, rows(again), "the refused nodes replaced nothing");
        assertApplied(apply(again.client(), forms.get(0)), "a form issued before the refused starts");
      }
    }

    /**
     * Two nodes with the same key start at once on a database whose secrets are plain text: both
     * seal, one wins each row, and they agree. A form one issues the other accepts, and a report
     * password one seals the other's worker opens.
     */
    @Test
    void nodesStartingTogetherAgreeOnOneSecret() throws Exception {
      Path dir = Files.createTempDirectory("sealed-secrets-together");
      DatabaseSettings database = ownDatabase(dir);
      MutableClock clock = MutableClock.startingNow();
      String batchId;
      List<JsonNode> plainForms;
      try (TestNode plain = node(dir.resolve("plain"), database, clock, null, false)) {
        batchId = batch(plain.client(), clock);
        plainForms = forms(plain.client(), batchId, 1);
      }
      List<TestNode> nodes = List.of(new TestNode(dir.resolve("a"), database, clock, settings(KEY, false)),
          new TestNode(dir.resolve("b"), database, clock, settings(KEY, true)));
      try {
        startTogether(nodes);
        ApiClient a = nodes.get(0).client();
        ApiClient b = nodes.get(1).client();
        rows(nodes.get(0)).forEach((name, text) -> assertTrue(text.startsWith("v1:" + KEY_ID + ":"), name + ": " + text));
        assertApplied(apply(b, forms(a, batchId, 1).get(0)), "a form issued by the other node");
        assertApplied(apply(a, plainForms.get(0)), "a form issued before the key was set");
        assertOpensOnlyWith(b, submitReport(a, batchId, PASSWORD), PASSWORD);
      } finally {
        nodes.forEach(TestNode::close);
      }
    }

    // ---- helpers ----

    static Map<String, Object> settings(String key, boolean exhaust) {
      Map<String, Object> settings = new HashMap<>(Map.of("course-batch.exhaust.enabled", exhaust));
      if (key != null) {
        settings.put("course-batch.secrets.key", key);
      }
      return settings;
    }

    static TestNode node(Path dir, DatabaseSettings database, MutableClock clock, String key, boolean exhaust) {
      TestNode node = new TestNode(dir, database, clock, settings(key, exhaust));
      node.startNode();
      return node;
    }

    static void startTogether(List<TestNode> nodes) throws Exception {
      ExecutorService pool = Executors.newFixedThreadPool(nodes.size());
      try {
        CountDownLatch go = new CountDownLatch(1);
        List<Future<?>> started = new ArrayList<>();
        for (TestNode n : nodes) {
          started.add(pool.submit(() -> {
            go.await();
            n.startNode();
            return null;
          }));
        }
        go.countDown();
        for (Future<?> f : started) {
          f.get(120, TimeUnit.SECONDS);
        }
      } finally {
        pool.shutdownNow();
      }
    }

    /** A course and an ongoing open batch of it; the batch's id. */
    static String batch(ApiClient api, MutableClock clock) {
      String courseId = NodeApiContract.registerCourse(api, true);
      LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
      Directory.place(api, Directory.ORG, CREATOR);
      return NodeApiContract.createBatch(api, Directory.forOrg(new java.util.HashMap<>(Map.of("courseId", courseId,
          "name", "Sealed " + courseId, "enrollmentType", "open", "startDate", today.toString(),
          "endDate", today.plusDays(30).toString()))));
    }

    /** Bulk enrolment forms for {@code n} new learners of the batch, of the creator's organisation. */
    static List<JsonNode> forms(ApiClient api, String batchId, int n) {
      List<Map<String, Object>> peers = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        String user = "learner-" + java.util.UUID.randomUUID().toString().substring(0, 8);
        Directory.place(api, Directory.ORG, user);
        peers.add(Map.of("batchId", batchId, "userId", user));
      }
      Reply r = api.call("POST", "/v1/enrollments/batch/forms/create", TestNode.token(CREATOR), Map.of("peers", peers));
      assertEquals(200, r.status(), r.toString());
      return BulkEnrollmentApiTest.Contract.list(r.result().path("forms"));
    }

    /** The response to submitting one form. */
    static JsonNode apply(ApiClient api, JsonNode form) {
      Reply r = api.call("POST", "/v1/enrollments/batch/create", TestNode.token(CREATOR), Map.of("forms", List.of(form)));
      assertEquals(200, r.status(), r.toString());
      return r.result().path("responses").path(0);
    }

    static void assertApplied(JsonNode response, String what) {
      assertTrue(response.path("successful").asBoolean(false), what + ": " + response);
    }

    /** Submits a progress report protected by {@code password}; its request id. */
    static String submitReport(ApiClient api, String batchId, String password) {
      String tag = "sealed_" + batchId;
      Reply r = api.call("POST", "/v1/jobrequest/submit", TestNode.token(CREATOR), Map.of("tag", tag, "dataset", "progress-exhaust",
          "datasetConfig", Map.of("batchId", batchId), "output_format", "csv", "encryptionKey", password));
      return ExhaustApiTest.Contract.submitOk(r, "api.jobrequest.submit").path("requestId").asText();
    }

    /** The report finishes, and its zip opens with {@code password} and with no other. */
    static void assertOpensOnlyWith(ApiClient api, String requestId, String password) throws Exception {
      JsonNode job = NodeApiContract.pollUntil("report " + requestId, ExhaustApiTest.Contract.JOB,
          () -> api.call("GET", "/v1/jobrequest/read/" + requestId, TestNode.token(CREATOR), null).result(),
          j -> List.of("SUCCESS", "FAILED").contains(j.path("status").asText()));
      assertEquals("SUCCESS", job.path("status").asText(), job.toString());
      byte[] zip = ExhaustApiTest.Contract.bytes(api, job.at("/downloadUrls/0").asText(), TestNode.token(CREATOR));
      assertFalse(ExhaustApiTest.Contract.csv(zip, password).isEmpty());
      assertThrows(ZipException.class, () -> ExhaustApiTest.Contract.csv(zip, password + "x"));
    }

    /** The stored text of every secret, by name. */
    static Map<String, String> rows(TestNode node) throws Exception {
      Map<String, String> rows = new TreeMap<>();
      try (Connection c = node.node().database().dataSource().getConnection();
           ResultSet rs = c.createStatement().executeQuery("SELECT name, secret FROM service_secret")) {
        while (rs.next()) {
          rows.put(rs.getString(1), rs.getString(2));
        }
      }
      return rows;
    }

    /**
     * Whether any 32 bytes of the stored text, read as it is or any part of it as base64, are the
     * key that signed the form's token: an HS256 JWS whose MAC key is HMAC-SHA256 of the label
     * "course-batch form key v1" under the form key (ADR 22).
     */
    static boolean signs(String storedText, JsonNode form) throws Exception {
      String token = form.path("token").asText();
      int dot = token.lastIndexOf('.');
      byte[] signed = token.substring(0, dot).getBytes(StandardCharsets.US_ASCII);
      byte[] mac = Base64.getUrlDecoder().decode(token.substring(dot + 1));
      List<byte[]> readings = new ArrayList<>(List.of(storedText.getBytes(StandardCharsets.UTF_8)));
      for (String part : storedText.split(":")) {
        try {
          readings.add(Base64.getDecoder().decode(part));
        } catch (IllegalArgumentException notBase64) {
          // not a reading
        }
      }
      Mac hmac = Mac.getInstance("HmacSHA256");
      for (byte[] bytes : readings) {
        for (int i = 0; i + 32 <= bytes.length; i++) {
          hmac.init(new SecretKeySpec(Arrays.copyOfRange(bytes, i, i + 32), "HmacSHA256"));
          hmac.init(new SecretKeySpec(hmac.doFinal("course-batch form key v1".getBytes(StandardCharsets.US_ASCII)), "HmacSHA256"));
          if (Arrays.equals(mac, hmac.doFinal(signed))) {
            return true;
          }
        }
      }
      return false;
    }
  }
}
