package org.coursebatch.core;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.serialization.Serialization;
import akka.serialization.SerializationExtension;
import akka.serialization.Serializer;
import akka.serialization.Serializers;
import akka.serialization.jackson.JacksonJsonSerializer;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.coursebatch.core.batch.BatchEvent;
import org.coursebatch.core.batch.BatchEvent.BatchCreated;
import org.coursebatch.core.batch.BatchEvent.BatchEnded;
import org.coursebatch.core.batch.BatchEvent.BatchReopened;
import org.coursebatch.core.batch.BatchEvent.BatchStarted;
import org.coursebatch.core.batch.BatchEvent.BatchUpdated;
import org.coursebatch.core.batch.BatchEvent.CapacityChanged;
import org.coursebatch.core.batch.BatchEvent.CertificateTemplateAdded;
import org.coursebatch.core.batch.BatchEvent.CertificateTemplateRemoved;
import org.coursebatch.core.batch.BatchEvent.EndDateBroughtForward;
import org.coursebatch.core.batch.BatchEvent.EndDateExtended;
import org.coursebatch.core.batch.BatchEvent.PromotionConfirmed;
import org.coursebatch.core.batch.BatchEvent.SeatPromoted;
import org.coursebatch.core.batch.BatchEvent.SeatReleased;
import org.coursebatch.core.batch.BatchEvent.SeatTaken;
import org.coursebatch.core.batch.BatchEvent.SeatWaitlisted;
import org.coursebatch.core.batch.BatchStatus;
import org.coursebatch.core.batch.EnrollmentType;
import org.coursebatch.core.certificate.CertificateCriteria;
import org.coursebatch.core.certificate.CertificateTemplate;
import org.coursebatch.core.certificate.Signatory;
import org.coursebatch.core.enrollment.ContentState;
import org.coursebatch.core.enrollment.EnrollmentEvent;
import org.coursebatch.core.enrollment.EnrollmentEvent.AssessmentAttempted;
import org.coursebatch.core.enrollment.EnrollmentEvent.CertificateIssued;
import org.coursebatch.core.enrollment.EnrollmentEvent.ContentProgressRecorded;
import org.coursebatch.core.enrollment.EnrollmentEvent.Enrolled;
import org.coursebatch.core.enrollment.EnrollmentEvent.EnrollmentCompleted;
import org.coursebatch.core.enrollment.EnrollmentEvent.EnrollmentDeleted;
import org.coursebatch.core.enrollment.EnrollmentEvent.ParticipantInvited;
import org.coursebatch.core.enrollment.EnrollmentEvent.ParticipantRemoved;
import org.coursebatch.core.enrollment.EnrollmentEvent.PromotedFromWaitlist;
import org.coursebatch.core.enrollment.EnrollmentEvent.SeatReturned;
import org.coursebatch.core.enrollment.EnrollmentEvent.Unenrolled;
import org.coursebatch.core.enrollment.EnrollmentEvent.Waitlisted;
import org.coursebatch.core.enrollment.QuestionResponse;
import org.coursebatch.core.enrollment.bulk.EnrollmentAliasEvent;
import org.coursebatch.core.enrollment.bulk.EnrollmentAliasEvent.AliasAssigned;
import org.coursebatch.core.request.RequestKey;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Golden samples of the stored journal format, for every event family of {@link JournalEvent}. Each
 * event type has at least one fixed sample; its bytes as written by the journal serializer must
 * equal {@code golden/events/<type>.json} (further samples of a type: {@code <type>.<variant>.json}),
 * and every golden file must still read back as the sample. A changed byte means the stored format
 * changed: add a migration step (and a new sample) instead of editing the file.
 *
 * <p>A missing golden file is written by the test, which then fails so that it gets reviewed and
 * committed.
 */
class JournalEventGoldenTest {

  private static final String BATCH = "01315728917531852810";
  private static final Instant AT = Instant.parse("2030-03-10T10:15:30.123Z");
  private static final ObjectMapper PLAIN = new ObjectMapper();
  /**
   * The manifest the journal records with the golden samples. With type-in-manifest off the
   * manifest holds no class name, only the schema version of {@link JournalEventMigration}
   * ({@code "#" + currentVersion}). Golden files of an older version live in
   * {@code golden/events/v<N>/} and are read with {@code "#N"}, through the migration (docs/journal.md).
   */
  private static final String GOLDEN_MANIFEST = "#" + new JournalEventMigration().currentVersion();

