package org.coursebatch.node;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import org.coursebatch.node.ApiClient.Reply;
import org.coursebatch.persistence.testing.OnBothDatabases;
import org.coursebatch.persistence.testing.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Group activity aggregates over HTTP against running nodes on a real database: enrolments,
 * progress and assessment attempts are made through the API, the members come from the built-in
 * groups store, from a fake Sunbird groups service running as an HTTP server (answering, failing,
 * slow, not knowing the group), or from a groups service that is down.
 */
@OnBothDatabases
class GroupActivityApiTest {

  @Nested
  class Contract extends NodeApiContract {

    Contract(TestDatabase database) {
      super(database);
    }

    static final String AGG = "/v1/group/activity/agg";
    static final String GATEWAY_AGG = "/api/data/v1/group/activity/agg";
    /** Writes the built-in groups store and reads every group: a system admin (a group has no organisation). */
    static final String GROUPS_ADMIN = "system-admin-1";

    static String unique(String name) {
      return name + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    static Map<String, Object> member(String userId, String role) {
      return Map.of("userId", userId, "name", "Name of " + userId, "role", role);
    }

    static Map<String, Object> aggregates(String groupId, String courseId) {
      return Map.of("groupId", groupId, "activityId", courseId, "activityType", "Course");
    }

    static Reply aggregate(ApiClient client, String path, String caller, String groupId, String courseId) {
      return client.call("POST", path, token(caller), aggregates(groupId, courseId));
    }

    static void enrol(ApiClient client, String user, String courseId, String batchId) {
      Reply r = client.call("POST", "/v1/course/enroll", token(user), Map.of("courseId", courseId, "batchId", batchId));
      assertEquals(200, r.status(), r.toString());
    }

    static void unenrol(ApiClient client, String user, String courseId, String batchId) {
      Reply r = client.call("POST", "/v1/course/unenroll", token(user), Map.of("courseId", courseId, "batchId", batchId));
      assertEquals(200, r.status(), r.toString());
    }

    /** Reports leaves of the course ({@code c1} the video, {@code a1} the quiz) completed. */
    static void complete(ApiClient client, String user, String courseId, String batchId, String... leaves) {
      List<Map<String, Object>> contents = new ArrayList<>();
      for (String leaf : leaves) {
        contents.add(Map.of("courseId", courseId, "batchId", batchId, "contentId", courseId + "_" + leaf, "status", 2));
      }
      progress(client, user, contents, List.of());
    }

    /** An attempt at the course's quiz (question q1, worth 2) scoring {@code score}. */
    static void attempt(ApiClient client, String user, String courseId, String batchId, String attemptId, int score, long at) {
      Map<String, Object> item = Map.of("id", "q1", "title", "Question 1", "type", "mcq", "maxscore", 2,
          "params", List.of(Map.of("1", "A")));
      Map<String, Object> assess = Map.of("eid", "ASSESS", "ets", at, "edata", Map.of("item", item, "score", score,
          "resvalues", List.of(Map.of("1", "A")), "duration", 5));
      progress(client, user, List.of(), List.of(Map.of("assessmentTs", at, "courseId", courseId, "contentId", courseId + "_a1",
          "batchId", batchId, "userId", user, "attemptId", attemptId, "events", List.of(assess))));
    }

    static void progress(ApiClient client, String user, List<?> contents, List<?> assessments) {
      Reply r = client.call("PATCH", "/v1/content/state/update", token(user), Map.of("contents", contents, "assessments", assessments));
      assertEquals(200, r.status(), r.toString());
    }

    /** The members' aggregates by user id, each as metric name to value. */
    static Map<String, Map<String, Double>> byMember(JsonNode result) {
      Map<String, Map<String, Double>> out = new LinkedHashMap<>();
      for (JsonNode m : result.path("members")) {
        Map<String, Double> agg = new LinkedHashMap<>();
        m.path("agg").forEach(a -> agg.put(a.path("metric").asText(), a.path("value").asDouble()));
        out.put(m.path("userId").asText(), agg);
      }
      return out;
    }

    /** Asks until the aggregates (which read a projection) satisfy the condition; returns the result. */
    static JsonNode aggregatesUntil(ApiClient client, String caller, String groupId, String courseId, Predicate<JsonNode> condition) {
      return pollUntil("aggregates of " + groupId, PROJECTION, () -> {
        Reply r = aggregate(client, AGG, caller, groupId, courseId);
        assertEquals(200, r.status(), r.toString());
        assertEquals("api.group.activity.agg", r.body().path("id").asText());
        return r.result();
      }, condition);
    }

    static void assertServiceUnavailable(Reply r, String because) {
      assertError(r, 503, "SERVICE_UNAVAILABLE");
      assertEquals("SERVICE_UNAVAILABLE", r.body().path("responseCode").asText());
      assertTrue(r.errmsg().startsWith("Error while fetching group members record: the groups service is unavailable ("), r.errmsg());
      assertTrue(r.errmsg().contains(because), r.errmsg());
    }

    /** A node of its own whose groups come from {@code url}, with these groups settings. */
    TestNode nodeWithGroupsService(String url, String timeout, int retries, String backoff, int maxFailures, String resetTimeout)
        throws Exception {
      return nodeWith(Map.of(
          "course-batch.groups.url", url, "course-batch.groups.timeout", timeout, "course-batch.groups.retries", retries,
          "course-batch.groups.retry-backoff", backoff, "course-batch.groups.breaker.max-failures", maxFailures,
          "course-batch.groups.breaker.reset-timeout", resetTimeout));
    }

    // ---- the built-in groups store ----

    /**
     * A course with two batches and another course; alice is enrolled in one batch, bob in both,
     * carol left, dave never enrolled, erin is enrolled in the other course; the leader asks.
     */
    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class BuiltInStore {
      String courseId;
      String groupId;
      String leader;
      String alice;
      String bob;
      String carol;
      String dave;
      String erin;

      @BeforeAll
      void groupAndLearners() {
        courseId = registerCourse(true);
        String b1 = createBatch(ongoingBatch(courseId));
        String b2 = createBatch(ongoingBatch(courseId));
        String otherCourse = registerCourse(true);
        String other = createBatch(ongoingBatch(otherCourse));
        leader = unique("leader");
        alice = unique("alice");
        bob = unique("bob");
        carol = unique("carol");
        dave = unique("dave");
        erin = unique("erin");

        enrol(api, alice, courseId, b1);
        complete(api, alice, courseId, b1, "c1");
        attempt(api, alice, courseId, b1, "alice-1", 1, clock.millis());
        attempt(api, alice, courseId, b1, "alice-2", 2, clock.millis() + 1);
        enrol(api, bob, courseId, b1);
        attempt(api, bob, courseId, b1, "bob-1", 0, clock.millis());
        enrol(api, bob, courseId, b2);
        complete(api, bob, courseId, b2, "c1", "a1");
        enrol(api, carol, courseId, b1);
        complete(api, carol, courseId, b1, "c1");
        unenrol(api, carol, courseId, b1);
        enrol(api, erin, otherCourse, other);

        groupId = unique("group");
        Reply put = api.call("PUT", "/v1/group/" + groupId, token(GROUPS_ADMIN, "SYSTEM_ADMINISTRATION"), Map.of("name", "Study circle", "members",
            List.of(member(leader, "admin"), member(bob, "member"), member(carol, "member"), member(dave, "member"),
                member(erin, "member"), member(alice, "member"))));
        assertEquals(200, put.status(), put.toString());
        assertEquals("{\"response\":\"SUCCESS\",\"groupId\":\"" + groupId + "\"}", put.result().toString());
      }

      Map<String, Double> expectedAlice() {
        return Map.of("completedCount", 1.0, "enrolmentCount", 1.0, "progress", 50.0,
            "score:" + courseId + "_a1", 2.0, "max_score:" + courseId + "_a1", 2.0);
      }

      Map<String, Double> expectedBob() {
        return Map.of("completedCount", 2.0, "enrolmentCount", 2.0, "progress", 100.0,
            "score:" + courseId + "_a1", 0.0, "max_score:" + courseId + "_a1", 2.0);
      }

      @Test
      void membersTakingPartWithTheirProgressAndBestScoresOnBothPaths() {
        JsonNode result = aggregatesUntil(api, leader, groupId, courseId,
            r -> byMember(r).equals(Map.of(bob, expectedBob(), alice, expectedAlice())));
        assertEquals(groupId, result.path("groupId").asText());
        assertEquals(courseId, result.at("/activity/id").asText());
        assertEquals("Course", result.at("/activity/type").asText());
        JsonNode count = result.at("/activity/agg/0");
        assertEquals("enrolmentCount", count.path("metric").asText());
        assertEquals(2, count.path("value").asLong(), "bob and alice; carol left, dave never enrolled, erin is elsewhere");
        assertTrue(count.path("value").isIntegralNumber(), count.toString());
        assertEquals(clock.millis(), count.path("lastUpdatedOn").asLong(), "dated by the answer");
        assertEquals(List.of(bob, alice), new ArrayList<>(byMember(result).keySet()), "the group's order");

        JsonNode first = result.at("/members/0");
        assertEquals("member", first.path("role").asText());
        assertEquals("active", first.path("status").asText());
        assertEquals("Name of " + bob, first.path("name").asText());
        assertEquals(GROUPS_ADMIN, first.path("createdBy").asText());
        assertEquals(List.of("completedCount", "enrolmentCount", "progress", "score:" + courseId + "_a1", "max_score:" + courseId + "_a1"),
            names(first.path("agg")));
        for (JsonNode metric : first.path("agg")) {
          assertTrue(metric.path("value").isDouble(), "Sunbird's doubles: " + metric);
          assertTrue(metric.path("lastUpdatedOn").asLong() > 0 && metric.path("lastUpdatedOn").asLong() <= clock.millis(), metric.toString());
        }

        Reply gateway = aggregate(api, GATEWAY_AGG, leader, groupId, courseId);
        assertEquals(200, gateway.status(), gateway.toString());
        assertEquals("api.group.activity.agg", gateway.body().path("id").asText());
        assertEquals(result, gateway.result());
      }

      List<String> names(JsonNode agg) {
        List<String> out = new ArrayList<>();
        agg.forEach(a -> out.add(a.path("metric").asText()));
        return out;
      }

      @Test
      void membersAndAdminsMayReadOthersMayNot() {
        aggregatesUntil(api, leader, groupId, courseId, r -> byMember(r).size() == 2);
        assertEquals(200, aggregate(api, AGG, dave, groupId, courseId).status(), "any member, enrolled or not");
        assertError(aggregate(api, AGG, STRANGER, groupId, courseId), 401, "UNAUTHORIZED_USER");
        Reply admin = api.call("POST", AGG, token(GROUPS_ADMIN, "SYSTEM_ADMINISTRATION"), aggregates(groupId, courseId));
        assertEquals(200, admin.status(), admin.toString());
        assertError(api.call("POST", AGG, token("org-admin-1", "ORG_ADMIN"), aggregates(groupId, courseId)), 401, "UNAUTHORIZED_USER");
        assertError(api.call("POST", AGG, null, aggregates(groupId, courseId)), 401, "UNAUTHORIZED_USER");
      }

      @Test
      void anActivityNobodyInTheGroupTakesPartIn() {
        String empty = registerCourse(true);
        Reply r = aggregate(api, AGG, leader, groupId, empty);
        assertEquals(200, r.status(), r.toString());
        assertEquals(0, r.result().at("/activity/agg/0/value").asLong());
        assertEquals(0, r.result().path("members").size());
        Reply unknownCourse = aggregate(api, AGG, leader, groupId, "do_not_in_the_catalog");
        assertEquals(200, unknownCourse.status(), "as Sunbird: an empty aggregate " + unknownCourse);
        assertEquals(0, unknownCourse.result().path("members").size());
      }

      @Test
      void sunbirdsValidationErrorsAnUnsupportedTypeAndAnUnknownGroup() {
        for (String path : List.of(AGG, GATEWAY_AGG)) {
          assertError(call("POST", path, leader, Map.of()), 400, "INVALID_REQUESTED_DATA",
              "Requested data for this operation is not valid.", "CLIENT_ERROR");
          assertError(call("POST", path, leader, Map.of("activityId", courseId, "activityType", "Course")), 400, "GROUP_ID_MISSING",
              "GroupId is mandatory.", "CLIENT_ERROR");
        }
        assertError(call("POST", AGG, leader, Map.of("groupId", groupId, "activityType", "Course")), 400, "ACTIVITY_ID_MISSING");
        Reply noType = call("POST", AGG, leader, Map.of("groupId", groupId, "activityId", courseId));
        assertError(noType, 400, "ACTIVITY_TYPE_MISSING");
        assertEquals("ActivityType is mandatory.", noType.errmsg());
        assertError(call("POST", AGG, leader, Map.of("groupId", groupId, "activityId", courseId, "activityType", "Quiz")),
            400, "INVALID_PARAMETER_VALUE");
        Reply unknown = aggregate(api, AGG, leader, "no-such-group", courseId);
        assertError(unknown, 404, "GROUP_NOT_FOUND");
        assertEquals("RESOURCE_NOT_FOUND", unknown.body().path("responseCode").asText());
      }

      @Test
      void theStoredGroupIsReadAndReplacedWhole() {
        Reply read = call("GET", "/v1/group/" + groupId, alice, null);
        assertEquals(200, read.status(), read.toString());
        assertEquals(groupId, read.result().path("id").asText());
        assertEquals("Study circle", read.result().path("name").asText());
        assertEquals(6, read.result().path("members").size());
        assertError(call("GET", "/v1/group/" + groupId, STRANGER, null), 401, "UNAUTHORIZED_USER");
        assertError(call("GET", "/v1/group/no-such-group", alice, null), 404, "GROUP_NOT_FOUND");

        String adminToken = token(GROUPS_ADMIN, "SYSTEM_ADMINISTRATION");
        String replaced = unique("replaced");
        Reply bad = api.call("PUT", "/v1/group/" + replaced, adminToken, Map.of("members", List.of(member(alice, "owner"))));
        assertError(bad, 400, "INVALID_PARAMETER_VALUE");
        assertError(api.call("PUT", "/v1/group/" + replaced, token(alice), Map.of("members", List.of())), 403, "FORBIDDEN");
        assertEquals(200, api.call("PUT", "/v1/group/" + replaced, adminToken, Map.of("members", List.of(member(bob, "admin"),
            member(alice, "member")))).status());
        aggregatesUntil(api, bob, replaced, courseId, r -> byMember(r).size() == 2);
        assertEquals(200, api.call("PUT", "/v1/group/" + replaced, adminToken, Map.of("members", List.of(member(bob, "admin"))))
            .status());
        JsonNode after = aggregatesUntil(api, bob, replaced, courseId, r -> true);
        assertEquals(List.of(bob), new ArrayList<>(byMember(after).keySet()), "alice is no longer a member");
        assertError(aggregate(api, AGG, alice, replaced, courseId), 401, "UNAUTHORIZED_USER");
      }
    }

    // ---- a groups service ----

    /** A node whose groups come from a fake groups service: 1 s a call, 2 retries, a breaker that stays closed here. */
    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class OverAGroupsService {
      static final Duration TIMEOUT = Duration.ofSeconds(1);
      /** Three calls of 1 s and the waits of 100 and 200 ms between them. */
      static final Duration WORST_CASE = Duration.ofMillis(3_300);

      FakeGroupsService groups;
      TestNode own;
      ApiClient client;
      String courseId;
      String leader;
      String alice;
      String dave;

      @BeforeAll
      void startServiceAndNode() throws Exception {
        groups = FakeGroupsService.start();
        own = nodeWithGroupsService(groups.url(), "1s", 2, "100ms", 1_000, "1s");
        client = own.client();
        courseId = registerCourse(client, true);
        String batch = createBatch(client, ongoingBatch(courseId));
        leader = unique("leader");
        alice = unique("alice");
        dave = unique("dave");
        enrol(client, alice, courseId, batch);
        complete(client, alice, courseId, batch, "c1", "a1");
      }

      @AfterAll
      void stopServiceAndNode() {
        if (own != null) {
          own.close();
        }
        if (groups != null) {
          groups.close();
        }
      }

      @Test
      void theMembersComeFromTheServiceAskedWithTheCallersToken() throws Exception {
        String groupId = unique("remote group");
        groups.group(groupId, "Remote", List.of(member(leader, "admin"), member(alice, "member"), member(dave, "member"),
            Map.of("name", "a member without an id")));
        var expected = Map.of(alice, Map.of("completedCount", 2.0, "enrolmentCount", 1.0, "progress", 100.0));
        JsonNode result = aggregatesUntil(client, leader, groupId, courseId, r -> byMember(r).equals(expected));
        assertEquals(1, result.at("/activity/agg/0/value").asLong());
        String leaderToken = token(leader);
        assertEquals(200, client.call("POST", AGG, leaderToken, aggregates(groupId, courseId)).status());
        List<FakeGroupsService.Request> asked = groups.requestsFor(groupId);
        assertEquals("fields=members", asked.get(asked.size() - 1).query());
        assertEquals(leaderToken, asked.get(asked.size() - 1).userToken(), "the caller's token goes along");
        assertError(aggregate(client, AGG, STRANGER, groupId, courseId), 401, "UNAUTHORIZED_USER");
      }

      @Test
      void aGroupTheServiceDoesNotKnowIsNotFound() {
        Reply r = aggregate(client, AGG, leader, "unknown-remote", courseId);
        assertError(r, 404, "GROUP_NOT_FOUND");
        assertEquals(1, groups.requestsFor("unknown-remote").size(), "not retried");
      }

      @Test
      void aFailingServiceIsRetriedThenUnavailable() {
        String groupId = unique("failing");
        groups.failing(groupId, 500);
        Reply r = aggregate(client, AGG, leader, groupId, courseId);
        assertServiceUnavailable(r, "it answered HTTP 500");
        assertEquals(3, groups.requestsFor(groupId).size(), "the call and two retries");
      }

      @Test
      void aSlowServiceIsUnavailableWithinTheConfiguredTime() {
        String groupId = unique("slow");
        groups.slow(groupId, Duration.ofSeconds(20));
        long started = System.nanoTime();
        Reply r = aggregate(client, GATEWAY_AGG, leader, groupId, courseId);
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        assertServiceUnavailable(r, "no answer within 1000 ms");
        assertTrue(took.compareTo(TIMEOUT) >= 0, "it waited for the service: " + took);
        assertTrue(took.compareTo(WORST_CASE.multipliedBy(2)) < 0, "answered in " + took + ", not after the service's 20 s");
      }

      @Test
      void theBuiltInStoreIsNotServed() {
        Reply r = api.call("PUT", "/v1/group/x", token(GROUPS_ADMIN, "SYSTEM_ADMINISTRATION"), Map.of("members", List.of()));
        assertEquals(200, r.status(), "the other node keeps groups itself: " + r);
        assertError(client.call("PUT", "/v1/group/x", token(GROUPS_ADMIN, "SYSTEM_ADMINISTRATION"), Map.of("members", List.of())), 404,
            "RESOURCE_NOT_FOUND");
        assertError(client.call("GET", "/v1/group/x", token(GROUPS_ADMIN, "SYSTEM_ADMINISTRATION"), null), 404, "RESOURCE_NOT_FOUND");
      }
    }

    /**
     * A node whose groups service is down (nothing listens on its port): unavailable, and after five
     * failed calls in a row the breaker opens and requests are answered at once without calling.
     */
    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class WhenTheGroupsServiceIsDown {
      TestNode own;
      ApiClient client;
      String closedUrl;

      @BeforeAll
      void startNode() throws Exception {
        closedUrl = "http://127.0.0.1:" + FreePorts.next();
        own = nodeWithGroupsService(closedUrl, "1s", 2, "100ms", 5, "30s");
        client = own.client();
      }

      @AfterAll
      void stopNode() {
        if (own != null) {
          own.close();
        }
      }

      @Test
      void requestsAreUnavailableAndTheBreakerOpensAfterRepeatedFailures() {
        String courseId = registerCourse(client, true);
        long started = System.nanoTime();
        Reply first = aggregate(client, AGG, GROUPS_ADMIN, "g1", courseId);
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        assertServiceUnavailable(first, "");
        assertFalse(first.errmsg().contains("too many failures"), "three failed calls: the breaker is still closed " + first);
        assertTrue(took.compareTo(Duration.ofMillis(6_600)) < 0, "answered in " + took);

        // the fourth and fifth failed calls open the breaker; the third try of this request is refused by it
        Reply second = aggregate(client, AGG, GROUPS_ADMIN, "g1", courseId);
        assertServiceUnavailable(second, "too many failures in a row");

        long openStarted = System.nanoTime();
        Reply third = aggregate(client, GATEWAY_AGG, GROUPS_ADMIN, "g2", courseId);
        Duration open = Duration.ofNanos(System.nanoTime() - openStarted);
        assertServiceUnavailable(third, "too many failures in a row");
        assertTrue(open.compareTo(Duration.ofSeconds(1)) < 0, "an open breaker answers at once, not after a call: " + open);
      }
    }
  }
}
