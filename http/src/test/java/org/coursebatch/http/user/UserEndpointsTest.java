package org.coursebatch.http.user;

import org.coursebatch.core.access.AccessChecks;
import org.coursebatch.core.access.AccessPolicy;
import org.coursebatch.core.access.AccessRoles;
import static org.coursebatch.http.OpenApiExamples.assertSameJson;
import static org.coursebatch.http.RequestAssertions.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.Done;
import akka.http.javadsl.model.HttpRequest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.coursebatch.core.error.ErrorCode;
import org.coursebatch.core.error.RejectedException;
import org.coursebatch.core.error.Rejection;
import org.coursebatch.core.identity.Caller;
import org.coursebatch.core.user.Consent;
import org.coursebatch.core.user.UserDirectoryAdmin;
import org.coursebatch.core.user.UserProfile;
import org.coursebatch.http.OpenApiExamples;
import org.coursebatch.http.api.ApiRequest;
import org.coursebatch.http.api.Endpoint;
import org.coursebatch.http.api.Envelope;
import org.junit.jupiter.api.Test;

/**
 * The user-directory routes against an in-memory directory: who may write, erase and read
 * profiles and consents, how the bodies are read, and that the openapi.yaml examples are what the
 * handlers answer.
 */
class UserEndpointsTest {

  private static final String LEARNER = "c4cc494f-04c3-49f3-b3d5-7b1a1984abad";
  private static final String OTHER = "5f2d8c1e-6a7b-4c3d-9e0f-1a2b3c4d5e6f";
  private static final String COURSE = "do_1131396442662912001425";
  private static final Caller ADMIN = Caller.of("admin-1", "SYSTEM_ADMINISTRATION");
  private static final Instant NOW = Instant.parse("2020-11-01T10:03:00Z");

  /** An in-memory directory standing in for the built-in one; records who wrote each profile and consent. */
  private static final class MemoryDirectory implements UserDirectoryAdmin, org.coursebatch.core.user.UserDirectory {
    final Map<String, UserProfile> profiles = new HashMap<>();
    final Map<List<String>, Consent> consents = new HashMap<>();
    final List<String> actors = new ArrayList<>();

    @Override
    public CompletionStage<Done> putProfile(UserProfile profile, String actor) {
      profiles.put(profile.userId(), profile);
      actors.add(actor);
      return CompletableFuture.completedFuture(Done.getInstance());
    }

    @Override
    public CompletionStage<Optional<UserProfile>> findProfile(String userId) {
      return CompletableFuture.completedFuture(Optional.ofNullable(profiles.get(userId)));
    }

    @Override
    public CompletionStage<Erasure> erase(String userId) {
      boolean profile = profiles.remove(userId) != null;
      int before = consents.size();
      consents.keySet().removeIf(key -> key.get(0).equals(userId));
      return CompletableFuture.completedFuture(new Erasure(profile, before - consents.size()));
    }

    @Override
    public CompletionStage<Consent> putConsent(ConsentUpdate u, String actor) {
      List<String> key = java.util.Arrays.asList(u.userId(), u.courseId(), u.consumerId());
      Consent previous = consents.get(key);
      Consent stored = new Consent(u.userId(), u.courseId(), u.objectType(), u.consumerId(), u.status(),
          previous == null ? NOW : previous.givenAt(), NOW);
      consents.put(key, stored);
      actors.add(actor);
      return CompletableFuture.completedFuture(stored);
    }

    @Override
    public CompletionStage<Optional<String>> rootOrgId(String userId) {
      return CompletableFuture.completedFuture(Optional.ofNullable(profiles.get(userId)).map(UserProfile::rootOrgId));
    }

    @Override
    public CompletionStage<java.util.Set<String>> knownUsers(java.util.Collection<String> userIds) {
      return CompletableFuture.completedFuture(userIds.stream().filter(profiles::containsKey).collect(java.util.stream.Collectors.toSet()));
    }

    @Override
    public CompletionStage<Map<String, UserProfile>> profiles(java.util.Collection<String> userIds) {
      Map<String, UserProfile> out = new HashMap<>();
      userIds.stream().filter(profiles::containsKey).forEach(id -> out.put(id, profiles.get(id)));
      return CompletableFuture.completedFuture(out);
    }

    @Override
    public CompletionStage<Map<String, Consent>> consents(String courseId, String consumerOrg, java.util.Collection<String> userIds) {
      throw new UnsupportedOperationException();
    }

    @Override
    public CompletionStage<List<Consent>> findConsents(String userId, String courseId, String consumerId) {
      return CompletableFuture.completedFuture(consents.values().stream()
          .filter(c -> c.userId().equals(userId))
          .filter(c -> courseId == null || c.courseId().equals(courseId))
          .filter(c -> consumerId == null || consumerId.equals(c.consumerId()))
          .sorted(Comparator.comparing(Consent::courseId))
          .toList());
    }
  }

