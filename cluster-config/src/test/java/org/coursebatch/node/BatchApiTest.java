package org.coursebatch.node;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import org.coursebatch.node.ApiClient.Reply;
import org.coursebatch.persistence.testing.OnBothDatabases;
import org.coursebatch.persistence.testing.TestDatabase;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The batch and catalog API over HTTP against a running node, on both databases (H2 as the
 * embedded default, then PostgreSQL). Every test makes its own course and batches; the clock only
 * ever moves forward.
 */
@OnBothDatabases
class BatchApiTest {

  @Nested
  class Contract extends NodeApiContract {

    Contract(TestDatabase database) {
      super(database);
    }

    /** Search results are a projection: poll until the condition holds. */
    JsonNode searchUntil(Map<String, Object> request, Predicate<JsonNode> condition) {
      return pollUntil("Search " + request, Duration.ofSeconds(20), () -> {
        Reply r = call("POST", "/v1/course/batch/search", STRANGER, request);
        assertEquals(200, r.status(), r.toString());
        return r.result().path("response");
      }, condition);
    }

    // ---- envelope, identity, bad input ----

    @Nested
    class EnvelopeAndIdentity {
      @Test
      void everyResponseHasTheFullEnvelope() {
        Reply ok = api.send("GET", "/health", null, Map.of("X-Request-ID", "req-42"));
        assertEquals(200, ok.status());
        assertEquals("application/json", ok.raw().headers().firstValue("Content-Type").orElse(""));
        for (String f : List.of("id", "ver", "ts", "params", "responseCode", "result")) {
          assertTrue(ok.body().has(f), f);
        }
        assertEquals("req-42", ok.body().path("params").path("msgid").asText());
        assertEquals("success", ok.body().path("params").path("status").asText());
        assertTrue(ok.body().path("ts").asText().matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d:\\d{3}[+-]\\d{4}"));

        Reply error = call("GET", "/v1/course/batch/read/unknown", null, null);
        assertError(error, 401, "UNAUTHORIZED_USER");
        assertEquals("UNAUTHORIZED", error.body().path("responseCode").asText());
        assertFalse(error.body().path("params").path("msgid").asText().isBlank(), "a generated msgid");
        assertTrue(error.body().path("params").has("resmsgid"));
        assertEquals("application/json", error.raw().headers().firstValue("Content-Type").orElse(""));
      }

      @Test
      void requestsWithoutAValidTokenAreRefused() {
        String courseId = registerCourse(true);
        String body = ApiClient.envelope(batchRequest(courseId));
        assertError(api.send("POST", "/v1/course/batch/create", body, Map.of()), 401, "UNAUTHORIZED_USER");
        assertError(api.send("POST", "/v1/course/batch/create", body, Map.of("Authorization", "Bearer not-a-jwt")), 401, "UNAUTHORIZED_USER");
        String otherKey = new org.coursebatch.http.auth.TokenIssuer(
            org.coursebatch.http.auth.JwtKeys.load("another-secret-of-at-least-thirty-two-bytes", "", Path.of("unused")), "roles")
            .issue(CREATOR, List.of(), Duration.ofHours(1), "");
        assertError(api.send("POST", "/v1/course/batch/create", body, Map.of("Authorization", "Bearer " + otherKey)), 401, "UNAUTHORIZED_USER");
        String expired = new org.coursebatch.http.auth.TokenIssuer(
            org.coursebatch.http.auth.JwtKeys.load(TestNode.JWT_SECRET, "", Path.of("unused")), "roles")
            .issue(CREATOR, List.of(), Duration.ofMinutes(-10), "");
        assertError(api.send("POST", "/v1/course/batch/create", body, Map.of("Authorization", "Bearer " + expired)), 401, "UNAUTHORIZED_USER");
        // Valid for ever, or for longer than the nodes take (max-token-ttl): as if it had no exp.
        var issued = java.time.Instant.now().minus(TestNode.ISSUED_BEFORE);
        String noExp = TestNode.signedToken(new com.nimbusds.jwt.JWTClaimsSet.Builder().subject(CREATOR)
            .issueTime(java.util.Date.from(issued)).build());
        assertError(api.send("POST", "/v1/course/batch/create", body, Map.of("Authorization", "Bearer " + noExp)), 401, "UNAUTHORIZED_USER");
        String tooLong = TestNode.signedToken(new com.nimbusds.jwt.JWTClaimsSet.Builder().subject(CREATOR)
            .issueTime(java.util.Date.from(issued)).expirationTime(java.util.Date.from(issued.plus(Duration.ofDays(3651)))).build());
        assertError(api.send("POST", "/v1/course/batch/create", body, Map.of("Authorization", "Bearer " + tooLong)), 401, "UNAUTHORIZED_USER");
        searchUntil(Map.of("filters", Map.of("courseId", courseId)), r -> r.path("count").asInt() == 0);
      }

      @Test
      void gatewayStyleUserTokenHeaderWithAnApiKeyBearer() {
        String courseId = registerCourse(true);
        Reply r = api.send("POST", "/api/course/v1/batch/create", ApiClient.envelope(batchRequest(courseId)),
            Map.of("Authorization", "Bearer gateway-api-key-not-a-jwt", "x-authenticated-user-token", token(CREATOR)));
        assertEquals(200, r.status(), r.toString());
        assertEquals(CREATOR, read(r.result().path("batchId").asText()).path("createdBy").asText());
      }

      @Test
      void malformedJsonMissingEnvelopeAndWrongTypesAre400() {
        String courseId = registerCourse(true);
        Map<String, String> auth = Map.of("Authorization", "Bearer " + token(CREATOR));
        assertError(api.send("POST", "/v1/course/batch/create", "{\"request\": {", auth), 400, "INVALID_REQUESTED_DATA");
        assertError(api.send("POST", "/v1/course/batch/create", "{}", auth), 400, "MANDATORY_PARAMETER_MISSING");
        assertError(api.send("POST", "/v1/course/batch/create", "", auth), 400, "MANDATORY_PARAMETER_MISSING");
        assertError(api.send("POST", "/v1/course/batch/create", "{\"request\": []}", auth), 400, "DATA_TYPE_ERROR");
        var wrongType = batchRequest(courseId);
        wrongType.put("name", 5);
        assertError(call("POST", "/v1/course/batch/create", CREATOR, wrongType), 400, "DATA_TYPE_ERROR");
        var notAList = batchRequest(courseId);
        notAList.put("createdFor", "org-1");
        Reply r = call("POST", "/v1/course/batch/create", CREATOR, notAList);
        assertError(r, 400, "DATA_TYPE_ERROR");
        assertEquals("Data type of createdFor should be Arrays.", r.errmsg());
        searchUntil(Map.of("filters", Map.of("courseId", courseId)), s -> s.path("count").asInt() == 0);
      }

      @Test
      void oversizedBodyIs413() {
        String big = "{\"request\": {\"name\": \"" + "x".repeat(70_000) + "\"}}";
        Reply r = api.send("POST", "/v1/course/batch/create", big, Map.of("Authorization", "Bearer " + token(CREATOR)));
        assertError(r, 413, "REQUEST_TOO_LARGE");
      }

      @Test
      void unknownPathAndWrongMethodAnswerWithTheEnvelope() {
        assertError(call("GET", "/v1/nothing/here", CREATOR, null), 404, "RESOURCE_NOT_FOUND");
        Reply r = call("GET", "/v1/course/batch/create", CREATOR, null);
        assertError(r, 405, "METHOD_NOT_ALLOWED");
        assertTrue(r.raw().headers().firstValue("Allow").orElse("").contains("POST"));
      }

      @Test
      void openApiDocumentIsServed() {
        var r = api.send("GET", "/openapi.yaml", null, Map.of());
        assertEquals(200, r.status());
        assertTrue(r.raw().body().contains("/api/course/v1/batch/create"));
        var post = api.send("POST", "/openapi.yaml", "{}", Map.of());
        assertError(post, 405, "METHOD_NOT_ALLOWED");
        assertEquals("GET", post.raw().headers().firstValue("Allow").orElse(""));
      }
    }

