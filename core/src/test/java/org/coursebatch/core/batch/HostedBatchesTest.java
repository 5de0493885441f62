package org.coursebatch.core.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import akka.persistence.testkit.JournalOperation;
import akka.persistence.testkit.PersistenceTestKitPlugin;
import akka.persistence.testkit.PersistenceTestKitSnapshotPlugin;
import akka.persistence.testkit.ProcessingPolicy;
import akka.persistence.testkit.ProcessingResult;
import akka.persistence.testkit.ProcessingSuccess;
import akka.persistence.testkit.WriteEvents;
import akka.persistence.testkit.javadsl.PersistenceTestKit;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.coursebatch.core.batch.BatchCommand.CreateBatch;
import org.coursebatch.core.batch.BatchCommand.UpdateBatch;
import org.coursebatch.core.certificate.CertificateTemplateAsset;
import org.coursebatch.core.catalog.Course;
import org.coursebatch.core.catalog.CourseCatalog;
import org.coursebatch.core.identity.Caller;
import org.coursebatch.core.testing.MutableClock;
import org.coursebatch.core.testing.SingleNodeCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * What a node's batch reads see without asking the entity ({@link HostedBatches}): only what the
 * journal has stored, withdrawn when the entity stops or restarts, and never a status the clock has
 * already moved past.
 */
class HostedBatchesTest {

  private static final Instant T0 = Instant.parse("2030-03-10T10:00:00Z");
  private static final LocalDate TODAY = LocalDate.of(2030, 3, 10);
  private static final String COURSE = "do_course_1";
  private static final Caller CREATOR = Caller.of("user-creator", "CONTENT_CREATOR");
  private static final Duration AWAIT = Duration.ofSeconds(10);
  private static final AtomicInteger IDS = new AtomicInteger();

  private static NewBatch startingTomorrow() {
    return new NewBatch(COURSE, "Batch A", "A batch", "terms", EnrollmentType.OPEN, TODAY.plusDays(1),
        TODAY.plusDays(30), null, List.of("org-1"), List.of());
  }

  private static BatchChanges renamed(String name) {
    return BatchChanges.none(COURSE).withName(name);
  }

  /** One entity at a time, on the persistence test kit's journal, whose writes a test can hold or fail. */
  @Nested
  @TestInstance(TestInstance.Lifecycle.PER_CLASS)
  class AnEntity {

    private ActorTestKit testKit;
    private PersistenceTestKit journal;
    private HostedBatches hosted;
    private final MutableClock clock = new MutableClock(T0);

    @BeforeAll
    void start() {
      testKit = ActorTestKit.create("HostedBatchesTest", PersistenceTestKitPlugin.getInstance().config()
          .withFallback(PersistenceTestKitSnapshotPlugin.config())
          .withFallback(ConfigFactory.load()));
      journal = PersistenceTestKit.create(testKit.system());
      hosted = HostedBatches.of(testKit.system());
    }

    @AfterAll
    void stop() {
      testKit.shutdownTestKit();
    }

    private String newId() {
      return "0132" + IDS.incrementAndGet();
    }

    private Batch ask(ActorRef<BatchCommand> entity, java.util.function.Function<ActorRef<BatchReply>, BatchCommand> command) {
      TestProbe<BatchReply> probe = testKit.createTestProbe();
      entity.tell(command.apply(probe.ref()));
      return assertInstanceOf(BatchReply.Accepted.class, probe.receiveMessage(AWAIT)).view().batch();
    }

    @Test
    void publishesTheBatchOnceCreatedAndEachTimeAWriteIsStored() {
      String id = newId();
      var entity = testKit.spawn(CourseBatchEntity.create(id, clock, "UTC"));
      assertEquals(Optional.empty(), hosted.current(id), "nothing before the batch exists");

      Batch created = ask(entity, r -> new CreateBatch(startingTomorrow(), CREATOR, r));
      assertEquals(Optional.of(created), hosted.current(id));

      Batch renamed = ask(entity, r -> new UpdateBatch(renamed("Renamed"), CREATOR, r));
      assertEquals("Renamed", renamed.name());
      assertEquals(Optional.of(renamed), hosted.current(id));
    }