  private final MemoryDirectory directory = new MemoryDirectory();
  private final List<Endpoint> endpoints = endpointsFor(AccessRoles.SUNBIRD);

  private List<Endpoint> endpointsFor(AccessRoles roles) {
    return new UserEndpoints(directory, new AccessChecks(new AccessPolicy(roles), directory)).endpoints();
  }

  private static JsonNode call(List<Endpoint> endpoints, String method, String path, Map<String, String> params, Caller caller,
      String requestedFor, JsonNode body) throws Exception {
    Endpoint e = endpoints.stream().filter(x -> x.method().name().equals(method) && x.path().equals(path)).findFirst().orElseThrow();
    var request = new ApiRequest(HttpRequest.create(path), params, Optional.of(caller), Optional.ofNullable(requestedFor),
        Optional.ofNullable(body));
    try {
      return Envelope.JSON.valueToTree(e.handler().handle(request).toCompletableFuture().get(5, TimeUnit.SECONDS));
    } catch (ExecutionException failed) {
      throw failed.getCause() instanceof RejectedException r ? r : failed;
    }
  }

  private static JsonNode profileCall(List<Endpoint> endpoints, String method, String userId, Caller caller, String requestedFor,
      JsonNode body) throws Exception {
    return call(endpoints, method, "/v1/user/profile/{userId}", Map.of("userId", userId), caller, requestedFor, body);
  }

  private JsonNode put(String userId, Caller caller, JsonNode body) throws Exception {
    return profileCall(endpoints, "PUT", userId, caller, null, body);
  }

  private JsonNode get(String userId, Caller caller, String requestedFor) throws Exception {
    return profileCall(endpoints, "GET", userId, caller, requestedFor, null);
  }

  private JsonNode erase(String userId, Caller caller) throws Exception {
    return profileCall(endpoints, "DELETE", userId, caller, null, null);
  }

  private JsonNode consent(String op, Caller caller, String requestedFor, JsonNode body) throws Exception {
    return call(endpoints, "POST", "/v1/user/consent/" + op, Map.of(), caller, requestedFor, body);
  }

  /** {@code {"request": {"consent": {...}}}} from single-quoted JSON of the consent object. */
  private static JsonNode consentBody(String consent) {
    return json("{'request': {'consent': " + consent + "}}");
  }

  private static Rejection refused(ThrowingCall call) {
    return assertThrows(RejectedException.class, call::run).rejection();
  }

  @FunctionalInterface
  private interface ThrowingCall {
    void run() throws Exception;
  }

  /** A profile with every field given, each value saying which field it is. */
  private static UserProfile fullProfile(String userId) {
    Map<UserProfile.Field, String> values = new EnumMap<>(UserProfile.Field.class);
    for (UserProfile.Field f : UserProfile.Field.values()) {
      values.put(f, f.key() + " value");
    }
    values.put(UserProfile.Field.EMAIL, "aarti@example.org");
    values.put(UserProfile.Field.PHONE, "+91 (984) 501-2345");
    return UserProfile.of(userId, values);
  }

  private static ObjectNode requestOf(UserProfile profile) {
    ObjectNode request = Envelope.JSON.createObjectNode();
    for (UserProfile.Field f : UserProfile.Field.values()) {
      request.put(f.key(), f.of(profile));
    }
    ObjectNode body = Envelope.JSON.createObjectNode();
    body.set("request", request);
    return body;
  }

  // ---- routes ----

  @Test
  void theRoutesAndTheirApiIds() {
    assertEquals(List.of(
            "PUT /v1/user/profile/{userId} api.user.profile.put",
            "GET /v1/user/profile/{userId} api.user.profile.read",
            "DELETE /v1/user/profile/{userId} api.user.profile.delete",
            "POST /v1/user/consent/update api.user.consent.update",
            "POST /api/user/v1/consent/update api.user.consent.update",
            "POST /v1/user/consent/read api.user.consent.read",
            "POST /api/user/v1/consent/read api.user.consent.read"),
        endpoints.stream().map(e -> e.method().name() + " " + e.path() + " " + e.apiId()).toList());
    assertTrue(endpoints.stream().allMatch(e -> e.access() == Endpoint.Access.AUTHENTICATED));
  }

  // ---- profiles ----

  @Test
  void anAdminRecordsAndReplacesAProfile() throws Exception {
    JsonNode result = put(LEARNER, ADMIN, json("{'request': {'rootOrgId': 'org-a'}}"));
    assertSameJson(json("{'response': 'SUCCESS', 'userId': '" + LEARNER + "'}"), result);
    assertEquals(new UserProfile(LEARNER, "org-a"), directory.profiles.get(LEARNER));
    assertEquals(List.of("admin-1"), directory.actors, "the caller is recorded as the writer");

    put(LEARNER, Caller.of("admin-2", "system_administration"), json("{'request': {'rootOrgId': 'org-b', 'userId': 'ignored'}}"));
    assertEquals(new UserProfile(LEARNER, "org-b"), directory.profiles.get(LEARNER), "replaced; roles match in any case");
    assertEquals(1, directory.profiles.size(), "a userId in the body does not name another user");
  }