  /** The event families, each a sealed interface with its own {@code @JsonSubTypes}; JournalEvent lists them. */
  private static final List<Class<? extends JournalEvent>> FAMILIES =
      List.of(BatchEvent.class, EnrollmentEvent.class, EnrollmentAliasEvent.class);

  private static final String COURSE = "do_course_1";
  private static final String LEARNER = "learner-1";
  private static final String FORM = "8d7e2f0a-3c1b-4e5d-9a6f-1b2c3d4e5f60";

  private static ActorTestKit testKit;
  private static Serialization serialization;

  @BeforeAll
  static void startSystem() {
    testKit = ActorTestKit.create("JournalEventGoldenTest", ConfigFactory.load());
    serialization = SerializationExtension.get(testKit.system().classicSystem());
  }

  @AfterAll
  static void stopSystem() {
    testKit.shutdownTestKit();
  }

  /**
   * One fixed sample per event type, keyed by its stored type name, and further samples of a type
   * keyed {@code <type>.<variant>}. Never change a sample's values.
   */
  static Map<String, JournalEvent> samples() {
    ObjectNode issuer = JsonNodeFactory.instance.objectNode().put("name", "Gov of Karnataka").put("url", "https://gov.example");
    issuer.putArray("publicKey").add("key-1");
    ObjectNode notify = JsonNodeFactory.instance.objectNode()
        .put("emailTemplateType", "defaultCertTemp").put("subject", "Completion certificate");
    ObjectNode additional = JsonNodeFactory.instance.objectNode().put("badgeClass", "gold");
    // One score bound only: the criteria map's iteration order (Map.copyOf) is not stable across JVMs.
    var template = new CertificateTemplate("tmpl-01", "Completion", "https://cdn.example/tmpl-01.svg",
        new CertificateCriteria(2, Map.of(">=", 70.0), "org-root"), issuer,
        List.of(new Signatory("Jane Doe", "jane", "CEO", "https://cdn.example/sign.png")), notify, additional);

    Map<String, JournalEvent> samples = new LinkedHashMap<>();
    samples.put("BatchCreated", new BatchCreated(BATCH, "do_course_1", "Batch A", "A batch", "Terms apply",
        EnrollmentType.INVITE_ONLY, LocalDate.of(2030, 3, 12), LocalDate.of(2030, 4, 30), LocalDate.of(2030, 3, 31),
        "Asia/Kolkata", List.of("org-1", "org-2"), List.of("mentor-1"), BatchStatus.UPCOMING, "user-1", AT));
    samples.put("BatchUpdated", new BatchUpdated(BATCH, "Batch B", null, "New terms", EnrollmentType.OPEN,
        LocalDate.of(2030, 3, 14), null, List.of("org-1"), List.of("mentor-1", "mentor-2"), "mentor-1", AT));
    samples.put("EndDateExtended", new EndDateExtended(BATCH, LocalDate.of(2030, 4, 30), LocalDate.of(2030, 5, 31),
        "user-1", AT));
    samples.put("EndDateBroughtForward", new EndDateBroughtForward(BATCH, null, LocalDate.of(2030, 4, 15), "user-1", AT));
    samples.put("BatchStarted", new BatchStarted(BATCH, Instant.parse("2030-03-11T18:30:00Z"), JournalEvent.SYSTEM, AT));
    samples.put("BatchEnded", new BatchEnded(BATCH, Instant.parse("2030-05-31T18:30:00Z"), JournalEvent.SYSTEM, AT));
    samples.put("BatchReopened", new BatchReopened(BATCH, "user-1", AT));
    samples.put("CertificateTemplateAdded", new CertificateTemplateAdded(BATCH, template, "user-1", AT));
    samples.put("CertificateTemplateRemoved", new CertificateTemplateRemoved(BATCH, "tmpl-01", "mentor-1", AT));
    // Added with seat allocation: a capacity is stored only when the batch has one.
    samples.put("BatchCreated.withCapacity", new BatchCreated(BATCH, "do_course_1", "Batch A", "A batch", "Terms apply",
        EnrollmentType.OPEN, LocalDate.of(2030, 3, 12), LocalDate.of(2030, 4, 30), null,
        "Asia/Kolkata", List.of("org-1"), List.of(), BatchStatus.UPCOMING, "user-1", AT, 40));
    samples.put("CapacityChanged", new CapacityChanged(BATCH, 40, 60, "mentor-1", AT));
    samples.put("SeatTaken", new SeatTaken(BATCH, LEARNER, LEARNER, AT));
    samples.put("SeatWaitlisted", new SeatWaitlisted(BATCH, "learner-2", 7, "mentor-1", AT));
    samples.put("SeatReleased", new SeatReleased(BATCH, LEARNER, LEARNER, AT));
    samples.put("SeatPromoted", new SeatPromoted(BATCH, "learner-2", JournalEvent.SYSTEM, AT));
    samples.put("PromotionConfirmed", new PromotionConfirmed(BATCH, "learner-2", JournalEvent.SYSTEM, AT));
    samples.putAll(enrollmentSamples());
    samples.put("EnrollmentAliasAssigned", new AliasAssigned("sis-enrol-4711", BATCH + ":" + LEARNER + ":1", null, "mentor-1", AT));
    samples.put("EnrollmentAliasAssigned.moved", new AliasAssigned("sis-enrol-4711", BATCH + ":learner-2:1",
        BATCH + ":" + LEARNER + ":1", "mentor-1", AT));
    return samples;
  }

