package org.coursebatch.node.metrics;

import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.AskPattern;
import akka.cluster.MemberStatus;
import akka.cluster.sharding.ShardRegion;
import akka.cluster.sharding.typed.GetShardRegionState;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import akka.cluster.sharding.typed.javadsl.EntityTypeKey;
import akka.cluster.typed.Cluster;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.StreamSupport;
import org.coursebatch.core.batch.CourseBatchEntity;
import org.coursebatch.core.enrollment.EnrollmentEntity;
import org.coursebatch.core.enrollment.bulk.EnrollmentAliasEntity;

/**
 * The cluster as this node sees it: members by status, read from the membership at each scrape, and
 * the shards and entities this node hosts per entity type, asked of the shard regions every
 * {@link #INTERVAL} (an answer held in memory; a scrape never waits for the regions).
 */
final class ClusterMeters {

  static final Duration INTERVAL = Duration.ofSeconds(10);

  private static final List<EntityTypeKey<?>> TYPES =
      List.of(CourseBatchEntity.ENTITY_KEY, EnrollmentEntity.ENTITY_KEY, EnrollmentAliasEntity.ENTITY_KEY);

  private ClusterMeters() {}

  static void start(ActorSystem<?> system, MeterRegistry registry) {
    Cluster cluster = Cluster.get(system);
    for (MemberStatus status : List.of(MemberStatus.joining(), MemberStatus.weaklyUp(), MemberStatus.up(),
        MemberStatus.leaving(), MemberStatus.exiting(), MemberStatus.down())) {
      String name = status.toString().toLowerCase(Locale.ROOT);
      Gauge.builder("akka.cluster.members", cluster, c -> StreamSupport.stream(c.state().getMembers().spliterator(), false)
              .filter(m -> m.status().equals(status)).count())
          .description("Cluster members this node sees, by status").tag("status", name).strongReference(true)
          .register(registry);
    }
    Gauge.builder("akka.cluster.unreachable", cluster, c -> c.state().getUnreachable().size())
        .description("Members this node cannot reach").strongReference(true).register(registry);
    ClusterSharding sharding = ClusterSharding.get(system);
    for (EntityTypeKey<?> type : TYPES) {
      AtomicLong shards = new AtomicLong();
      AtomicLong entities = new AtomicLong();
      Gauge.builder("akka.sharding.shards", shards, AtomicLong::get).description("Shards hosted by this node")
          .tag("entity", type.name()).strongReference(true).register(registry);
      Gauge.builder("akka.sharding.entities", entities, AtomicLong::get).description("Entities running on this node")
          .tag("entity", type.name()).strongReference(true).register(registry);
      system.scheduler().scheduleWithFixedDelay(Duration.ofSeconds(1), INTERVAL, () ->
          AskPattern.<akka.cluster.sharding.typed.ClusterShardingQuery, ShardRegion.CurrentShardRegionState>ask(
                  sharding.shardState(), replyTo -> new GetShardRegionState(type, replyTo), INTERVAL, system.scheduler())
              .thenAccept(state -> {
                shards.set(state.getShards().size());
                entities.set(state.getShards().stream().mapToLong(s -> s.getEntityIds().size()).sum());
              }), system.executionContext());
    }
  }
}