    // ---- catalog ----

    @Nested
    class Catalog {
      @Test
      void registerAndReadACourse() {
        String id = registerCourse(true);
        Reply r = call("GET", "/v1/catalog/course/" + id, STRANGER, null);
        assertEquals(200, r.status(), r.toString());
        assertEquals(2, r.result().path("content").path("leafNodesCount").asInt());
        assertEquals("Yes", r.result().path("content").path("trackable").path("enabled").asText());
      }

      @Test
      void unknownCourseIs404AndLearnersCannotRegister() {
        assertError(call("GET", "/v1/catalog/course/do_missing", STRANGER, null), 404, "RESOURCE_NOT_FOUND");
        Reply r = api.call("PUT", "/v1/catalog/course/do_x", token(STRANGER), Map.of("name", "X"));
        assertError(r, 403, "FORBIDDEN");
        assertError(call("GET", "/v1/catalog/course/do_x", STRANGER, null), 404, "RESOURCE_NOT_FOUND");
      }

      @Test
      void invalidCourseDocumentsAreRefused() {
        String t = token(CURATOR, "CONTENT_CREATOR");
        assertError(api.call("PUT", "/v1/catalog/course/do_y", t, Map.of("status", "Live")), 400, "MANDATORY_PARAMETER_MISSING");
        assertError(api.call("PUT", "/v1/catalog/course/do_y", t, Map.of("identifier", "do_other", "name", "Y")), 400, "INVALID_PARAMETER_VALUE");
        assertError(api.call("PUT", "/v1/catalog/course/do_y", t, Map.of("name", "Y", "children", "none")), 400, "DATA_TYPE_ERROR");
      }

      @Test
      void registerAndReadACertificateTemplate() {
        String t = token(CURATOR, "CONTENT_CREATOR");
        Reply put = api.call("PUT", "/v1/catalog/certificate-template/tmpl-read", t, Map.of("name", "Completion", "url", "https://x/c.svg"));
        assertEquals(200, put.status(), put.toString());
        Reply r = call("GET", "/v1/catalog/certificate-template/tmpl-read", STRANGER, null);
        assertEquals("Completion", r.result().path("content").path("name").asText());
        assertError(call("GET", "/v1/catalog/certificate-template/tmpl-none", STRANGER, null), 404, "RESOURCE_NOT_FOUND");
      }
    }

