package org.coursebatch.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.persistence.typed.PersistenceId;
import akka.serialization.Serialization;
import akka.serialization.SerializationExtension;
import akka.serialization.Serializer;
import akka.serialization.Serializers;
import akka.serialization.jackson.JacksonObjectMapperProvider;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.coursebatch.core.journal.ChainedEvent;
import org.coursebatch.core.journal.ChainedEventMigration;
import org.coursebatch.core.journal.EventChain;
import org.coursebatch.core.journal.JournalHash;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The stored form of chained journal events ({@code journal-chained-json}): the event's own golden
 * JSON with {@code prevHash} and {@code hash} appended, a hash that anyone can recompute from the
 * stored bytes, and golden chains ({@code golden/chained/}) that must keep reading back. As with
 * {@link JournalEventGoldenTest}, a changed byte means the stored format changed: add a migration
 * step instead of editing a golden file (a missing one is written, and the test fails for review).
 */
class ChainedEventGoldenTest {

  private static final String BATCH_PID = "CourseBatch|01315728917531852810";
  private static final String ENROLLMENT_PID = "Enrollment|01315728917531852810:learner-1";

  /** Two chains of golden samples: one batch's, one learner's (with nested objects and decimals). */
  private static final Map<String, List<String>> CHAINS = Map.of(
      BATCH_PID, List.of("BatchCreated", "CertificateTemplateAdded", "BatchStarted", "EndDateExtended"),
      ENROLLMENT_PID, List.of("Enrolled", "ContentProgressRecorded", "AssessmentAttempted", "CertificateIssued"));

  /** The manifest the journal records now: the schema version of {@link JournalEventMigration}. */
  private static final String MANIFEST = "#" + new JournalEventMigration().currentVersion();

  private static ActorTestKit testKit;
  private static Serialization serialization;

  @BeforeAll
  static void startSystem() {
    testKit = ActorTestKit.create("ChainedEventGoldenTest", ConfigFactory.load());
    serialization = SerializationExtension.get(testKit.system().classicSystem());
  }

  @AfterAll
  static void stopSystem() {
    testKit.shutdownTestKit();
  }

  /** A chain of samples as the entity {@code pid} would write it. */
  private static List<ChainedEvent> chain(String pid, List<String> samples) {
    EventChain<JournalEvent, Object> chain = EventChain.of(testKit.system(), PersistenceId.ofUniqueId(pid));
    chain.recoveryCompleted();
    return samples.stream().map(name -> (ChainedEvent) chain.eventAdapter().toJournal(JournalEventGoldenTest.samples().get(name)))
        .toList();
  }

  private static String fileName(String pid, int index, String sample) {
    return pid.substring(0, pid.indexOf('|')) + "." + (index + 1) + "." + sample + ".json";
  }

  static Stream<Arguments> sampleArguments() {
    return JournalEventGoldenTest.samples().entrySet().stream().map(e -> Arguments.of(e.getKey(), e.getValue()));
  }

  @Test
  void chainedEventsHaveTheirOwnSerializerAndOnlyTheSchemaVersionInTheManifest() {
    ChainedEvent e = chain(BATCH_PID, List.of("BatchCreated")).get(0);
    Serializer serializer = serialization.findSerializerFor(e);
    assertEquals(ChainedEvent.SERIALIZER_ID, serializer.identifier());
    assertEquals("#" + new JournalEventMigration().currentVersion(), Serializers.manifestFor(serializer, e));
    assertEquals(new JournalEventMigration().currentVersion(), new ChainedEventMigration().currentVersion(),
        "chained events evolve with JournalEventMigration");
  }

