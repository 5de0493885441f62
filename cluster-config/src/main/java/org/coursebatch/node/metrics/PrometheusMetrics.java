package org.coursebatch.node.metrics;

import akka.actor.ClassicActorSystemProvider;
import akka.actor.Extension;
import akka.actor.typed.ActorSystem;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.Optional;
import org.coursebatch.core.SystemExtension;
import org.coursebatch.core.metrics.NodeMeters;
import org.coursebatch.persistence.db.Database;
import org.coursebatch.persistence.exhaust.ExhaustJobGauges;

/**
 * The node's meters in Prometheus' text format, served at {@code GET /metrics} on the management
 * port ({@link MetricsRoutes}): what the components record ({@link NodeMeters}), the JDBC pools,
 * the JVM (memory, GC, threads, classes, CPU, file descriptors), the cluster ({@link ClusterMeters}) and
 * the exhaust jobs by status ({@link ExhaustJobGauges}).
 * Off ({@code BATCH_METRICS_ENABLED=false}), nothing is registered and the route answers 404.
 */
public final class PrometheusMetrics implements Extension {

  public static final SystemExtension<PrometheusMetrics> ID = new SystemExtension<>(system -> new PrometheusMetrics());

  private volatile PrometheusMeterRegistry registry;

  private PrometheusMetrics() {}

  public static PrometheusMetrics get(ClassicActorSystemProvider system) {
    return ID.get(system.classicSystem());
  }

  /** Starts collecting: the components' meters, the application pool's, the JVM's and the cluster's. */
  public synchronized void start(ActorSystem<?> system, Database database) {
    if (registry != null) {
      return;
    }
    var prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    new ClassLoaderMetrics().bindTo(prometheus);
    new JvmMemoryMetrics().bindTo(prometheus);
    JvmGcMetrics gc = new JvmGcMetrics();
    gc.bindTo(prometheus);
    new JvmThreadMetrics().bindTo(prometheus);
    new ProcessorMetrics().bindTo(prometheus);
    new UptimeMetrics().bindTo(prometheus);
    new FileDescriptorMetrics().bindTo(prometheus);
    system.getWhenTerminated().thenRun(gc::close);
    NodeMeters.publishTo(system, prometheus);
    database.meterTo(NodeMeters.registry(system));
    ClusterMeters.start(system, NodeMeters.registry(system));
    ExhaustJobGauges.start(system, database, NodeMeters.registry(system));
    registry = prometheus;
  }

  /** Every meter in Prometheus' text format, or empty when collection has not started (or is off). */
  public Optional<String> scrape() {
    PrometheusMeterRegistry r = registry;
    return r == null ? Optional.empty() : Optional.of(r.scrape());
  }
}