  @Test
  void everyFieldIsRecordedTrimmedAndReadBack() throws Exception {
    UserProfile full = fullProfile(LEARNER);
    ObjectNode padded = requestOf(full);
    ((ObjectNode) padded.get("request")).put("name", "  name value \t");
    put(LEARNER, ADMIN, padded);
    assertEquals(full, directory.profiles.get(LEARNER));

    JsonNode read = get(LEARNER, Caller.of(LEARNER), null).get("profile");
    assertEquals(LEARNER, read.get("userId").asText());
    for (UserProfile.Field f : UserProfile.Field.values()) {
      assertEquals(f.of(full), read.get(f.key()).asText(), f.key());
    }
    assertEquals(UserProfile.Field.values().length + 1, read.size());

    put(LEARNER, ADMIN, json("{'request': {'email': 'new@example.org', 'phone': ''}}"));
    UserProfile replaced = directory.profiles.get(LEARNER);
    assertEquals("new@example.org", replaced.email());
    assertNull(replaced.phone(), "blank: not known");
    assertNull(replaced.name(), "a PUT replaces the whole profile");
    JsonNode sparse = get(LEARNER, ADMIN, null).get("profile");
    assertTrue(sparse.has("declaredBoard") && sparse.get("declaredBoard").isNull(), "unknown fields are written as null");
  }

  @Test
  void anAbsentNullOrBlankFieldRecordsNone() throws Exception {
    for (String request : List.of("{}", "{'rootOrgId': null}", "{'rootOrgId': '  '}", "{'name': null, 'email': ' ', 'phone': ''}")) {
      directory.profiles.clear();
      put(LEARNER, ADMIN, json("{'request': " + request + "}"));
      assertEquals(new UserProfile(LEARNER, null), directory.profiles.get(LEARNER), request);
    }
  }

  @Test
  void badBodiesAreRefusedAndNothingIsRecorded() {
    Rejection notAString = refused(() -> put(LEARNER, ADMIN, json("{'request': {'rootOrgId': 42}}")));
    assertEquals(ErrorCode.DATA_TYPE_ERROR, notAString.code());
    assertEquals("Data type of rootOrgId should be String.", notAString.message());
    assertEquals(ErrorCode.DATA_TYPE_ERROR, refused(() -> put(LEARNER, ADMIN, json("{'request': {'rootOrgId': ['org-a']}}"))).code());
    assertEquals(ErrorCode.DATA_TYPE_ERROR, refused(() -> put(LEARNER, ADMIN, json("{'request': {'rootOrgId': {'id': 'org-a'}}}"))).code());
    for (UserProfile.Field f : UserProfile.Field.values()) {
      Rejection r = refused(() -> put(LEARNER, ADMIN, json("{'request': {'" + f.key() + "': true}}")));
      assertEquals("Data type of " + f.key() + " should be String.", r.message());
      String tooLong = "1".repeat(f.maxLength() + 1);
      Rejection longer = refused(() -> put(LEARNER, ADMIN, json("{'request': {'" + f.key() + "': '" + tooLong + "'}}")));
      assertEquals(ErrorCode.VALUE_TOO_LONG, longer.code(), f.key());
      assertEquals("Parameter " + f.key() + " is at most " + f.maxLength() + " characters; " + (f.maxLength() + 1) + " were given.",
          longer.message());
    }

    Rejection noRequest = refused(() -> put(LEARNER, ADMIN, json("{}")));
    assertEquals(ErrorCode.MANDATORY_PARAMETER_MISSING, noRequest.code());
    assertEquals("Mandatory parameter request is missing.", noRequest.message());
    assertEquals(ErrorCode.MANDATORY_PARAMETER_MISSING, refused(() -> put(LEARNER, ADMIN, null)).code());
    assertEquals(ErrorCode.DATA_TYPE_ERROR, refused(() -> put(LEARNER, ADMIN, json("{'request': 'org-a'}"))).code());

    String tooLong = "o".repeat(UserEndpoints.MAX_LENGTH + 1);
    assertEquals(ErrorCode.VALUE_TOO_LONG, refused(() -> put(tooLong, ADMIN, json("{'request': {}}"))).code());
    assertTrue(directory.profiles.isEmpty());
  }

