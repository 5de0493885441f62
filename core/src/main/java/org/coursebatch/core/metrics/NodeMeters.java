package org.coursebatch.core.metrics;

import akka.actor.ClassicActorSystemProvider;
import akka.actor.Extension;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import org.coursebatch.core.SystemExtension;

/**
 * The meters of one node: a registry per actor system that every component records to. The node
 * adds the registry it exposes (Prometheus, on the management port); a test adds one to read; with
 * none added every meter is a no-op, so components record without asking whether metrics are on.
 */
public final class NodeMeters implements Extension {

  public static final SystemExtension<NodeMeters> ID = new SystemExtension<>(system -> new NodeMeters());

  private final CompositeMeterRegistry registry = new CompositeMeterRegistry();

  private NodeMeters() {}

  /** The registry the components of {@code system} record to. */
  public static MeterRegistry registry(ClassicActorSystemProvider system) {
    return ID.get(system.classicSystem()).registry;
  }

  /** Sends every meter of {@code system}, those made already included, to {@code target} as well. */
  public static void publishTo(ClassicActorSystemProvider system, MeterRegistry target) {
    ID.get(system.classicSystem()).registry.add(target);
  }
}
