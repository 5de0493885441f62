package org.coursebatch.http;

import static akka.http.javadsl.server.Directives.concat;

import akka.actor.CoordinatedShutdown;
import akka.actor.typed.ActorSystem;
import akka.http.javadsl.Http;
import akka.http.javadsl.ServerBinding;
import akka.http.javadsl.server.Route;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import org.coursebatch.http.api.ApiRouter;
import org.coursebatch.http.ops.OpsEndpoints;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Binds the API and unbinds it gracefully when the node shuts down. */
public final class HttpApi {

  private static final Logger log = LoggerFactory.getLogger(HttpApi.class);

  private HttpApi() {}

  public static Route routes(ApiRouter router) {
    return concat(OpsEndpoints.openApi(router.methodNotAllowed("api.openapi", akka.http.javadsl.model.HttpMethods.GET)),
        router.route());
  }

  public static CompletionStage<ServerBinding> start(ActorSystem<?> system, ApiRouter router, String host, int port, Duration drain) {
    return Http.get(system).newServerAt(host, port).bind(routes(router)).whenComplete((binding, error) -> {
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
