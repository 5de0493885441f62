package org.coursebatch.node;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.coursebatch.core.enrollment.EnrollmentEvent.AssessmentAttempted;
import org.coursebatch.core.enrollment.EnrollmentEvent.CertificateIssued;
import org.coursebatch.core.enrollment.EnrollmentEvent.Enrolled;
import org.coursebatch.core.enrollment.EnrollmentEvent;
import org.coursebatch.node.ApiClient.Reply;
import org.coursebatch.persistence.testing.OnBothDatabases;
import org.coursebatch.persistence.testing.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Enrolment, participants, enrolment lists, progress and certificates over HTTP against a running
 * node and a real database (docs/api.md "Enrolment, progress and certificates"); the journal is
 * read as an auditor would. Every test makes its own course, batches and learners; the clock only
 * ever moves forward.
 */
@OnBothDatabases
class EnrollmentApiTest {

  @Nested
  class Contract extends NodeApiContract {

    Contract(TestDatabase database) {
      super(database);
    }

    /** An org admin of {@link Directory#ORG}, the organisation of the creator, the batches and the placed learners. */
    static final String ORG_ADMIN = "org-admin-1";
    /** An org admin of {@link Directory#OTHER_ORG}: no authority over {@link Directory#ORG}'s users or batches. */
    static final String OTHER_ORG_ADMIN = "org-admin-elsewhere";
    static final String INVALID_BATCH = "0199999999999999999";

    /** Each test's own course, and an open batch of it in progress ({@link #freshCourseAndBatch}). */
    String courseId;
    String batchId;

    @BeforeAll
    void placeTheCreatorAndTheOrgAdmins() {
      Directory.place(api, Directory.ORG, CREATOR, ORG_ADMIN);
      Directory.place(api, Directory.OTHER_ORG, OTHER_ORG_ADMIN);
    }

    /** The batch is created for {@link Directory#ORG}, so its creator and mentors act on the placed learners. */
    @BeforeEach
    void freshCourseAndBatch() {
      courseId = registerCourse(true);
      batchId = createBatch(Directory.forOrg(ongoingBatch(courseId)));
    }

    // ---- helpers ----