  /** The stored JSON is the bare event's, byte for byte, with the chain's two fields at the end. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("sampleArguments")
  void storedJsonIsTheEventsOwnWithTheChainAppended(String name, JournalEvent sample) throws IOException {
    ChainedEvent e = new ChainedEvent(sample, "p".repeat(64), "h".repeat(64));
    String bare = new String(serialization.serialize(sample).get(), StandardCharsets.UTF_8);
    String chained = new String(serialization.serialize(e).get(), StandardCharsets.UTF_8);
    assertEquals(bare.substring(0, bare.length() - 1) + ",\"prevHash\":\"" + e.prevHash() + "\",\"hash\":\"" + e.hash() + "\"}",
        chained);
    assertEquals(e, serialization.deserialize(chained.getBytes(StandardCharsets.UTF_8), ChainedEvent.SERIALIZER_ID, MANIFEST).get());
  }

  /**
   * The chain writes the event's JSON once, to hash it, and the journal stores that text: byte for
   * byte what serializing the event again would give.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("sampleArguments")
  void theJournalStoresTheJsonTheChainHashed(String name, JournalEvent sample) throws IOException {
    ChainedEvent written = (ChainedEvent) EventChain.of(testKit.system(), PersistenceId.ofUniqueId("X|" + name))
        .eventAdapter().toJournal(sample);
    assertTrue(written.storedJson() != null, "the chain kept the JSON it hashed");
    ChainedEvent again = new ChainedEvent(sample, written.prevHash(), written.hash());
    assertEquals(written, again, "the kept text is not part of the value");
    assertEquals(new String(serialization.serialize(again).get(), StandardCharsets.UTF_8),
        new String(serialization.serialize(written).get(), StandardCharsets.UTF_8));
    assertEquals(again, serialization.deserialize(serialization.serialize(written).get(), ChainedEvent.SERIALIZER_ID, MANIFEST).get());
  }

  /**
   * Text beyond ASCII (a pair of surrogates, a lone one, a control character) goes through the
   * kept text unchanged: Jackson writes it as UTF-8 or escapes it, so the text decodes and
   * encodes back to the very bytes that were hashed.
   */
  @Test
  void textBeyondAsciiIsStoredAsItWasHashed() throws IOException {
    record Texty(String actor, java.time.Instant at, String note) implements JournalEvent {}
    var event = new Texty("learner-\u00e9\ud83d\ude00", java.time.Instant.EPOCH, "lone \ud800 and \udc00, tab\t, nul\u0000");
    ChainedEvent written = (ChainedEvent) EventChain.of(testKit.system(), PersistenceId.ofUniqueId("X|texty"))
        .eventAdapter().toJournal(event);
    byte[] stored = serialization.serialize(written).get();
    assertArrayEquals(serialization.serialize(new ChainedEvent(event, written.prevHash(), written.hash())).get(), stored);
    assertTrue(JournalHash.read(stored).intact());
  }

  /** An event of a field the chain appends would hide one of the two: it is refused before it is stored. */
  @Test
  void anEventWithAFieldNamedLikeTheChainsIsRefused() {
    record Hashed(String actor, java.time.Instant at, String hash) implements JournalEvent {}
    var chain = EventChain.<JournalEvent, Object>of(testKit.system(), PersistenceId.ofUniqueId("X|hashed"));
    var refused = assertThrows(IllegalArgumentException.class,
        () -> chain.eventAdapter().toJournal(new Hashed("someone", java.time.Instant.EPOCH, "mine")));
    assertTrue(refused.getMessage().contains("'hash' is reserved"), refused.getMessage());
  }

  /** What the entity hashes when it writes equals what a verifier recomputes from the stored bytes. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("sampleArguments")
  void theHashIsRecomputableFromTheStoredBytes(String name, JournalEvent sample) throws IOException {
    ChainedEvent e = (ChainedEvent) EventChain.of(testKit.system(), PersistenceId.ofUniqueId("X|" + name))
        .eventAdapter().toJournal(sample);
    assertEquals(JournalHash.genesis("X|" + name), e.prevHash());
    JournalHash.Stored stored = JournalHash.read(serialization.serialize(e).get());
    assertTrue(stored.intact(), () -> name + ": " + stored);
    assertEquals(e.hash(), stored.computedHash());
  }

  /**
   * Rows of an older version are read as a tree, migrated and converted (not streamed): the flat
   * form reads from a tree as well, and the migration leaves the chain's two fields as they were.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("sampleArguments")
  void olderVersionsReadAsATreeThroughTheMigration(String name, JournalEvent sample) throws IOException {
    ChainedEvent e = new ChainedEvent(sample, "p".repeat(64), "h".repeat(64));
    ObjectMapper mapper = JacksonObjectMapperProvider.get(testKit.system()).getOrCreate(EventChain.BINDING, Optional.empty());
    JsonNode tree = mapper.readTree(serialization.serialize(e).get());
    JsonNode migrated = new ChainedEventMigration().transform(new JournalEventMigration().currentVersion(), tree.deepCopy());
    assertEquals(e.prevHash(), migrated.path(JournalHash.PREV_HASH).asText());
    assertEquals(e.hash(), migrated.path(JournalHash.HASH).asText());
    assertEquals(e, mapper.treeToValue(migrated, ChainedEvent.class));
  }

  /** The current stored form of the golden chains, byte for byte (a missing file is written, for review). */
  @Test
  void theCurrentFormIsTheGoldenForm() throws IOException {
    Path dir = JournalEventGoldenTest.goldenDir("chained");
    boolean created = false;
    for (var entry : CHAINS.entrySet()) {
      List<ChainedEvent> chain = chain(entry.getKey(), entry.getValue());
      for (int i = 0; i < chain.size(); i++) {
        Path file = dir.resolve(fileName(entry.getKey(), i, entry.getValue().get(i)));
        byte[] actual = serialization.serialize(chain.get(i)).get();
        if (!Files.exists(file)) {
          Files.createDirectories(dir);
          Files.write(file, actual);
          created = true;
        } else {
          assertEquals(Files.readString(file, StandardCharsets.UTF_8), new String(actual, StandardCharsets.UTF_8),
              "The stored chained form of " + file.getFileName() + " changed: move the golden files of the old version"
                  + " to golden/chained/v<N>/ (docs/journal.md) instead of editing them");
        }
      }
    }
    if (created) {
      fail("Golden chains were written to " + dir + ": review and commit them, then re-run.");
    }
  }