  private static Map<String, EnrollmentEvent> enrollmentSamples() {
    ObjectNode details = JsonNodeFactory.instance.objectNode().put("current", 12).put("max", 20);
    details.putArray("visited").add(1).add(2).add(3);
    var completedContent = new ContentState("do_content_1", 2, 100, 3, 1, Instant.parse("2030-03-10T10:01:00Z"),
        Instant.parse("2030-03-10T10:00:00Z"), details);
    // No progressDetails given: must read back as absent (null), not as a JSON null node.
    var startedContent = new ContentState("do_content_2", 1, 40, 1, 0, Instant.parse("2030-03-10T10:05:00Z"), null, null);
    var options = JsonNodeFactory.instance.arrayNode();
    options.addObject().put("value", 0).put("label", "Four");
    options.addObject().put("value", 1).put("label", "Five");
    var response = JsonNodeFactory.instance.arrayNode().add(0);
    var responses = List.of(
        new QuestionResponse("do_q_1", "mcq", "2 + 2?", 1.0, 1.0, options, response, 12.5),
        new QuestionResponse("do_q_2", "sa", "Explain", 0.5, 2.0, null, null, null));

    Map<String, EnrollmentEvent> samples = new LinkedHashMap<>();
    samples.put("ParticipantInvited", new EnrollmentEvent.ParticipantInvited(BATCH, LEARNER, COURSE, "mentor-1", AT));
    samples.put("ParticipantRemoved", new ParticipantRemoved(BATCH, LEARNER, "mentor-1", AT));
    samples.put("Enrolled", new Enrolled(BATCH, LEARNER, COURSE, true, LEARNER, AT));
    samples.put("Waitlisted", new Waitlisted(BATCH, "learner-2", COURSE, 7, "mentor-1", AT));
    samples.put("PromotedFromWaitlist", new PromotedFromWaitlist(BATCH, "learner-2", JournalEvent.SYSTEM, AT));
    samples.put("Unenrolled", new Unenrolled(BATCH, LEARNER, LEARNER, AT));
    samples.put("SeatReturned", new SeatReturned(BATCH, LEARNER, JournalEvent.SYSTEM, AT));
    samples.put("ContentProgressRecorded", new ContentProgressRecorded(BATCH, LEARNER, COURSE,
        List.of(completedContent, startedContent), 1, 50, LEARNER, AT));
    samples.put("AssessmentAttempted", new AssessmentAttempted(BATCH, LEARNER, COURSE, "do_assess_1", "attempt-1",
        Instant.parse("2030-03-10T10:10:00Z"), 1.5, 3.0, responses, LEARNER, AT));
    samples.put("EnrollmentCompleted", new EnrollmentCompleted(BATCH, LEARNER, COURSE, LEARNER, AT));
    samples.put("CertificateIssued", new CertificateIssued(BATCH, LEARNER, COURSE, "tmpl-01",
        "5b0b4d4e-8c8f-4a43-9d7e-0c2f1d3b6a71", false, "mentor-1", AT));
    // Bulk enrolment administration: the form a change was made with, deletion.
    samples.put("Enrolled.withForm", new Enrolled(BATCH, LEARNER, COURSE, false, "mentor-1", AT, FORM));
    samples.put("Waitlisted.withForm", new Waitlisted(BATCH, "learner-2", COURSE, 8, "mentor-1", AT, FORM));
    samples.put("Unenrolled.withForm", new Unenrolled(BATCH, LEARNER, "mentor-1", AT, FORM));
    samples.put("EnrollmentDeleted", new EnrollmentDeleted(BATCH, LEARNER, 2, "mentor-1", AT));
    // Idempotency keys: the request a change was made for (key and digest), so that its retry is recognised.
    var request = new RequestKey("8e27cbf5-e299-43b0-bca7-8347f7e5abcf", "0f4c2a9e7b31d8a65c0e9f1b2d3a4c5e");
    samples.put("Enrolled.withRequest", new Enrolled(BATCH, LEARNER, COURSE, false, LEARNER, AT, null, request));
    samples.put("Waitlisted.withRequest", new Waitlisted(BATCH, "learner-2", COURSE, 8, "mentor-1", AT, FORM, request));
    samples.put("Unenrolled.withRequest", new Unenrolled(BATCH, LEARNER, LEARNER, AT, null, request));
    samples.put("ContentProgressRecorded.withRequest", new ContentProgressRecorded(BATCH, LEARNER, COURSE,
        List.of(startedContent), 0, 0, LEARNER, AT, request));
    samples.put("AssessmentAttempted.withRequest", new AssessmentAttempted(BATCH, LEARNER, COURSE, "do_assess_1", "attempt-2",
        Instant.parse("2030-03-10T10:12:00Z"), 2.0, 3.0, responses, LEARNER, AT, request));
    samples.put("CertificateIssued.withRequest", new CertificateIssued(BATCH, LEARNER, COURSE, "tmpl-01",
        "5b0b4d4e-8c8f-4a43-9d7e-0c2f1d3b6a72", true, "mentor-1", AT, request));
    samples.put("EnrollmentDeleted.withRequest", new EnrollmentDeleted(BATCH, LEARNER, 3, "mentor-1", AT, request));
    return samples;
  }