    /** A learner no other test uses, unknown to the user directory (learners enrolling themselves need no profile). */
    static String learner(String name) {
      return name + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** A learner no other test uses, placed in {@link Directory#ORG}: the creator, mentors and org admin act on them. */
    String learnerOfOrg(String name) {
      return learnerIn(Directory.ORG, name);
    }

    /** A learner no other test uses, placed in {@code rootOrgId}. */
    String learnerIn(String rootOrgId, String name) {
      String user = learner(name);
      Directory.place(api, rootOrgId, user);
      return user;
    }

    static Map<String, Object> enrolment(String courseId, String batchId) {
      return Map.of("courseId", courseId, "batchId", batchId);
    }

    /** A new learner, enrolled in this test's batch. */
    String enrolledLearner(String name) {
      String user = learner(name);
      assertSuccess(enrol(user, courseId, batchId), "api.course.enroll");
      return user;
    }

    Reply enrol(String user, String courseId, String batchId) {
      return call("POST", "/v1/course/enroll", user, enrolment(courseId, batchId));
    }

    Reply unenrol(String user, String courseId, String batchId) {
      return call("POST", "/v1/course/unenroll", user, enrolment(courseId, batchId));
    }

    /** Admin enrol or unenrol ({@code path}) of {@code userId} by {@code adminToken}. */
    Reply onBehalf(String path, String adminToken, String courseId, String batchId, String userId) {
      return api.call("POST", path, adminToken, Map.of("courseId", courseId, "batchId", batchId, "userId", userId));
    }

    static void assertSuccess(Reply r, String apiId) {
      assertEquals(200, r.status(), r.toString());
      assertEquals(apiId, r.body().path("id").asText(), r.toString());
      assertEquals("success", r.body().path("params").path("status").asText(), r.toString());
      assertEquals("{\"response\":\"SUCCESS\"}", r.result().toString(), r.toString());
    }

    List<String> journal(String batchId, String userId) {
      return JournalProbe.enrollmentEventTypes(node.node(), batchId, userId);
    }

    List<EnrollmentEvent> events(String batchId, String userId) {
      return JournalProbe.enrollmentEvents(node.node(), batchId, userId);
    }

    <E extends EnrollmentEvent> List<E> events(String batchId, String userId, Class<E> type) {
      return events(batchId, userId).stream().filter(type::isInstance).map(type::cast).toList();
    }

    /** Sends the request and checks it was refused with {@code err} and recorded nothing, for the learner or the batch. */
    void assertRefused(Supplier<Reply> request, int status, String err, String batchId, String userId) {
      List<String> learnerBefore = journal(batchId, userId);
      List<String> batchBefore = JournalProbe.eventTypes(node.node(), batchId);
      Reply r = request.get();
      assertError(r, status, err);
      assertEquals(learnerBefore, journal(batchId, userId), "the learner's journal is unchanged by " + r);
      assertEquals(batchBefore, JournalProbe.eventTypes(node.node(), batchId), "the batch's journal is unchanged by " + r);
    }

    // progress

    static Map<String, Object> content(String courseId, String batchId, String contentId, int status, Integer progress) {
      Map<String, Object> c = new HashMap<>(Map.of("courseId", courseId, "batchId", batchId, "contentId", contentId, "status", status));
      if (progress != null) {
        c.put("progress", progress);
      }
      return c;
    }

    Reply updateState(String path, String user, List<?> contents, List<?> assessments) {
      return call("PATCH", path, user, Map.of("contents", contents, "assessments", assessments));
    }

    Reply updateState(String user, List<?> contents, List<?> assessments) {
      return updateState("/v1/content/state/update", user, contents, assessments);
    }

    /** Reports both leaves of the course completed; returns the (checked) result map. */
    JsonNode completeCourse(String user, String courseId, String batchId) {
      Reply r = updateState(user, List.of(content(courseId, batchId, courseId + "_c1", 2, 100),
          content(courseId, batchId, courseId + "_a1", 2, 100)), List.of());
      assertEquals(200, r.status(), r.toString());
      assertEquals("SUCCESS", r.result().path(courseId + "_c1").asText(), r.toString());
      assertEquals("SUCCESS", r.result().path(courseId + "_a1").asText(), r.toString());
      return r.result();
    }

    /** The learner's content states in the batch (POST /v1/content/state/read). */
    JsonNode contentList(String user, String courseId, String batchId, List<String> fields) {
      Reply r = call("POST", "/v1/content/state/read", user, Map.of("courseId", courseId, "batchId", batchId, "fields", fields));
      assertEquals(200, r.status(), r.toString());
      assertEquals("api.content.state.read", r.body().path("id").asText());
      return r.result().path("contentList");
    }

    static JsonNode find(JsonNode list, String field, String value) {
      for (JsonNode e : list) {
        if (value.equals(e.path(field).asText())) {
          return e;
        }
      }
      return MissingNode.getInstance();
    }

    // lists

    /** {@code uid}'s enrolment list as {@code viewerToken} sees it on {@code path} (must be 200). */
    JsonNode courses(String path, String viewerToken, String uid, String query) {
      Reply r = api.call("GET", path + uid + query, viewerToken, null);
      assertEquals(200, r.status(), r.toString());
      assertEquals("api.user.courses.list", r.body().path("id").asText());
      return r.result().path("courses");
    }

    /** The learner's own enrolment in the batch, once the list shows it satisfying the condition. */
    JsonNode enrolmentUntil(String uid, String batchId, Predicate<JsonNode> condition) {
      return pollUntil(uid + "'s enrolment in " + batchId, PROJECTION,
          () -> find(courses("/v1/user/courses/list/", token(uid), uid, ""), "batchId", batchId), condition);
    }

    /** The batch's participant list as its creator sees it, once it satisfies the condition. */
    JsonNode participantsUntil(String batchId, boolean active, Predicate<JsonNode> condition) {
      return pollUntil("participants of " + batchId, PROJECTION, () -> participants(api, batchId, active), condition);
    }

    static JsonNode participants(ApiClient client, String batchId, boolean active) {
      Reply r = client.call("POST", "/v1/batch/participants/list", token(CREATOR), Map.of("batch", Map.of("batchId", batchId, "active", active)));
      assertEquals(200, r.status(), r.toString());
      return r.result().path("batch");
    }

    static List<String> texts(JsonNode array) {
      List<String> out = new ArrayList<>();
      array.forEach(v -> out.add(v.asText()));
      return out;
    }

    // certificates

    /** Registers a template asset and attaches it to the batch with these criteria. */
    String addTemplate(String courseId, String batchId, Map<String, Object> criteria) {
      String templateId = "tmpl-" + UUID.randomUUID().toString().substring(0, 8);
      registerTemplate(templateId, true);
      Reply r = call("PATCH", "/v1/course/batch/cert/template/add", CREATOR,
          Map.of("batch", Map.of("courseId", courseId, "batchId", batchId, "template", Map.of("identifier", templateId, "criteria", criteria))));
      assertEquals(200, r.status(), r.toString());
      return templateId;
    }

    Reply issue(String path, String user, String courseId, String batchId, List<String> userIds) {
      return call("POST", path, user, Map.of("courseId", courseId, "batchId", batchId, "userIds", userIds));
    }

    // ---- enrol and unenrol ----

    @Nested
    class SelfEnrolment {
      @Test
      void enrolAndUnenrolOnEveryPath() {
        List<List<String>> paths = List.of(
            List.of("/v1/course/enroll", "/v1/course/unenroll"),
            List.of("/api/course/v1/enroll", "/api/course/v1/unenroll"),
            List.of("/api/course/v1/enrol", "/api/course/v1/unenrol"));
        for (List<String> pair : paths) {
          String user = learner("path");
          assertSuccess(call("POST", pair.get(0), user, enrolment(courseId, batchId)), "api.course.enroll");
          List<Enrolled> enrolled = events(batchId, user, Enrolled.class);
          assertEquals(1, enrolled.size(), pair.get(0));
          assertEquals(courseId, enrolled.get(0).courseId());
          assertEquals(user, enrolled.get(0).actor());
          assertFalse(enrolled.get(0).seat(), "a batch without a capacity hands out no seats");
          assertSuccess(call("POST", pair.get(1), user, Map.of("collectionId", courseId, "batchId", batchId)), "api.course.unenroll");
          assertEquals(List.of("Enrolled", "Unenrolled"), journal(batchId, user), pair.get(1));
        }
      }

      @Test
      void enrolErrorsComeInSunbirdsOrderAndRecordNothing() {
        String otherCourse = registerCourse(true);
        String user = learner("errors");
        Reply missingCourse = call("POST", "/v1/course/enroll", user, Map.of("batchId", batchId));
        assertError(missingCourse, 400, "MANDATORY_PARAMETER_MISSING");
        assertEquals("Mandatory parameter courseId/collectionId is missing.", missingCourse.errmsg());
        Reply missingBatch = call("POST", "/api/course/v1/enrol", user, Map.of("courseId", courseId));
        assertError(missingBatch, 400, "MANDATORY_PARAMETER_MISSING");
        assertEquals("Mandatory parameter batchId is missing.", missingBatch.errmsg());
        assertError(call("POST", "/v1/course/unenroll", user, Map.of()), 400, "MANDATORY_PARAMETER_MISSING");
        Reply unknown = enrol(user, courseId, INVALID_BATCH);
        assertError(unknown, 400, "INVALID_COURSE_BATCH_ID");
        assertEquals("Invalid course batch id ", unknown.errmsg());
        assertEquals(List.of(), journal(INVALID_BATCH, user));
        assertRefused(() -> enrol(user, otherCourse, batchId), 400, "INVALID_COURSE_BATCH_ID", batchId, user);
        assertRefused(() -> unenrol(user, otherCourse, batchId), 400, "INVALID_COURSE_BATCH_ID", batchId, user);
        assertEquals(List.of(), journal(batchId, user));

        assertSuccess(enrol(user, courseId, batchId), "api.course.enroll");
        Reply again = enrol(user, courseId, batchId);
        assertError(again, 400, "USER_ALREADY_ENROLLED_COURSE");
        assertEquals("User has already Enrolled this course .", again.errmsg());
        assertRefused(() -> enrol(user, courseId, batchId), 400, "USER_ALREADY_ENROLLED_COURSE", batchId, user);
        assertRefused(() -> enrol(user, otherCourse, batchId), 400, "INVALID_COURSE_BATCH_ID", batchId, user);
        assertEquals(List.of("Enrolled"), journal(batchId, user));
      }

      @Test
      void anEndedBatchAndAPastEnrolmentEndDateRefuseInSunbirdsOrder() {
        var ending = ongoingBatch(courseId);
        ending.put("endDate", today().plusDays(1).toString());
        String endedBatch = createBatch(ending);
        var closing = ongoingBatch(courseId);
        closing.put("enrollmentEndDate", today().toString());
        String closedBatch = createBatch(closing);
        String early = learner("early");
        String late = learner("late");
        assertSuccess(enrol(early, courseId, endedBatch), "api.course.enroll");
        assertSuccess(enrol(early, courseId, closedBatch), "api.course.enroll");

        clock.advance(Duration.ofDays(2).plusHours(1)); // past the end of one batch and the enrolment end of the other
        assertEquals(2, read(endedBatch).path("status").asInt(), "the read records BatchEnded, before the refusals below");
        assertEquals(1, read(closedBatch).path("status").asInt());
        assertRefused(() -> enrol(late, courseId, endedBatch), 400, "COURSE_BATCH_ALREADY_COMPLETED", endedBatch, late);
        // Ended is checked before already enrolled, and a wrong course before both.
        assertRefused(() -> enrol(early, courseId, endedBatch), 400, "COURSE_BATCH_ALREADY_COMPLETED", endedBatch, early);
        assertRefused(() -> enrol(late, "do_other", endedBatch), 400, "INVALID_COURSE_BATCH_ID", endedBatch, late);
        assertRefused(() -> unenrol(early, courseId, endedBatch), 400, "COURSE_BATCH_ALREADY_COMPLETED", endedBatch, early);
        Reply closed = enrol(late, courseId, closedBatch);
        assertError(closed, 400, "COURSE_BATCH_ENROLLMENT_DATE_ENDED");
        assertEquals("Course batch enrollment date has ended.", closed.errmsg());
        // The enrolment end date is checked before already enrolled.
        assertRefused(() -> enrol(early, courseId, closedBatch), 400, "COURSE_BATCH_ENROLLMENT_DATE_ENDED", closedBatch, early);
        assertEquals(List.of(), journal(endedBatch, late));
        assertEquals(List.of(), journal(closedBatch, late));
        assertEquals(List.of("Enrolled"), journal(endedBatch, early));
        // Leaving stays possible while the batch runs.
        assertSuccess(unenrol(early, courseId, closedBatch), "api.course.unenroll");
        assertEquals(List.of("Enrolled", "Unenrolled"), journal(closedBatch, early));
      }

      @Test
      void unenrolNeedsAnEnrolmentThatIsNotCompleted() {
        String never = learner("never");
        Reply r = unenrol(never, courseId, batchId);
        assertError(r, 400, "USER_NOT_ENROLLED_COURSE");
        assertEquals("User is not enrolled to given course batch.", r.errmsg());
        assertEquals(List.of(), journal(batchId, never));

        String left = enrolledLearner("left");
        assertSuccess(unenrol(left, courseId, batchId), "api.course.unenroll");
        assertRefused(() -> unenrol(left, courseId, batchId), 400, "USER_NOT_ENROLLED_COURSE", batchId, left);

        String done = enrolledLearner("done");
        completeCourse(done, courseId, batchId);
        assertEquals(List.of("Enrolled", "ContentProgressRecorded", "EnrollmentCompleted"), journal(batchId, done));
        assertRefused(() -> unenrol(done, courseId, batchId), 400, "COURSE_BATCH_ALREADY_COMPLETED", batchId, done);
        assertRefused(() -> call("POST", "/api/course/v1/unenrol", done, enrolment(courseId, batchId)),
            400, "COURSE_BATCH_ALREADY_COMPLETED", batchId, done);
      }

      @Test
      void reEnrollingReactivatesTheSameEnrolmentWithItsProgress() {
        String user = enrolledLearner("again");
        assertEquals(200, updateState(user, List.of(content(courseId, batchId, courseId + "_c1", 1, 40)), List.of()).status());
        assertSuccess(unenrol(user, courseId, batchId), "api.course.unenroll");
        clock.advance(Duration.ofSeconds(5));
        assertSuccess(call("POST", "/api/course/v1/enroll", user, enrolment(courseId, batchId)), "api.course.enroll");

        assertEquals(List.of("Enrolled", "ContentProgressRecorded", "Unenrolled", "Enrolled"),
            JournalProbe.types(JournalProbe.events(node.node(), "Enrollment|" + batchId + ":" + user)));
        List<Enrolled> enrolled = events(batchId, user, Enrolled.class);
        assertTrue(enrolled.get(1).at().isAfter(enrolled.get(0).at()), enrolled.toString());
        JsonNode c1 = find(contentList(user, courseId, batchId, List.of()), "contentId", courseId + "_c1");
        assertEquals(40, c1.path("progress").asInt(), "the progress came back with the enrolment: " + c1);
        JsonNode entry = enrolmentUntil(user, batchId, e -> e.path("active").asBoolean() && e.path("lastReadContentId").isTextual());
        assertEquals(courseId + "_c1", entry.path("lastReadContentId").asText());
      }

      @Test
      void aUserIdInTheBodyOfASelfEnrolIsIgnored() {
        String user = learner("self");
        String victim = learner("victim");
        assertSuccess(call("POST", "/v1/course/enroll", user, Map.of("courseId", courseId, "batchId", batchId, "userId", victim)),
            "api.course.enroll");
        assertEquals(List.of("Enrolled"), journal(batchId, user));
        assertEquals(List.of(), journal(batchId, victim));
        assertSuccess(call("POST", "/v1/course/unenroll", user, Map.of("courseId", courseId, "batchId", batchId, "userId", victim)),
            "api.course.unenroll");
        assertEquals(List.of("Enrolled", "Unenrolled"), journal(batchId, user));
        assertEquals(List.of(), journal(batchId, victim));
      }

      @Test
      void aManagedUserEnrolsThroughTheParentsSession() {
        String parent = learner("parent");
        String child = learner("child");
        Map<String, String> asChild = Map.of("Authorization", "Bearer " + token(parent),
            "x-authenticated-for", TestNode.managedUserToken(child, parent));
        String body = ApiClient.envelope(Map.of("courseId", courseId, "batchId", batchId, "userId", parent));
        assertSuccess(api.send("POST", "/api/course/v1/enrol", body, asChild), "api.course.enroll");
        List<Enrolled> enrolled = events(batchId, child, Enrolled.class);
        assertEquals(1, enrolled.size());
        assertEquals(child, enrolled.get(0).userId());
        assertEquals(parent, enrolled.get(0).actor(), "the journal records who acted");
        assertEquals(List.of(), journal(batchId, parent));

        Reply list = pollUntil("the child's list", PROJECTION, () -> api.send("GET", "/v1/user/courses/list/" + child, null, asChild),
            r -> r.status() == 200 && find(r.result().path("courses"), "batchId", batchId).isObject());
        assertEquals(child, find(list.result().path("courses"), "batchId", batchId).path("userId").asText());
        assertError(call("GET", "/v1/user/courses/list/" + child, parent, null), 401, "UNAUTHORIZED_USER");

        String stranger = learner("other-child");
        Map<String, String> foreign = Map.of("Authorization", "Bearer " + token(parent),
            "x-authenticated-for", TestNode.managedUserToken(stranger, "someone-else"));
        assertRefused(() -> api.send("POST", "/v1/course/enroll", body, foreign), 401, "UNAUTHORIZED_USER", batchId, stranger);
        Map<String, String> notManaged = Map.of("Authorization", "Bearer " + token(parent), "x-authenticated-for", token(stranger));
        assertRefused(() -> api.send("POST", "/v1/course/enroll", body, notManaged), 401, "UNAUTHORIZED_USER", batchId, stranger);
        Map<String, String> garbage = Map.of("Authorization", "Bearer " + token(parent), "x-authenticated-for", "not-a-jwt");
        assertRefused(() -> api.send("POST", "/v1/course/enroll", body, garbage), 401, "UNAUTHORIZED_USER", batchId, parent);
        String forEver = TestNode.signedToken(new com.nimbusds.jwt.JWTClaimsSet.Builder().subject(child)
            .issueTime(java.util.Date.from(java.time.Instant.now().minus(TestNode.ISSUED_BEFORE))).claim("parentId", parent).build());
        Map<String, String> noExp = Map.of("Authorization", "Bearer " + token(parent), "x-authenticated-for", forEver);
        assertRefused(() -> api.send("POST", "/v1/course/enroll", body, noExp), 401, "UNAUTHORIZED_USER", batchId, child);
        assertEquals(List.of(), journal(batchId, parent));

        assertSuccess(api.send("POST", "/v1/course/unenroll", body, asChild), "api.course.unenroll");
        assertEquals(List.of("Enrolled", "Unenrolled"), journal(batchId, child));
      }
    }

    // ---- on behalf ----

    @Nested
    class OnBehalf {
      @Test
      void theCreatorAMentorAndAnOrgAdminMayEnrolAndUnenrolUsersOfTheirOrganisation() {
        String a = learnerOfOrg("by-creator");
        String b = learnerOfOrg("by-mentor");
        String c = learnerOfOrg("by-admin");
        String adminToken = token(ORG_ADMIN, "ORG_ADMIN");
        assertSuccess(onBehalf("/v1/course/admin/enroll", token(CREATOR), courseId, batchId, a), "api.course.admin.enroll");
        assertSuccess(onBehalf("/api/course/v1/admin/enroll", token(MENTOR), courseId, batchId, b), "api.course.admin.enroll");
        assertSuccess(onBehalf("/v1/course/admin/enroll", adminToken, courseId, batchId, c), "api.course.admin.enroll");
        assertEquals(CREATOR, events(batchId, a, Enrolled.class).get(0).actor());
        assertEquals(MENTOR, events(batchId, b, Enrolled.class).get(0).actor());
        assertEquals(ORG_ADMIN, events(batchId, c, Enrolled.class).get(0).actor());
        assertEquals(List.of(), journal(batchId, CREATOR), "the admin did not enrol themself");

        String learnerToken = token(STRANGER);
        String d = learnerOfOrg("by-learner");
        assertRefused(() -> onBehalf("/v1/course/admin/enroll", learnerToken, courseId, batchId, d), 401, "UNAUTHORIZED_USER", batchId, d);
        assertRefused(() -> onBehalf("/v1/course/admin/unenroll", learnerToken, courseId, batchId, a), 401, "UNAUTHORIZED_USER", batchId, a);
        assertRefused(() -> onBehalf("/v1/course/admin/enroll", token(CREATOR), courseId, batchId, a),
            400, "USER_ALREADY_ENROLLED_COURSE", batchId, a);
        Reply noUser = call("POST", "/v1/course/admin/enroll", CREATOR, enrolment(courseId, batchId));
        assertError(noUser, 400, "MANDATORY_PARAMETER_MISSING");
        assertEquals("Mandatory parameter userId is missing.", noUser.errmsg());
        assertRefused(() -> onBehalf("/v1/course/admin/enroll", token(CREATOR), courseId, INVALID_BATCH, d), 400, "INVALID_COURSE_BATCH_ID", batchId, d);

        Reply out = onBehalf("/v1/course/admin/unenroll", token(CREATOR), courseId, batchId, a);
        assertSuccess(out, "api.course.admin.unenroll");
        assertSuccess(onBehalf("/api/course/v1/admin/unenroll", adminToken, courseId, batchId, c), "api.course.admin.unenroll");
        assertEquals(List.of("Enrolled", "Unenrolled"), journal(batchId, a));
        assertEquals(List.of("Enrolled", "Unenrolled"), journal(batchId, c));
        assertEquals(List.of("Enrolled"), journal(batchId, b));
        assertRefused(() -> onBehalf("/v1/course/admin/unenroll", token(MENTOR), courseId, batchId, a), 400, "USER_NOT_ENROLLED_COURSE", batchId, a);
      }

      /**
       * Enrolling someone else needs authority over them: the creator and mentors have it only over
       * users of the creator's organisation that the batch was created for, an org admin over the
       * users of their own organisation, and over a user the directory does not know only a system
       * admin does. A creator could enrol any user id before.
       */
      @Test
      void enrollingAnotherUserNeedsAuthorityOverThem() {
        String elsewhere = learnerIn(Directory.OTHER_ORG, "elsewhere");
        String unknown = learner("unknown");
        String enroll = "/v1/course/admin/enroll";
        for (String user : List.of(elsewhere, unknown)) {
          for (String refused : List.of(token(CREATOR, "CONTENT_CREATOR"), token(MENTOR), token(ORG_ADMIN, "ORG_ADMIN"))) {
            assertRefused(() -> onBehalf(enroll, refused, courseId, batchId, user), 401, "UNAUTHORIZED_USER", batchId, user);
          }
        }
        String ofOrg = learnerOfOrg("of-org");
        String otherAdmin = token(OTHER_ORG_ADMIN, "ORG_ADMIN");
        assertRefused(() -> onBehalf(enroll, otherAdmin, courseId, batchId, ofOrg), 401, "UNAUTHORIZED_USER", batchId, ofOrg);

        // Each org admin acts on their own organisation's users, whoever the batch is for; a system admin on anyone.
        assertSuccess(onBehalf(enroll, otherAdmin, courseId, batchId, elsewhere), "api.course.admin.enroll");
        assertSuccess(onBehalf(enroll, Directory.systemAdminToken(), courseId, batchId, unknown), "api.course.admin.enroll");
        assertEquals(Directory.SYSTEM_ADMIN, events(batchId, unknown, Enrolled.class).get(0).actor());
        assertRefused(() -> onBehalf("/v1/course/admin/unenroll", token(CREATOR), courseId, batchId, elsewhere),
            401, "UNAUTHORIZED_USER", batchId, elsewhere);

        // A batch not created for the learner's organisation gives its creator no authority over them,
        // nor does naming another organisation in createdFor give power over that organisation's users.
        String forNobody = createBatch(ongoingBatch(courseId));
        assertRefused(() -> onBehalf(enroll, token(CREATOR), courseId, forNobody, ofOrg), 401, "UNAUTHORIZED_USER", forNobody, ofOrg);
        Map<String, Object> forTheOther = ongoingBatch(courseId);
        forTheOther.put("createdFor", List.of(Directory.OTHER_ORG));
        String forOther = createBatch(forTheOther);
        assertRefused(() -> onBehalf(enroll, token(CREATOR), courseId, forOther, elsewhere), 401, "UNAUTHORIZED_USER", forOther, elsewhere);
        assertSuccess(onBehalf(enroll, token(CREATOR), courseId, batchId, ofOrg), "api.course.admin.enroll");
      }
    }

    // ---- invite-only batches ----

    @Nested
    class InviteOnly {
      /** This test's batch is an invite-only one. */
      @BeforeEach
      void inviteOnlyBatch() {
        var req = Directory.forOrg(ongoingBatch(courseId));
        req.put("enrollmentType", "invite-only");
        batchId = createBatch(req);
      }

      Reply participants(String path, String user, List<String> userIds) {
        return call("POST", path, user, Map.of("batchId", batchId, "userIds", userIds));
      }

      @Test
      void onlyParticipantsMayEnrolThemselves() {
        String invited = learnerOfOrg("invited");
        String other = learnerOfOrg("uninvited");
        Reply refused = enrol(invited, courseId, batchId);
        assertError(refused, 400, "INVITE_ONLY_BATCH");
        assertEquals(List.of(), journal(batchId, invited));

        Reply add = participants("/v1/course/batch/participants/add", CREATOR, List.of(invited, other));
        assertEquals(200, add.status(), add.toString());
        assertEquals("api.course.batch.participants.add", add.body().path("id").asText());
        assertEquals("SUCCESS", add.result().path("response").asText());
        assertEquals("SUCCESS", add.result().path("users").path(invited).path("status").asText(), add.toString());
        assertEquals("SUCCESS", add.result().path("users").path(other).path("status").asText(), add.toString());
        assertEquals(List.of("ParticipantInvited"), journal(batchId, invited));
        assertSuccess(enrol(invited, courseId, batchId), "api.course.enroll");
        assertEquals(List.of("ParticipantInvited", "Enrolled"), journal(batchId, invited));
        assertEquals(List.of("ParticipantInvited"), journal(batchId, other), "invited, not enrolled");

        Reply remove = participants("/api/course/v1/batch/participants/remove", MENTOR, List.of(invited));
        assertEquals(200, remove.status(), remove.toString());
        assertEquals("SUCCESS", remove.result().path("users").path(invited).path("status").asText(), remove.toString());
        assertEquals(List.of("ParticipantInvited", "Enrolled", "ParticipantRemoved", "Unenrolled"), journal(batchId, invited));
        assertRefused(() -> enrol(invited, courseId, batchId), 400, "INVITE_ONLY_BATCH", batchId, invited);
        assertEquals(List.of(invited), texts(participantsUntil(batchId, false, p -> p.path("count").asInt() == 1).path("participants")));
      }

      @Test
      void anAdminEnrolmentMakesTheLearnerAParticipant() {
        String user = learnerOfOrg("admin-enrolled");
        assertSuccess(onBehalf("/v1/course/admin/enroll", token(CREATOR), courseId, batchId, user), "api.course.admin.enroll");
        assertEquals(List.of("ParticipantInvited", "Enrolled"), journal(batchId, user));
        assertSuccess(unenrol(user, courseId, batchId), "api.course.unenroll");
        assertSuccess(enrol(user, courseId, batchId), "api.course.enroll");
        assertEquals(List.of("ParticipantInvited", "Enrolled", "Unenrolled", "Enrolled"), journal(batchId, user));
      }

      @Test
      void onlyAdministratorsManageParticipantsAndRequestsAreChecked() {
        String user = learnerOfOrg("candidate");
        assertRefused(() -> participants("/v1/course/batch/participants/add", STRANGER, List.of(user)), 401, "UNAUTHORIZED_USER", batchId, user);
        assertRefused(() -> participants("/v1/course/batch/participants/add", user, List.of(user)), 401, "UNAUTHORIZED_USER", batchId, user);
        // The creator invites only users they have authority over: one of another organisation refuses the whole request.
        String elsewhere = learnerIn(Directory.OTHER_ORG, "elsewhere");
        assertRefused(() -> participants("/v1/course/batch/participants/add", CREATOR, List.of(user, elsewhere)), 401, "UNAUTHORIZED_USER",
            batchId, user);
        assertEquals(List.of(), journal(batchId, elsewhere));
        String path = "/v1/course/batch/participants/add";
        Reply noBatch = call("POST", path, CREATOR, Map.of("userIds", List.of(user)));
        assertError(noBatch, 400, "COURSE_BATCH_ID_MISSING");
        assertEquals("Course batch Id required", noBatch.errmsg());
        Reply noUsers = call("POST", path, CREATOR, Map.of("batchId", batchId));
        assertError(noUsers, 400, "USERID_MISSING");
        assertEquals("UserId is mandatory.", noUsers.errmsg());
        assertError(participants(path, CREATOR, List.of()), 400, "USERID_MISSING");
        assertError(call("POST", "/v1/course/batch/participants/remove", CREATOR, Map.of("batchId", batchId, "userIds", user)), 400, "DATA_TYPE_ERROR");
        assertError(call("POST", path, CREATOR, Map.of("batchId", INVALID_BATCH, "userIds", List.of(user))), 400, "INVALID_COURSE_BATCH_ID");
        assertEquals(List.of(), journal(batchId, user));
        Reply adminAdds = api.call("POST", "/api/course/v1/batch/participants/add", token(ORG_ADMIN, "ORG_ADMIN"),
            Map.of("batchId", batchId, "userIds", List.of(user)));
        assertEquals(200, adminAdds.status(), adminAdds.toString());
        assertEquals(List.of("ParticipantInvited"), journal(batchId, user));
      }
    }

    // ---- capacity and waitlist ----

    @Nested
    class Capacity {
      @Test
      void aFullBatchWaitlistsInOrderAndPromotesWhenASeatFreesUp() {
        var req = ongoingBatch(courseId);
        req.put("maxParticipants", 2);
        batchId = createBatch(req); // this test's batch has a capacity
        List<String> users = List.of(learner("seat1"), learner("seat2"), learner("wait1"), learner("wait2"));
        assertSuccess(enrol(users.get(0), courseId, batchId), "api.course.enroll");
        assertSuccess(enrol(users.get(1), courseId, batchId), "api.course.enroll");
        for (int i = 2; i < 4; i++) {
          Reply r = enrol(users.get(i), courseId, batchId);
          assertEquals(200, r.status(), r.toString());
          assertEquals("SUCCESS", r.result().path("response").asText(), r.toString());
          assertTrue(r.result().path("waitlisted").asBoolean(), r.toString());
          assertEquals(i - 1, r.result().path("waitlistPosition").asInt(), r.toString());
        }
        assertTrue(events(batchId, users.get(0), Enrolled.class).get(0).seat());
        assertEquals(List.of("Waitlisted"), journal(batchId, users.get(2)));
        JsonNode full = read(batchId);
        assertEquals(2, full.path("maxParticipants").asInt(), full.toString());
        assertEquals(2, full.path("participantCount").asInt(), full.toString());
        assertEquals(2, full.path("waitlistCount").asInt(), full.toString());
        Reply waiting = enrol(users.get(2), courseId, batchId);
        assertError(waiting, 400, "USER_ALREADY_WAITLISTED");
        assertTrue(waiting.errmsg().contains("position 1"), waiting.errmsg());

        JsonNode second = enrolmentUntil(users.get(3), batchId, e -> e.path("waitlisted").asBoolean());
        assertEquals(2, second.path("waitlistPosition").asInt(), second.toString());
        assertFalse(second.path("active").asBoolean(), second.toString());

        clock.advance(Duration.ofSeconds(1)); // the promotion is the newer enrolment: the participant list is oldest first
        assertSuccess(unenrol(users.get(0), courseId, batchId), "api.course.unenroll");
        JsonNode promoted = enrolmentUntil(users.get(2), batchId, e -> e.path("active").asBoolean());
        assertFalse(promoted.has("waitlisted"), promoted.toString());
        assertEquals(List.of("Waitlisted", "PromotedFromWaitlist"), journal(batchId, users.get(2)));
        JsonNode moved = enrolmentUntil(users.get(3), batchId, e -> e.path("waitlistPosition").asInt() == 1);
        assertTrue(moved.path("waitlisted").asBoolean(), moved.toString());
        JsonNode holders = participantsUntil(batchId, true, p -> texts(p.path("participants")).contains(users.get(2)));
        assertEquals(List.of(users.get(1), users.get(2)), texts(holders.path("participants")), holders.toString());
        assertEquals(2, holders.path("count").asInt(), holders.toString());
        JsonNode after = pollUntil("seat counts", PROJECTION, () -> read(batchId), b -> b.path("waitlistCount").asInt() == 1);
        assertEquals(2, after.path("participantCount").asInt(), after.toString());
        assertEquals(2, after.path("maxParticipants").asInt(), after.toString());
      }
    }

    // ---- lists ----

    @Nested
    class Lists {
      @Test
      void aUsersEnrolmentsWithCourseFieldsBatchDetailsAndCompletion() {
        String user = enrolledLearner("lister");
        assertEquals(200, updateState(user, List.of(content(courseId, batchId, courseId + "_c1", 2, null)), List.of()).status());
        String query = "?fields=trackable&batchDetails=name,endDate,certificates";
        JsonNode e = pollUntil("the enrolment list", PROJECTION,
            () -> find(courses("/v1/user/courses/list/", token(user), user, query), "batchId", batchId),
            x -> x.path("progress").asInt() == 1);
        assertEquals(user, e.path("userId").asText());
        assertEquals(courseId, e.path("courseId").asText());
        assertEquals(courseId, e.path("collectionId").asText());
        assertEquals(courseId, e.path("contentId").asText());
        assertTrue(e.path("active").asBoolean());
        assertEquals(user, e.path("addedBy").asText());
        assertTrue(e.path("enrolledDate").asText().matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d:\\d{3}\\+0000"), e.toString());
        assertEquals(1, e.path("status").asInt());
        assertEquals(50, e.path("completionPercentage").asInt());
        assertTrue(e.path("completedOn").isNull(), e.toString());
        assertEquals(courseId + "_c1", e.path("lastReadContentId").asText());
        assertEquals(2, e.path("lastReadContentStatus").asInt());
        assertEquals("Course " + courseId, e.path("courseName").asText());
        assertEquals(2, e.path("leafNodesCount").asInt());
        assertEquals("[]", e.path("certificates").toString());
        assertEquals("[]", e.path("issuedCertificates").toString());
        assertEquals(courseId, e.path("content").path("identifier").asText());
        assertEquals("Yes", e.path("content").path("trackable").path("enabled").asText(), e.toString());
        JsonNode batch = e.path("batch");
        assertEquals(batchId, batch.path("batchId").asText(), "as lms-service, the batch's ids: " + batch);
        assertEquals(batchId, batch.path("identifier").asText(), batch.toString());
        assertEquals("Batch of " + courseId, batch.path("name").asText(), e.toString());
        assertEquals(today().plusDays(30).toString(), batch.path("endDate").asText());
        assertFalse(batch.has("certificates"), "names a batch does not have are left out: " + batch);
        assertFalse(batch.has("startDate"), "only the fields asked for: " + batch);

        JsonNode gateway = courses("/api/course/v1/user/enrollment/list/", token(user), user, "");
        JsonNode same = find(gateway, "batchId", batchId);
        assertEquals(50, same.path("completionPercentage").asInt(), gateway.toString());
        assertFalse(same.has("batch"), "no batchDetails, no batch");
      }

      /**
       * Another user's enrolment list is read by the org admins of the user's organisation and by
       * system admins; an org admin of another organisation reads it no more than a batch's creator
       * does (any org admin could before).
       */
      @Test
      void anotherUsersEnrolmentsAreReadByTheirOrgAdminsAndSystemAdmins() {
        String user = enrolledLearner("private");
        Directory.place(api, Directory.ORG, user);
        assertError(call("GET", "/v1/user/courses/list/" + user, STRANGER, null), 401, "UNAUTHORIZED_USER");
        assertError(call("GET", "/api/course/v1/user/enrollment/list/" + user, CREATOR, null), 401, "UNAUTHORIZED_USER");
        assertError(api.call("GET", "/v1/user/courses/list/" + user, token(OTHER_ORG_ADMIN, "ORG_ADMIN"), null), 401, "UNAUTHORIZED_USER");
        JsonNode seen = pollUntil("the list an org admin sees", PROJECTION,
            () -> courses("/api/course/v1/user/enrollment/list/", token(ORG_ADMIN, "ORG_ADMIN"), user, ""),
            c -> find(c, "batchId", batchId).isObject());
        assertEquals(user, find(seen, "batchId", batchId).path("userId").asText());
        JsonNode bySystemAdmin = courses("/v1/user/courses/list/", Directory.systemAdminToken(), user, "");
        assertEquals(user, find(bySystemAdmin, "batchId", batchId).path("userId").asText(), bySystemAdmin.toString());
      }

      @Test
      void participantListsOfTheActiveAndOfThoseWhoLeft() {
        List<String> users = List.of(learner("p1"), learner("p2"), learner("p3"));
        for (String u : users) {
          assertSuccess(enrol(u, courseId, batchId), "api.course.enroll");
          clock.advance(Duration.ofSeconds(1)); // distinct enrolment instants: the list is oldest first
        }
        assertSuccess(unenrol(users.get(1), courseId, batchId), "api.course.unenroll");
        // The projection follows the journal in order: once the unenrolment shows, every enrolment before it does.
        JsonNode left = participantsUntil(batchId, false, p -> p.path("count").asInt() > 0);
        assertEquals(List.of(users.get(1)), texts(left.path("participants")), left.toString());
        assertEquals(1, left.path("count").asInt(), left.toString());
        JsonNode active = participants(api, batchId, true);
        assertEquals(List.of(users.get(0), users.get(2)), texts(active.path("participants")), active.toString());
        assertEquals(2, active.path("count").asInt(), active.toString());

        Reply byDefault = call("POST", "/api/course/v1/batch/participants/list", MENTOR, Map.of("batch", Map.of("batchId", batchId)));
        assertEquals(200, byDefault.status(), byDefault.toString());
        assertEquals("api.course.batch.participants.list", byDefault.body().path("id").asText());
        assertEquals(2, byDefault.result().path("batch").path("count").asInt(), "active defaults to true");
        Reply byAdmin = api.call("POST", "/v1/batch/participants/list", token(ORG_ADMIN, "ORG_ADMIN"), Map.of("batch", Map.of("batchId", batchId)));
        assertEquals(2, byAdmin.result().path("batch").path("count").asInt(), byAdmin.toString());
        assertError(api.call("POST", "/v1/batch/participants/list", token(OTHER_ORG_ADMIN, "ORG_ADMIN"),
            Map.of("batch", Map.of("batchId", batchId))), 401, "UNAUTHORIZED_USER");

        assertError(call("POST", "/v1/batch/participants/list", users.get(0), Map.of("batch", Map.of("batchId", batchId))), 401, "UNAUTHORIZED_USER");
        Reply noBatch = call("POST", "/v1/batch/participants/list", CREATOR, Map.of("batchId", batchId));
        assertError(noBatch, 400, "INVALID_REQUESTED_DATA");
        assertEquals("Requested data for this operation is not valid.", noBatch.errmsg());
        assertError(call("POST", "/v1/batch/participants/list", CREATOR, Map.of("batch", Map.of())), 400, "MANDATORY_PARAMETER_MISSING");
        assertError(call("POST", "/v1/batch/participants/list", CREATOR, Map.of("batch", Map.of("batchId", batchId, "active", "yes"))),
            400, "DATA_TYPE_ERROR");
        assertError(call("POST", "/v1/batch/participants/list", CREATOR, Map.of("batch", Map.of("batchId", INVALID_BATCH))),
            400, "INVALID_COURSE_BATCH_ID");
      }
    }

    // ---- progress ----

    @Nested
    class Progress {
      @Test
      void statusNeverGoesDownProgressKeepsItsMaximumAndCompletedIsHundred() {
        String user = learner("progress");
        String c1 = courseId + "_c1";
        assertSuccess(enrol(user, courseId, batchId), "api.course.enroll");
        Map<String, Object> first = content(courseId, batchId, c1, 1, 40);
        first.put("lastAccessTime", "2024-03-01 10:00:00:000+0530");
        first.put("progressdetails", Map.of("current", List.of(40)));
        Reply r = updateState(user, List.of(first), List.of());
        assertEquals(200, r.status(), r.toString());
        assertEquals("api.content.state.update", r.body().path("id").asText());
        assertEquals("{\"" + c1 + "\":\"SUCCESS\"}", r.result().toString());
        JsonNode state = find(contentList(user, courseId, batchId, List.of()), "contentId", c1);
        assertEquals(1, state.path("status").asInt(), state.toString());
        assertEquals(40, state.path("progress").asInt(), state.toString());
        assertEquals("2024-03-01 04:30:00:000+0000", state.path("lastAccessTime").asText(), state.toString());
        assertEquals("{\"current\":[40]}", state.path("progressdetails").toString());

        Reply lower = updateState("/api/course/v1/content/state/update", user, List.of(content(courseId, batchId, c1, 0, 20)), List.of());
        assertEquals("{\"" + c1 + "\":\"SUCCESS\"}", lower.result().toString(), lower.toString());
        state = find(contentList(user, courseId, batchId, List.of()), "contentId", c1);
        assertEquals(1, state.path("status").asInt(), "status never goes down: " + state);
        assertEquals(40, state.path("progress").asInt(), "progress keeps its maximum: " + state);

        assertEquals(200, updateState("/v1/user/content/state", user, List.of(content(courseId, batchId, c1, 2, 10)), List.of()).status());
        state = find(contentList(user, courseId, batchId, List.of()), "contentId", c1);
        assertEquals(2, state.path("status").asInt(), state.toString());
        assertEquals(100, state.path("progress").asInt(), "completed is 100: " + state);
        assertFalse(state.path("lastCompletedTime").isNull(), state.toString());
        assertEquals(3, state.path("viewCount").asInt(), state.toString());

        assertEquals(200, updateState(user, List.of(content(courseId, batchId, c1, 1, 50)), List.of()).status());
        Reply gatewayRead = call("POST", "/api/course/v1/content/state/read", user,
            Map.of("courseIds", List.of(courseId), "batchId", batchId, "contentIds", List.of(c1)));
        JsonNode list = gatewayRead.result().path("contentList");
        assertEquals(1, list.size(), gatewayRead.toString());
        assertEquals(2, list.get(0).path("status").asInt(), list.toString());
        assertEquals(100, list.get(0).path("progress").asInt(), list.toString());
        assertEquals(batchId, list.get(0).path("batchId").asText());
        assertEquals(courseId, list.get(0).path("collectionId").asText());
        assertEquals(List.of("Enrolled", "ContentProgressRecorded", "ContentProgressRecorded", "ContentProgressRecorded",
            "ContentProgressRecorded"), journal(batchId, user));
      }

      /**
       * Sends the report on the backend path and on the gateway's, and checks the whole of it was
       * refused both times with Sunbird's envelope, recording nothing.
       */
      void assertReportRefused(List<?> contents, List<?> assessments, String err, String errmsg, String batchId, String user) {
        List<String> before = journal(batchId, user);
        for (String path : List.of("/v1/content/state/update", "/api/course/v1/content/state/update")) {
          Reply r = updateState(path, user, contents, assessments);
          assertError(r, 400, err, errmsg, "CLIENT_ERROR");
          assertEquals(before, journal(batchId, user), "the learner's journal is unchanged by " + path + ": " + r);
        }
      }

      @Test
      void whatSunbirdsValidatorRequiresRefusesTheWholeReportWithItsCodes() {
        String user = enrolledLearner("invalid");
        Map<String, Object> valid = content(courseId, batchId, courseId + "_c1", 2, 100);
        record Case(String field, Object value, String err, String errmsg) {}
        // lms-service's RequestValidator.validateUpdateContent, in its order: the two dates, then batch, course, content, status.
        List<Case> cases = List.of(
            new Case("lastUpdatedTime", "2024-03-01 10:00:00", "DATE_FORMAT_ERRROR", "Date format error."),
            new Case("lastCompletedTime", "2024-02-30 10:00:00:000+0000", "DATE_FORMAT_ERRROR", "Date format error."),
            new Case("batchId", null, "COURSE_BATCH_ID_MISSING", "Course batch Id required"),
            new Case("courseId", null, "COURSE_ID_REQUIRED_ERROR", "Course id is mandatory."),
            new Case("contentId", null, "CONTENT_ID_REQUIRED_ERROR", "Content id is mandatory."),
            new Case("status", null, "CONTENT_STATUS_MISSING_ERROR", "content status is required ."));
        for (Case c : cases) {
          Map<String, Object> bad = content(courseId, batchId, courseId + "_a1", 1, null);
          if (c.value() == null) {
            bad.remove(c.field());
          } else {
            bad.put(c.field(), c.value());
          }
          assertReportRefused(List.of(valid, bad), List.of(), c.err(), c.errmsg(), batchId, user);
        }
        // The dates come before the ids; every item passes these checks before any item's own are made.
        Map<String, Object> both = content(courseId, batchId, courseId + "_a1", 1, null);
        both.remove("courseId");
        both.put("lastCompletedTime", "yesterday");
        assertReportRefused(List.of(both), List.of(), "DATE_FORMAT_ERRROR", "Date format error.", batchId, user);
        Map<String, Object> outOfRange = content(courseId, batchId, courseId + "_c1", 5, 500);
        Map<String, Object> noStatus = content(courseId, batchId, courseId + "_a1", 1, null);
        noStatus.remove("status");
        assertReportRefused(List.of(outOfRange, noStatus), List.of(), "CONTENT_STATUS_MISSING_ERROR", "content status is required .", batchId, user);

        // Assessments: attempt date, course, content, batch, user, attempt id, events.
        record Missing(String field, String err, String errmsg) {}
        for (Missing m : List.of(
            new Missing("assessmentTs", "ATTEMPTED_DATE_REQUIRED", "Attempted data is required."),
            new Missing("courseId", "COURSE_ID_REQUIRED_ERROR", "Course id is mandatory."),
            new Missing("contentId", "CONTENT_ID_REQUIRED_ERROR", "Content id is mandatory."),
            new Missing("batchId", "COURSE_BATCH_ID_MISSING", "Course batch Id required"),
            new Missing("userId", "USERID_MISSING", "UserId is mandatory."),
            new Missing("attemptId", "ATTEMPT_ID_REQUIRED_ERROR", "Please provide attempt id."),
            new Missing("events", "MANDATORY_PARAMETER_MISSING", "Mandatory parameter events is missing."))) {
          Map<String, Object> bad = new HashMap<>(attempt(user, courseId, batchId, "a-1", 2));
          bad.remove(m.field());
          assertReportRefused(List.of(valid), List.of(bad), m.err(), m.errmsg(), batchId, user);
        }
        assertRefused(() -> call("PATCH", "/v1/content/state/update", user, Map.of("userId", "someone-else", "contents", List.of(valid))),
            400, "INVALID_REQUESTED_DATA", batchId, user);
        assertReportRefused(List.of(), List.of(), "MANDATORY_PARAMETER_MISSING", "Mandatory parameter contents/assessments is missing.",
            batchId, user);
        assertEquals(List.of("Enrolled"), journal(batchId, user));
        assertEquals(0, contentList(user, courseId, batchId, List.of()).size());
      }

      @Test
      void anItemThisServiceCannotRecordIsLeftOutAndTheOthersAreRecorded() {
        String user = enrolledLearner("partial");
        String c1 = courseId + "_c1";
        List<Map<String, Object>> contents = new ArrayList<>();
        contents.add(content(courseId, batchId, c1, 1, 40));
        Map<String, Object> badStatus = content(courseId, batchId, courseId + "_a1", 3, null);
        contents.add(badStatus);
        contents.add(content(courseId, batchId, courseId + "_a1", 1, 101));
        Map<String, Object> badAccess = content(courseId, batchId, courseId + "_a1", 1, null);
        badAccess.put("lastAccessTime", "2024-03-01 10:00:00");
        contents.add(badAccess);
        contents.add(content(courseId, batchId, "c\u0001" + courseId, 1, null));
        contents.add(content(courseId, batchId, "c".repeat(101), 1, null));
        List<Map<String, Object>> attempts = List.of(attempt("someone-else", courseId, batchId, "a-1", 2));
        Reply r = updateState(user, contents, attempts);
        assertEquals(200, r.status(), r.toString());
        assertEquals("success", r.body().path("params").path("status").asText(), r.toString());
        assertEquals("SUCCESS", r.result().path(c1).asText(), r.toString());
        JsonNode invalid = r.result().path("INVALID_ITEMS");
        assertEquals(List.of("contents[1]", "contents[2]", "contents[3]", "contents[4]", "contents[5]", "assessments[0]"),
            invalid.findValuesAsText("item"), r.toString());
        assertEquals(List.of("INVALID_PROGRESS_STATUS", "INVALID_PARAMETER_VALUE", "DATE_FORMAT_ERRROR", "INVALID_PARAMETER_VALUE",
            "INVALID_PARAMETER_VALUE", "INVALID_REQUESTED_DATA"), invalid.findValuesAsText("err"), r.toString());
        assertEquals("Progress status value should be NOT_STARTED(0), STARTED(1), COMPLETED(2).", invalid.get(0).path("errmsg").asText());
        assertEquals("Parameter contents[5].contentId is at most 100 characters; 101 were given.", invalid.get(4).path("errmsg").asText());
        assertEquals(2, r.result().size(), "the recorded content and the left-out items only: " + r);
        // Only the valid item is recorded.
        assertEquals(List.of("Enrolled", "ContentProgressRecorded"), journal(batchId, user));
        JsonNode states = contentList(user, courseId, batchId, List.of());
        assertEquals(1, states.size(), states.toString());
        assertEquals(40, states.get(0).path("progress").asInt(), states.toString());

        // Nothing recordable at all: 200 with the items left out, and nothing recorded.
        Reply none = updateState(user, List.of(badStatus), List.of());
        assertEquals(200, none.status(), none.toString());
        assertEquals("success", none.body().path("params").path("status").asText(), none.toString());
        assertEquals("[{\"item\":\"contents[0]\",\"err\":\"INVALID_PROGRESS_STATUS\",\"errmsg\":"
            + "\"Progress status value should be NOT_STARTED(0), STARTED(1), COMPLETED(2).\"}]", none.result().path("INVALID_ITEMS").toString());
        assertEquals(1, none.result().size(), none.toString());
        assertEquals(List.of("Enrolled", "ContentProgressRecorded"), journal(batchId, user));
      }

      @Test
      void contentStateReadChecksItsListsFirstAndReadsTheFirstCourseOfCourseIds() {
        String user = enrolledLearner("reader");
        String read = "/v1/content/state/read";
        assertError(call("POST", read, user, Map.of("courseId", courseId, "courseIds", Map.of(), "batchId", batchId)),
            400, "DATA_TYPE_ERROR", "Data type of courseIds should be List.", "CLIENT_ERROR");
        assertError(call("POST", read, user, Map.of("courseId", courseId, "batchId", batchId, "contentIds", "c1")),
            400, "DATA_TYPE_ERROR", "Data type of contentIds should be List.", "CLIENT_ERROR");
        assertError(call("POST", read, user, Map.of("batchId", batchId)),
            400, "MANDATORY_PARAMETER_MISSING", "Mandatory parameter courseId is missing.", "CLIENT_ERROR");
        assertError(call("POST", read, user, Map.of("courseId", courseId)),
            400, "MANDATORY_PARAMETER_MISSING", "Mandatory parameter batchId is missing.", "CLIENT_ERROR");
        assertEquals(200, updateState(user, List.of(content(courseId, batchId, courseId + "_c1", 1, 10)), List.of()).status());
        Reply two = call("POST", read, user, Map.of("courseIds", List.of(courseId, "do_other"), "batchId", batchId));
        assertEquals(200, two.status(), two.toString());
        assertEquals(courseId, two.result().path("contentList").path(0).path("courseId").asText(), two.toString());
      }

      @Test
      void unknownUpcomingAndNotEnrolledBatchesAreReportedAndRecordNothing() {
        String otherCourse = registerCourse(true);
        String ongoing = batchId;
        String upcoming = createBatch(batchRequest(courseId)); // starts tomorrow
        String user = learner("reports");
        String outsider = learner("outsider");
        String c1 = courseId + "_c1";
        assertSuccess(enrol(user, courseId, ongoing), "api.course.enroll");
        assertSuccess(enrol(user, courseId, upcoming), "api.course.enroll");

        Reply unknown = updateState(user, List.of(content(courseId, INVALID_BATCH, c1, 2, null)), List.of());
        assertEquals(200, unknown.status(), unknown.toString());
        assertEquals("{\"BATCH_NOT_EXISTS\":[\"" + INVALID_BATCH + "\"]}", unknown.result().toString());
        Reply wrongCourse = updateState(user, List.of(content(otherCourse, ongoing, otherCourse + "_c1", 2, null)), List.of());
        assertEquals("{\"BATCH_NOT_EXISTS\":[\"" + ongoing + "\"]}", wrongCourse.result().toString(), wrongCourse.toString());
        Reply notStarted = updateState(user, List.of(content(courseId, upcoming, c1, 2, null)), List.of());
        assertEquals("{\"NOT_A_ON_GOING_BATCH\":[\"" + upcoming + "\"]}", notStarted.result().toString(), notStarted.toString());
        Reply notEnrolled = updateState(outsider, List.of(content(courseId, ongoing, c1, 2, null)), List.of());
        assertEquals("{\"NOT_ENROLLED\":[\"" + ongoing + "\"]}", notEnrolled.result().toString(), notEnrolled.toString());
        assertEquals(List.of("Enrolled"), journal(ongoing, user));
        assertEquals(List.of("Enrolled"), journal(upcoming, user));
        assertEquals(List.of(), journal(ongoing, outsider));

        Reply mixed = updateState(user, List.of(content(courseId, ongoing, c1, 1, 10), content(courseId, INVALID_BATCH, courseId + "_a1", 1, 10),
            content(courseId, upcoming, courseId + "_a1", 1, 10)), List.of());
        assertEquals(200, mixed.status(), mixed.toString());
        assertEquals("SUCCESS", mixed.result().path(c1).asText(), mixed.toString());
        assertFalse(mixed.result().has(courseId + "_a1"), mixed.toString());
        assertEquals("[\"" + INVALID_BATCH + "\"]", mixed.result().path("BATCH_NOT_EXISTS").toString());
        assertEquals("[\"" + upcoming + "\"]", mixed.result().path("NOT_A_ON_GOING_BATCH").toString());
        assertEquals(List.of("Enrolled", "ContentProgressRecorded"), journal(ongoing, user));
        assertEquals(List.of("Enrolled"), journal(upcoming, user));
      }

      @Test
      void assessmentAttemptsAreRecordedOnceAndTheBestCounts() {
        String user = learner("quiz");
        String a1 = courseId + "_a1";
        assertSuccess(enrol(user, courseId, batchId), "api.course.enroll");
        Reply first = updateState(user, List.of(content(courseId, batchId, a1, 1, null)), List.of(attempt(user, courseId, batchId, "attempt-1", 1)));
        assertEquals(200, first.status(), first.toString());
        assertEquals("SUCCESS", first.result().path(a1).asText(), first.toString());
        assertEquals("SUCCESS", first.result().path(batchId).asText(), first.toString());
        List<AssessmentAttempted> attempts = events(batchId, user, AssessmentAttempted.class);
        assertEquals(1, attempts.size());
        AssessmentAttempted recorded = attempts.get(0);
        assertEquals(a1, recorded.contentId());
        assertEquals("attempt-1", recorded.attemptId());
        assertEquals(1.0, recorded.totalScore());
        assertEquals(2.0, recorded.totalMaxScore());
        assertEquals(1, recorded.responses().size(), "the END event is no response");
        var response = recorded.responses().get(0);
        assertEquals("q1", response.questionId());
        assertEquals(1.0, response.score());
        assertEquals(2.0, response.maxScore());
        assertEquals("[{\"1\":\"{\\\"text\\\":\\\"A\\\"}\"}]", response.response().toString());
        assertEquals(7.0, response.duration());

        Reply second = updateState(user, List.of(), List.of(attempt(user, courseId, batchId, "attempt-2", 2)));
        assertEquals("{\"" + batchId + "\":\"SUCCESS\"}", second.result().toString(), second.toString());
        Reply retried = updateState("/api/course/v1/content/state/update", user, List.of(), List.of(attempt(user, courseId, batchId, "attempt-1", 0)));
        assertEquals(200, retried.status(), retried.toString());
        assertEquals(2, events(batchId, user, AssessmentAttempted.class).size(), "a retried attempt is recorded once");

        JsonNode withScore = find(contentList(user, courseId, batchId, List.of("progress", "score")), "contentId", a1);
        JsonNode score = withScore.path("score");
        assertEquals(1, score.size(), withScore.toString());
        assertEquals("attempt-2", score.get(0).path("attemptId").asText(), withScore.toString());
        assertEquals(2.0, score.get(0).path("totalScore").asDouble());
        assertEquals(2.0, score.get(0).path("totalMaxScore").asDouble());
        assertEquals(2, score.get(0).path("attempts").asInt());
        assertFalse(find(contentList(user, courseId, batchId, List.of()), "contentId", a1).has("score"), "score only when asked for");
      }

      @Test
      void completingEveryLeafCompletesTheEnrolmentOnce() {
        String user = enrolledLearner("finisher");
        assertEquals(200, updateState(user, List.of(content(courseId, batchId, courseId + "_c1", 2, null)), List.of()).status());
        JsonNode half = enrolmentUntil(user, batchId, e -> e.path("progress").asInt() == 1);
        assertEquals(1, half.path("status").asInt(), half.toString());
        assertEquals(50, half.path("completionPercentage").asInt(), half.toString());
        assertTrue(half.path("completedOn").isNull(), half.toString());
        assertFalse(journal(batchId, user).contains("EnrollmentCompleted"));

        assertEquals(200, updateState(user, List.of(content(courseId, batchId, courseId + "_a1", 2, null)), List.of()).status());
        JsonNode done = enrolmentUntil(user, batchId, e -> e.path("status").asInt() == 2);
        assertEquals(100, done.path("completionPercentage").asInt(), done.toString());
        assertEquals(2, done.path("progress").asInt(), done.toString());
        assertTrue(done.path("completedOn").asText().matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d:\\d{3}\\+0000"), done.toString());
        completeCourse(user, courseId, batchId); // reported again
        assertEquals(1, journal(batchId, user).stream().filter("EnrollmentCompleted"::equals).count(), journal(batchId, user).toString());
      }
    }

    // ---- certificates ----

    @Nested
    class Certificates {
      @Test
      void completingTheCourseIssuesTheCertificateOnceAndTheListShowsIt() {
        String templateId = addTemplate(courseId, batchId, Map.of("enrollment", Map.of("status", 2)));
        String user = enrolledLearner("certified");
        assertEquals(200, updateState(user, List.of(content(courseId, batchId, courseId + "_c1", 2, null)), List.of()).status());
        assertEquals(List.of(), events(batchId, user, CertificateIssued.class), "not completed yet");
        completeCourse(user, courseId, batchId);
        List<CertificateIssued> issued = events(batchId, user, CertificateIssued.class);
        assertEquals(1, issued.size(), journal(batchId, user).toString());
        assertEquals(templateId, issued.get(0).templateId());
        assertFalse(issued.get(0).reissue());
        completeCourse(user, courseId, batchId); // the player retries the completing report
        assertEquals(1, events(batchId, user, CertificateIssued.class).size(), journal(batchId, user).toString());

        JsonNode e = enrolmentUntil(user, batchId, x -> x.path("certificates").size() == 1);
        JsonNode cert = e.path("certificates").get(0);
        assertEquals(issued.get(0).certificateId(), cert.path("identifier").asText(), e.toString());
        assertEquals(templateId, cert.path("templateId").asText());
        assertFalse(cert.path("reissue").asBoolean());
        assertFalse(cert.path("lastIssuedOn").isNull(), cert.toString());
        assertEquals(e.path("certificates"), e.path("issuedCertificates"));
      }

      @Test
      void anAssessmentCriterionWithholdsTheCertificateBelowTheScore() {
        String templateId = addTemplate(courseId, batchId, Map.of("enrollment", Map.of("status", 2), "assessment", Map.of("score", Map.of(">=", 70))));
        String low = learner("low");
        String high = learner("high");
        for (String user : List.of(low, high)) {
          assertSuccess(enrol(user, courseId, batchId), "api.course.enroll");
          Reply r = updateState(user, List.of(content(courseId, batchId, courseId + "_c1", 2, null), content(courseId, batchId, courseId + "_a1", 2, null)),
              List.of(attempt(user, courseId, batchId, "only", user.equals(low) ? 1 : 2)));
          assertEquals(200, r.status(), r.toString());
          assertTrue(journal(batchId, user).contains("EnrollmentCompleted"), journal(batchId, user).toString());
        }
        assertEquals(List.of(), events(batchId, low, CertificateIssued.class), "50 % is below 70 %");
        List<CertificateIssued> issued = events(batchId, high, CertificateIssued.class);
        assertEquals(1, issued.size(), journal(batchId, high).toString());
        assertEquals(templateId, issued.get(0).templateId());
      }

      @Test
      void issuingOnRequestForATemplateAddedLater() {
        String done = learner("done");
        String half = learner("half");
        String none = learner("none");
        assertSuccess(enrol(done, courseId, batchId), "api.course.enroll");
        completeCourse(done, courseId, batchId);
        assertSuccess(enrol(half, courseId, batchId), "api.course.enroll");
        assertEquals(200, updateState(half, List.of(content(courseId, batchId, courseId + "_c1", 2, null)), List.of()).status());
        // lms-service's CertificateActor: a batch without templates, then an unknown batch and another course's, all CLIENT_ERROR.
        List<String> issuePaths = List.of("/v1/course/batch/cert/issue", "/api/course/batch/cert/v1/issue");
        for (String path : issuePaths) {
          Reply noTemplates = issue(path, CREATOR, courseId, batchId, List.of(done));
          assertError(noTemplates, 400, "CLIENT_ERROR", "No certificate templates associated with " + batchId, "CLIENT_ERROR");
        }
        String templateId = addTemplate(courseId, batchId, Map.of("enrollment", Map.of("status", "2")));
        for (String path : issuePaths) {
          assertError(issue(path, CREATOR, courseId, INVALID_BATCH, List.of(done)),
              400, "CLIENT_ERROR", "No such batchId exists", "CLIENT_ERROR");
          assertError(issue(path, CREATOR, "do_other", batchId, List.of(done)),
              400, "CLIENT_ERROR", "batchId is not linked with courseId", "CLIENT_ERROR");
        }
        assertEquals(List.of(), events(batchId, done, CertificateIssued.class), "adding a template issues nothing by itself");

        Reply r = issue("/v1/course/batch/cert/issue", CREATOR, courseId, batchId, List.of(done, half, none));
        assertEquals(200, r.status(), r.toString());
        assertEquals("api.course.batch.cert.issue", r.body().path("id").asText());
        assertEquals("{\"status\":\"Certificates issue action for Course Batch Id " + batchId + " submitted Successfully!\",\"batchId\":\""
            + batchId + "\",\"courseId\":\"" + courseId + "\",\"collectionId\":\"" + courseId + "\"}", r.result().path("result").toString());
        assertEquals("SUCCESS", r.result().path("response").asText());
        JsonNode users = r.result().path("users");
        assertEquals("SUCCESS", users.path(done).path("status").asText(), r.toString());
        List<CertificateIssued> issued = events(batchId, done, CertificateIssued.class);
        assertEquals(1, issued.size());
        assertEquals(issued.get(0).certificateId(), users.path(done).path("issued").get(0).path("certificateId").asText(), r.toString());
        assertEquals(templateId, users.path(done).path("issued").get(0).path("templateId").asText(), r.toString());
        assertEquals("SUCCESS", users.path(half).path("status").asText(), r.toString());
        assertEquals("[]", users.path(half).path("issued").toString(), "criteria not met: " + r);
        assertEquals("FAILED", users.path(none).path("status").asText(), r.toString());
        assertEquals("USER_NOT_ENROLLED_COURSE", users.path(none).path("err").asText(), r.toString());
        assertEquals(List.of(), events(batchId, half, CertificateIssued.class));
        assertEquals(List.of(), journal(batchId, none));

        Reply again = issue("/api/course/batch/cert/v1/issue", MENTOR, courseId, batchId, List.of(done));
        assertEquals(200, again.status(), again.toString());
        assertEquals("[]", again.result().path("users").path(done).path("issued").toString(), again.toString());
        assertEquals(1, events(batchId, done, CertificateIssued.class).size(), "held already: nothing new");

        clock.advance(Duration.ofSeconds(1)); // the list is oldest first: the reissue comes second
        Reply reissued = issue("/v1/course/batch/cert/issue?reIssue=true", CREATOR, courseId, batchId, List.of(done));
        assertEquals(200, reissued.status(), reissued.toString());
        issued = events(batchId, done, CertificateIssued.class);
        assertEquals(2, issued.size(), journal(batchId, done).toString());
        assertTrue(issued.get(1).reissue());
        assertNotEquals(issued.get(0).certificateId(), issued.get(1).certificateId());
        assertEquals(issued.get(1).certificateId(),
            reissued.result().path("users").path(done).path("issued").get(0).path("certificateId").asText(), reissued.toString());

        assertRefused(() -> issue("/v1/course/batch/cert/issue?reIssue=maybe", CREATOR, courseId, batchId, List.of(done)),
            400, "INVALID_PARAMETER_VALUE", batchId, done);
        assertRefused(() -> issue("/api/course/batch/cert/v1/issue", done, courseId, batchId, List.of(done)), 401, "UNAUTHORIZED_USER", batchId, done);
        assertRefused(() -> call("POST", "/v1/course/batch/cert/issue", CREATOR, enrolment(courseId, batchId)),
            400, "MANDATORY_PARAMETER_MISSING", batchId, done);
        assertRefused(() -> issue("/v1/course/batch/cert/issue", CREATOR, "do_other", batchId, List.of(done)), 400, "CLIENT_ERROR", batchId, done);

        JsonNode e = enrolmentUntil(done, batchId, x -> x.path("certificates").size() == 2);
        JsonNode certificates = e.path("certificates");
        assertEquals(issued.get(0).certificateId(), certificates.get(0).path("identifier").asText(), e.toString());
        assertFalse(certificates.get(0).path("reissue").asBoolean(), e.toString());
        assertEquals(issued.get(1).certificateId(), certificates.get(1).path("identifier").asText(), e.toString());
        assertTrue(certificates.get(1).path("reissue").asBoolean(), e.toString());
      }
    }

    // ---- concurrency ----

    /** Many learners at once, on a node of its own so that no other test waits behind them. */
    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class Concurrency {
      static final int LEARNERS = 1000;
      static final int THREADS = 32;
      TestNode own;
      ApiClient client;
      ExecutorService pool;

      @BeforeAll
      void startOwnNode() throws Exception {
        own = newNode(clock);
        client = own.client();
        pool = Executors.newFixedThreadPool(THREADS);
      }

      @AfterAll
      void stopOwnNode() {
        if (pool != null) {
          pool.shutdownNow();
        }
        if (own != null) {
          own.close();
        }
      }

      /** Runs the calls on the pool, all released at the same instant; their replies in order. */
      List<Reply> atOnce(List<Callable<Reply>> calls) throws Exception {
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Reply>> futures = new ArrayList<>();
        for (Callable<Reply> c : calls) {
          futures.add(pool.submit(() -> {
            start.await();
            return c.call();
          }));
        }
        start.countDown();
        List<Reply> replies = new ArrayList<>();
        for (Future<Reply> f : futures) {
          replies.add(f.get(120, TimeUnit.SECONDS));
        }
        return replies;
      }

      /** This test's course and batch are on the node of its own. */
      @BeforeEach
      void courseAndBatchOnOwnNode() {
        courseId = registerCourse(client, true);
        batchId = createBatch(client, ongoingBatch(courseId));
      }

      @Test
      void aThousandLearnersEnrolAtOnceAndEachIsEnrolledExactlyOnce() throws Exception {
        String body = ApiClient.envelope(enrolment(courseId, batchId));
        List<String> users = new ArrayList<>();
        List<Callable<Reply>> calls = new ArrayList<>();
        for (int i = 0; i < LEARNERS; i++) {
          String user = "crowd-" + i;
          String t = token(user);
          users.add(user);
          calls.add(() -> client.send("POST", "/v1/course/enroll", body, Map.of("Authorization", "Bearer " + t)));
        }
        List<Reply> replies = atOnce(calls);
        Map<Integer, Long> byStatus = replies.stream().collect(Collectors.groupingBy(Reply::status, Collectors.counting()));
        assertEquals(Map.of(200, (long) LEARNERS), byStatus,
            "first failures: " + replies.stream().filter(r -> r.status() != 200).limit(3).toList());
        assertTrue(replies.stream().allMatch(r -> "{\"response\":\"SUCCESS\"}".equals(r.result().toString())), "all enrolled, none waitlisted");

        Function<List<EnrollmentEvent>, Map<String, Long>> enrolledPerUser = events -> events.stream()
            .filter(Enrolled.class::isInstance).collect(Collectors.groupingBy(EnrollmentEvent::userId, Collectors.counting()));
        // The tag query sees the journal up to the last ordering it has confirmed has no gaps: ask until all are there.
        Map<String, Long> perUser = pollUntil("Enrolled events", Duration.ofSeconds(20),
            () -> enrolledPerUser.apply(JournalProbe.enrollmentEventsOfBatch(own.node(), batchId)), m -> m.size() == LEARNERS);
        assertEquals(users.stream().sorted().toList(), perUser.keySet().stream().sorted().toList());
        assertEquals(List.of(1L), perUser.values().stream().distinct().toList(), "exactly one Enrolled per learner");
        JsonNode listed = pollUntil("the participant list", Duration.ofSeconds(30), () -> participants(client, batchId, true),
            p -> p.path("count").asInt() == LEARNERS);
        assertEquals(LEARNERS, listed.path("participants").size());
      }

      /**
       * Seats are the one decision that goes through the batch: forty learners at once into ten
       * seats give exactly ten enrolled and a waitlist of thirty with distinct positions; five
       * holders leaving at once admit exactly the first five waiting, in waitlist order.
       */
      @Test
      void fortyLearnersAtOnceIntoTenSeats() throws Exception {
        var req = ongoingBatch(courseId);
        req.put("maxParticipants", 10);
        String limited = createBatch(client, req);
        List<Callable<Reply>> calls = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
          String user = "seat-" + i;
          calls.add(() -> client.call("POST", "/v1/course/enroll", token(user), enrolment(courseId, limited)));
        }
        List<Reply> replies = atOnce(calls);
        assertTrue(replies.stream().allMatch(r -> r.status() == 200), replies.toString());
        List<String> seated = new ArrayList<>();
        Map<Integer, String> waiting = new java.util.TreeMap<>();
        for (int i = 0; i < 40; i++) {
          JsonNode result = replies.get(i).result();
          if (result.path("waitlisted").asBoolean(false)) {
            assertNull(waiting.put(result.path("waitlistPosition").asInt(), "seat-" + i), "positions are distinct: " + result);
          } else {
            seated.add("seat-" + i);
          }
        }
        assertEquals(10, seated.size(), replies.toString());
        assertEquals(java.util.stream.IntStream.rangeClosed(1, 30).boxed().toList(), List.copyOf(waiting.keySet()));

        List<Callable<Reply>> leaving = new ArrayList<>();
        for (String user : seated.subList(0, 5)) {
          leaving.add(() -> client.call("POST", "/v1/course/unenroll", token(user), enrolment(courseId, limited)));
        }
        assertTrue(atOnce(leaving).stream().allMatch(r -> r.status() == 200));
        List<String> firstFive = List.copyOf(waiting.values()).subList(0, 5);
        JsonNode active = pollUntil("five promoted", Duration.ofSeconds(20), () -> participants(client, limited, true),
            p -> p.path("count").asInt() == 10 && containsAll(p.path("participants"), firstFive));
        assertFalse(containsAny(active.path("participants"), List.copyOf(waiting.values()).subList(5, 30)),
            "only the first five waiting got seats: " + active);
      }

      private static boolean containsAll(JsonNode ids, List<String> wanted) {
        var have = new java.util.HashSet<String>();
        ids.forEach(n -> have.add(n.asText()));
        return have.containsAll(wanted);
      }

      private static boolean containsAny(JsonNode ids, List<String> unwanted) {
        for (JsonNode n : ids) {
          if (unwanted.contains(n.asText())) {
            return true;
          }
        }
        return false;
      }

      @Test
      void theSameLearnerTwentyTimesAtOnceIsEnrolledOnce() throws Exception {
        String user = learner("impatient");
        List<Callable<Reply>> calls = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
          calls.add(() -> client.call("POST", "/v1/course/enroll", token(user), enrolment(courseId, batchId)));
        }
        List<Reply> replies = atOnce(calls);
        assertEquals(1, replies.stream().filter(r -> r.status() == 200).count(), replies.toString());
        for (Reply r : replies) {
          if (r.status() != 200) {
            assertError(r, 400, "USER_ALREADY_ENROLLED_COURSE");
          }
        }
        assertEquals(List.of("Enrolled"), JournalProbe.enrollmentEventTypes(own.node(), batchId, user));
      }
    }
  }
}
