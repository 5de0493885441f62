package org.coursebatch.core.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.japi.Pair;
import akka.persistence.testkit.SnapshotMeta;
import akka.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import akka.persistence.testkit.javadsl.SnapshotTestKit;
import akka.persistence.typed.PersistenceId;
import akka.serialization.Serialization;
import akka.serialization.SerializationExtension;
import akka.serialization.Serializers;
import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.coursebatch.core.batch.BatchCommand;
import org.coursebatch.core.batch.BatchCommand.ClaimSeat;
import org.coursebatch.core.batch.BatchCommand.CreateBatch;
import org.coursebatch.core.batch.BatchEvent;
import org.coursebatch.core.batch.BatchReply;
import org.coursebatch.core.batch.BatchState;
import org.coursebatch.core.batch.CourseBatchEntity;
import org.coursebatch.core.batch.EnrollmentType;
import org.coursebatch.core.batch.NewBatch;
import org.coursebatch.core.batch.SeatReply;
import org.coursebatch.core.enrollment.bulk.EnrollmentAliasEntity;
import org.coursebatch.core.enrollment.bulk.EnrollmentAliasEntity.Assign;
import org.coursebatch.core.enrollment.bulk.EnrollmentAliasEntity.Assigned;
import org.coursebatch.core.enrollment.bulk.EnrollmentAliasEntity.Command;
import org.coursebatch.core.enrollment.bulk.EnrollmentAliasEntity.Resolve;
import org.coursebatch.core.enrollment.bulk.EnrollmentAliasEntity.Resolved;
import org.coursebatch.core.enrollment.bulk.EnrollmentAliasEntity.State;
import org.coursebatch.core.enrollment.bulk.EnrollmentAliasEvent;
import org.coursebatch.core.enrollment.bulk.EnrollmentAliasEvent.AliasAssigned;
import org.coursebatch.core.identity.Caller;
import org.coursebatch.core.testing.MutableClock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The hash chain as the entities write it (through {@link EventSourcedBehaviorTestKit}, whose
 * journal and snapshot store serialize what they keep): every event links to the one before, the
 * chain goes on across a restart, a recovery from a snapshot alone and a failed write, and
 * journals from before the chain are read and continued.
 */
class EventChainTest {

  private static final Instant T0 = Instant.parse("2030-03-10T10:00:00Z");
  private static final AtomicInteger IDS = new AtomicInteger();

  private static ActorTestKit testKit;
  private static Serialization serialization;

  @BeforeAll
  static void startSystem() {
    testKit = ActorTestKit.create("EventChainTest", EventSourcedBehaviorTestKit.config().withFallback(ConfigFactory.load()));
    serialization = SerializationExtension.get(testKit.system().classicSystem());
  }

  @AfterAll
  static void stopSystem() {
    testKit.shutdownTestKit();
  }

  // ---------------------------------------------------------------- an alias entity

  private String aliasId;
  private EventSourcedBehaviorTestKit<Command, EnrollmentAliasEvent, State> alias;

  private void newAlias() {
    aliasId = "alias-" + IDS.incrementAndGet();
    alias = EventSourcedBehaviorTestKit.create(testKit.system(), EnrollmentAliasEntity.create(aliasId, new MutableClock(T0)),
        EventSourcedBehaviorTestKit.enabledSerializationSettings().withVerifyEquality(true));
  }

  private String aliasPid() {
    return PersistenceId.of(EnrollmentAliasEntity.ENTITY_KEY.name(), aliasId).id();
  }

  private Assigned assign(String enrollmentId) {
    return alias.<Assigned>runCommand(r -> new Assign(enrollmentId, "mentor-1", r)).reply();
  }

  private List<Object> stored(EventSourcedBehaviorTestKit<?, ?, ?> kit, String pid) {
    return kit.persistenceTestKit().persistedInStorage(pid);
  }

  /** Every stored entry is chained, links to the one before (the first to {@code firstPrev}), and its hash holds on its bytes. */
  private static List<ChainedEvent> assertChain(List<Object> stored, String firstPrev) throws IOException {
    List<ChainedEvent> chain = stored.stream().map(e -> assertInstanceOf(ChainedEvent.class, e)).toList();
    String prev = firstPrev;
    for (ChainedEvent e : chain) {
      assertEquals(prev, e.prevHash(), () -> "link of " + e.event());
      byte[] bytes = serialization.serialize(e).get();
      JournalHash.Stored read = JournalHash.read(bytes);
      assertTrue(read.intact(), () -> "hash of " + new String(bytes));
      assertEquals(e.hash(), read.hash());
      String manifest = Serializers.manifestFor(serialization.findSerializerFor(e), e);
      assertEquals(e, serialization.deserialize(bytes, ChainedEvent.SERIALIZER_ID, manifest).get());
      prev = e.hash();
    }
    return chain;
  }

  @Test
  void everyEventLinksToTheOneBeforeFromTheEntitysGenesis() throws IOException {
    newAlias();
    assign("B1:u1:1");
    assign("B1:u2:1");
    assign("B1:u3:1");
    var chain = assertChain(stored(alias, aliasPid()), JournalHash.genesis(aliasPid()));
    assertEquals(3, chain.size());
    assertEquals(new AliasAssigned(aliasId, "B1:u2:1", "B1:u1:1", "mentor-1", T0), chain.get(1).event());
    assertNotEquals(JournalHash.genesis("EnrollmentAlias|other"), chain.get(0).prevHash(), "the genesis names the entity");
  }