    // ---- create and read ----

    @Nested
    class CreateAndRead {
      @Test
      void createThenReadInTheSunbirdShape() {
        String courseId = registerCourse(true);
        var req = batchRequest(courseId);
        req.put("mentors", List.of(MENTOR, MENTOR, "mentor-2"));
        req.put("createdFor", List.of("org-1"));
        req.put("userId", "ignored-extra-field");
        req.put("enrollmentType", "INVITE-ONLY");
        String batchId = createBatch(req);
        assertTrue(batchId.matches("\\d{20}"), batchId);
        JsonNode b = read(batchId);
        assertEquals(batchId, b.path("identifier").asText());
        assertEquals(batchId, b.path("id").asText());
        assertEquals(courseId, b.path("courseId").asText());
        assertEquals(courseId, b.path("collectionId").asText());
        assertEquals(CREATOR, b.path("createdBy").asText());
        assertEquals("invite-only", b.path("enrollmentType").asText());
        assertEquals("[\"mentor-1\",\"mentor-2\"]", b.path("mentors").toString());
        assertEquals("[\"org-1\"]", b.path("createdFor").toString());
        assertEquals(0, b.path("status").asInt());
        assertEquals(1, b.path("daysToGo").asInt());
        assertEquals(today().plusDays(29).toString(), b.path("enrollmentEndDate").asText(), "defaults to the day before the end");
        assertTrue(b.path("createdDate").asText().matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d:\\d{3}\\+0000"));
        assertTrue(b.path("cert_templates").isObject());
      }

      @Test
      void aBatchStartingTodayIsInProgress() {
        String courseId = registerCourse(true);
        var req = batchRequest(courseId);
        req.put("startDate", today().toString());
        req.remove("endDate");
        JsonNode b = read(createBatch(req));
        assertEquals(1, b.path("status").asInt());
        assertTrue(b.path("daysToGo").isNull());
        assertTrue(b.path("endDate").isNull());
      }

      @Test
      void collectionIdAndTheGatewayPathsWork() {
        String courseId = registerCourse(true);
        var req = batchRequest(courseId);
        req.remove("courseId");
        req.put("collectionId", courseId);
        Reply r = call("POST", "/api/course/v1/batch/create", CREATOR, req);
        assertEquals(200, r.status(), r.toString());
        assertEquals("api.course.batch.create", r.body().path("id").asText());
        assertEquals("SUCCESS", r.result().path("response").asText());
        Reply read = call("GET", "/api/course/v1/batch/read/" + r.result().path("batchId").asText(), STRANGER, null);
        assertEquals(courseId, read.result().path("response").path("courseId").asText());
      }

      @Test
      void everyCreateErrorCodeAndNothingPersisted() {
        String courseId = registerCourse(true);
        String notTrackable = registerCourse(false);
        record Case(String field, Object value, String err) {}
        List<Case> cases = List.of(
            new Case("courseId", null, "MANDATORY_PARAMETER_MISSING"),
            new Case("name", null, "MANDATORY_PARAMETER_MISSING"),
            new Case("enrollmentType", null, "MANDATORY_PARAMETER_MISSING"),
            new Case("startDate", null, "MANDATORY_PARAMETER_MISSING"),
            new Case("enrollmentType", "closed", "INVALID_PARAMETER_VALUE"),
            new Case("startDate", "2030/01/01", "DATE_FORMAT_ERRROR"),
            new Case("endDate", "2030-02-30", "DATE_FORMAT_ERRROR"),
            new Case("startDate", today().minusDays(1).toString(), "COURSE_BATCH_START_DATE_INVALID"),
            new Case("endDate", today().plusDays(1).toString(), "END_DATE_ERROR"),
            new Case("enrollmentEndDate", today().toString(), "ENROLLMENT_END_DATE_START_ERROR"),
            new Case("enrollmentEndDate", today().plusDays(31).toString(), "ENROLLMENT_END_DATE_END_ERROR"),
            new Case("mentors", "mentor-1", "DATA_TYPE_ERROR"),
            new Case("participants", List.of("u1"), "INVALID_REQUEST_PARAMETER"),
            new Case("courseId", "do_unknown_course", "INVALID_COURSE_ID"),
            new Case("courseId", notTrackable, "INVALID_COURSE_ID"));
        for (Case c : cases) {
          var req = batchRequest(courseId);
          if (c.value() == null) {
            req.remove(c.field());
          } else {
            req.put(c.field(), c.value());
          }
          assertError(call("POST", "/v1/course/batch/create", CREATOR, req), 400, c.err());
        }
        // Sunbird checks the dates before the course: both wrong gives the date error.
        var both = batchRequest("do_unknown_course");
        both.put("startDate", today().minusDays(1).toString());
        assertError(call("POST", "/v1/course/batch/create", CREATOR, both), 400, "COURSE_BATCH_START_DATE_INVALID");
        var messages = call("POST", "/v1/course/batch/create", CREATOR, Map.of("name", "x"));
        assertEquals("Mandatory parameter courseId/collectionId is missing.", messages.errmsg());
        // Equal-to-start and equal-to-end enrolment end dates are allowed.
        var edge = batchRequest(courseId);
        edge.put("enrollmentEndDate", today().plusDays(30).toString());
        createBatch(edge);
        searchUntil(Map.of("filters", Map.of("courseId", List.of(courseId, notTrackable))), r -> r.path("count").asInt() == 1);
      }

      @Test
      void readingAnUnknownBatchIs404() {
        assertError(call("GET", "/v1/course/batch/read/0100000000000000000", STRANGER, null), 404, "BATCH_NOT_FOUND");
      }

      @Test
      void anyAuthenticatedUserMayCreateWhenNoCreatorRoleIsConfigured() {
        // The test nodes configure no batch-creator role (application-test.conf); the default is
        // Sunbird's course-creator roles, which AuthorizationMatrixPostgresTest checks.
        String courseId = registerCourse(true);
        assertEquals(200, call("POST", "/v1/course/batch/create", STRANGER, batchRequest(courseId)).status());
      }
    }

