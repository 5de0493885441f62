package org.coursebatch.node;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.coursebatch.core.batch.CourseBatchEntity;
import org.coursebatch.core.enrollment.EnrollmentEntity;
import org.coursebatch.core.metrics.NodeMeters;
import org.coursebatch.core.publish.DocumentedEnvelope;
import org.coursebatch.core.publish.OutboundEvent;
import org.coursebatch.core.publish.OutboundEvents;
import org.coursebatch.core.testing.MutableClock;
import org.coursebatch.node.ApiClient.Reply;
import org.coursebatch.persistence.db.DatabaseSettings;
import org.coursebatch.persistence.testing.TestDatabases;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A node publishes what happens to a real Kafka broker: learners enrolled and completing through
 * the HTTP API show on the events topic as exactly the journal's outbound events, in journal
 * order per key, and as Sunbird certificate requests on theirs; a node restarted while the
 * publication is behind leaves nothing out (duplicates are allowed, told apart by event id).
 */
abstract class EventsOutContract {

  static final String EVENTS = "coursebatch.events";
  static final String CERTIFICATES = "test.issue.certificate.request";
  static final String ACTIVITY = "test.coursebatch.job.request";
  static final Duration WITHIN = Duration.ofSeconds(60);

  abstract DatabaseSettings database(Path dataDir) throws Exception;

  KafkaBroker broker;
  TestNode node;
  /** The node's database: null for the embedded H2 default; a PostgreSQL one is dropped after the test. */
  DatabaseSettings database;
  Map<String, Object> overrides;

  @BeforeEach
  void start() throws Exception {
    broker = KafkaBroker.start();
    broker.createTopic(EVENTS, 3);
    broker.createTopic(CERTIFICATES, 1);
    broker.createTopic(ACTIVITY, 1);
    Path dir = Files.createTempDirectory("events-out");
    overrides = new HashMap<>();
    overrides.put("course-batch.kafka.bootstrap-servers", broker.bootstrapServers());
    overrides.put("course-batch.kafka.sunbird.certificate-topic", CERTIFICATES);
    overrides.put("course-batch.kafka.sunbird.activity-topic", ACTIVITY);
    overrides.put("course-batch.kafka.delivery-timeout", "10s");
    overrides.put("course-batch.publish.min-backoff", "200ms");
    overrides.put("course-batch.publish.max-backoff", "1s");
    database = database(dir);
    node = TestNode.start(dir, database, MutableClock.startingNow(), overrides);
  }

  @AfterEach
  void stop() throws Exception {
    try {
      if (node != null) {
        node.close();
      }
    } finally {
      broker.close();
      if (database != null) {
        TestDatabases.dropPostgres(database);
      }
    }
  }

