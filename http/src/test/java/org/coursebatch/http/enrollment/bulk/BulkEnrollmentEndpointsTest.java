package org.coursebatch.http.enrollment.bulk;

import static org.coursebatch.http.RequestAssertions.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import akka.http.javadsl.model.HttpRequest;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.coursebatch.core.error.ErrorCode;
import org.coursebatch.core.error.RejectedException;
import org.coursebatch.core.identity.Caller;
import org.coursebatch.http.api.ApiRequest;
import org.coursebatch.http.api.Endpoint;
import org.junit.jupiter.api.Test;

/**
 * The bulk route table, and requests refused for their shape before any session is opened (the
 * endpoints here have no administration behind them). The routes at work are exercised against a
 * running node.
 */
class BulkEnrollmentEndpointsTest {

  private static final long LIMIT = 16L * 1024 * 1024;
  private final List<Endpoint> endpoints = new BulkEnrollmentEndpoints(null, ZoneId.of("UTC"), LIMIT).endpoints();

  private Endpoint endpoint(String method, String path) {
    return endpoints.stream().filter(e -> e.method().name().equals(method) && e.path().equals(path)).findFirst().orElseThrow();
  }

  @Test
  void theRoutes() {
    List<String> routes = endpoints.stream()
        .map(e -> e.method().name() + " " + e.path() + " " + e.apiId() + (e.streams() ? " streamed" : "")).toList();
    assertEquals(List.of(
        "POST /v1/enrollments/batch/forms/create api.enrollments.batch.forms.create",
        "POST /v1/enrollments/batch/create api.enrollments.batch.create streamed",
        "POST /v1/enrollments/batch/forms/update api.enrollments.batch.forms.update",
        "POST /v1/enrollments/batch/update api.enrollments.batch.update streamed",
        "POST /v1/enrollments/batch/delete api.enrollments.batch.delete streamed",
        "DELETE /v1/enrollments/batch/all api.enrollments.batch.delete.all streamed",
        "DELETE /v1/enrollments/batch/course-batch/{batchId} api.enrollments.batch.delete.course-batch streamed",
        "DELETE /v1/enrollments/batch/user/{userId} api.enrollments.batch.delete.user streamed",
        "DELETE /v1/enrollments/batch/ineffective api.enrollments.batch.delete.ineffective streamed",
        "POST /v1/enrollments/batch/aliases api.enrollments.batch.aliases streamed",
        "GET /v1/enrollments/{enrollmentId} api.enrollments.read"), routes);
  }

  @Test
  void everyRouteNeedsATokenAndBodiesMayBeAsLargeAsTheBulkLimit() {
    for (Endpoint e : endpoints) {
      assertEquals(Endpoint.Access.AUTHENTICATED, e.access(), e.path());
      boolean post = e.method().name().equals("POST");
      assertEquals(post ? Endpoint.Body.JSON : Endpoint.Body.NONE, e.body(), e.path());
      assertEquals(post ? OptionalLong.of(LIMIT) : OptionalLong.empty(), e.maxBodyBytes(), e.path());
    }
  }

  private static ApiRequest request(String uri, String body) {
    return new ApiRequest(HttpRequest.create(uri), Map.of(), Optional.of(Caller.of("creator-1")),
        Optional.ofNullable(body).map(b -> json(b)));
  }

  private static void assertRefused(ErrorCode code, Runnable call) {
    RejectedException e = assertThrows(RejectedException.class, call::run);
    assertEquals(code, e.rejection().code(), e.rejection().message());
  }

  @Test
  void aBadRequestIsRefusedBeforeAnySessionIsOpened() {
    assertRefused(ErrorCode.MANDATORY_PARAMETER_MISSING,
        () -> endpoint("POST", "/v1/enrollments/batch/forms/create").handler().handle(request("/x", null)));
    assertRefused(ErrorCode.NULL_ARGUMENT,
        () -> endpoint("POST", "/v1/enrollments/batch/forms/create").handler().handle(request("/x", "{'request':{}}")));
    assertRefused(ErrorCode.DATA_TYPE_ERROR,
        () -> endpoint("POST", "/v1/enrollments/batch/create").streamingHandler().handle(request("/x", "{'request':{'forms':'x'}}")));
    assertRefused(ErrorCode.DATA_TYPE_ERROR, () -> endpoint("POST", "/v1/enrollments/batch/update").streamingHandler()
        .handle(request("/x", "{'request':{'forms':[{'token':'t','active':'yes'}]}}")));
    assertRefused(ErrorCode.NULL_ARGUMENT,
        () -> endpoint("POST", "/v1/enrollments/batch/forms/update").handler().handle(request("/x", "{'request':{'enrollmentIds':null}}")));
    assertRefused(ErrorCode.DATA_TYPE_ERROR,
        () -> endpoint("POST", "/v1/enrollments/batch/delete").streamingHandler().handle(request("/x", "{'request':{'enrollmentIds':[1]}}")));
    assertRefused(ErrorCode.NULL_ARGUMENT, () -> endpoint("POST", "/v1/enrollments/batch/aliases").streamingHandler()
        .handle(request("/x", "{'request':{'aliases':[{'aliasId':'a'}]}}")));
    assertRefused(ErrorCode.DATA_TYPE_ERROR,
        () -> endpoint("POST", "/v1/enrollments/batch/aliases").streamingHandler().handle(request("/x", "{'request':[]}")));
  }

  @Test
  void theByDateDeletionNeedsAParsableDate() {
    var e = endpoint("DELETE", "/v1/enrollments/batch/ineffective");
    assertRefused(ErrorCode.NULL_ARGUMENT, () -> e.streamingHandler().handle(request("/v1/enrollments/batch/ineffective", null)));
    assertRefused(ErrorCode.DATE_FORMAT_ERROR,
        () -> e.streamingHandler().handle(request("/v1/enrollments/batch/ineffective?date=2024-13-01", null)));
  }
}
