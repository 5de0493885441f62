package org.coursebatch.http.user;

import static org.coursebatch.http.OpenApiExamples.assertSameJson;
import static org.coursebatch.http.RequestAssertions.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.Done;
import akka.http.javadsl.model.HttpRequest;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.coursebatch.core.error.ErrorCode;
import org.coursebatch.core.error.RejectedException;
import org.coursebatch.core.error.Rejection;
import org.coursebatch.core.identity.Caller;
import org.coursebatch.core.user.UserDirectoryAdmin;
import org.coursebatch.core.user.UserProfile;
import org.coursebatch.http.OpenApiExamples;
import org.coursebatch.http.api.ApiRequest;
import org.coursebatch.http.api.Endpoint;
import org.junit.jupiter.api.Test;

/**
 * The user-directory routes against an in-memory directory: who may write and read profiles, how
 * the PUT body is read, and that the openapi.yaml examples are what the handlers answer.
 */
class UserEndpointsTest {

  private static final List<String> ADMIN_ROLES = List.of("ORG_ADMIN", "SYSTEM_ADMINISTRATION");
  private static final String LEARNER = "c4cc494f-04c3-49f3-b3d5-7b1a1984abad";
  private static final String OTHER = "5f2d8c1e-6a7b-4c3d-9e0f-1a2b3c4d5e6f";
  private static final Caller ADMIN = Caller.of("admin-1", "ORG_ADMIN");

  /** An in-memory directory standing in for the built-in one; records who wrote each profile. */
  private static final class MemoryDirectory implements UserDirectoryAdmin {
    final Map<String, UserProfile> profiles = new HashMap<>();
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
  }

  private final MemoryDirectory directory = new MemoryDirectory();
  private final List<Endpoint> endpoints = new UserEndpoints(directory, ADMIN_ROLES).endpoints();

  private static JsonNode call(List<Endpoint> endpoints, String method, String userId, Caller caller, String requestedFor,
      JsonNode body) throws Exception {
    Endpoint e = endpoints.stream().filter(x -> x.method().name().equals(method)).findFirst().orElseThrow();
    var request = new ApiRequest(HttpRequest.create("/v1/user/profile/" + userId), Map.of("userId", userId),
        Optional.of(caller), Optional.ofNullable(requestedFor), Optional.ofNullable(body));
    try {
      return e.handler().handle(request).toCompletableFuture().get(5, TimeUnit.SECONDS);
    } catch (ExecutionException failed) {
      throw failed.getCause() instanceof RejectedException r ? r : failed;
    }
  }

  private JsonNode put(String userId, Caller caller, JsonNode body) throws Exception {
    return call(endpoints, "PUT", userId, caller, null, body);
  }

  private JsonNode get(String userId, Caller caller, String requestedFor) throws Exception {
    return call(endpoints, "GET", userId, caller, requestedFor, null);
  }

  private static Rejection refused(ThrowingCall call) {
    return assertThrows(RejectedException.class, call::run).rejection();
  }

  @FunctionalInterface
  private interface ThrowingCall {
    void run() throws Exception;
  }