    // ---- update ----

    @Nested
    class Update {
      Map<String, Object> update(String batchId, String courseId) {
        Map<String, Object> u = new HashMap<>();
        u.put("id", batchId);
        u.put("courseId", courseId);
        return u;
      }

      @Test
      void creatorAndMentorsUpdateOthersCannot() {
        String courseId = registerCourse(true);
        String batchId = createBatch(batchRequest(courseId));
        var u = update(batchId, courseId);
        u.put("name", "Renamed");
        u.put("description", "New description");
        assertEquals(200, call("PATCH", "/v1/course/batch/update", CREATOR, u).status());
        u.put("name", "Renamed by mentor");
        Reply byMentor = call("PATCH", "/api/course/v1/batch/update", MENTOR, u);
        assertEquals(200, byMentor.status(), byMentor.toString());
        u.put("name", "Hijacked");
        assertError(call("PATCH", "/v1/course/batch/update", STRANGER, u), 401, "UNAUTHORIZED_USER");
        JsonNode b = read(batchId);
        assertEquals("Renamed by mentor", b.path("name").asText());
        assertEquals("New description", b.path("description").asText());
        assertEquals(MENTOR, b.path("updatedBy").asText());
      }

      @Test
      void everyUpdateErrorCode() {
        String courseId = registerCourse(true);
        String batchId = createBatch(batchRequest(courseId));
        record Case(String field, Object value, String err, String errmsg) {}
        List<Case> cases = List.of(
            new Case("status", 7, "INVALID_PROGRESS_STATUS", "Progress status value should be NOT_STARTED(0), STARTED(1), COMPLETED(2)."),
            new Case("status", "abc", "INVALID_PROGRESS_STATUS", "Progress status value should be NOT_STARTED(0), STARTED(1), COMPLETED(2)."),
            // lms-service quotes the blank name as it is.
            new Case("name", " ", "INVALID_PARAMETER_VALUE", "Invalid value   for parameter name. Please provide a valid value."),
            new Case("enrollmentType", "secret", "INVALID_PARAMETER_VALUE",
                "Invalid value secret for parameter enrollmentType. Please provide a valid value."),
            new Case("enrollmentType", "", "MANDATORY_PARAMETER_MISSING", "Mandatory parameter enrollmentType is missing."),
            new Case("startDate", "tomorrow", "DATE_FORMAT_ERRROR", "Date format error."),
            new Case("startDate", today().minusDays(1).toString(), "INVALID_BATCH_START_DATE_ERROR", "Please provide valid Start Date."),
            new Case("endDate", today().minusDays(1).toString(), "INVALID_BATCH_END_DATE_ERROR", "Please provide valid End Date."),
            new Case("endDate", today().plusDays(1).toString(), "END_DATE_ERROR", "End date should be greater than start date."),
            new Case("enrollmentEndDate", today().toString(), "ENROLLMENT_END_DATE_START_ERROR",
                "Enrollment End date should be greater than course batch start date."),
            new Case("enrollmentEndDate", today().plusDays(40).toString(), "ENROLLMENT_END_DATE_END_ERROR",
                "Enrollment End date should be lesser than course batch end date."),
            new Case("participants", List.of("u"), "INVALID_REQUEST_PARAMETER", "Invalid parameter participants in request."));
        for (Case c : cases) {
          var u = update(batchId, courseId);
          u.put(c.field(), c.value());
          assertUpdateRefused(CREATOR, u, c.err(), c.errmsg());
        }
        var noId = update(batchId, courseId);
        noId.remove("id");
        assertUpdateRefused(CREATOR, noId, "MANDATORY_PARAMETER_MISSING", "Mandatory parameter id is missing.");
        var noCourse = update(batchId, courseId);
        noCourse.remove("courseId");
        assertUpdateRefused(CREATOR, noCourse, "MANDATORY_PARAMETER_MISSING", "Mandatory parameter courseId/collectionId is missing.");
        assertUpdateRefused(CREATOR, update("0199999999999999999", courseId), "INVALID_COURSE_BATCH_ID", "Invalid course batch id ");
        assertUpdateRefused(CREATOR, update(batchId, "do_other"), "INVALID_COURSE_BATCH_ID", "Invalid course batch id ");
        JsonNode b = read(batchId);
        assertEquals("Batch of " + courseId, b.path("name").asText(), "nothing changed");
        assertTrue(b.path("updatedDate").isNull(), "nothing changed");
      }

