package org.coursebatch.http.wire;

import akka.Done;
import akka.actor.ClassicActorSystemProvider;
import akka.event.LoggingAdapter;
import akka.http.impl.engine.HttpConnectionIdleTimeoutBidi$;
import akka.http.impl.engine.server.GracefulTerminatorStage$;
import akka.http.impl.engine.server.HttpAttributes$;
import akka.http.impl.engine.server.MasterServerTerminator;
import akka.http.impl.engine.server.ServerTerminator;
import akka.http.javadsl.Http;
import akka.http.javadsl.ServerBinding;
import akka.http.javadsl.model.HttpRequest;
import akka.http.javadsl.model.HttpResponse;
import akka.http.javadsl.settings.ServerSettings;
import akka.japi.Pair;
import akka.stream.Attributes;
import akka.stream.Materializer;
import akka.stream.javadsl.BidiFlow;
import akka.stream.javadsl.Flow;
import akka.stream.javadsl.Keep;
import akka.stream.javadsl.Sink;
import akka.stream.javadsl.TLSPlacebo;
import akka.stream.javadsl.Tcp;
import akka.util.ByteString;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.coursebatch.core.concurrent.Continuations;
import scala.concurrent.ExecutionContext;
import scala.concurrent.duration.FiniteDuration;
import scala.jdk.javaapi.FutureConverters;

/**
 * An HTTP/1.1 server binding with {@link LeadBytes#guard()} between the socket and Akka HTTP's
 * parser. Akka binds no server with a stage of one's own below its parser, so this is the binding
 * {@code Http.newServerAt(...).bindFlow(...)} makes, layer for layer (Akka HTTP 10.5.3:
 * {@code HttpExt.bindAndHandle}), with the guard added at the bottom: the same server layer,
 * idle timeout, connection limit and cancellation delay, and Akka's own graceful terminator, so
 * that {@link ServerBinding#unbind()} and {@link ServerBinding#terminate} (the drain on shutdown,
 * with {@code Connection: close} on the last answers and the termination-deadline response) do
 * what they do for a binding of Akka's. The terminator classes are Akka HTTP's internal API: the
 * version is pinned (later ones need a licence), and a change of it must check this class again.
 */
public final class GuardedBinding {

  private GuardedBinding() {}

  @SuppressWarnings({"unchecked", "rawtypes"})
  public static CompletionStage<ServerBinding> bind(ClassicActorSystemProvider provider, String host, int port,
      ServerSettings settings, Flow<HttpRequest, HttpResponse, ?> handler) {
    var system = provider.classicSystem();
    Materializer mat = Materializer.matFromSystem(provider);
    LoggingAdapter log = system.log();
    ExecutionContext ec = mat.executionContext();
    var scalaSettings = (akka.http.scaladsl.settings.ServerSettings) settings;

    // Top to bottom as in Akka's binding: terminator, HTTP, (no) TLS, idle timeout; then the guard.
    BidiFlow<HttpResponse, ByteString, ByteString, HttpRequest, ServerTerminator> layers =
        ((BidiFlow) GracefulTerminatorStage$.MODULE$.apply(system, scalaSettings).asJava())
            .atop(Http.get(system).serverLayer(settings, Optional.empty(), log))
            .atop((BidiFlow) TLSPlacebo.getInstance());
    if (scalaSettings.timeouts().idleTimeout() instanceof FiniteDuration idle) {
      layers = layers.atop((BidiFlow) HttpConnectionIdleTimeoutBidi$.MODULE$.apply(idle, scala.Option.empty()).asJava());
    }
    layers = layers.atop(BidiFlow.fromFlows(Flow.<ByteString>create(), LeadBytes.guard()));

    // Done once the handler has seen both directions end, as Akka's own binding counts a connection.
    Flow<ByteString, ByteString, Pair<CompletionStage<Done>, ServerTerminator>> connection =
        Flow.<HttpRequest>create()
            .watchTermination(Keep.right())
            .via(handler)
            .watchTermination((CompletionStage<Done> before, CompletionStage<Done> after) ->
                Continuations.inline(before).thenCompose(d -> after))
            .joinMat(layers, Keep.both());

    MasterServerTerminator terminator = new MasterServerTerminator(log);
    Attributes cancellation = akka.http.scaladsl.Http$.MODULE$.cancellationStrategyAttributeForDelay(
        scalaSettings.streamCancellationDelay());
    return Tcp.get(system)
        .bind(host, port, settings.getBacklog(), settings.getSocketOptions(), false, Optional.empty())
        .mapAsyncUnordered(settings.getMaxConnections(), incoming -> {
          Attributes remote = settings.getRemoteAddressAttribute()
              ? HttpAttributes$.MODULE$.remoteAddress(incoming.remoteAddress())
              : Attributes.none();
          Pair<CompletionStage<Done>, ServerTerminator> running = connection
              .watchTermination((Pair<CompletionStage<Done>, ServerTerminator> mats, CompletionStage<Done> ended) -> {
                Continuations.inline(ended).whenComplete((done, error) -> terminator.removeConnection(mats.second()));
                return mats;
              })
              .addAttributes(remote)
              .join(incoming.flow())
              .addAttributes(cancellation)
              .run(mat);
          terminator.registerConnection(running.second(), ec);
          // A connection's failure is its own; it must not end the binding.
          return running.first().exceptionally(error -> Done.getInstance());
        })
        .mapMaterializedValue(bound -> bound.thenApply(tcp -> new ServerBinding(new akka.http.scaladsl.Http.ServerBinding(
            tcp.localAddress(),
            () -> FutureConverters.asScala(tcp.unbind().thenApply(d -> scala.runtime.BoxedUnit.UNIT)),
            deadline -> terminator.terminate(deadline, ec)))))
        .to(Sink.ignore())
        .run(mat);
  }
}
