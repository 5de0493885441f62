package org.coursebatch.node;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.stream.StreamSupport;
import org.coursebatch.core.enrollment.EnrollmentEvent.Enrolled;
import org.coursebatch.core.enrollment.EnrollmentEvent.EnrollmentDeleted;
import org.coursebatch.core.enrollment.EnrollmentEvent.ParticipantInvited;
import org.coursebatch.core.enrollment.EnrollmentEvent.Unenrolled;
import org.coursebatch.core.enrollment.EnrollmentEvent;
import org.coursebatch.node.ApiClient.Reply;
import org.coursebatch.persistence.testing.OnBothDatabases;
import org.coursebatch.persistence.testing.TestDatabase;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Bulk enrolment administration (docs/api.md "Bulk enrolment administration") over HTTP against a
 * running node and a real database: each OSID method with good and bad items mixed, checked item
 * by item and against the journal, which must hold exactly the good items' changes.
 *
 * <p>The creator, {@link Contract#ORG_ADMIN} and the learners belong to {@link Directory#ORG}, which the
 * tests' batches are created for: the creator, the mentor and the org admin have authority over
 * the learners.
 */
@OnBothDatabases
class BulkEnrollmentApiTest {

  @Nested
  class Contract extends NodeApiContract {

    Contract(TestDatabase database) {
      super(database);
    }

    static final String ORG_ADMIN = "bulk-org-admin";
    /** A creator the directory places in no organisation: authority over no learner. */
    static final String OTHER_CREATOR = "other-creator";

    String courseId;
    String batchId;

    @BeforeAll
    void placeTheCreatorAndTheOrgAdmin() {
      Directory.place(api, Directory.ORG, CREATOR, ORG_ADMIN);
    }

    @BeforeEach
    void freshCourseAndBatch() {
      courseId = registerCourse(true);
      batchId = createBatch(Directory.forOrg(ongoingBatch(courseId)));
    }

    // ---- helpers ----

    /** New learners with profiles in {@code rootOrgId}. */
    List<String> learners(int n, String rootOrgId) {
      List<String> users = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        users.add("learner-" + UUID.randomUUID().toString().substring(0, 8));
      }
      Directory.place(api, rootOrgId, users);
      return users;
    }

    /** New learners of {@link Directory#ORG}. */
    List<String> learners(int n) {
      return learners(n, Directory.ORG);
    }

    Reply asCreator(String method, String path, Object request) {
      return call(method, path, CREATOR, request);
    }

    static Map<String, Object> peer(String batchId, String userId) {
      return Map.of("batchId", batchId, "userId", userId);
    }

    Reply createFormsReply(String user, List<Map<String, Object>> peers, List<String> recordTypes) {
      Map<String, Object> request = new HashMap<>();
      request.put("peers", peers);
      if (recordTypes != null) {
        request.put("recordTypes", recordTypes);
      }
      return call("POST", "/v1/enrollments/batch/forms/create", user, request);
    }

    List<JsonNode> createForms(List<Map<String, Object>> peers) {
      Reply r = createFormsReply(CREATOR, peers, List.of());
      assertEquals(200, r.status(), r.toString());
      return list(r.result().path("forms"));
    }

    List<JsonNode> updateForms(List<String> ids) {
      Reply r = asCreator("POST", "/v1/enrollments/batch/forms/update", Map.of("enrollmentIds", ids));
      assertEquals(200, r.status(), r.toString());
      return list(r.result().path("forms"));
    }

    /** Submits forms (as received, or anything else) and returns the responses by form id. */
    Map<String, JsonNode> submit(String path, String user, List<?> forms) {
      Reply r = call("POST", path, user, Map.of("forms", forms));
      assertEquals(200, r.status(), r.toString());
      assertEquals("OK", r.body().path("responseCode").asText(), r.toString());
      List<JsonNode> items = list(r.result().path("responses"));
      assertEquals(forms.size(), items.size(), "one response per form: " + r);
      assertEquals(forms.size(), r.result().path("summary").path("total").asInt(), r.toString());
      Map<String, JsonNode> byForm = new HashMap<>();
      items.forEach(i -> byForm.put(i.path("formId").asText(), i));
      return byForm;
    }

    Map<String, JsonNode> create(List<?> forms) {
      return submit("/v1/enrollments/batch/create", CREATOR, forms);
    }

    Map<String, JsonNode> update(List<?> forms) {
      return submit("/v1/enrollments/batch/update", CREATOR, forms);
    }

    /** Delete responses of a delete request, by the id as requested. */
    Map<String, JsonNode> deleted(Reply r) {
      assertEquals(200, r.status(), r.toString());
      Map<String, JsonNode> byId = new HashMap<>();
      list(r.result().path("responses")).forEach(i -> byId.put(i.path("enrollmentId").asText(), i));
      return byId;
    }

    static List<JsonNode> list(JsonNode array) {
      assertTrue(array.isArray(), "an array: " + array);
      return StreamSupport.stream(array.spliterator(), false).toList();
    }

    static ObjectNode withActive(JsonNode form, Boolean active) {
      ObjectNode copy = form.deepCopy();
      if (active != null) {
        copy.put("active", active);
      }
      return copy;
    }

    static void assertOk(JsonNode item) {
      assertTrue(item.path("successful").asBoolean(false), "successful: " + item);
      assertTrue(item.path("error").isMissingNode() || item.path("error").isNull(), item.toString());
    }

    static void assertItemError(JsonNode item, String err) {
      assertFalse(item.path("successful").asBoolean(true), "failed: " + item);
      assertEquals(err, item.path("error").path("err").asText(), item.toString());
      assertFalse(item.path("error").path("errmsg").asText("").isBlank(), item.toString());
    }

    List<EnrollmentEvent> events(String batchId, String userId) {
      return JournalProbe.enrollmentEvents(node.node(), batchId, userId);
    }

    <E extends EnrollmentEvent> List<E> events(String batchId, String userId, Class<E> type) {
      return events(batchId, userId).stream().filter(type::isInstance).map(type::cast).toList();
    }

    Reply lookup(String idOrAlias, String user) {
      return call("GET", "/v1/enrollments/" + idOrAlias, user, null);
    }

    List<String> participants(String batchId) {
      return participants(batchId, true);
    }

    /** The batch's active participants, or (active false) those whose enrolment is no longer active. */
    List<String> participants(String batchId, boolean active) {
      Reply r = call("POST", "/v1/batch/participants/list", CREATOR, Map.of("batch", Map.of("batchId", batchId, "active", active)));
      assertEquals(200, r.status(), r.toString());
      return list(r.result().path("batch").path("participants")).stream().map(JsonNode::asText).toList();
    }

    void awaitParticipants(String batchId, int count) {
      pollUntil("participants of " + batchId, PROJECTION, () -> participants(batchId), p -> p.size() == count);
    }

    /** Enrols the learners through bulk create and returns their enrolment ids, in order. */
    List<String> bulkEnrolled(String batchId, List<String> users) {
      List<JsonNode> forms = createForms(users.stream().map(u -> peer(batchId, u)).toList());
      Map<String, JsonNode> out = create(forms);
      List<String> ids = new ArrayList<>();
      for (JsonNode f : forms) {
        JsonNode item = out.get(f.path("id").asText());
        assertOk(item);
        ids.add(item.path("enrollmentId").asText());
      }
      return ids;
    }

    /** Sends the request and checks it was refused as a whole with {@code err}, recording nothing. */
    void assertRefusedWhole(Supplier<Reply> request, int status, String err) {
      List<EnrollmentEvent> before = JournalProbe.enrollmentEventsOfBatch(node.node(), batchId);
      Reply r = request.get();
      if (err == null) {
        assertEquals(status, r.status(), r.toString());
      } else {
        assertError(r, status, err);
      }
      assertEquals(before, JournalProbe.enrollmentEventsOfBatch(node.node(), batchId), "nothing recorded");
    }

    /** The ids among {@code responses} that belong to the given batches (other tests share the node). */
    static List<String> ofBatches(Map<String, JsonNode> responses, String... batchIds) {
      return responses.keySet().stream().filter(id -> java.util.Arrays.stream(batchIds).anyMatch(b -> id.startsWith(b + ":")))
          .sorted().toList();
    }

    // ---- forms for create ----

    @Test
    void formsForCreateCarryTheirPeersAndWholeRequestErrorsChangeNothing() {
      List<String> users = learners(2);
      List<JsonNode> forms = createForms(List.of(peer(batchId, users.get(0)), peer(batchId, users.get(1)),
          peer(batchId, users.get(1))));
      assertEquals(3, forms.size());
      assertEquals(3, forms.stream().map(f -> f.path("id").asText()).distinct().count(), "each form its own id, duplicates too");
      JsonNode first = forms.get(0);
      assertEquals("create", first.path("kind").asText());
      assertEquals(batchId, first.path("batchId").asText());
      assertEquals(users.get(0), first.path("userId").asText());
      assertFalse(first.path("token").asText().isBlank());
      assertTrue(Instant.parse(first.path("expiresAt").asText()).isAfter(clock.instant()));
      assertTrue(list(first.path("metadata")).stream().anyMatch(m -> m.path("name").asText().equals("userId")), first.toString());

      assertRefusedWhole(() -> call("POST", "/v1/enrollments/batch/forms/create", CREATOR, Map.of()), 400, "NULL_ARGUMENT");
      Reply noBatch = createFormsReply(CREATOR, List.of(peer("0199999999999", users.get(0))), List.of());
      assertRefusedWhole(() -> noBatch, 404, "NOT_FOUND");
      assertTrue(noBatch.errmsg().contains("0199999999999"), "names what is missing: " + noBatch);
      assertRefusedWhole(() -> createFormsReply(CREATOR, List.of(peer(batchId, users.get(0))), List.of("enrollment:gpa@elsewhere")),
          400, "UNSUPPORTED");
      assertRefusedWhole(() -> createFormsReply(users.get(0), List.of(peer(batchId, users.get(0))), List.of()), 403, "PERMISSION_DENIED");
    }

    /**
     * A learner the user directory does not know gets a form, whose item fails alone with
     * USER_NOT_FOUND when it is applied (for a creator and a system admin alike); the other items
     * of the request are applied.
     */
    @Test
    void aLearnerTheDirectoryDoesNotKnowFailsAloneWithUserNotFound() {
      List<String> users = learners(2);
      String unknownUser = "nobody-" + UUID.randomUUID();
      List<JsonNode> forms = createForms(List.of(peer(batchId, users.get(0)), peer(batchId, unknownUser), peer(batchId, users.get(1))));
      assertEquals(3, forms.size());

      Map<String, JsonNode> out = create(forms);
      assertOk(out.get(forms.get(0).path("id").asText()));
      assertOk(out.get(forms.get(2).path("id").asText()));
      JsonNode unknown = out.get(forms.get(1).path("id").asText());
      assertItemError(unknown, "USER_NOT_FOUND");
      assertEquals("RESOURCE_NOT_FOUND", unknown.path("error").path("responseCode").asText(), unknown.toString());
      assertTrue(unknown.path("error").path("errmsg").asText().contains(unknownUser), "names the user: " + unknown);
      assertEquals(List.of(), events(batchId, unknownUser), "the unknown learner's item changed nothing");
      assertEquals(1, events(batchId, users.get(0), Enrolled.class).size());

      Reply asSystemAdmin = api.call("POST", "/v1/enrollments/batch/forms/create", Directory.systemAdminToken(),
          Map.of("peers", List.of(peer(batchId, unknownUser))));
      assertEquals(200, asSystemAdmin.status(), asSystemAdmin.toString());
      Reply applied = api.call("POST", "/v1/enrollments/batch/create", Directory.systemAdminToken(),
          Map.of("forms", list(asSystemAdmin.result().path("forms"))));
      assertEquals(200, applied.status(), applied.toString());
      assertItemError(applied.result().path("responses").path(0), "USER_NOT_FOUND");
      assertEquals(List.of(), events(batchId, unknownUser));
    }

    /**
     * Forms are issued only for learners the caller has authority over, and a system admin has it
     * over everyone: one learner of another organisation, or one the directory places in none,
     * refuses the whole request, naming them.
     */
    @Test
    void formsAreIssuedOnlyForLearnersTheCallerHasAuthorityOver() {
      String ofOrg = learners(1).get(0);
      String elsewhere = learners(1, Directory.OTHER_ORG).get(0);
      String unplaced = learners(1, null).get(0);
      for (String beyond : List.of(elsewhere, unplaced)) {
        for (String caller : List.of(CREATOR, MENTOR)) {
          assertRefusedWhole(() -> createFormsReply(caller, List.of(peer(batchId, ofOrg), peer(batchId, beyond)), List.of()),
              403, "PERMISSION_DENIED");
        }
        Reply byAdmin = api.call("POST", "/v1/enrollments/batch/forms/create", token(ORG_ADMIN, "ORG_ADMIN"),
            Map.of("peers", List.of(peer(batchId, beyond))));
        assertError(byAdmin, 403, "PERMISSION_DENIED");
        assertTrue(byAdmin.errmsg().contains(beyond), "names the learner: " + byAdmin);
      }
      Reply bySystemAdmin = api.call("POST", "/v1/enrollments/batch/forms/create", Directory.systemAdminToken(),
          Map.of("peers", List.of(peer(batchId, ofOrg), peer(batchId, elsewhere), peer(batchId, unplaced))));
      assertEquals(200, bySystemAdmin.status(), bySystemAdmin.toString());
      assertEquals(3, bySystemAdmin.result().path("forms").size(), bySystemAdmin.toString());
    }

    // ---- create ----

    @Test
    void createGivesEachFormItsOwnResultAndRecordsExactlyTheGoodOnes() {
      List<String> users = learners(5);
      String selfEnrolled = users.get(1);
      assertEquals(200, call("POST", "/v1/course/enroll", selfEnrolled, Map.of("courseId", courseId, "batchId", batchId)).status());
      // A batch whose enrolment closes tomorrow: its form is refused once the clock has passed that.
      Map<String, Object> closing = Directory.forOrg(ongoingBatch(courseId));
      closing.put("enrollmentEndDate", today().plusDays(1).toString());
      String closingBatch = createBatch(closing);
      Map<String, Object> inviteOnly = Directory.forOrg(ongoingBatch(courseId));
      inviteOnly.put("enrollmentType", "invite-only");
      String inviteOnlyBatch = createBatch(inviteOnly);

      List<JsonNode> forms = createForms(List.of(peer(batchId, users.get(0)), peer(batchId, selfEnrolled),
          peer(closingBatch, users.get(2)), peer(inviteOnlyBatch, users.get(3))));
      List<JsonNode> updateKind = updateForms(List.of(batchId + ":" + selfEnrolled + ":1"));
      // The enrolment end date is the last day enrolment is open.
      clock.advance(Duration.ofDays(2).plusMinutes(1));
      forms = refreshed(forms);

      ObjectNode garbled = forms.get(0).deepCopy();
      garbled.put("id", "garbled-form");
      garbled.put("token", "not-a-token");
      List<Object> submitted = new ArrayList<>(forms);
      submitted.add(garbled);
      submitted.add(updateKind.get(0));
      Map<String, JsonNode> out = create(submitted);

      JsonNode good = out.get(forms.get(0).path("id").asText());
      assertOk(good);
      assertEquals(batchId + ":" + users.get(0) + ":1", good.path("enrollmentId").asText());
      assertEquals("ACTIVE", good.path("participation").asText());
      assertItemError(out.get(forms.get(1).path("id").asText()), "USER_ALREADY_ENROLLED_COURSE");
      assertItemError(out.get(forms.get(2).path("id").asText()), "COURSE_BATCH_ENROLLMENT_DATE_ENDED");
      assertOk(out.get(forms.get(3).path("id").asText()));
      assertItemError(out.get("garbled-form"), "FORM_INVALID");
      assertItemError(out.get(updateKind.get(0).path("id").asText()), "FORM_INVALID");

      assertEquals(1, events(batchId, users.get(0), Enrolled.class).size());
      assertEquals(forms.get(0).path("id").asText(), events(batchId, users.get(0), Enrolled.class).get(0).formId());
      assertEquals(1, events(batchId, selfEnrolled, Enrolled.class).size(), "the refused item changed nothing");
      assertEquals(List.of(), events(closingBatch, users.get(2)));
      assertEquals(List.of(ParticipantInvited.class, Enrolled.class),
          events(inviteOnlyBatch, users.get(3)).stream().map(Object::getClass).toList(),
          "an administrator's enrolment is the invitation, as in single admin enrolment");
      assertEquals(List.of(), events(batchId, users.get(4)));
    }

    /** Forms issued before the clock moved may have expired (1 hour); new ones for the same peers. */
    List<JsonNode> refreshed(List<JsonNode> forms) {
      return createForms(forms.stream().map(f -> peer(f.path("batchId").asText(), f.path("userId").asText())).toList());
    }

    @Test
    void aFormIsSingleUseButAFailedAttemptLeavesItUsableAndDuplicatePeersGiveOneEnrolment() {
      List<String> users = learners(2);
      String learner = users.get(0);
      assertEquals(200, call("POST", "/v1/course/enroll", learner, Map.of("courseId", courseId, "batchId", batchId)).status());
      JsonNode form = createForms(List.of(peer(batchId, learner))).get(0);
      assertItemError(create(List.of(form)).get(form.path("id").asText()), "USER_ALREADY_ENROLLED_COURSE");
      assertEquals(200, call("POST", "/v1/course/unenroll", learner, Map.of("courseId", courseId, "batchId", batchId)).status());

      JsonNode again = create(List.of(form)).get(form.path("id").asText());
      assertOk(again);
      assertEquals(batchId + ":" + learner + ":1", again.path("enrollmentId").asText(), "re-enrolment keeps the enrolment");
      assertEquals(200, call("POST", "/v1/course/unenroll", learner, Map.of("courseId", courseId, "batchId", batchId)).status());
      assertItemError(create(List.of(form)).get(form.path("id").asText()), "FORM_ALREADY_USED");

      String other = users.get(1);
      List<JsonNode> duplicates = createForms(List.of(peer(batchId, other), peer(batchId, other)));
      Reply both = call("POST", "/v1/enrollments/batch/create", CREATOR,
          Map.of("forms", List.of(duplicates.get(0), duplicates.get(1), duplicates.get(0))));
      List<JsonNode> items = list(both.result().path("responses"));
      assertEquals(3, items.size(), both.toString());
      assertEquals(1, items.stream().filter(i -> i.path("successful").asBoolean()).count(), "one enrolment of the same peers: " + both);
      assertEquals(1, both.result().path("summary").path("succeeded").asInt(), both.toString());
      assertTrue(items.stream().filter(i -> !i.path("successful").asBoolean()).map(i -> i.path("error").path("err").asText())
          .allMatch(err -> err.equals("USER_ALREADY_ENROLLED_COURSE") || err.equals("FORM_ALREADY_USED")), both.toString());
      assertEquals(1, events(batchId, other, Enrolled.class).size());
    }

    @Test
    void formsExpire() {
      String learner = learners(1).get(0);
      JsonNode form = createForms(List.of(peer(batchId, learner))).get(0);
      clock.advance(Duration.ofHours(1).plusMinutes(1));
      assertItemError(create(List.of(form)).get(form.path("id").asText()), "FORM_EXPIRED");
      assertEquals(List.of(), events(batchId, learner));
    }

    @Test
    void aFullBatchWaitlistsBulkItemsAndAnAlteredTokenIsRefused() {
      Map<String, Object> limited = Directory.forOrg(ongoingBatch(courseId));
      limited.put("maxParticipants", 1);
      String small = createBatch(limited);
      List<String> users = learners(2);
      List<JsonNode> forms = createForms(List.of(peer(small, users.get(0))));
      assertOk(create(forms).get(forms.get(0).path("id").asText()));
      List<JsonNode> second = createForms(List.of(peer(small, users.get(1))));
      JsonNode waiting = create(second).get(second.get(0).path("id").asText());
      assertOk(waiting);
      assertEquals("WAITLISTED", waiting.path("participation").asText());
      assertEquals(1, waiting.path("waitlistPosition").asInt());

      // Deleting the seat holder gives the seat back: the waiting learner is promoted.
      String holder = small + ":" + users.get(0) + ":1";
      assertOk(deleted(asCreator("POST", "/v1/enrollments/batch/delete", Map.of("enrollmentIds", List.of(holder)))).get(holder));
      pollUntil("the waiting learner's promotion", PROJECTION, () -> lookup(waiting.path("enrollmentId").asText(), CREATOR),
          r -> r.result().path("enrollment").path("participation").asText().equals("ACTIVE"));

      ObjectNode forged = forms.get(0).deepCopy();
      String token = forged.path("token").asText();
      forged.put("token", token.substring(0, token.length() - 2) + (token.endsWith("AA") ? "BB" : "AA"));
      assertItemError(create(List.of(forged)).get(forged.path("id").asText()), "FORM_INVALID");
    }

    // ---- update ----

    @Test
    void updateUnenrolsAndEnrolsAgainItemByItem() {
      List<String> users = learners(3);
      List<String> ids = bulkEnrolled(batchId, users);
      assertRefusedWhole(() -> asCreator("POST", "/v1/enrollments/batch/forms/update",
          Map.of("enrollmentIds", List.of(ids.get(0), batchId + ":nobody:1"))), 404, "NOT_FOUND");
      assertRefusedWhole(() -> call("POST", "/v1/enrollments/batch/forms/update", users.get(0),
          Map.of("enrollmentIds", List.of(ids.get(0)))), 403, "PERMISSION_DENIED");

      List<JsonNode> forms = updateForms(ids);
      assertEquals(ids, forms.stream().map(f -> f.path("enrollmentId").asText()).toList());
      assertEquals("update", forms.get(0).path("kind").asText());
      Map<String, JsonNode> out = update(List.of(withActive(forms.get(0), false), withActive(forms.get(1), true),
          withActive(forms.get(2), null)));
      assertOk(out.get(forms.get(0).path("id").asText()));
      assertEquals("INACTIVE", out.get(forms.get(0).path("id").asText()).path("participation").asText());
      assertItemError(out.get(forms.get(1).path("id").asText()), "USER_ALREADY_ENROLLED_COURSE");
      assertItemError(out.get(forms.get(2).path("id").asText()), "NULL_ARGUMENT");
      assertEquals(forms.get(0).path("id").asText(), events(batchId, users.get(0), Unenrolled.class).get(0).formId());
      assertEquals(List.of(), events(batchId, users.get(1), Unenrolled.class));

      assertItemError(update(List.of(withActive(forms.get(0), true))).get(forms.get(0).path("id").asText()), "FORM_ALREADY_USED");
      JsonNode back = updateForms(List.of(ids.get(0))).get(0);
      JsonNode reenrolled = update(List.of(withActive(back, true))).get(back.path("id").asText());
      assertOk(reenrolled);
      assertEquals("ACTIVE", reenrolled.path("participation").asText());
      assertEquals(200, lookup(ids.get(0), CREATOR).status());
      assertEquals(true, lookup(ids.get(0), CREATOR).result().path("enrollment").path("active").asBoolean());
    }

    // ---- delete ----

    /**
     * Each id is deleted on its own: a good one, one naming no enrolment of a learner the creator has
     * authority over (NOT_FOUND), an unknown alias (NOT_FOUND) and one naming a user the directory does
     * not know, beyond the creator's authority, refused before anything tells whether it exists.
     */
    @Test
    void deleteByIdsDeletesTheGoodOnesAndTheyVanishEverywhere() {
      List<String> users = learners(3);
      List<String> ids = bulkEnrolled(batchId, users.subList(0, 2));
      awaitParticipants(batchId, 2);
      String unknown = batchId + ":" + users.get(2) + ":1";
      String beyond = batchId + ":nobody:1";
      Reply r = asCreator("POST", "/v1/enrollments/batch/delete",
          Map.of("enrollmentIds", List.of(ids.get(0), unknown, "no-such-alias", beyond)));
      Map<String, JsonNode> out = deleted(r);
      assertOk(out.get(ids.get(0)));
      assertItemError(out.get(unknown), "NOT_FOUND");
      assertItemError(out.get("no-such-alias"), "NOT_FOUND");
      assertItemError(out.get(beyond), "PERMISSION_DENIED");
      assertEquals(1, events(batchId, users.get(0), EnrollmentDeleted.class).size());

      awaitParticipants(batchId, 1);
      assertEquals(List.of(users.get(1)), participants(batchId));
      pollUntil("the learner's enrolment list", PROJECTION, () -> call("GET", "/v1/user/courses/list/" + users.get(0), users.get(0), null),
          list -> list.status() == 200 && list.result().path("courses").size() == 0);
      assertError(lookup(ids.get(0), CREATOR), 404, "NOT_FOUND");
      assertItemError(deleted(asCreator("POST", "/v1/enrollments/batch/delete", Map.of("enrollmentIds", List.of(ids.get(0)))))
          .get(ids.get(0)), "NOT_FOUND");

      // Enrolled again: a new enrolment with a new id; the old id stays gone.
      String again = bulkEnrolled(batchId, List.of(users.get(0))).get(0);
      assertEquals(batchId + ":" + users.get(0) + ":2", again);
      assertError(lookup(ids.get(0), CREATOR), 404, "NOT_FOUND");
      assertEquals(200, lookup(again, users.get(0)).status(), "the learner reads their own enrolment");
      assertError(lookup(again, STRANGER), 403, "PERMISSION_DENIED");

      assertRefusedWhole(() -> call("POST", "/v1/enrollments/batch/delete", users.get(1), Map.of("enrollmentIds", List.of(ids.get(1)))),
          403, "PERMISSION_DENIED");
    }

    @Test
    void deleteForABatchDeletesAllItsEnrolmentsAndNoOthers() {
      List<String> users = learners(3);
      bulkEnrolled(batchId, users);
      String otherBatch = createBatch(Directory.forOrg(ongoingBatch(courseId)));
      bulkEnrolled(otherBatch, users.subList(0, 1));
      awaitParticipants(batchId, 3);
      awaitParticipants(otherBatch, 1);

      assertRefusedWhole(() -> call("DELETE", "/v1/enrollments/batch/course-batch/" + batchId, users.get(0), null), 403, "PERMISSION_DENIED");
      assertRefusedWhole(() -> asCreator("DELETE", "/v1/enrollments/batch/course-batch/0199999999999", null), 404, "NOT_FOUND");
      Map<String, JsonNode> out = deleted(asCreator("DELETE", "/v1/enrollments/batch/course-batch/" + batchId, null));
      assertEquals(3, out.size(), out.toString());
      out.values().forEach(Contract::assertOk);
      awaitParticipants(batchId, 0);
      assertEquals(1, participants(otherBatch).size());
    }

    /**
     * A caller's catalog: an org admin's is the batches created for their organisation, a creator's
     * the batches they created, never another creator's. In it, only the enrolments of learners the
     * caller has authority over are deleted: a creator's batch not created for the learner's
     * organisation gives the creator none (the learner enrolled themself).
     */
    @Test
    void deleteForAStudentAndDeleteAllStayInTheCallersCatalog() {
      List<String> users = learners(2);
      String learner = users.get(0);
      // Batches of this test: batchId (created for the organisation), one of CREATOR's that is not,
      // and one of another creator's.
      String notForOrg = createBatch(ongoingBatch(courseId));
      Reply foreign = call("POST", "/v1/course/batch/create", OTHER_CREATOR, ongoingBatch(courseId));
      String foreignBatch = foreign.result().path("batchId").asText();
      bulkEnrolled(batchId, users);
      // Neither creator has authority over the learner in a batch not created for the learner's organisation.
      assertError(call("POST", "/v1/enrollments/batch/forms/create", OTHER_CREATOR,
          Map.of("peers", List.of(peer(foreignBatch, learner)))), 403, "PERMISSION_DENIED");
      assertError(createFormsReply(CREATOR, List.of(peer(notForOrg, learner)), List.of()), 403, "PERMISSION_DENIED");
      for (String batch : List.of(notForOrg, foreignBatch)) {
        assertEquals(200, call("POST", "/v1/course/enroll", learner, Map.of("courseId", courseId, "batchId", batch)).status());
      }
      awaitParticipants(batchId, 2);
      awaitParticipants(notForOrg, 1);
      pollUntil("foreign batch's participants", PROJECTION,
          () -> call("POST", "/v1/batch/participants/list", OTHER_CREATOR, Map.of("batch", Map.of("batchId", foreignBatch))),
          r -> r.result().path("batch").path("participants").size() == 1);

      // The catalog is read from the batch read model, a projection of its own: wait until it has the test's batches.
      pollUntil("the test's batches in the batch read model", PROJECTION,
          () -> call("POST", "/v1/course/batch/search", CREATOR, Map.of("filters", Map.of("courseId", courseId))),
          r -> r.result().path("response").path("count").asInt() == 3);

      // An org admin's catalog: the batches created for their organisation.
      Map<String, JsonNode> forStudent = deleted(api.call("DELETE", "/v1/enrollments/batch/user/" + learner,
          token(ORG_ADMIN, "ORG_ADMIN"), null));
      assertEquals(List.of(batchId + ":" + learner + ":1"), List.copyOf(forStudent.keySet()), "only the org's batch");
      assertOk(forStudent.get(batchId + ":" + learner + ":1"));
      assertEquals(1, events(notForOrg, learner, Enrolled.class).size());
      assertEquals(List.of(), events(notForOrg, learner, EnrollmentDeleted.class));
      assertEquals(List.of(), events(foreignBatch, learner, EnrollmentDeleted.class));

      // The creator's catalog: the batches they created; never another creator's.
      awaitParticipants(batchId, 1);
      Map<String, JsonNode> all = deleted(asCreator("DELETE", "/v1/enrollments/batch/all", null));
      assertOk(all.get(batchId + ":" + users.get(1) + ":1"));
      assertItemError(all.get(notForOrg + ":" + learner + ":1"), "PERMISSION_DENIED");
      assertFalse(all.keySet().stream().anyMatch(id -> id.startsWith(foreignBatch)), all.toString());
      assertEquals(List.of(), events(notForOrg, learner, EnrollmentDeleted.class), "no authority over the learner there");
      assertEquals(List.of(), events(foreignBatch, learner, EnrollmentDeleted.class));
      // A learner administers nothing: nothing to delete.
      assertEquals(0, deleted(call("DELETE", "/v1/enrollments/batch/all", learner, null)).size());
    }

    @Test
    void deleteIneffectiveByDateHonoursItsBoundaries() {
      // A batch of this test that ends the day after tomorrow, and one that stays open.
      Map<String, Object> shortBatch = Directory.forOrg(ongoingBatch(courseId));
      shortBatch.put("endDate", today().plusDays(2).toString());
      String ending = createBatch(shortBatch);
      var endDate = today().plusDays(2);
      List<String> users = learners(3);
      List<String> inEnding = bulkEnrolled(ending, users.subList(0, 1));
      List<String> inOpen = bulkEnrolled(batchId, users.subList(1, 3));
      // One learner of the open batch leaves; the other stays enrolled.
      JsonNode leave = updateForms(List.of(inOpen.get(0))).get(0);
      assertOk(update(List.of(withActive(leave, false))).get(leave.path("id").asText()));
      Instant left = events(batchId, users.get(1), Unenrolled.class).get(0).at();
      // The by-date deletion selects from the read model: wait until it has all of the above. The
      // unenrolment is the open batch's last event: a count of active participants alone is also
      // reached by a read model that has one enrolment and not yet the other, or not the unenrolment.
      pollUntil("the unenrolment in the read model", PROJECTION, () -> participants(batchId, false),
          p -> p.equals(List.of(users.get(1))));
      awaitParticipants(batchId, 1);
      awaitParticipants(ending, 1);
      // A batch's end comes from the batch read model, a projection of its own: wait until it has the ending batch.
      pollUntil("the ending batch in the batch read model", PROJECTION,
          () -> call("POST", "/v1/course/batch/search", CREATOR, Map.of("filters", Map.of("batchId", ending))),
          r -> r.result().path("response").path("count").asInt() == 1);

      assertRefusedWhole(() -> asCreator("DELETE", "/v1/enrollments/batch/ineffective", null), 400, "NULL_ARGUMENT");
      assertRefusedWhole(() -> asCreator("DELETE", "/v1/enrollments/batch/ineffective?date=yesterday", null), 400, "DATE_FORMAT_ERRROR");

      // Just before the unenrolment: nothing of this test is ineffective yet.
      assertEquals(List.of(), ofBatches(deleted(asCreator("DELETE", "/v1/enrollments/batch/ineffective?date=" + left.minusMillis(1), null)),
          batchId, ending));
      // At the unenrolment instant it is; the batch's last day is still in effect at its start; the day after it is not.
      Map<String, JsonNode> atLastDay = deleted(asCreator("DELETE", "/v1/enrollments/batch/ineffective?date=" + endDate, null));
      assertEquals(List.of(inOpen.get(0)), ofBatches(atLastDay, batchId, ending), "only the unenrolled one, left at " + left);
      Map<String, JsonNode> dayAfter = deleted(asCreator("DELETE", "/v1/enrollments/batch/ineffective?date=" + endDate.plusDays(1), null));
      assertEquals(List.of(inEnding.get(0)), ofBatches(dayAfter, batchId, ending));
      assertEquals(1, events(batchId, users.get(2), Enrolled.class).size());
      assertEquals(List.of(), events(batchId, users.get(2), EnrollmentDeleted.class), "still in effect: kept");
    }

    // ---- aliases ----

    @Test
    void aliasesResolveAndMoveBetweenEnrolments() {
      List<String> users = learners(2);
      List<String> ids = bulkEnrolled(batchId, users);
      String alias = "sis-" + UUID.randomUUID().toString().substring(0, 8);

      Reply first = asCreator("POST", "/v1/enrollments/batch/aliases", Map.of("aliases", List.of(
          Map.of("enrollmentId", ids.get(0), "aliasId", alias),
          Map.of("enrollmentId", batchId + ":nobody:1", "aliasId", alias + "-x"),
          Map.of("enrollmentId", ids.get(1), "aliasId", batchId + ":looks-like:1"))));
      assertEquals(200, first.status(), first.toString());
      Map<String, JsonNode> byAlias = new HashMap<>();
      list(first.result().path("responses")).forEach(i -> byAlias.put(i.path("aliasId").asText(), i));
      assertOk(byAlias.get(alias));
      assertItemError(byAlias.get(alias + "-x"), "NOT_FOUND");
      assertItemError(byAlias.get(batchId + ":looks-like:1"), "INVALID_ALIAS");
      assertEquals(ids.get(0), lookup(alias, CREATOR).result().path("enrollment").path("enrollmentId").asText());

      Reply moved = asCreator("POST", "/v1/enrollments/batch/aliases", Map.of("aliases", List.of(
          Map.of("enrollmentId", ids.get(1), "aliasId", alias))));
      JsonNode item = list(moved.result().path("responses")).get(0);
      assertOk(item);
      assertEquals(ids.get(0), item.path("previousEnrollmentId").asText());
      assertEquals(ids.get(1), lookup(alias, CREATOR).result().path("enrollment").path("enrollmentId").asText());

      // An alias reaches forms and deletion; once its enrolment is gone it answers NOT_FOUND.
      assertEquals(ids.get(1), updateForms(List.of(alias)).get(0).path("enrollmentId").asText());
      assertOk(deleted(asCreator("POST", "/v1/enrollments/batch/delete", Map.of("enrollmentIds", List.of(alias)))).get(alias));
      assertError(lookup(alias, CREATOR), 404, "NOT_FOUND");

      assertRefusedWhole(() -> call("POST", "/v1/enrollments/batch/aliases", users.get(0),
          Map.of("aliases", List.of(Map.of("enrollmentId", ids.get(0), "aliasId", alias + "-mine")))), 403, "PERMISSION_DENIED");
    }

    // ---- permission and request shape ----

    @Test
    void aLearnerIsDeniedEveryBatchScopedMethod() {
      List<String> users = learners(2);
      String learner = users.get(0);
      List<String> ids = bulkEnrolled(batchId, users);
      List<JsonNode> forms = createForms(List.of(peer(batchId, users.get(1))));
      assertRefusedWhole(() -> call("POST", "/v1/enrollments/batch/create", learner, Map.of("forms", forms)), 403, "PERMISSION_DENIED");
      List<JsonNode> updates = updateForms(ids);
      assertRefusedWhole(() -> call("POST", "/v1/enrollments/batch/update", learner,
          Map.of("forms", List.of(withActive(updates.get(0), false)))), 403, "PERMISSION_DENIED");
      assertRefusedWhole(() -> call("POST", "/v1/enrollments/batch/create", CREATOR, Map.of("forms", "nope")), 400, null);
      assertRefusedWhole(() -> call("POST", "/v1/enrollments/batch/create", CREATOR, Map.of()), 400, "NULL_ARGUMENT");
      // A mentor and an org admin administer the batch too.
      Reply asMentor = call("POST", "/v1/enrollments/batch/forms/update", MENTOR, Map.of("enrollmentIds", ids));
      assertEquals(200, asMentor.status(), asMentor.toString());
      Reply asAdmin = api.call("POST", "/v1/enrollments/batch/forms/update", token(ORG_ADMIN, "ORG_ADMIN"), Map.of("enrollmentIds", ids));
      assertEquals(200, asAdmin.status(), asAdmin.toString());
    }
  }
}