      /** The update is refused alike on the backend path and on the gateway's. */
      void assertUpdateRefused(String caller, Map<String, Object> update, String err, String errmsg) {
        for (String path : List.of("/v1/course/batch/update", "/api/course/v1/batch/update")) {
          assertError(call("PATCH", path, caller, update), 400, err, errmsg, "CLIENT_ERROR");
        }
      }

      @Test
      void theRequestsDatesAreCheckedBeforeTheBatchIsLookedUp() {
        String courseId = registerCourse(true);
        String batchId = createBatch(batchRequest(courseId));
        String unknown = "0199999999999999998";
        String endDateError = "End date should be greater than start date.";
        // An end not after the start given with it: END_DATE_ERROR, whatever the batch (none here) and whoever asks.
        var endBeforeStart = update(unknown, courseId);
        endBeforeStart.put("startDate", today().plusDays(5).toString());
        endBeforeStart.put("endDate", today().plusDays(3).toString());
        assertUpdateRefused(CREATOR, endBeforeStart, "END_DATE_ERROR", endDateError);
        endBeforeStart.put("id", batchId);
        assertUpdateRefused(STRANGER, endBeforeStart, "END_DATE_ERROR", endDateError);
        // An end before today: INVALID_BATCH_END_DATE_ERROR, also before the lookup; an end before a past start is END_DATE_ERROR first.
        var pastEnd = update(unknown, courseId);
        pastEnd.put("endDate", today().minusDays(1).toString());
        assertUpdateRefused(CREATOR, pastEnd, "INVALID_BATCH_END_DATE_ERROR", "Please provide valid End Date.");
        pastEnd.put("startDate", today().minusDays(1).toString());
        pastEnd.put("endDate", today().minusDays(2).toString());
        assertUpdateRefused(CREATOR, pastEnd, "END_DATE_ERROR", endDateError);
        // Good dates on an unknown batch reach the lookup.
        var good = update(unknown, courseId);
        good.put("endDate", today().plusDays(3).toString());
        assertUpdateRefused(CREATOR, good, "INVALID_COURSE_BATCH_ID", "Invalid course batch id ");
        assertTrue(read(batchId).path("updatedDate").isNull(), "nothing changed");
      }

      @Test
      void startDateIsFrozenOnceInProgress() {
        String courseId = registerCourse(true);
        var req = batchRequest(courseId);
        req.put("startDate", today().toString());
        String batchId = createBatch(req);
        var u = update(batchId, courseId);
        u.put("startDate", today().plusDays(2).toString());
        assertError(call("PATCH", "/v1/course/batch/update", CREATOR, u), 400, "INVALID_BATCH_START_DATE_ERROR");
        u.put("startDate", today().toString());
        assertEquals(200, call("PATCH", "/v1/course/batch/update", CREATOR, u).status(), "the same start date is fine");
      }

      @Test
      void endDateCanBeClearedAndEnrollmentEndFollowsIt() {
        String courseId = registerCourse(true);
        String batchId = createBatch(batchRequest(courseId));
        var u = update(batchId, courseId);
        u.put("endDate", today().plusDays(10).toString());
        assertEquals(200, call("PATCH", "/v1/course/batch/update", CREATOR, u).status());
        assertEquals(today().plusDays(9).toString(), read(batchId).path("enrollmentEndDate").asText());
        u.put("endDate", null);
        assertEquals(200, call("PATCH", "/v1/course/batch/update", CREATOR, u).status());
        JsonNode b = read(batchId);
        assertTrue(b.path("endDate").isNull(), b.toString());
        assertTrue(b.path("enrollmentEndDate").isNull(), b.toString());
      }
    }

    // ---- time-driven status ----

    @Nested
    class Status {
      @Test
      void transitionsHappenAtTheirInstantAndAreRecorded() {
        String courseId = registerCourse(true);
        var req = batchRequest(courseId);
        req.put("endDate", today().plusDays(2).toString());
        String batchId = createBatch(req);
        searchUntil(Map.of("filters", Map.of("batchId", batchId, "status", 0)), r -> r.path("count").asInt() == 1);
        clock.advance(Duration.ofDays(1)); // past the start: nobody reads, the wake-up scheduler records BatchStarted
        JournalProbe.awaitEvent(node.node(), batchId, "BatchStarted");
        searchUntil(Map.of("filters", Map.of("batchId", batchId, "status", 1)), r -> r.path("count").asInt() == 1);
        assertEquals(1, read(batchId).path("status").asInt());
        clock.advance(Duration.ofDays(3)); // past the inclusive end date
        JournalProbe.awaitEvent(node.node(), batchId, "BatchEnded");
        assertEquals(2, read(batchId).path("status").asInt());
        assertEquals(0, read(batchId).path("daysToGo").asInt());
        searchUntil(Map.of("filters", Map.of("batchId", batchId, "status", List.of(2))), r -> r.path("count").asInt() == 1);
      }