  @Test
  void emailAndPhoneGetALightFormatCheck() throws Exception {
    for (String email : List.of("plain", "a@b", "@example.org", "a@@example.org", "a b@example.org", "a@example.")) {
      Rejection r = refused(() -> put(LEARNER, ADMIN, json("{'request': {'email': '" + email + "'}}")));
      assertEquals(ErrorCode.EMAIL_FORMAT_ERROR, r.code(), email);
      assertEquals("Email is invalid.", r.message());
    }
    for (String phone : List.of("12345", "phone", "+91 98450 1234x", "1234567890123456", "++919845012345")) {
      Rejection r = refused(() -> put(LEARNER, ADMIN, json("{'request': {'phone': '" + phone + "'}}")));
      assertEquals(ErrorCode.INVALID_PHONE_NO_FORMAT, r.code(), phone);
      assertEquals("Please provide a valid phone number.", r.message());
    }
    assertTrue(directory.profiles.isEmpty());

    for (String email : List.of("a@example.org", "first.last+tag@sub.example.co.in")) {
      put(LEARNER, ADMIN, json("{'request': {'email': '" + email + "'}}"));
      assertEquals(email, directory.profiles.get(LEARNER).email());
    }
    for (String phone : List.of("9845012345", "+91 98450 12345", "(080) 2345-6789", "080.2345.6789", "123456")) {
      put(LEARNER, ADMIN, json("{'request': {'phone': '" + phone + "'}}"));
      assertEquals(phone, directory.profiles.get(LEARNER).phone(), "stored as given");
    }
  }

  @Test
  void writingNeedsAnAdminRole() throws Exception {
    for (Caller caller : List.of(Caller.of(LEARNER), Caller.of(OTHER, "CONTENT_CREATOR"))) {
      Rejection r = refused(() -> put(LEARNER, caller, json("{'request': {'rootOrgId': 'org-a'}}")));
      assertEquals(ErrorCode.FORBIDDEN, r.code(), "not even one's own profile: " + caller);
      assertEquals("Writing a user's profile needs one of the roles [SYSTEM_ADMINISTRATION], or one of [ORG_ADMIN]"
          + " in the user's root organisation, which the profile must keep.", r.message());
    }

    var noAdmins = endpointsFor(new AccessRoles(List.of(), List.of(), List.of(), List.of(), List.of()));
    Rejection r = refused(() -> profileCall(noAdmins, "PUT", LEARNER, ADMIN, null, json("{'request': {}}")));
    assertEquals(ErrorCode.FORBIDDEN, r.code(), "with no admin roles configured nobody writes");
    assertTrue(r.message().startsWith("Writing a user's profile needs one of the roles []"), r.message());
    assertTrue(directory.profiles.isEmpty());
  }

  @Test
  void usersReadTheirOwnProfileAndAdminsAnyone() throws Exception {
    directory.profiles.put(LEARNER, new UserProfile(LEARNER, "org-a"));
    directory.profiles.put(OTHER, new UserProfile(OTHER, null));

    JsonNode own = get(LEARNER, Caller.of(LEARNER), null);
    assertEquals("org-a", own.at("/profile/rootOrgId").asText());
    assertEquals(LEARNER, own.at("/profile/userId").asText());
    JsonNode byAdmin = get(OTHER, ADMIN, null);
    assertTrue(byAdmin.at("/profile").has("rootOrgId"), "rootOrgId is written even when null");
    assertNull(byAdmin.at("/profile/rootOrgId").textValue());
    directory.profiles.put("admin-a", new UserProfile("admin-a", "org-a"));
    assertEquals("org-a", get(LEARNER, Caller.of("admin-a", "org_admin"), null).at("/profile/rootOrgId").asText(),
        "an org admin reads the profiles of their organisation's users");
    assertEquals(ErrorCode.UNAUTHORIZED_USER, refused(() -> get(OTHER, Caller.of("admin-a", "ORG_ADMIN"), null)).code(),
        "and no one else's");

    assertEquals(ErrorCode.UNAUTHORIZED_USER, refused(() -> get(LEARNER, Caller.of(OTHER), null)).code());
    assertEquals(ErrorCode.UNAUTHORIZED_USER, refused(() -> get(LEARNER, Caller.of(OTHER, "CONTENT_CREATOR"), null)).code());
  }

  @Test
  void aParentReadsTheManagedUsersProfileAndTheirOwn() throws Exception {
    directory.profiles.put(LEARNER, new UserProfile(LEARNER, "org-a"));
    directory.profiles.put("parent-1", new UserProfile("parent-1", "org-p"));
    assertEquals("org-a", get(LEARNER, Caller.of("parent-1"), LEARNER).at("/profile/rootOrgId").asText());
    assertEquals("org-p", get("parent-1", Caller.of("parent-1"), LEARNER).at("/profile/rootOrgId").asText());
    assertEquals(ErrorCode.UNAUTHORIZED_USER, refused(() -> get(OTHER, Caller.of("parent-1"), LEARNER)).code());
  }

