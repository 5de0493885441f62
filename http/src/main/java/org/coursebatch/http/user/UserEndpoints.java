package org.coursebatch.http.user;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.coursebatch.core.error.ErrorCode;
import org.coursebatch.core.identity.Caller;
import org.coursebatch.core.json.JsonFields;
import org.coursebatch.core.user.UserDirectoryAdmin;
import org.coursebatch.core.user.UserProfile;
import org.coursebatch.http.api.ApiRequest;
import org.coursebatch.http.api.Endpoint;
import org.coursebatch.http.api.Envelope;

/**
 * The built-in user directory: the profile (root organisation) certificate criteria such as
 * {@code user.rootOrgId} are checked against, written by an admin with PUT and read back with GET.
 * Profiles live in their own table, never in the journal, so they can be erased.
 */
public final class UserEndpoints {

  /** The longest user id and root organisation id the directory stores (its columns' width). */
  static final int MAX_LENGTH = 100;

  private final UserDirectoryAdmin admin;
  private final List<String> adminRoles;

  /** @param adminRoles roles that may write any profile and read any profile; empty: nobody writes */
  public UserEndpoints(UserDirectoryAdmin admin, List<String> adminRoles) {
    this.admin = admin;
    this.adminRoles = List.copyOf(adminRoles);
  }

  public List<Endpoint> endpoints() {
    return List.of(
        Endpoint.put("/v1/user/profile/{userId}", "api.user.profile.put", this::putProfile),
        Endpoint.get("/v1/user/profile/{userId}", "api.user.profile.read", this::getProfile));
  }

  private CompletionStage<JsonNode> putProfile(ApiRequest req) {
    Caller caller = checkAdmin(req);
    UserProfile profile = parse(req.pathParam("userId"), req.request());
    return admin.putProfile(profile, caller.userId()).thenApply(done -> {
      ObjectNode result = Envelope.JSON.createObjectNode();
      result.put("response", "SUCCESS");
      result.put("userId", profile.userId());
      return result;
    });
  }

  private CompletionStage<JsonNode> getProfile(ApiRequest req) {
    String userId = req.pathParam("userId");
    Caller caller = req.requireCaller();
    boolean self = userId.equals(caller.userId()) || userId.equals(req.effectiveUserId());
    if (!self && !caller.hasAnyRole(adminRoles)) {
      throw ErrorCode.UNAUTHORIZED_USER.reject().asException();
    }
    return admin.findProfile(userId).thenApply(found -> {
      UserProfile profile = found.orElseThrow(() -> ErrorCode.USER_PROFILE_NOT_FOUND.reject(userId).asException());
      ObjectNode result = Envelope.JSON.createObjectNode();
      ObjectNode p = result.putObject("profile");
      p.put("userId", profile.userId());
      p.put("rootOrgId", profile.rootOrgId());
      return result;
    });
  }

  /**
   * The profile a PUT stores: {@code rootOrgId} is optional (absent, null or blank: no root
   * organisation) and must be a string.
   */
  static UserProfile parse(String userId, JsonFields request) {
    checkLength(userId, "userId");
    String rootOrgId = request.string("rootOrgId").filter(s -> !s.isBlank()).orElse(null);
    if (rootOrgId != null) {
      checkLength(rootOrgId, "rootOrgId");
    }
    return new UserProfile(userId, rootOrgId);
  }

  private static void checkLength(String value, String name) {
    if (value.length() > MAX_LENGTH) {
      throw ErrorCode.INVALID_PARAMETER_VALUE.reject(value, name + " (at most " + MAX_LENGTH + " characters)").asException();
    }
  }

  private Caller checkAdmin(ApiRequest req) {
    Caller caller = req.requireCaller();
    if (!caller.hasAnyRole(adminRoles)) {
      String message = adminRoles.isEmpty()
          ? "Writing the user directory needs an admin role, and none is configured."
          : "Writing the user directory needs one of the roles " + adminRoles + ".";
      throw ErrorCode.FORBIDDEN.reject(message).asException();
    }
    return caller;
  }
}
