package org.coursebatch.core.metrics;

import akka.actor.ClassicActorSystemProvider;
import akka.actor.Extension;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.coursebatch.core.SystemExtension;

/**
 * Times an entity's start: from the behaviour's creation to its recovery's end (snapshot and events
 * read and folded), and counts recoveries that failed. One per entity incarnation; the meters behind
 * it are resolved once per entity type and actor system, so an entity start asks the registry nothing.
 */
public final class EntityRecoveryMeter {

  public static final String NAME = "coursebatch.entity.recoveries";
  public static final String FAILURES = "coursebatch.entity.recovery.failures";

  private final TypeMeters meters;
  private final long started = System.nanoTime();

  private EntityRecoveryMeter(TypeMeters meters) {
    this.meters = meters;
  }

  /** Made as an entity of {@code entityType} starts: both meters exist from the first entity of the type on. */
  public static EntityRecoveryMeter start(ClassicActorSystemProvider system, String entityType) {
    return new EntityRecoveryMeter(ByType.ID.get(system.classicSystem()).of(entityType));
  }

  public void completed() {
    meters.recoveries().record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
  }

  public void failed() {
    meters.failures().increment();
  }

  /** The meters of one entity type. */
  private record TypeMeters(Timer recoveries, Counter failures) {
    static TypeMeters register(MeterRegistry registry, String entityType) {
      return new TypeMeters(
          Timer.builder(NAME).description("Entity recoveries, from start to the last event folded")
              .tag("entity", entityType).register(registry),
          Counter.builder(FAILURES).description("Entity recoveries that failed").tag("entity", entityType)
              .register(registry));
    }
  }

  /** The meters of each entity type of one actor system, registered with {@link NodeMeters} on first use. */
  private static final class ByType implements Extension {

    static final SystemExtension<ByType> ID = new SystemExtension<>(system -> new ByType(NodeMeters.registry(system)));

    private final MeterRegistry registry;
    private final Map<String, TypeMeters> types = new ConcurrentHashMap<>();

    private ByType(MeterRegistry registry) {
      this.registry = registry;
    }

    TypeMeters of(String entityType) {
      TypeMeters known = types.get(entityType); // the usual case: no lock taken
      return known != null ? known : types.computeIfAbsent(entityType, type -> TypeMeters.register(registry, type));
    }
  }
}