  @Test
  void anUnknownUserIs404ForThoseAllowedToReadAnd401ForOthers() {
    Rejection unknown = refused(() -> get(OTHER, ADMIN, null));
    assertEquals(ErrorCode.USER_PROFILE_NOT_FOUND, unknown.code());
    assertEquals("User " + OTHER + " has no profile in the user directory.", unknown.message());
    assertEquals(404, unknown.code().responseCode().httpStatus());
    assertEquals(ErrorCode.USER_PROFILE_NOT_FOUND, refused(() -> get(OTHER, Caller.of(OTHER), null)).code());
    assertEquals(ErrorCode.UNAUTHORIZED_USER, refused(() -> get(OTHER, Caller.of(LEARNER), null)).code(),
        "who has a profile is not revealed to others");
  }

  // ---- erasure ----

  @Test
  void anAdminErasesAProfileWithItsConsents() throws Exception {
    directory.profiles.put(LEARNER, fullProfile(LEARNER));
    directory.profiles.put(OTHER, fullProfile(OTHER));
    consent("update", Caller.of(LEARNER), null, consentBody("{'status': 'ACTIVE', 'objectId': 'do_1'}"));
    consent("update", Caller.of(LEARNER), null, consentBody("{'status': 'REVOKED', 'objectId': 'do_2'}"));
    consent("update", Caller.of(OTHER), null, consentBody("{'status': 'ACTIVE', 'objectId': 'do_1'}"));

    for (Caller caller : List.of(Caller.of(LEARNER), Caller.of(OTHER, "CONTENT_CREATOR"))) {
      assertEquals(ErrorCode.FORBIDDEN, refused(() -> erase(LEARNER, caller)).code(), "not even one's own: " + caller);
    }
    assertEquals(2, directory.profiles.size());

    JsonNode erased = erase(LEARNER, ADMIN);
    assertSameJson(json("{'response': 'SUCCESS', 'userId': '" + LEARNER + "', 'profileErased': true, 'consentsErased': 2}"), erased);
    assertEquals(List.of(OTHER), List.copyOf(directory.profiles.keySet()));
    assertEquals(1, directory.consents.size());
    assertEquals(ErrorCode.USER_PROFILE_NOT_FOUND, refused(() -> get(LEARNER, ADMIN, null)).code());

    JsonNode again = erase(LEARNER, ADMIN);
    assertSameJson(json("{'response': 'SUCCESS', 'userId': '" + LEARNER + "', 'profileErased': false, 'consentsErased': 0}"), again);
  }

  // ---- consent ----

  @Test
  void aLearnerGivesAndRevokesTheirOwnConsent() throws Exception {
    JsonNode given = consent("update", Caller.of(LEARNER), null,
        consentBody("{'status': 'ACTIVE', 'userId': '" + LEARNER + "', 'consumerId': 'org-1', 'objectId': '" + COURSE + "', 'objectType': 'Collection'}"));
    assertSameJson(json("{'consent': {'userId': '" + LEARNER + "'}, 'message': 'User Consent updated successfully.'}"), given);
    assertEquals(new Consent(LEARNER, COURSE, "Collection", "org-1", Consent.Status.ACTIVE, NOW, NOW),
        stored(LEARNER, COURSE, "org-1"));
    assertEquals(List.of(LEARNER), directory.actors);

    consent("update", Caller.of(LEARNER), null, consentBody("{'status': 'revoked', 'objectId': ' " + COURSE + " '}"));
    assertEquals(new Consent(LEARNER, COURSE, "Collection", null, Consent.Status.REVOKED, NOW, NOW),
        stored(LEARNER, COURSE, null),
        "userId defaults to the caller, objectType to Collection, consumerId to no organisation; status in any case; values trimmed");
    assertEquals(Consent.Status.ACTIVE, stored(LEARNER, COURSE, "org-1").status(), "a consent per consumer organisation");

    consent("update", Caller.of(LEARNER), null, consentBody("{'status': 'REVOKED', 'objectId': '" + COURSE + "', 'consumerId': 'org-1'}"));
    assertEquals(Consent.Status.REVOKED, stored(LEARNER, COURSE, "org-1").status());
  }

  private Consent stored(String userId, String courseId, String consumerId) {
    return directory.consents.get(java.util.Arrays.asList(userId, courseId, consumerId));
  }