  @Test
  void learnersShowOnKafkaInJournalOrderAndARestartLeavesNothingOut() throws Exception {
    ApiClient api = node.client();
    String courseId = "do_events";
    String batchId = openBatch(api, courseId, "Events batch of Jane Doe");

    // Before the restart: two learners complete the course, one does not.
    learn(api, batchId, courseId, "learner-1", true);
    learn(api, batchId, courseId, "learner-2", true);
    learn(api, batchId, courseId, "learner-3", false);
    List<String> users = new ArrayList<>(List.of("learner-1", "learner-2", "learner-3"));
    try (KafkaBroker.Reader events = broker.reader(EVENTS)) {
      Map<String, List<String>> expected = expected(batchId, users);
      assertEquals(List.of("enrolment.enrolled", "enrolment.progress-recorded", "enrolment.completed"),
          types(expected.get(batchId + ":learner-1")));
      assertEquals(List.of("enrolment.enrolled", "enrolment.progress-recorded"), types(expected.get(batchId + ":learner-3")));
      assertPublished(events, expected);

      // More learners, and the node restarts at once: their events are in the journal but most
      // not yet on Kafka (the publication polls the journal), some perhaps sent without their offset stored.
      for (int i = 4; i <= 9; i++) {
        learn(api, batchId, courseId, "learner-" + i, i % 2 == 0);
        users.add("learner-" + i);
      }
      node.restart();
      api = node.client();
      for (int i = 10; i <= 11; i++) {
        learn(api, batchId, courseId, "learner-" + i, true);
        users.add("learner-" + i);
      }
      assertPublished(events, expected(batchId, users));
    }

    try (KafkaBroker.Reader certificates = broker.reader(CERTIFICATES)) {
      List<String> completers = users.stream().filter(u -> completes(u)).toList();
      List<ConsumerRecord<String, String>> records = certificates.readUntil(
          read -> userIds(read).containsAll(completers), WITHIN);
      assertEquals(Set.copyOf(completers), userIds(records), "one certificate request per learner who completed");
      JsonNode request = ApiClient.JSON.readTree(records.get(0).value());
      assertEquals("BE_JOB_REQUEST", request.path("eid").asText());
      assertTrue(request.path("ets").asLong() > 0);
      assertTrue(request.path("mid").asText().startsWith("LP."), request.toString());
      assertEquals("Course Certificate Generator", request.path("actor").path("id").asText());
      assertEquals("System", request.path("actor").path("type").asText());
      assertEquals("org.sunbird.platform", request.path("context").path("pdata").path("id").asText());
      assertEquals(batchId + "_" + courseId, request.path("object").path("id").asText());
      assertEquals("CourseCertificateGeneration", request.path("object").path("type").asText());
      JsonNode edata = request.path("edata");
      assertEquals("issue-certificate", edata.path("action").asText());
      assertEquals(1, edata.path("iteration").asInt());
      assertEquals("auto-issue", edata.path("trigger").asText());
      assertEquals(batchId, edata.path("batchId").asText());
      assertEquals(courseId, edata.path("courseId").asText());
      assertFalse(edata.path("reIssue").asBoolean(true));
      assertEquals(1, edata.path("userIds").size());
    }

    double delivered = NodeMeters.registry(node.node().system()).get("coursebatch.publish.events").tag("sink", "kafka")
        .counter().count();
    assertTrue(delivered > 0, "the node counts what it delivered since it started: " + delivered);
  }

  /**
   * Nodes in JVMs of their own: while the brokers are unreachable, writes are acknowledged and the
   * node stays ready; a node killed with SIGKILL (twice, the second time right after acknowledged
   * writes, while the publication is behind) leaves nothing out once a node runs with the brokers.
   */
  @Test
  void aDeadBrokerDelaysNothingAndKilledNodesLeaveNothingOut() throws Exception {
    node.close();
    node = null;
    TestDatabases.dropPostgres(database);
    Path dir = Files.createTempDirectory("events-out-killed");
    database = database(dir); // the first node on it stores where the publication starts: the journal's end, now
    Map<String, String> env = Map.of("BATCH_STALL_AFTER", "1s", "BATCH_MAX_LAG", "1s", "BATCH_PUBLISH_MAX_BACKOFF", "1s",
        "BATCH_KAFKA_DELIVERY_TIMEOUT", "2s", "BATCH_KAFKA_SUNBIRD_CERTIFICATE_TOPIC", CERTIFICATES);
    String courseId = "do_killed";
    String batchId;
    List<String> users = new ArrayList<>();
    Map<String, String> dead = new HashMap<>(env);
    dead.put("BATCH_KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:" + FreePorts.next()); // nothing listens there
    ChildNode first = ChildNode.launch(dir, database, ChildNode.Ports.free(), dead, List.of());
    try {
      first.awaitReady(Duration.ofSeconds(90));
      ApiClient api = first.client();
      Map<String, Object> course = Map.of("name", "Killed course", "trackable", Map.of("enabled", "Yes"),
          "children", List.of(Map.of("identifier", "do_ev_1", "name", "One"), Map.of("identifier", "do_ev_2", "name", "Two")));
      assertEquals(200, api.call("PUT", "/v1/catalog/course/" + courseId, TestNode.token("curator", "CONTENT_CREATOR"), course).status());
      LocalDate today = LocalDate.now(ZoneOffset.UTC);
      Reply created = api.call("POST", "/v1/course/batch/create", TestNode.token("creator", "CONTENT_CREATOR"),
          Map.of("courseId", courseId, "name", "Killed batch", "enrollmentType", "open", "startDate", today.toString(),
              "endDate", today.plusDays(10).toString()));
      assertEquals(200, created.status(), created.toString());
      batchId = created.result().path("batchId").asText();
      for (int i = 1; i <= 4; i++) {
        learn(api, batchId, courseId, "learner-" + i, true);
        users.add("learner-" + i);
      }
      // The publication fails and lags for longer than the lag bound; the node stays ready throughout.
      long until = System.nanoTime() + Duration.ofSeconds(5).toNanos();
      while (System.nanoTime() < until) {
        assertEquals(200, first.managementStatus("/ready"), "a dead broker must not fail readiness");
        Thread.sleep(250);
      }
      first.kill();
    } finally {
      first.close();
    }

    Map<String, String> live = new HashMap<>(env);
    live.put("BATCH_KAFKA_BOOTSTRAP_SERVERS", broker.bootstrapServers());
    ChildNode second = ChildNode.launch(dir, database, ChildNode.Ports.free(), live, List.of());
    try {
      second.awaitReady(Duration.ofSeconds(90));
      for (int i = 5; i <= 8; i++) {
        learn(second.client(), batchId, courseId, "learner-" + i, true);
        users.add("learner-" + i);
      }
      second.kill(); // right after the acknowledgements: their events are not all published yet
    } finally {
      second.close();
    }

    node = TestNode.start(dir, database, MutableClock.startingNow(), overrides);
    try (KafkaBroker.Reader events = broker.reader(EVENTS)) {
      assertPublished(events, expected(batchId, users));
    }
    try (KafkaBroker.Reader certificates = broker.reader(CERTIFICATES)) {
      List<ConsumerRecord<String, String>> records = certificates.readUntil(read -> userIds(read).containsAll(users), WITHIN);
      assertEquals(Set.copyOf(users), userIds(records));
    }
  }

