package org.coursebatch.node.tracing;

import akka.Done;
import akka.actor.CoordinatedShutdown;
import akka.actor.typed.ActorSystem;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.coursebatch.http.observe.RequestTracing;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts recording spans when an OTLP endpoint is set ({@code OTEL_EXPORTER_OTLP_ENDPOINT}): the
 * OpenTelemetry SDK, configured by the usual {@code OTEL_*} variables (service name, sampler,
 * headers, protocol), exports a server span per API request and a client span per call to the
 * groups, content and user services. With the OpenTelemetry Java agent attached the agent records
 * them and this does nothing. The SDK is shut down (its last spans sent) as the node shuts down.
 */
public final class NodeTracing {

  private static final Logger log = LoggerFactory.getLogger(NodeTracing.class);

  /** How long a stopping node waits for its last spans to be sent. */
  static final Duration FLUSH_TIMEOUT = Duration.ofSeconds(5);

  private NodeTracing() {}

  public static void start(ActorSystem<?> system, String otlpEndpoint) {
    if (RequestTracing.AGENT) {
      log.info("The OpenTelemetry Java agent records this node's spans");
      return;
    }
    if (otlpEndpoint.isBlank()) {
      return;
    }
    // Defaults: the OTEL_* variables and otel.* system properties still decide over these.
    OpenTelemetrySdk sdk = AutoConfiguredOpenTelemetrySdk.builder()
        .addPropertiesSupplier(() -> Map.of(
            "otel.service.name", "course-batch",
            "otel.exporter.otlp.endpoint", otlpEndpoint,
            "otel.exporter.otlp.protocol", "http/protobuf",
            "otel.traces.exporter", "otlp",
            "otel.metrics.exporter", "none",
            "otel.logs.exporter", "none"))
        .disableShutdownHook()
        .build()
        .getOpenTelemetrySdk();
    RequestTracing.get(system).recordWith(sdk);
    // Before the system stops: the last spans are sent while the node still shuts down.
    CoordinatedShutdown.get(system).addTask(CoordinatedShutdown.PhaseBeforeActorSystemTerminate(), "tracing-flush", () -> {
      sdk.shutdown().join(FLUSH_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      return CompletableFuture.completedFuture(Done.getInstance());
    });
    log.info("Spans go to {} over OTLP", otlpEndpoint);
  }
}