  @Test
  void theChainGoesOnAfterARestart() throws IOException {
    newAlias();
    assign("B1:u1:1");
    assign("B1:u2:1");
    alias.restart();
    assertEquals("B1:u2:1", assign("B1:u3:1").previousEnrollmentId());
    assertEquals(3, assertChain(stored(alias, aliasPid()), JournalHash.genesis(aliasPid())).size());
  }

  @Test
  void eventsFromBeforeTheChainAreReadAndTheChainStartsAfterThem() throws IOException {
    newAlias();
    var legacy = List.<Object>of(new AliasAssigned(aliasId, "B1:u1:1", null, "mentor-1", T0),
        new AliasAssigned(aliasId, "B1:u2:1", "B1:u1:1", "mentor-1", T0));
    alias.persistenceTestKit().persistForRecovery(aliasPid(), legacy);
    alias.restart();
    assertEquals("B1:u2:1", alias.<Resolved>runCommand(Resolve::new).reply().enrollmentId());
    assertEquals("B1:u2:1", assign("B1:u3:1").previousEnrollmentId());
    assign("B1:u4:1");

    List<Object> stored = stored(alias, aliasPid());
    assertEquals(legacy, stored.subList(0, 2), "events from before the chain stay as they were");
    assertChain(stored.subList(2, 4), JournalHash.genesis(aliasPid()));

    alias.restart(); // recovery over both kinds
    assertEquals("B1:u4:1", alias.<Resolved>runCommand(Resolve::new).reply().enrollmentId());
  }

  @Test
  void aSnapshotFromBeforeTheChainIsRead() throws IOException {
    newAlias();
    SnapshotTestKit snapshots = alias.snapshotTestKit().orElseThrow();
    alias.persistenceTestKit().persistForRecovery(aliasPid(),
        List.of(new AliasAssigned(aliasId, "B1:u1:1", null, "mentor-1", T0)));
    snapshots.persistForRecovery(aliasPid(), List.of(Pair.create(new SnapshotMeta(1, 0), new State("B1:u1:1"))));
    alias.restart();
    assertEquals("B1:u1:1", assign("B1:u2:1").previousEnrollmentId());
    assertChain(stored(alias, aliasPid()).subList(1, 2), JournalHash.genesis(aliasPid()));
  }

  /**
   * A write that fails restarts the entity with the same adapters: the chain must go on from what
   * the journal holds (here nothing, so the genesis), not from the event that was not written.
   */
  @Test
  void aFailedWriteDoesNotBecomeTheHead() throws IOException {
    newAlias();
    alias.persistenceTestKit().failNextPersisted(aliasPid());
    assertThrows(AssertionError.class, () -> assign("B1:lost:1"));
    assertEquals(null, assign("B1:u1:1").previousEnrollmentId());
    var chain = assertChain(stored(alias, aliasPid()), JournalHash.genesis(aliasPid()));
    assertEquals(1, chain.size());
  }

  // ---------------------------------------------------------------- a batch (snapshots every 100 events)

  @Test
  void theChainGoesOnFromASnapshotAlone() throws IOException {
    String batchId = "0177" + IDS.incrementAndGet();
    String pid = PersistenceId.of(CourseBatchEntity.ENTITY_KEY.name(), batchId).id();
    EventSourcedBehaviorTestKit<BatchCommand, BatchEvent, BatchState> batch = EventSourcedBehaviorTestKit.create(
        testKit.system(), CourseBatchEntity.create(batchId, new MutableClock(T0), "UTC"),
        EventSourcedBehaviorTestKit.enabledSerializationSettings().withVerifyEquality(true));
    var nb = new NewBatch("do_course_1", "Batch", null, null, EnrollmentType.OPEN, LocalDate.of(2030, 3, 10),
        LocalDate.of(2030, 3, 19), null, List.of(), List.of(), 1000);
    assertInstanceOf(BatchReply.Accepted.class,
        batch.<BatchReply>runCommand(r -> new CreateBatch(nb, Caller.of("user-creator"), r)).reply());
    for (int i = 1; i < 100; i++) { // 100 events in all: BatchCreated and 99 SeatTaken
      String user = "u" + i;
      assertInstanceOf(SeatReply.Granted.class, batch.<SeatReply>runCommand(r -> new ClaimSeat(user, user, r)).reply());
    }
    List<ChainedEvent> chain = assertChain(stored(batch, pid), JournalHash.genesis(pid));
    String head = chain.get(99).hash();

    SnapshotTestKit snapshots = batch.snapshotTestKit().orElseThrow();
    var snapshot = snapshots.persistedInStorage(pid);
    assertEquals(1, snapshot.size(), "a snapshot after 100 events");
    assertEquals(100, snapshot.get(0).first().sequenceNr());
    assertEquals(head, assertInstanceOf(ChainedSnapshot.class, snapshot.get(0).second()).head());

    // Recovery from the snapshot alone: no event left to replay.
    batch.persistenceTestKit().clearByPersistenceId(pid);
    batch.restart();
    assertInstanceOf(SeatReply.Granted.class, batch.<SeatReply>runCommand(r -> new ClaimSeat("u100", "u100", r)).reply());
    assertChain(stored(batch, pid), head);
  }
}
