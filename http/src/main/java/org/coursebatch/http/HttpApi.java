package org.coursebatch.http;

import static akka.http.javadsl.server.Directives.concat;

import akka.actor.CoordinatedShutdown;
import akka.actor.typed.ActorSystem;
import akka.http.javadsl.ServerBinding;
import akka.http.javadsl.server.Route;
import akka.http.javadsl.settings.ServerSettings;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import org.coursebatch.core.metrics.NodeMeters;
import org.coursebatch.http.api.ApiRouter;
import org.coursebatch.http.api.ParsingErrorEnvelopes;
import org.coursebatch.http.observe.RequestMetrics;
import org.coursebatch.http.observe.AccessLog;
import org.coursebatch.http.observe.RequestObserver;
import org.coursebatch.http.ops.OpsEndpoints;
import org.coursebatch.http.wire.GuardedBinding;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Binds the API (behind {@link org.coursebatch.http.wire.LeadBytes}' guard) and unbinds it
 * gracefully when the node shuts down.
 */
public final class HttpApi {

  private static final Logger log = LoggerFactory.getLogger(HttpApi.class);

  private HttpApi() {}

  public static Route routes(ApiRouter router) {
    return router.sealed(concat(AccessLog.logged(OpsEndpoints.OPENAPI_PATH,
            OpsEndpoints.openApi(router.methodNotAllowed("api.openapi", akka.http.javadsl.model.HttpMethods.GET))),
        router.route()));
  }

  /** {@code inner}, each request observed once: its metric, its access line and its span ({@link RequestObserver}). */
  public static Route observed(RequestMetrics metrics, Route inner) {
    return RequestObserver.observed(metrics, inner);
  }

  /**
   * Akka's server settings (the parser's limits: {@code akka.http.server.parsing.max-uri-length},
   * {@code max-header-value-length}, ...) with a request the parser refuses answered with the
   * envelope ({@link ParsingErrorEnvelopes}), as is one still running when the drain on shutdown ends.
   */
  public static ServerSettings serverSettings(akka.actor.ClassicActorSystemProvider system, ApiRouter router) {
    return ServerSettings.create(system.classicSystem())
        .withParsingErrorHandler(ParsingErrorEnvelopes.class.getName())
        .withTerminationDeadlineExceededResponse(router.shuttingDown());
  }

  public static CompletionStage<ServerBinding> start(ActorSystem<?> system, ApiRouter router, String host, int port, Duration drain) {
    return GuardedBinding.bind(system, host, port, serverSettings(system, router), observed(new RequestMetrics(NodeMeters.registry(system)), routes(router)).flow(system)).whenComplete((binding, error) -> {
      if (error != null) {
        log.error("Cannot bind HTTP on {}:{}", host, port, error);
        return;
      }
      log.info("HTTP API listening on {}", binding.localAddress());
      // Stop accepting, let in-flight requests finish, then close.
      CoordinatedShutdown.get(system).addTask(CoordinatedShutdown.PhaseServiceUnbind(), "http-unbind",
          () -> binding.unbind().thenApply(d -> akka.Done.getInstance()));
      CoordinatedShutdown.get(system).addTask(CoordinatedShutdown.PhaseServiceRequestsDone(), "http-drain",
          () -> binding.terminate(drain).thenApply(t -> akka.Done.getInstance()));
    });
  }
}