  @Test
  void consentIsTheLearnersOwnOrAnAdminsToRecord() throws Exception {
    String body = "{'status': 'ACTIVE', 'userId': '" + LEARNER + "', 'objectId': '" + COURSE + "'}";
    for (Caller caller : List.of(Caller.of(OTHER), Caller.of(OTHER, "CONTENT_CREATOR"))) {
      assertEquals(ErrorCode.UNAUTHORIZED_USER, refused(() -> consent("update", caller, null, consentBody(body))).code());
    }
    assertTrue(directory.consents.isEmpty());

    consent("update", Caller.of("admin-2", "SYSTEM_ADMINISTRATION"), null, consentBody(body));
    assertEquals(Consent.Status.ACTIVE, stored(LEARNER, COURSE, null).status());
    assertEquals(List.of("admin-2"), directory.actors, "the admin is recorded as the writer");

    consent("update", Caller.of("parent-1"), LEARNER, consentBody("{'status': 'REVOKED', 'objectId': '" + COURSE + "'}"));
    assertEquals(Consent.Status.REVOKED, stored(LEARNER, COURSE, null).status(),
        "a parent answers for the managed user, who is the default userId");
    assertEquals(ErrorCode.UNAUTHORIZED_USER, refused(() -> consent("update", Caller.of("parent-1"), LEARNER,
        consentBody("{'status': 'ACTIVE', 'userId': '" + OTHER + "', 'objectId': '" + COURSE + "'}"))).code());
  }

  @Test
  void badConsentUpdatesAreRefusedAndNothingIsRecorded() {
    Caller learner = Caller.of(LEARNER);
    Map<String, String> missing = Map.of(
        "{'objectId': 'do_1'}", "Mandatory parameter consent.status is missing.",
        "{'status': ' ', 'objectId': 'do_1'}", "Mandatory parameter consent.status is missing.",
        "{'status': 'ACTIVE'}", "Mandatory parameter consent.objectId is missing.",
        "{'status': 'ACTIVE', 'objectId': ''}", "Mandatory parameter consent.objectId is missing.");
    missing.forEach((body, message) -> {
      Rejection r = refused(() -> consent("update", learner, null, consentBody(body)));
      assertEquals(ErrorCode.MANDATORY_PARAMETER_MISSING, r.code(), body);
      assertEquals(message, r.message(), body);
    });
    Rejection noConsent = refused(() -> consent("update", learner, null, json("{'request': {}}")));
    assertEquals("Mandatory parameter consent is missing.", noConsent.message());
    assertEquals(ErrorCode.MANDATORY_PARAMETER_MISSING, refused(() -> consent("update", learner, null, json("{}"))).code());

    Rejection status = refused(() -> consent("update", learner, null, consentBody("{'status': 'GIVEN', 'objectId': 'do_1'}")));
    assertEquals(ErrorCode.INVALID_CONSENT_STATUS, status.code());
    assertEquals("Consent status GIVEN is invalid; use ACTIVE or REVOKED.", status.message());

    assertEquals("Data type of consent should be Map.",
        refused(() -> consent("update", learner, null, json("{'request': {'consent': 'ACTIVE'}}"))).message());
    assertEquals("Data type of consent.status should be String.",
        refused(() -> consent("update", learner, null, consentBody("{'status': true, 'objectId': 'do_1'}"))).message());
    assertEquals("Data type of consent.consumerId should be String.",
        refused(() -> consent("update", learner, null, consentBody("{'status': 'ACTIVE', 'objectId': 'do_1', 'consumerId': 1}"))).message());
    String tooLong = "x".repeat(UserEndpoints.MAX_LENGTH + 1);
    for (String field : List.of("objectId", "consumerId", "objectType", "userId")) {
      ObjectNode c = (ObjectNode) json("{'status': 'ACTIVE', 'objectId': 'do_1'}");
      c.put(field, tooLong);
      ObjectNode body = Envelope.JSON.createObjectNode();
      body.putObject("request").set("consent", c);
      Rejection longer = refused(() -> consent("update", ADMIN, null, body));
      assertEquals(ErrorCode.VALUE_TOO_LONG, longer.code(), field);
      assertTrue(longer.message().startsWith("Parameter consent." + field + " is at most 100 characters"), longer.message());
    }
    assertTrue(directory.consents.isEmpty());
  }