    @Test
    void aWriteTheJournalHasNotConfirmedIsNotVisible() throws Exception {
      String id = newId();
      var entity = testKit.spawn(CourseBatchEntity.create(id, clock, "UTC"));
      Batch created = ask(entity, r -> new CreateBatch(startingTomorrow(), CREATOR, r));

      CountDownLatch release = new CountDownLatch(1);
      CountDownLatch held = new CountDownLatch(1);
      journal.withPolicy(new ProcessingPolicy<JournalOperation>() {
        @Override
        public ProcessingResult tryProcess(String persistenceId, JournalOperation operation) {
          if (operation instanceof WriteEvents && persistenceId.endsWith(id)) {
            held.countDown();
            try {
              release.await(AWAIT.toSeconds(), TimeUnit.SECONDS);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          }
          return ProcessingSuccess.getInstance();
        }
      });
      try {
        TestProbe<BatchReply> probe = testKit.createTestProbe();
        entity.tell(new UpdateBatch(renamed("Not yet stored"), CREATOR, probe.ref()));
        assertTrue(held.await(AWAIT.toSeconds(), TimeUnit.SECONDS), "the write reached the journal");
        // The entity has applied the event to its state; the journal has not confirmed it.
        assertEquals(Optional.of(created), hosted.current(id));

        release.countDown();
        probe.receiveMessage(AWAIT);
        assertEquals("Not yet stored", hosted.current(id).orElseThrow().name());
      } finally {
        release.countDown();
        journal.resetPolicy();
      }
    }

    @Test
    void aFailedWriteWithdrawsTheBatchUntilTheEntityHasRecovered() {
      String id = newId();
      var entity = testKit.spawn(CourseBatchEntity.create(id, clock, "UTC"));
      Batch created = ask(entity, r -> new CreateBatch(startingTomorrow(), CREATOR, r));

      journal.failNextPersisted(CourseBatchEntity.ENTITY_KEY.name() + "|" + id);
      entity.tell(new UpdateBatch(renamed("Failed"), CREATOR, testKit.<BatchReply>createTestProbe().ref()));
      // The entity restarts (with a back-off) and recovers what the journal holds: the batch as created.
      testKit.createTestProbe().awaitAssert(AWAIT, () -> {
        assertEquals(Optional.of(created), hosted.current(id));
        return null;
      });
      assertNotEquals("Failed", hosted.current(id).orElseThrow().name());
    }

    @Test
    void aRecoveredEntityPublishesWhatTheJournalHolds() {
      String id = newId();
      var first = testKit.spawn(CourseBatchEntity.create(id, clock, "UTC"));
      Batch renamed = ask(first, r -> new CreateBatch(startingTomorrow(), CREATOR, r));
      renamed = ask(first, r -> new UpdateBatch(renamed("Before the stop"), CREATOR, r));
      testKit.stop(first, AWAIT);
      assertEquals(Optional.empty(), hosted.current(id), "withdrawn as the entity stopped");

      testKit.spawn(CourseBatchEntity.create(id, clock, "UTC"));
      Batch expected = renamed;
      testKit.createTestProbe().awaitAssert(AWAIT, () -> {
        assertEquals(Optional.of(expected), hosted.current(id));
        return null;
      });
    }
  }

  /** Reads through {@link BatchService} on a one-node cluster, where every batch is hosted. */
  @Nested
  @TestInstance(TestInstance.Lifecycle.PER_CLASS)
  class TheService {

    private ActorTestKit testKit;
    private final MutableClock clock = new MutableClock(T0);
    private BatchService batches;

    @BeforeAll
    void start() {
      testKit = SingleNodeCluster.start("HostedBatchesServiceTest", AWAIT);
      CourseBatchEntity.init(testKit.system(), clock, "UTC");
      batches = new BatchService(testKit.system(), new NoCatalog(), AWAIT, clock, "UTC");
    }

    @AfterAll
    void stop() {
      testKit.shutdownTestKit();
    }

    private String created() throws Exception {
      String id = "0133" + IDS.incrementAndGet();
      BatchReply reply = ClusterSharding.get(testKit.system()).entityRefFor(CourseBatchEntity.ENTITY_KEY, id)
          .<BatchReply>ask(r -> new CreateBatch(startingTomorrow(), CREATOR, r), AWAIT)
          .toCompletableFuture().get(AWAIT.toSeconds(), TimeUnit.SECONDS);
      assertInstanceOf(BatchReply.Accepted.class, reply);
      return id;
    }

    @Test
    void aReadOfAHostedBatchAnswersAsTheEntityWould() throws Exception {
      String id = created();
      BatchView read = batches.get(id).toCompletableFuture().get(AWAIT.toSeconds(), TimeUnit.SECONDS);
      assertEquals(BatchView.of(hosted().current(id).orElseThrow(), clock.instant()), read);
      assertEquals(BatchStatus.UPCOMING, read.status());
    }

    @Test
    void aReadAfterTheStartLetsTheEntityRecordTheTransitionFirst() throws Exception {
      String id = created();
      assertEquals(BatchStatus.UPCOMING, hosted().current(id).orElseThrow().status());
      clock.advance(Duration.ofDays(1));
      try {
        BatchView read = batches.get(id).toCompletableFuture().get(AWAIT.toSeconds(), TimeUnit.SECONDS);
        assertEquals(BatchStatus.IN_PROGRESS, read.status());
        // Went to the entity: the transition is stored, and published with it.
        assertEquals(BatchStatus.IN_PROGRESS, hosted().current(id).orElseThrow().status());
      } finally {
        clock.set(T0);
      }
    }

    private HostedBatches hosted() {
      return HostedBatches.of(testKit.system());
    }
  }

  /** No course is known: the service's reads do not consult the catalog. */
  private static final class NoCatalog implements CourseCatalog {
    @Override
    public java.util.concurrent.CompletionStage<Optional<Course>> findCourse(String courseId) {
      return CompletableFuture.completedFuture(Optional.empty());
    }

    @Override
    public java.util.concurrent.CompletionStage<Optional<CertificateTemplateAsset>> findCertificateTemplate(String id) {
      return CompletableFuture.completedFuture(Optional.empty());
    }
  }
}
