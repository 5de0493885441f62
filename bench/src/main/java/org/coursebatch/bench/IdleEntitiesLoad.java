package org.coursebatch.bench;

import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.AskPattern;
import akka.cluster.sharding.ShardRegion.ClusterShardingStats;
import akka.cluster.sharding.typed.GetClusterShardingStats;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import com.typesafe.config.ConfigRenderOptions;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import org.coursebatch.core.enrollment.EnrollmentCommand;
import org.coursebatch.core.enrollment.EnrollmentEntity;
import org.coursebatch.core.enrollment.EnrollmentReply;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Many entities started once and then left alone: reads M distinct enrolments of a batch (each
 * read starts the learner's entity, which recovers from the journal and answers), at most C at a
 * time, then waits. Samples the node's active enrolment entities (sharding's statistics) and the
 * used heap every few seconds, and the live heap after a full GC at the end of each phase, so
 * that the memory an idle entity holds and what passivation gives back can be read off.
 *
 * <p>The learners have no enrolment: an entity with an empty history is the cheapest an entity
 * gets, so the per-entity figure is a floor (an enrolment's state adds its content states).
 */
@Command(name = "idle-entities-load", mixinStandardHelpOptions = true,
    description = "Starts M enrolment entities, lets them idle and samples heap and active entities.")
public final class IdleEntitiesLoad implements Callable<Integer> {

  @Option(names = "--entities", description = "Enrolment entities to start (default ${DEFAULT-VALUE}).")
  int entities = 1_000_000;

  @Option(names = "--concurrency", description = "Reads in flight at once (default ${DEFAULT-VALUE}).")
  int concurrency = 256;

  @Option(names = "--idle-seconds", description = "How long to watch after the last start (default ${DEFAULT-VALUE}).")
  int idleSeconds = 60;

  @Option(names = "--sample-seconds", description = "Seconds between samples (default ${DEFAULT-VALUE}).")
  int sampleSeconds = 10;

  @Mixin
  DatabaseOptions db = new DatabaseOptions();

  private static final Duration ASK = Duration.ofSeconds(30);

  public static void main(String[] args) {
    org.coursebatch.node.Main.keepCallbacksOnPooledThreads(); // the driver's HttpClient.sendAsync too
    System.exit(new CommandLine(new IdleEntitiesLoad()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    try (HeapSampler heap = HeapSampler.start(); LoadNode node = LoadNode.start(db)) {
      ActorSystem<Void> system = node.node().system();
      var config = system.settings().config().getConfig("akka.cluster.sharding.passivation");
      System.out.printf("node up (%s), max heap %d MiB, passivation: strategy %s, %s%n", db.describe(), HeapSampler.maxMiB(),
          config.getString("strategy"), config.getValue(config.getString("strategy")).render(ConfigRenderOptions.concise()));
      long baseline = liveHeapMiB();
      System.out.printf("live heap after start: %d MiB%n%n", baseline);
      System.out.println("| seconds | entities started | active enrolment entities | used heap MiB |");
      System.out.println("|---|---|---|---|");

      long start = System.nanoTime();
      AtomicInteger done = new AtomicInteger();
      Thread sampler = new Thread(() -> {
        try {
          while (!Thread.currentThread().isInterrupted()) {
            Thread.sleep(sampleSeconds * 1000L);
            System.out.printf("| %d | %,d | %,d | %d |%n", (System.nanoTime() - start) / 1_000_000_000L, done.get(),
                activeEntities(system), HeapSampler.usedMiB());
          }
        } catch (InterruptedException e) {
          // the run is over
        } catch (Exception e) {
          System.out.println("sampling failed: " + e);
        }
      }, "entity-sampler");
      sampler.setDaemon(true);
      sampler.start();

      startEntities(system, done);
      double startSeconds = (System.nanoTime() - start) / 1e9;
      long peakWhileStarting = heap.peakMiB();
      int activeAfterStart = activeEntities(system);
      long liveAfterStart = liveHeapMiB();
      Thread.sleep(idleSeconds * 1000L);
      sampler.interrupt();
      int activeAfterIdle = activeEntities(system);
      long liveAfterIdle = liveHeapMiB();

      System.out.printf("%nstarted %,d entities in %.0f s (%.0f/s)%n", entities, startSeconds, entities / startSeconds);
      System.out.printf("after the last start: %,d active, live heap %d MiB (%d MiB over the node's own)%n",
          activeAfterStart, liveAfterStart, liveAfterStart - baseline);
      System.out.printf("after %d s idle: %,d active, live heap %d MiB%n", idleSeconds, activeAfterIdle, liveAfterIdle);
      if (activeAfterStart > 0) {
        System.out.printf("live heap per active entity: %.1f KiB%n", (liveAfterStart - baseline) * 1024.0 / activeAfterStart);
      }
      System.out.printf("peak used heap: %d MiB while starting, %d MiB in all (max %d MiB)%n", peakWhileStarting,
          heap.peakMiB(), HeapSampler.maxMiB());
      return 0;
    }
  }

  /** Reads enrolments {@code idle-batch:learner-0} … of no one, at most {@link #concurrency} at a time. */
  private void startEntities(ActorSystem<Void> system, AtomicInteger done) throws Exception {
    var sharding = ClusterSharding.get(system);
    Pipelined.run(entities, concurrency, done, i -> sharding
        .entityRefFor(EnrollmentEntity.ENTITY_KEY, EnrollmentEntity.entityId("idle-batch", "learner-" + i))
        .<EnrollmentReply>ask(EnrollmentCommand.GetEnrollment::new, ASK));
  }

  private static int activeEntities(ActorSystem<Void> system) throws Exception {
    ClusterShardingStats stats = AskPattern.<akka.cluster.sharding.typed.ClusterShardingQuery, ClusterShardingStats>ask(
        ClusterSharding.get(system).shardState(),
        replyTo -> new GetClusterShardingStats(EnrollmentEntity.ENTITY_KEY, ASK, replyTo), ASK, system.scheduler())
        .toCompletableFuture().get();
    return stats.getRegions().values().stream()
        .flatMap(region -> region.getStats().values().stream())
        .mapToInt(count -> (Integer) count).sum();
  }

  /** The heap still reachable: used heap after a full collection. */
  private static long liveHeapMiB() {
    System.gc();
    return HeapSampler.usedMiB();
  }
}