  @Test
  void consentsAreReadByTheUserOrAnAdminWithFilters() throws Exception {
    for (String course : List.of("do_b", "do_a")) {
      consent("update", Caller.of(LEARNER), null,
          consentBody("{'status': 'ACTIVE', 'objectId': '" + course + "', 'consumerId': 'org-" + course + "'}"));
    }
    JsonNode all = consent("read", Caller.of(LEARNER), null, consentBody("{'filters': {'userId': '" + LEARNER + "'}}"));
    assertEquals(List.of("do_a", "do_b"), all.get("consents").findValuesAsText("objectId"), "ordered by course");
    String ts = Envelope.TS.format(NOW);
    assertSameJson(json("{'status': 'ACTIVE', 'userId': '" + LEARNER + "', 'consumerId': 'org-do_a', 'objectId': 'do_a',"
        + " 'objectType': 'Collection', 'createdOn': '" + ts + "', 'lastUpdatedOn': '" + ts + "'}"), all.get("consents").get(0));

    JsonNode one = consent("read", ADMIN, null, consentBody("{'filters': {'userId': '" + LEARNER + "', 'objectId': 'do_b'}}"));
    assertEquals(List.of("do_b"), one.get("consents").findValuesAsText("objectId"));
    JsonNode byConsumer = consent("read", Caller.of("parent-1"), LEARNER,
        consentBody("{'filters': {'userId': '" + LEARNER + "', 'consumerId': 'org-do_a'}}"));
    assertEquals(List.of("do_a"), byConsumer.get("consents").findValuesAsText("objectId"));

    Rejection none = refused(() -> consent("read", Caller.of(LEARNER), null,
        consentBody("{'filters': {'userId': '" + LEARNER + "', 'objectId': 'do_c'}}")));
    assertEquals(ErrorCode.USER_CONSENT_NOT_FOUND, none.code());
    assertEquals("User consent not found.", none.message());
    assertEquals(404, none.code().responseCode().httpStatus());

    for (Caller stranger : List.of(Caller.of(OTHER), Caller.of(OTHER, "CONTENT_CREATOR"))) {
      assertEquals(ErrorCode.UNAUTHORIZED_USER, refused(() -> consent("read", stranger, null,
          consentBody("{'filters': {'userId': '" + LEARNER + "'}}"))).code());
    }
  }

  @Test
  void badConsentReadsAreRefused() {
    Caller learner = Caller.of(LEARNER);
    assertEquals("Mandatory parameter consent.filters.userId is missing.",
        refused(() -> consent("read", learner, null, consentBody("{'filters': {'objectId': 'do_1'}}"))).message());
    assertEquals("Mandatory parameter consent.filters is missing.",
        refused(() -> consent("read", learner, null, consentBody("{}"))).message());
    assertEquals("Mandatory parameter consent is missing.",
        refused(() -> consent("read", learner, null, json("{'request': {}}"))).message());
    assertEquals("Data type of consent.filters should be Map.",
        refused(() -> consent("read", learner, null, consentBody("{'filters': ['x']}"))).message());
    assertEquals("Data type of consent.filters.objectId should be String.",
        refused(() -> consent("read", learner, null, consentBody("{'filters': {'userId': '" + LEARNER + "', 'objectId': 3}}"))).message());
  }

  @Test
  void theGatewayPathsServeTheSameConsentApi() throws Exception {
    JsonNode updated = call(endpoints, "POST", "/api/user/v1/consent/update", Map.of(), Caller.of(LEARNER), null,
        consentBody("{'status': 'ACTIVE', 'objectId': '" + COURSE + "'}"));
    assertEquals(LEARNER, updated.at("/consent/userId").asText());
    JsonNode read = call(endpoints, "POST", "/api/user/v1/consent/read", Map.of(), Caller.of(LEARNER), null,
        consentBody("{'filters': {'userId': '" + LEARNER + "'}}"));
    assertEquals(1, read.get("consents").size());
  }

  // ---- the document ----