  /** A course of two contents ({@code do_ev_1}, {@code do_ev_2}) in the built-in catalog and an open batch of it: its id. */
  static String openBatch(ApiClient api, String courseId, String batchName) {
    LocalDate today = LocalDate.now(ZoneOffset.UTC);
    Map<String, Object> course = Map.of("name", "Events course", "trackable", Map.of("enabled", "Yes"),
        "children", List.of(Map.of("identifier", "do_ev_1", "name", "One"), Map.of("identifier", "do_ev_2", "name", "Two")));
    assertEquals(200, api.call("PUT", "/v1/catalog/course/" + courseId, TestNode.token("curator", "CONTENT_CREATOR"), course).status());
    Reply created = api.call("POST", "/v1/course/batch/create", TestNode.token("creator"), Map.of("courseId", courseId,
        "name", batchName, "enrollmentType", "open", "startDate", today.toString(), "endDate", today.plusDays(10).toString()));
    assertEquals(200, created.status(), created.toString());
    return created.result().path("batchId").asText();
  }

  static boolean completes(String user) {
    int n = Integer.parseInt(user.substring(user.indexOf('-') + 1));
    return n <= 2 || (n >= 4 && n <= 9 && n % 2 == 0) || n >= 10;
  }

  /** Enrols {@code user} and reports progress: both contents completed, or the first one started. */
  static void learn(ApiClient api, String batchId, String courseId, String user, boolean complete) {
    String token = TestNode.token(user);
    Reply enrolled = api.call("POST", "/v1/course/enroll", token, Map.of("courseId", courseId, "batchId", batchId));
    assertEquals(200, enrolled.status(), enrolled.toString());
    List<Map<String, Object>> contents = complete
        ? List.of(content("do_ev_1", courseId, batchId, 2), content("do_ev_2", courseId, batchId, 2))
        : List.of(content("do_ev_1", courseId, batchId, 1));
    Reply progress = api.call("PATCH", "/v1/content/state/update", token, Map.of("contents", contents));
    assertEquals(200, progress.status(), progress.toString());
  }

  private static Map<String, Object> content(String contentId, String courseId, String batchId, int status) {
    return Map.of("contentId", contentId, "courseId", courseId, "batchId", batchId, "status", status);
  }