  /** The stored type name a sample key stands for: the key up to the variant, if any. */
  private static String typeNameOf(String sampleKey) {
    int dot = sampleKey.indexOf('.');
    return dot < 0 ? sampleKey : sampleKey.substring(0, dot);
  }

  static Stream<Arguments> sampleArguments() {
    return samples().entrySet().stream().map(e -> Arguments.of(e.getKey(), e.getValue()));
  }

  /** The stored type names of one family. */
  private static Map<Class<?>, String> typeNames(Class<?> family) {
    return Arrays.stream(family.getAnnotation(JsonSubTypes.class).value())
        .collect(Collectors.toMap(JsonSubTypes.Type::value, JsonSubTypes.Type::name));
  }

  /** The stored type names of every family. */
  private static Map<Class<?>, String> typeNames() {
    Map<Class<?>, String> all = new LinkedHashMap<>();
    FAMILIES.forEach(f -> all.putAll(typeNames(f)));
    return all;
  }

  private static Path goldenDir() {
    return goldenDir("events");
  }

  /** {@code golden/<kind>} in core's test resources, from the module or the repository root. */
  static Path goldenDir(String kind) {
    String basedir = System.getProperty("basedir");
    Path module = basedir != null ? Path.of(basedir) : Path.of("").toAbsolutePath();
    if (!Files.isDirectory(module.resolve("src/test")) && Files.isDirectory(module.resolve("core/src/test"))) {
      module = module.resolve("core"); // run from the repository root
    }
    return module.resolve("src/test/resources/golden").resolve(kind);
  }

  private static byte[] serialize(JournalEvent event) {
    return serialization.serialize(event).get();
  }