  /**
   * Every golden chain, the current one and those of older versions ({@code golden/chained/v<N>/},
   * read with manifest {@code #N} through the migration), reads back as the samples are now, and
   * still verifies: each hash holds on its stored bytes and links to the one before, from the genesis.
   */
  @Test
  void goldenChainsOfEveryVersionReadBackAndVerify() throws IOException {
    Path dir = JournalEventGoldenTest.goldenDir("chained");
    Map<Integer, Path> versions = new TreeMap<>(JournalEventGoldenTest.olderVersions(dir));
    versions.put(new JournalEventMigration().currentVersion(), dir);
    for (var version : versions.entrySet()) {
      for (String pid : CHAINS.keySet()) {
        String prefix = pid.substring(0, pid.indexOf('|')) + ".";
        List<Path> files;
        try (Stream<Path> listed = Files.list(version.getValue())) {
          files = listed.filter(f -> Files.isRegularFile(f) && f.getFileName().toString().startsWith(prefix))
              .sorted(Comparator.comparingInt(f -> Integer.parseInt(f.getFileName().toString().split("\\.")[1]))).toList();
        }
        String prev = JournalHash.genesis(pid);
        for (Path file : files) {
          byte[] golden = Files.readAllBytes(file);
          ChainedEvent read = assertInstanceOf(ChainedEvent.class,
              serialization.deserialize(golden, ChainedEvent.SERIALIZER_ID, "#" + version.getKey()).get());
          assertEquals(JournalEventGoldenTest.samples().get(file.getFileName().toString().split("\\.")[2]), read.event(),
              file::toString);
          JournalHash.Stored stored = JournalHash.read(golden);
          assertTrue(stored.intact(), file::toString);
          assertEquals(prev, stored.prevHash(), () -> "link of " + file);
          assertEquals(stored.hash(), read.hash());
          prev = stored.hash();
        }
      }
    }
  }

  @Test
  void aChangedByteBreaksTheHash() throws IOException {
    ChainedEvent e = chain(BATCH_PID, List.of("BatchCreated")).get(0);
    String json = new String(serialization.serialize(e).get(), StandardCharsets.UTF_8);
    String altered = json.replace("\"Batch A\"", "\"Batch B\"");
    assertFalse(json.equals(altered));
    assertFalse(JournalHash.read(altered.getBytes(StandardCharsets.UTF_8)).intact());
    String stripped = json.replaceFirst(",\"prevHash\":\"[0-9a-f]+\"", "");
    assertFalse(JournalHash.read(stripped.getBytes(StandardCharsets.UTF_8)).chained());
  }

  /** The canonical form does not depend on key order, whitespace or how a number is written. */
  @Test
  void canonicalJsonIgnoresLayout() throws IOException {
    ObjectMapper plain = new ObjectMapper();
    byte[] a = JournalHash.canonical(plain.readTree("{\"b\": 1.50, \"a\": [1, 2.0, {\"y\": \"\\u00e9\", \"x\": null}], \"c\": 1e2}"));
    byte[] b = JournalHash.canonical(plain.readTree("{\"c\":100,\"a\":[1,2,{\"x\":null,\"y\":\"é\"}],\"b\":1.5}"));
    assertArrayEquals(b, a);
    assertEquals("{\"a\":[1,2,{\"x\":null,\"y\":\"é\"}],\"b\":1.5,\"c\":100}", new String(a, StandardCharsets.UTF_8));
    String stored = "{\"type\":\"BatchReopened\",\"batchId\":\"B\",\"actor\":\"u\",\"at\":\"2030-03-10T10:15:30.123Z\"";
    String prev = JournalHash.genesis("CourseBatch|B");
    String hash = JournalHash.chainJson(prev, (stored + "}").getBytes(StandardCharsets.UTF_8));
    String reordered = "{ \"hash\": \"" + hash + "\", \"at\":\"2030-03-10T10:15:30.123Z\", \"actor\":\"u\", \"batchId\":\"B\","
        + " \"prevHash\":\"" + prev + "\", \"type\":\"BatchReopened\" }";
    assertTrue(JournalHash.read(reordered.getBytes(StandardCharsets.UTF_8)).intact(), "a JSON column may reorder keys");
  }

  @Test
  void aDuplicatedKeyIsUnreadable() {
    assertThrows(IOException.class, () -> JournalHash.read("{\"a\":1,\"a\":2,\"prevHash\":\"x\",\"hash\":\"y\"}"
        .getBytes(StandardCharsets.UTF_8)));
  }
}