      @Test
      void anEndedBatchIsReopenedByExtendingItsEndDate() {
        String courseId = registerCourse(true);
        var req = batchRequest(courseId);
        req.put("startDate", today().toString());
        req.put("endDate", today().plusDays(1).toString());
        String batchId = createBatch(req);
        clock.advance(Duration.ofDays(3));
        assertEquals(2, read(batchId).path("status").asInt());
        Map<String, Object> u = new HashMap<>(Map.of("id", batchId, "courseId", courseId));
        u.put("endDate", today().minusDays(1).toString());
        // lms-service's validator refuses an end before today before it looks at the batch.
        assertError(call("PATCH", "/v1/course/batch/update", CREATOR, u), 400, "INVALID_BATCH_END_DATE_ERROR",
            "Please provide valid End Date.", "CLIENT_ERROR");
        u.put("enrollmentEndDate", today().minusDays(3).toString());
        u.put("endDate", today().plusDays(5).toString());
        assertError(call("PATCH", "/v1/course/batch/update", CREATOR, u), 400, "ENROLLMENT_END_DATE_UPDATE_ERROR");
        u.remove("enrollmentEndDate");
        assertEquals(200, call("PATCH", "/v1/course/batch/update", CREATOR, u).status());
        assertEquals(1, read(batchId).path("status").asInt());
        var types = JournalProbe.eventTypes(node.node(), batchId);
        assertTrue(types.containsAll(List.of("BatchEnded", "EndDateExtended", "BatchReopened")), types.toString());
      }
    }

    // ---- search ----

    @Nested
    class Search {
      @Test
      void filtersSortingPagingAndCount() {
        String courseId = registerCourse(true);
        var a = batchRequest(courseId);
        a.put("name", "A");
        a.put("createdFor", List.of("org-a"));
        var b = batchRequest(courseId);
        b.put("name", "B");
        b.put("enrollmentType", "invite-only");
        b.put("mentors", List.of("mentor-b"));
        var c = batchRequest(courseId);
        c.put("name", "C");
        c.put("startDate", today().toString());
        String idA = createBatch(a);
        createBatch(b);
        createBatch(c);
        Map<String, Object> byCourse = new HashMap<>(Map.of("filters", Map.of("courseId", courseId)));
        searchUntil(byCourse, r -> r.path("count").asInt() == 3);
        byCourse.put("sort_by", Map.of("name", "desc"));
        byCourse.put("limit", 2);
        JsonNode page = searchUntil(byCourse, r -> true);
        assertEquals(3, page.path("count").asInt());
        assertEquals(2, page.path("content").size());
        assertEquals("C", page.path("content").get(0).path("name").asText());
        byCourse.put("offset", 2);
        assertEquals("A", searchUntil(byCourse, r -> true).path("content").get(0).path("name").asText());

        assertEquals("B", only(Map.of("courseId", courseId, "enrollmentType", "invite-only")).path("name").asText());
        assertEquals("B", only(Map.of("courseId", courseId, "mentors", List.of("mentor-b"))).path("name").asText());
        assertEquals(idA, only(Map.of("courseId", courseId, "createdFor", "org-a")).path("batchId").asText());
        assertEquals("C", only(Map.of("courseId", courseId, "status", "1")).path("name").asText());
        assertEquals(3, searchUntil(Map.of("filters", Map.of("courseId", courseId, "createdBy", CREATOR)), r -> true).path("count").asInt());
        Reply gateway = call("POST", "/api/course/v1/batch/list", STRANGER, Map.of("filters", Map.of("courseId", courseId)));
        assertEquals(3, gateway.result().path("response").path("count").asInt());

        // As lms-service: only the fields asked for.
        Reply few = call("POST", "/v1/course/batch/search", STRANGER, Map.of("filters", Map.of("batchId", idA), "fields", List.of("name", "batchId")));
        assertEquals(200, few.status(), few.toString());
        assertEquals("[{\"batchId\":\"" + idA + "\",\"name\":\"A\"}]", few.result().path("response").path("content").toString());
        assertError(call("POST", "/v1/course/batch/search", STRANGER, Map.of("filters", Map.of(), "fields", "name")),
            400, "DATA_TYPE_ERROR", "Data type of fields should be List.", "CLIENT_ERROR");
      }

      JsonNode only(Map<String, Object> filters) {
        JsonNode r = searchUntil(Map.of("filters", filters), x -> x.path("count").asInt() == 1);
        return r.path("content").get(0);
      }

