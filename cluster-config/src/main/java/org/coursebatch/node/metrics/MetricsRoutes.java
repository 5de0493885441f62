package org.coursebatch.node.metrics;

import static akka.http.javadsl.server.Directives.complete;
import static akka.http.javadsl.server.Directives.get;
import static akka.http.javadsl.server.Directives.path;

import akka.actor.ExtendedActorSystem;
import akka.http.javadsl.model.ContentTypes;
import akka.http.javadsl.model.HttpEntities;
import akka.http.javadsl.model.StatusCodes;
import akka.http.javadsl.server.Route;
import akka.management.javadsl.ManagementRouteProvider;
import akka.management.javadsl.ManagementRouteProviderSettings;

/**
 * {@code GET /metrics} on the management port ({@code akka.management.http.routes.metrics}): the
 * node's meters for Prometheus to scrape, beside the readiness and liveness probes.
 */
public final class MetricsRoutes implements ManagementRouteProvider {

  private final PrometheusMetrics metrics;

  public MetricsRoutes(ExtendedActorSystem system) {
    this.metrics = PrometheusMetrics.get(system);
  }

  @Override
  public Route routes(ManagementRouteProviderSettings settings) {
    return path("metrics", () -> get(() -> metrics.scrape()
        .map(text -> complete(HttpEntities.create(ContentTypes.TEXT_PLAIN_UTF8, text)))
        .orElseGet(() -> complete(StatusCodes.NOT_FOUND, "Metrics are off on this node (BATCH_METRICS_ENABLED)\n"))));
  }
}