  @Test
  void theOpenApiExamplesAreWhatTheHandlersAnswer() throws Exception {
    OpenApiExamples doc = OpenApiExamples.load();
    List<JsonNode> puts = doc.requestExamples("PutUserProfile");
    put(LEARNER, ADMIN, puts.get(0));
    JsonNode read = get(LEARNER, Caller.of(LEARNER), null);
    assertSameJson(doc.responseExample("UserProfileRead").get("result"), read);
    put(LEARNER, ADMIN, puts.get(1));
    assertEquals(new UserProfile(LEARNER, "0126796199493140480"), directory.profiles.get(LEARNER));
    JsonNode stored = put(LEARNER, ADMIN, puts.get(2));
    assertSameJson(doc.responseExample("UserProfileStored").get("result"), stored);
    assertNull(directory.profiles.get(LEARNER).rootOrgId());

    Map<String, JsonNode> errors = doc.responseExamples("PutUserProfileClientError");
    assertEquals(errmsg(errors.get("rootOrgIdNotAString")),
        refused(() -> put(LEARNER, ADMIN, json("{'request': {'rootOrgId': 1}}"))).message());
    assertEquals(errmsg(errors.get("missingRequest")), refused(() -> put(LEARNER, ADMIN, json("{}"))).message());
    assertEquals(errmsg(errors.get("emailInvalid")), refused(() -> put(LEARNER, ADMIN, json("{'request': {'email': 'x'}}"))).message());
    assertEquals(errmsg(errors.get("phoneInvalid")), refused(() -> put(LEARNER, ADMIN, json("{'request': {'phone': 'x'}}"))).message());
    assertEquals(errmsg(doc.responseExample("UserDirectoryForbidden")),
        refused(() -> put(LEARNER, Caller.of(LEARNER), puts.get(0))).message());
    assertEquals(errmsg(doc.responseExample("UserProfileNotFound")), refused(() -> get(OTHER, ADMIN, null)).message());

    List<JsonNode> updates = doc.requestExamples("UpdateUserConsent");
    JsonNode updated = consent("update", Caller.of(LEARNER), null, updates.get(0));
    assertSameJson(doc.responseExample("UserConsentUpdated").get("result"), updated);
    JsonNode consents = consent("read", Caller.of(LEARNER), null, doc.requestExamples("ReadUserConsent").get(0));
    assertSameJson(doc.responseExample("UserConsentRead").get("result"), consents);
    assertEquals(consents, consent("read", Caller.of(LEARNER), null, doc.requestExamples("ReadUserConsent").get(1)));
    consent("update", Caller.of(LEARNER), null, updates.get(1));
    assertEquals(Consent.Status.REVOKED, stored(LEARNER, COURSE, "0126796199493140480").status());

    Map<String, JsonNode> updateErrors = doc.responseExamples("UpdateUserConsentClientError");
    assertEquals(errmsg(updateErrors.get("statusMissing")),
        refused(() -> consent("update", Caller.of(LEARNER), null, consentBody("{'objectId': 'do_1'}"))).message());
    assertEquals(errmsg(updateErrors.get("invalidStatus")),
        refused(() -> consent("update", Caller.of(LEARNER), null, consentBody("{'status': 'GIVEN', 'objectId': 'do_1'}"))).message());
    assertEquals(errmsg(updateErrors.get("objectIdMissing")),
        refused(() -> consent("update", Caller.of(LEARNER), null, consentBody("{'status': 'ACTIVE'}"))).message());
    Map<String, JsonNode> readErrors = doc.responseExamples("ReadUserConsentClientError");
    assertEquals(errmsg(readErrors.get("userIdMissing")),
        refused(() -> consent("read", Caller.of(LEARNER), null, consentBody("{'filters': {}}"))).message());
    assertEquals(errmsg(readErrors.get("filtersMissing")),
        refused(() -> consent("read", Caller.of(LEARNER), null, consentBody("{}"))).message());
    assertEquals(errmsg(doc.responseExample("UserConsentNotFound")), refused(() -> consent("read", Caller.of(LEARNER), null,
        consentBody("{'filters': {'userId': '" + LEARNER + "', 'objectId': 'do_none'}}"))).message());

    JsonNode erased = erase(LEARNER, ADMIN);
    assertSameJson(doc.responseExample("UserProfileErased").get("result"), erased);
    assertTrue(Objects.isNull(directory.profiles.get(LEARNER)));
  }

  private static String errmsg(JsonNode envelope) {
    return envelope.at("/params/errmsg").asText();
  }

  // ---- users from a user service ----

  @Test
  void withAUserServiceWritesAreRefusedAndReadsGoThroughThePort() throws Exception {
    directory.profiles.put(LEARNER, new UserProfile(LEARNER, "org-a"));
    List<Endpoint> remote = UserEndpoints.ofUserService(directory,
        new AccessChecks(new AccessPolicy(AccessRoles.SUNBIRD), directory)).endpoints();
    Caller learner = Caller.of(LEARNER);
    for (ThrowingCall write : List.<ThrowingCall>of(
        () -> profileCall(remote, "PUT", LEARNER, ADMIN, null, json("{'request': {'rootOrgId': 'org-b'}}")),
        () -> profileCall(remote, "DELETE", LEARNER, ADMIN, null, null),
        () -> call(remote, "POST", "/v1/user/consent/update", Map.of(), learner, null,
            consentBody("{'status': 'ACTIVE', 'objectId': '" + COURSE + "', 'consumerId': 'org-a'}")),
        () -> call(remote, "POST", "/v1/user/consent/read", Map.of(), learner, null,
            consentBody("{'filters': {'userId': '" + LEARNER + "'}}")))) {
      Rejection r = refused(write);
      assertEquals(ErrorCode.USERS_IN_USER_SERVICE, r.code());
      assertEquals("NOT_SUPPORTED", r.code().code());
      assertTrue(r.message().contains("user service"), r.message());
    }
    assertEquals(new UserProfile(LEARNER, "org-a"), directory.profiles.get(LEARNER), "nothing written");
    assertTrue(directory.consents.isEmpty(), "nothing recorded");
    assertEquals(List.of(), directory.actors);

    JsonNode read = profileCall(remote, "GET", LEARNER, ADMIN, null, null);
    assertEquals("org-a", read.at("/profile/rootOrgId").asText(), read.toString());
    assertEquals(ErrorCode.USER_PROFILE_NOT_FOUND, refused(() -> profileCall(remote, "GET", OTHER, ADMIN, null, null)).code());
  }
}