  @Test
  void theRoutesAndTheirApiIds() {
    assertEquals(List.of("PUT /v1/user/profile/{userId} api.user.profile.put", "GET /v1/user/profile/{userId} api.user.profile.read"),
        endpoints.stream().map(e -> e.method().name() + " " + e.path() + " " + e.apiId()).toList());
    assertTrue(endpoints.stream().allMatch(e -> e.access() == Endpoint.Access.AUTHENTICATED));
  }

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
  void anAbsentNullOrBlankRootOrgIdRecordsNone() throws Exception {
    for (String request : List.of("{}", "{'rootOrgId': null}", "{'rootOrgId': '  '}")) {
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

    Rejection noRequest = refused(() -> put(LEARNER, ADMIN, json("{}")));
    assertEquals(ErrorCode.MANDATORY_PARAMETER_MISSING, noRequest.code());
    assertEquals("Mandatory parameter request is missing.", noRequest.message());
    assertEquals(ErrorCode.MANDATORY_PARAMETER_MISSING, refused(() -> put(LEARNER, ADMIN, null)).code());
    assertEquals(ErrorCode.DATA_TYPE_ERROR, refused(() -> put(LEARNER, ADMIN, json("{'request': 'org-a'}"))).code());

    String tooLong = "o".repeat(UserEndpoints.MAX_LENGTH + 1);
    assertEquals(ErrorCode.INVALID_PARAMETER_VALUE, refused(() -> put(LEARNER, ADMIN, json("{'request': {'rootOrgId': '" + tooLong + "'}}"))).code());
    assertEquals(ErrorCode.INVALID_PARAMETER_VALUE, refused(() -> put(tooLong, ADMIN, json("{'request': {}}"))).code());
    assertTrue(directory.profiles.isEmpty());
  }

  @Test
  void writingNeedsAnAdminRole() throws Exception {
    for (Caller caller : List.of(Caller.of(LEARNER), Caller.of(OTHER, "CONTENT_CREATOR"))) {
      Rejection r = refused(() -> put(LEARNER, caller, json("{'request': {'rootOrgId': 'org-a'}}")));
      assertEquals(ErrorCode.FORBIDDEN, r.code(), "not even one's own profile: " + caller);
      assertEquals("Writing the user directory needs one of the roles [ORG_ADMIN, SYSTEM_ADMINISTRATION].", r.message());
    }
    assertEquals(ErrorCode.FORBIDDEN, refused(() -> put(LEARNER, Caller.of(OTHER), json("{'request': {'rootOrgId': 42}}"))).code(),
        "the role is checked before the body");

    var noAdmins = new UserEndpoints(directory, List.of()).endpoints();
    Rejection r = refused(() -> call(noAdmins, "PUT", LEARNER, ADMIN, null, json("{'request': {}}")));
    assertEquals(ErrorCode.FORBIDDEN, r.code(), "with no admin roles configured nobody writes");
    assertEquals("Writing the user directory needs an admin role, and none is configured.", r.message());
    assertTrue(directory.profiles.isEmpty());
  }

  @Test
  void usersReadTheirOwnProfileAndAdminsAnyone() throws Exception {
    directory.profiles.put(LEARNER, new UserProfile(LEARNER, "org-a"));
    directory.profiles.put(OTHER, new UserProfile(OTHER, null));

    JsonNode own = get(LEARNER, Caller.of(LEARNER), null);
    assertSameJson(json("{'profile': {'userId': '" + LEARNER + "', 'rootOrgId': 'org-a'}}"), own);
    JsonNode byAdmin = get(OTHER, Caller.of("admin-1", "org_admin"), null);
    assertTrue(byAdmin.at("/profile").has("rootOrgId"), "rootOrgId is written even when null");
    assertNull(byAdmin.at("/profile/rootOrgId").textValue());

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

  @Test
  void theOpenApiExamplesAreWhatTheHandlersAnswer() throws Exception {
    OpenApiExamples doc = OpenApiExamples.load();
    List<JsonNode> puts = doc.requestExamples("PutUserProfile");
    put(LEARNER, ADMIN, puts.get(0));
    assertEquals(new UserProfile(LEARNER, "0126796199493140480"), directory.profiles.get(LEARNER));
    JsonNode read = get(LEARNER, Caller.of(LEARNER), null);
    assertSameJson(doc.responseExample("UserProfileRead").get("result"), read);
    JsonNode stored = put(LEARNER, ADMIN, puts.get(1));
    assertSameJson(doc.responseExample("UserProfileStored").get("result"), stored);
    assertNull(directory.profiles.get(LEARNER).rootOrgId());

    Map<String, JsonNode> errors = doc.responseExamples("PutUserProfileClientError");
    assertEquals(errmsg(errors.get("rootOrgIdNotAString")),
        refused(() -> put(LEARNER, ADMIN, json("{'request': {'rootOrgId': 1}}"))).message());
    assertEquals(errmsg(errors.get("missingRequest")), refused(() -> put(LEARNER, ADMIN, json("{}"))).message());
    assertEquals(errmsg(doc.responseExample("UserDirectoryForbidden")),
        refused(() -> put(LEARNER, Caller.of(LEARNER), puts.get(0))).message());
    assertEquals(errmsg(doc.responseExample("UserProfileNotFound")), refused(() -> get(OTHER, ADMIN, null)).message());
  }

  private static String errmsg(JsonNode envelope) {
    return envelope.at("/params/errmsg").asText();
  }
}
