package org.coursebatch.http.ops;

import static akka.http.javadsl.server.Directives.*;

import akka.http.javadsl.model.ContentTypes;
import akka.http.javadsl.model.HttpEntities;
import akka.http.javadsl.model.MediaTypes;
import akka.http.javadsl.server.Route;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.coursebatch.http.api.Endpoint;

/** Health and the OpenAPI document. */
public final class OpsEndpoints {

  public static final String OPENAPI_PATH = "/openapi.yaml";

  private OpsEndpoints() {}

  /** {@code GET /health}: 200 once the node serves requests. */
  public static List<Endpoint> endpoints() {
    return List.of(Endpoint.get("/health", "api.health", req -> CompletableFuture.completedFuture(Health.HEALTHY)).publicAccess());
  }

  /** The result of {@code GET /health}. */
  public record Health(boolean healthy) {
    static final Health HEALTHY = new Health(true);
  }

  /** Serves the OpenAPI 3 document at a stable URL ({@value #OPENAPI_PATH}); other methods get 405. */
  public static Route openApi(Route otherMethods) {
    byte[] document = openApiDocument();
    return path(OPENAPI_PATH.substring(1), () -> concat(
        get(() -> complete(HttpEntities.create(
            ContentTypes.create(MediaTypes.applicationWithOpenCharset("yaml"), akka.http.javadsl.model.HttpCharsets.UTF_8), document))),
        otherMethods));
  }

  /** The bytes served at {@value #OPENAPI_PATH}: the per-feature files assembled ({@link OpenApiDocument}). */
  public static byte[] openApiDocument() {
    return OpenApiDocument.yaml();
  }
}