  @Test
  void everyEventTypeHasANameAndASample() {
    Set<Class<?>> listed = Arrays.stream(JournalEvent.class.getAnnotation(JsonSubTypes.class).value())
        .map(JsonSubTypes.Type::value).collect(Collectors.toSet());
    assertEquals(Set.copyOf(FAMILIES), listed, "the families JournalEvent names are the ones sampled here");
    int named = 0;
    for (Class<?> family : FAMILIES) {
      assertTrue(family.isSealed(), family + " is sealed, so its types are known");
      Map<Class<?>, String> names = typeNames(family);
      assertEquals(eventTypesOf(family), names.keySet(), "every " + family.getSimpleName() + " needs a @JsonSubTypes name");
      named += names.size();
    }
    Map<Class<?>, String> names = typeNames();
    assertEquals(named, Set.copyOf(names.values()).size(), "type names are unique across all families");
    Map<String, JournalEvent> samples = samples();
    assertEquals(Set.copyOf(names.values()), samples.keySet().stream().map(JournalEventGoldenTest::typeNameOf)
        .collect(Collectors.toSet()), "every type name needs a golden sample");
    samples.forEach((key, event) -> assertEquals(typeNameOf(key), names.get(event.getClass()), "sample " + key));
  }

  /** The event records a sealed family permits, also through its sealed sub-interfaces (e.g. RecordsRequest). */
  private static Set<Class<?>> eventTypesOf(Class<?> family) {
    return Arrays.stream(family.getPermittedSubclasses())
        .flatMap(c -> c.isInterface() ? eventTypesOf(c).stream() : Stream.of(c))
        .collect(Collectors.toSet());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("sampleArguments")
  void serializerIsJournalJsonWithOnlyTheSchemaVersionInTheManifest(String typeName, JournalEvent sample) {
    Serializer serializer = serialization.findSerializerFor(sample);
    assertInstanceOf(JacksonJsonSerializer.class, serializer);
    assertEquals(7301, serializer.identifier(), "bound to journal-json");
    assertEquals("#" + new JournalEventMigration().currentVersion(), Serializers.manifestFor(serializer, sample),
        "type-in-manifest is off: no class name in the manifest (the type is in the JSON), only the schema version");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("sampleArguments")
  void jsonNamesItsType(String typeName, JournalEvent sample) throws IOException {
    JsonNode json = PLAIN.readTree(serialize(sample));
    assertNotNull(json.get("type"), () -> "no type field in " + json);
    assertEquals(typeNameOf(typeName), json.get("type").asText());
    if (sample instanceof BatchEvent b) {
      assertEquals(b.batchId(), json.get("batchId").asText());
    } else if (sample instanceof AliasAssigned a) {
      assertEquals(a.aliasId(), json.get("aliasId").asText());
    } else {
      EnrollmentEvent e = assertInstanceOf(EnrollmentEvent.class, sample);
      assertEquals(e.batchId(), json.get("batchId").asText());
      assertEquals(e.userId(), json.get("userId").asText());
    }
    assertEquals(sample.actor(), json.get("actor").asText());
    assertEquals(AT.toString(), json.get("at").asText(), "instants are ISO-8601 strings");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("sampleArguments")
  void bytesMatchTheGoldenFile(String typeName, JournalEvent sample) throws IOException {
    byte[] actual = serialize(sample);
    Path file = goldenDir().resolve(typeName + ".json");
    if (!Files.exists(file)) {
      Files.createDirectories(file.getParent());
      Files.write(file, actual);
      fail("Golden file " + file + " did not exist and was created: review and commit it, then re-run.");
    }
    String expected = Files.readString(file, StandardCharsets.UTF_8);
    assertEquals(expected, new String(actual, StandardCharsets.UTF_8),
        "The stored format of " + typeName + " changed. Old journals hold the golden form: keep it readable "
            + "(JournalEventMigration) rather than editing " + file);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("sampleArguments")
  void goldenFileReadsBackAsTheSample(String typeName, JournalEvent sample) throws IOException {
    Path file = goldenDir().resolve(typeName + ".json");
    if (!Files.exists(file)) {
      fail("Golden file " + file + " is missing; bytesMatchTheGoldenFile creates it.");
    }
    byte[] stored = Files.readAllBytes(file);
    // The serializer id and the manifest the journal recorded.
    Object read = serialization.deserialize(stored, 7301, GOLDEN_MANIFEST).get();
    assertEquals(sample, read);
  }

  @Test
  void everyGoldenFileIsASampleOfAKnownType() throws IOException {
    Path dir = goldenDir();
    if (!Files.isDirectory(dir)) {
      return; // the parameterized tests create it
    }
    Set<String> names = samples().keySet();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        String name = f.getFileName().toString().replaceFirst("\\.json$", "");
        assertTrue(names.contains(name), "golden file without a sample (type removed or renamed?): " + f);
        Object read = serialization.deserialize(Files.readAllBytes(f), 7301, GOLDEN_MANIFEST).get();
        assertEquals(typeNameOf(name), typeNames().get(read.getClass()));
      }
    }
  }

  /**
   * Events as an older schema version wrote them ({@code golden/events/v<N>/<sample>.json}, moved
   * there when the stored form of the sample changed) must still read back, through the
   * migration from that version, as the sample is now.
   */
  @Test
  void goldenFilesOfOlderVersionsReadBackAsTheSample() throws IOException {
    for (Map.Entry<Integer, Path> version : olderVersions(goldenDir()).entrySet()) {
      try (Stream<Path> files = Files.list(version.getValue())) {
        for (Path f : files.filter(Files::isRegularFile).toList()) {
          JournalEvent sample = samples().get(f.getFileName().toString().replaceFirst("\\.json$", ""));
          assertNotNull(sample, () -> "golden file without a sample: " + f);
          assertEquals(sample, serialization.deserialize(Files.readAllBytes(f), 7301, "#" + version.getKey()).get(), f::toString);
        }
      }
    }
  }

  /** The {@code v<N>} directories under a golden directory, by version. */
  static Map<Integer, Path> olderVersions(Path dir) throws IOException {
    Map<Integer, Path> versions = new java.util.TreeMap<>();
    if (Files.isDirectory(dir)) {
      try (Stream<Path> entries = Files.list(dir)) {
        entries.filter(Files::isDirectory).filter(d -> d.getFileName().toString().matches("v\\d+"))
            .forEach(d -> versions.put(Integer.parseInt(d.getFileName().toString().substring(1)), d));
      }
    }
    return versions;
  }

  /**
   * maxParticipants came after the first batches were recorded: a batch without one stores no
   * field at all (BatchCreated.json is the format of before), and reads back without a capacity.
   */
  @Test
  void batchCreatedWithoutCapacityIsStoredAsBefore() throws IOException {
    String old = Files.readString(goldenDir().resolve("BatchCreated.json"), StandardCharsets.UTF_8);
    assertFalse(old.contains("maxParticipants"), old);
    var read = assertInstanceOf(BatchCreated.class,
        serialization.deserialize(old.getBytes(StandardCharsets.UTF_8), 7301, GOLDEN_MANIFEST).get());
    assertNull(read.maxParticipants());
    String withCapacity = new String(serialize(samples().get("BatchCreated.withCapacity")), StandardCharsets.UTF_8);
    assertTrue(withCapacity.endsWith(",\"maxParticipants\":40}"), withCapacity);
  }

  /** An empty manifest (no version) reads as version 1; fields a later version added are ignored. */
  @Test
  void unknownFieldsInStoredEventsAreIgnored() {
    String json = "{\"type\":\"BatchReopened\",\"batchId\":\"" + BATCH + "\",\"actor\":\"user-1\",\"at\":\""
        + AT + "\",\"addedLater\":42}";
    Object read = serialization.deserialize(json.getBytes(StandardCharsets.UTF_8), 7301, "").get();
    assertEquals(new BatchReopened(BATCH, "user-1", AT), read);
  }

  /**
   * A template whose free-form JSON parts were not given (null) must read back with them still
   * absent: the HTTP layer omits null parts, so a JSON {@code null} would change the batch read
   * after the entity recovers from the journal.
   */
  @Test
  void absentJsonPartsOfATemplateStayAbsent() {
    var template = new CertificateTemplate("tmpl-02", "Participation", "https://cdn.example/tmpl-02.svg",
        new CertificateCriteria(2, null, null), null, List.of(), null, null);
    var event = new CertificateTemplateAdded(BATCH, template, "user-1", AT);
    var read = assertInstanceOf(CertificateTemplateAdded.class,
        serialization.deserialize(serialize(event), 7301, GOLDEN_MANIFEST).get());
    assertAll(
        () -> assertNull(read.template().issuer(), "issuer"),
        () -> assertNull(read.template().notifyTemplate(), "notifyTemplate"),
        () -> assertNull(read.template().additionalProps(), "additionalProps"),
        () -> assertEquals(event, read));
  }
}