      @Test
      void badSearchesAre400() {
        assertError(call("POST", "/v1/course/batch/search", STRANGER, Map.of("filters", Map.of("colour", "red"))), 400, "INVALID_PARAMETER_VALUE");
        assertError(call("POST", "/v1/course/batch/search", STRANGER, Map.of("filters", Map.of("status", 9))), 400, "INVALID_PARAMETER_VALUE");
        assertError(call("POST", "/v1/course/batch/search", STRANGER, Map.of("limit", 5000)), 400, "INVALID_PARAMETER_VALUE");
        assertError(call("POST", "/v1/course/batch/search", STRANGER, Map.of("sort_by", Map.of("colour", "asc"))), 400, "INVALID_PARAMETER_VALUE");
        assertError(call("POST", "/v1/course/batch/search", STRANGER, Map.of("filters", "courseId")), 400, "DATA_TYPE_ERROR");
      }
    }

    // ---- certificate templates ----

    @Nested
    class CertificateTemplates {
      Map<String, Object> templateRequest(String courseId, String batchId, Map<String, Object> template) {
        return Map.of("batch", Map.of("courseId", courseId, "batchId", batchId, "template", template));
      }

      @Test
      void addReadAndRemoveATemplate() {
        String courseId = registerCourse(true);
        String batchId = createBatch(batchRequest(courseId));
        String templateId = "tmpl-" + UUID.randomUUID().toString().substring(0, 6);
        registerTemplate(templateId, true);
        Map<String, Object> criteria = Map.of("enrollment", Map.of("status", 2), "assessment", Map.of("score", Map.of(">=", 70)));
        Reply add = call("PATCH", "/v1/course/batch/cert/template/add", MENTOR,
            templateRequest(courseId, batchId, Map.of("identifier", templateId, "criteria", criteria)));
        assertEquals(200, add.status(), add.toString());
        JsonNode t = read(batchId).path("cert_templates").path(templateId);
        assertEquals("Template " + templateId, t.path("name").asText());
        assertEquals("https://certs/" + templateId + ".svg", t.path("url").asText());
        assertEquals(2, t.path("criteria").path("enrollment").path("status").asInt());
        assertEquals(70.0, t.path("criteria").path("assessment").path("score").path(">=").asDouble());
        assertEquals("Issuer", t.path("issuer").path("name").asText());
        Reply remove = call("PATCH", "/api/course/batch/cert/v1/template/remove", CREATOR,
            templateRequest(courseId, batchId, Map.of("identifier", templateId)));
        assertEquals(200, remove.status(), remove.toString());
        assertFalse(read(batchId).path("cert_templates").has(templateId));
      }