  /** The outbound events the journal holds for the batch and each of {@code users}, as event ids per key in journal order. */
  Map<String, List<String>> expected(String batchId, List<String> users) {
    return expected(node.node(), batchId, users);
  }

  /** What {@code node}'s journal holds for the batch and each of {@code users}, as event ids and types per key in journal order. */
  static Map<String, List<String>> expected(ServiceNode node, String batchId, List<String> users) {
    Map<String, List<String>> expected = new LinkedHashMap<>();
    List<String> ids = new ArrayList<>();
    ids.add(CourseBatchEntity.ENTITY_KEY.name() + "|" + batchId);
    users.forEach(u -> ids.add(EnrollmentEntity.ENTITY_KEY.name() + "|" + EnrollmentEntity.entityId(batchId, u)));
    for (String pid : ids) {
      List<Object> events = JournalProbe.events(node, pid);
      for (int i = 0; i < events.size(); i++) {
        for (OutboundEvent e : OutboundEvents.of(pid, i + 1, Instant.EPOCH, events.get(i))) {
          expected.computeIfAbsent(e.key(), k -> new ArrayList<>()).add(e.eventId() + " " + e.type());
        }
      }
    }
    return expected;
  }

  private static List<String> types(List<String> idsAndTypes) {
    return idsAndTypes.stream().map(s -> s.substring(s.lastIndexOf(' ') + 1)).toList();
  }

  /**
   * Reads the events topic until every expected event is there, then checks that each key's events,
   * each taken at its first appearance, are exactly the expected ones in journal order, that a
   * repeated message is the same message, and that no message names the batch's name.
   */
  static void assertPublished(KafkaBroker.Reader reader, Map<String, List<String>> expected) throws Exception {
    Set<String> wanted = new LinkedHashSet<>();
    expected.values().forEach(list -> list.forEach(s -> wanted.add(s.substring(0, s.lastIndexOf(' ')))));
    List<ConsumerRecord<String, String>> records = reader.readUntil(read -> eventIds(read).containsAll(wanted), WITHIN);
    Set<String> missing = new LinkedHashSet<>(wanted);
    missing.removeAll(eventIds(records));
    assertEquals(Set.of(), missing, "events in the journal that did not reach Kafka");

    Map<String, List<String>> firstSeen = new LinkedHashMap<>();
    Map<String, String> bodies = new HashMap<>();
    DocumentedEnvelope envelope = DocumentedEnvelope.load();
    for (ConsumerRecord<String, String> r : records) {
      JsonNode m = ApiClient.JSON.readTree(r.value());
      assertEquals(List.of(), envelope.violations(m), "the documented schema: " + r.value());
      String id = m.path("eventId").asText();
      assertEquals(m.path("key").asText(), r.key(), "the record's key is the event's");
      assertFalse(r.value().contains("Jane"), r.value());
      String before = bodies.putIfAbsent(id, r.value());
      if (before == null) {
        firstSeen.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(id + " " + m.path("type").asText());
      } else {
        assertEquals(before, r.value(), "a message sent again is the same message");
      }
    }
    for (Map.Entry<String, List<String>> key : expected.entrySet()) {
      assertEquals(key.getValue(), firstSeen.get(key.getKey()), "the events of " + key.getKey());
    }
    assertEquals(expected.keySet(), firstSeen.keySet(), "keys published");
  }

  private static Set<String> eventIds(List<ConsumerRecord<String, String>> records) {
    Set<String> ids = new LinkedHashSet<>();
    for (ConsumerRecord<String, String> r : records) {
      r.headers().headers("eventId").forEach(h -> ids.add(new String(h.value(), java.nio.charset.StandardCharsets.UTF_8)));
    }
    return ids;
  }

  private static Set<String> userIds(List<ConsumerRecord<String, String>> records) {
    Set<String> users = new LinkedHashSet<>();
    for (ConsumerRecord<String, String> r : records) {
      try {
        ApiClient.JSON.readTree(r.value()).path("edata").path("userIds").forEach(u -> users.add(u.asText()));
      } catch (java.io.IOException e) {
        throw new IllegalStateException(e);
      }
    }
    return users;
  }
}
