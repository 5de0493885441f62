package org.coursebatch.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.fail;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.serialization.Serialization;
import akka.serialization.SerializationExtension;
import akka.serialization.jackson.JacksonCborSerializer;
import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.coursebatch.core.batch.BatchEvent;
import org.coursebatch.core.batch.BatchState;
import org.coursebatch.core.enrollment.Enrollment;
import org.coursebatch.core.enrollment.EnrollmentEvent;
import org.coursebatch.core.journal.ChainedSnapshot;
import org.coursebatch.core.journal.ChainedSnapshotSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Golden samples of stored snapshots: the chain's head and the entity state in Akka's Jackson CBOR
 * format ({@code golden/snapshots/}). A snapshot written by an earlier build (or Jackson version)
 * must still read back as the state, or an entity with one would fail to recover. The bytes need
 * not stay the same: nothing hashes a snapshot, and a new one is written every 100 events.
 *
 * <p>A missing golden file is written by the test, which then fails so that it gets reviewed and
 * committed. Never rewrite an existing one: it stands for the snapshots already in databases.
 */
class SnapshotGoldenTest {

  private static final String HEAD = "6f1d0b3c9a2e4f5d8c7b6a5e4d3c2b1a0f9e8d7c6b5a4e3d2c1b0a9f8e7d6c5b";

  private static ActorTestKit testKit;
  private static Serialization serialization;

  @BeforeAll
  static void startSystem() {
    testKit = ActorTestKit.create("SnapshotGoldenTest", ConfigFactory.load());
    serialization = SerializationExtension.get(testKit.system().classicSystem());
  }

  @AfterAll
  static void stopSystem() {
    testKit.shutdownTestKit();
  }

  /** One state per snapshotted entity, built from the golden event samples. Never change them. */
  static Map<String, Object> states() {
    Map<String, JournalEvent> events = JournalEventGoldenTest.samples();
    BatchState batch = BatchState.empty();
    for (String name : List.of("BatchCreated.withCapacity", "CertificateTemplateAdded", "BatchStarted", "SeatTaken",
        "SeatWaitlisted")) {
      batch = batch.apply((BatchEvent) events.get(name));
    }
    Enrollment enrollment = Enrollment.empty("01315728917531852810", "learner-1");
    for (String name : List.of("Enrolled.withRequest", "ContentProgressRecorded", "AssessmentAttempted",
        "CertificateIssued")) {
      enrollment = enrollment.apply((EnrollmentEvent) events.get(name));
    }
    Map<String, Object> states = new LinkedHashMap<>();
    states.put("CourseBatch", batch);
    states.put("Enrollment", enrollment);
    return states;
  }

  static List<String> stateNames() {
    return List.copyOf(states().keySet());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("stateNames")
  void theStateInsideIsJacksonCbor(String name) {
    assertInstanceOf(JacksonCborSerializer.class, serialization.findSerializerFor(states().get(name)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("stateNames")
  void goldenSnapshotReadsBackAsTheState(String name) throws IOException {
    Path file = JournalEventGoldenTest.goldenDir("snapshots").resolve(name + ".snapshot");
    ChainedSnapshot sample = new ChainedSnapshot(HEAD, states().get(name));
    if (!Files.exists(file)) {
      Files.createDirectories(file.getParent());
      Files.write(file, serialization.serialize(sample).get());
      fail("Golden file " + file + " did not exist and was created: review and commit it, then re-run.");
    }
    Object read = serialization.deserialize(Files.readAllBytes(file), ChainedSnapshotSerializer.IDENTIFIER, "1").get();
    assertEquals(sample, read, "a stored snapshot no longer reads back as the state it was written from");
  }
}