      @Test
      void everyTemplateErrorAndNothingAttached() {
        String courseId = registerCourse(true);
        String batchId = createBatch(batchRequest(courseId));
        registerTemplate("tmpl-ok", true);
        registerTemplate("tmpl-bare", false);
        Map<String, Object> good = Map.of("enrollment", Map.of("status", 2));
        String path = "/v1/course/batch/cert/template/add";
        record Case(Object request, String err, String message) {}
        List<Case> cases = List.of(
            new Case(Map.of("batch", Map.of("batchId", batchId, "template", Map.of())), "MANDATORY_PARAMETER_MISSING", "Mandatory parameter courseId is missing."),
            new Case(Map.of("batch", Map.of("courseId", courseId, "template", Map.of())), "MANDATORY_PARAMETER_MISSING", "Mandatory parameter batchId is missing."),
            new Case(Map.of("batch", Map.of("courseId", courseId, "batchId", batchId)), "MANDATORY_PARAMETER_MISSING", "Mandatory parameter template is missing."),
            new Case(Map.of("batch", Map.of("courseId", courseId, "batchId", batchId, "template", "x")), "DATA_TYPE_ERROR", "Data type of template should be Map."),
            new Case(templateRequest(courseId, batchId, Map.of("criteria", good)), "MANDATORY_PARAMETER_MISSING", "Mandatory parameter identifier is missing."),
            new Case(templateRequest(courseId, batchId, Map.of("identifier", "tmpl-ok")), "MANDATORY_PARAMETER_MISSING", "Mandatory parameter criteria is missing."),
            new Case(templateRequest(courseId, batchId, Map.of("identifier", "tmpl-ok", "criteria", "x")), "DATA_TYPE_ERROR", "Data type of criteria should be Map."),
            new Case(templateRequest(courseId, batchId, Map.of("identifier", "tmpl-ok", "criteria", Map.of())), "MANDATORY_PARAMETER_MISSING", "Mandatory parameter Enrollment or Status is missing."),
            new Case(templateRequest(courseId, batchId, Map.of("identifier", "tmpl-ok", "criteria", Map.of("enrollment", Map.of()))), "MANDATORY_PARAMETER_MISSING", "Mandatory parameter status is missing."),
            new Case(templateRequest(courseId, batchId, Map.of("identifier", "tmpl-ok", "criteria", Map.of("enrollment", Map.of("status", 2, "x", 1)))), "INVALID_PROPERTY_ERROR", "Invalid property for Enrollment."),
            // Parts of the template are named as lms-service's validator names them, not by their path.
            new Case(templateRequest(courseId, batchId, Map.of("identifier", "tmpl-ok", "criteria", Map.of("enrollment", "x"))), "DATA_TYPE_ERROR", "Data type of enrollment should be Map."),
            new Case(templateRequest(courseId, batchId, Map.of("identifier", "tmpl-ok", "criteria", good, "issuer", "x")), "DATA_TYPE_ERROR", "Data type of issuer should be Map."),
            new Case(templateRequest(courseId, batchId, Map.of("identifier", "tmpl-ok", "criteria", good, "signatoryList", "x")), "DATA_TYPE_ERROR", "Data type of signatoryList should be List."),
            new Case(templateRequest(courseId, batchId, Map.of("identifier", "tmpl-ok", "criteria", Map.of("assessment", Map.of()))), "MANDATORY_PARAMETER_MISSING", "Mandatory parameter score is missing."),
            new Case(templateRequest(courseId, batchId, Map.of("identifier", "tmpl-ok", "criteria", Map.of("assessment", Map.of("score", Map.of(">", 5))))), "INVALID_PROPERTY_ERROR", "Invalid property for Score."),
            new Case(templateRequest(courseId, batchId, Map.of("identifier", "tmpl-ok", "criteria", Map.of("enrollment", Map.of("status", 2), "user", Map.of()))), "MANDATORY_PARAMETER_MISSING", "Mandatory parameter rootOrgId is missing."),
            new Case(templateRequest(courseId, batchId, Map.of("identifier", "tmpl-ok", "criteria", good, "signatoryList", List.of(Map.of("name", "x")))), "INVALID_DATA", "Signatory list missing attribute"),
            new Case(templateRequest(courseId, "0100000000000000001", Map.of("identifier", "tmpl-ok", "criteria", good)), "CLIENT_ERROR", "No such batchId exists"),
            new Case(templateRequest("do_other", batchId, Map.of("identifier", "tmpl-ok", "criteria", good)), "CLIENT_ERROR", "batchId is not linked with courseId"),
            new Case(templateRequest(courseId, batchId, Map.of("identifier", "tmpl-unknown", "criteria", good)), "CLIENT_ERROR", "Invalid template Id: tmpl-unknown"),
            new Case(templateRequest(courseId, batchId, Map.of("identifier", "tmpl-bare", "criteria", good)), "CLIENT_ERROR", "Issuer or signatoryList is empty. Invalid template Id: tmpl-bare"));
        for (Case c : cases) {
          for (String on : List.of(path, "/api/course/batch/cert/v1/template/add")) {
            assertError(call("PATCH", on, CREATOR, c.request()), 400, c.err(), c.message(), "CLIENT_ERROR");
          }
        }
        assertError(call("PATCH", path, STRANGER, templateRequest(courseId, batchId, Map.of("identifier", "tmpl-ok", "criteria", good))),
            401, "UNAUTHORIZED_USER");
        assertEquals("{}", read(batchId).path("cert_templates").toString(), "nothing attached");
        // The bare asset works once the request brings its own issuer and signatories.
        Reply withOwn = call("PATCH", path, CREATOR, templateRequest(courseId, batchId, Map.of("identifier", "tmpl-bare", "criteria", good,
            "issuer", Map.of("name", "Own"), "signatoryList", List.of(Map.of("name", "A", "id", "A", "designation", "D", "image", "I")))));
        assertEquals(200, withOwn.status(), withOwn.toString());
        // As lms-service, naming both is enough, even empty ones.
        Reply empty = call("PATCH", path, CREATOR, templateRequest(courseId, batchId, Map.of("identifier", "tmpl-bare", "criteria", good,
            "issuer", Map.of(), "signatoryList", List.of())));
        assertEquals(200, empty.status(), empty.toString());
      }

      @Test
      void removingChecksTheBatchAndTheTemplateAsLmsServiceDoes() {
        String courseId = registerCourse(true);
        String batchId = createBatch(batchRequest(courseId));
        registerTemplate("tmpl-known", true);
        String path = "/v1/course/batch/cert/template/remove";
        assertError(call("PATCH", path, CREATOR, templateRequest(courseId, "0100000000000000001", Map.of("identifier", "tmpl-known"))),
            400, "CLIENT_ERROR", "No such batchId exists", "CLIENT_ERROR");
        assertError(call("PATCH", path, CREATOR, templateRequest("do_other", batchId, Map.of("identifier", "tmpl-known"))),
            400, "CLIENT_ERROR", "batchId is not linked with courseId", "CLIENT_ERROR");
        assertError(call("PATCH", path, CREATOR, templateRequest(courseId, batchId, Map.of("identifier", "tmpl-none"))),
            400, "CLIENT_ERROR", "Invalid template Id: tmpl-none", "CLIENT_ERROR");
        Reply notAttached = call("PATCH", path, CREATOR, templateRequest(courseId, batchId, Map.of("identifier", "tmpl-known")));
        assertEquals(200, notAttached.status(), "a known template that is not attached: no change " + notAttached);
        assertEquals("SUCCESS", notAttached.result().path("response").asText(), notAttached.toString());
      }
    }
  }
}
