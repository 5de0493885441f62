package org.coursebatch.http.user;

import java.util.Optional;
import org.coursebatch.core.access.Operation;
import org.coursebatch.core.access.AccessChecks;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.regex.Pattern;
import org.coursebatch.core.error.ErrorCode;
import org.coursebatch.core.identity.Caller;
import org.coursebatch.core.json.FieldLimits;
import org.coursebatch.core.json.JsonFields;
import org.coursebatch.core.user.Consent;
import org.coursebatch.core.user.UserDirectory;
import org.coursebatch.core.user.UserDirectoryAdmin;
import org.coursebatch.core.user.UserDirectoryAdmin.ConsentUpdate;
import org.coursebatch.core.user.UserProfile;
import org.coursebatch.http.api.ApiRequest;
import org.coursebatch.http.api.Endpoint;

/**
 * The built-in user directory: profiles (the root organisation certificate criteria such as
 * {@code user.rootOrgId} are checked against, and the personal data the exhaust reports show),
 * written and erased by system admins and the org admins of the user's organisation, and read by
 * them and the user (docs/security.md); and learners' consent to share their data per course,
 * with Sunbird's consent API. Profiles and consents live in their own tables, never in the
 * journal, so they can be erased.
 *
 * <p>When users come from a user service ({@link #ofUserService}), this service keeps no copy: a
 * profile is read through the {@link UserDirectory} port, and writing, erasing or recording
 * consent here is refused with {@link ErrorCode#USERS_IN_USER_SERVICE} rather than stored where
 * nothing would read it.
 */
public final class UserEndpoints {

  /** The longest user id, course id, consumer id or object type the directory stores. */
  static final int MAX_LENGTH = UserProfile.MAX_USER_ID_LENGTH;

  /** Light checks: one {@code @} between non-blank parts, a dot in the domain. */
  private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+\\.[^@\\s.]+");
  /** An optional {@code +} and 6 to 15 digits, which spaces, dots, hyphens and parentheses may separate. */
  private static final Pattern PHONE = Pattern.compile("\\+?[0-9]{6,15}");
  private static final Pattern PHONE_SEPARATORS = Pattern.compile("[\\s.()-]");

  /** Where profiles and consents are kept. */
  private sealed interface Directory {
    /** This service's own tables, read and written through these routes. */
    record BuiltIn(UserDirectoryAdmin admin) implements Directory {}

    /** A user service: read through the port, changed only there. */
    record UserService(UserDirectory users) implements Directory {}
  }

  private final Directory directory;
  private final AccessChecks access;

  /** @param access who may write, erase and read which profiles and consents */
  public UserEndpoints(UserDirectoryAdmin admin, AccessChecks access) {
    this(new Directory.BuiltIn(admin), access);
  }

  private UserEndpoints(Directory directory, AccessChecks access) {
    this.directory = directory;
    this.access = access;
  }

  /** The routes when users come from a user service through {@code users}. */
  public static UserEndpoints ofUserService(UserDirectory users, AccessChecks access) {
    return new UserEndpoints(new Directory.UserService(users), access);
  }

  /** The built-in directory, or the refusal that says users are changed in the user service. */
  private UserDirectoryAdmin builtIn(String verb) {
    if (directory instanceof Directory.BuiltIn b) {
      return b.admin();
    }
    throw ErrorCode.USERS_IN_USER_SERVICE.reject(verb).asException();
  }

  public List<Endpoint> endpoints() {
    return List.of(
        Endpoint.put("/v1/user/profile/{userId}", "api.user.profile.put", this::putProfile),
        Endpoint.get("/v1/user/profile/{userId}", "api.user.profile.read", this::getProfile),
        Endpoint.delete("/v1/user/profile/{userId}", "api.user.profile.delete", this::eraseProfile),
        Endpoint.post("/v1/user/consent/update", "api.user.consent.update", this::updateConsent),
        Endpoint.post("/api/user/v1/consent/update", "api.user.consent.update", this::updateConsent),
        Endpoint.post("/v1/user/consent/read", "api.user.consent.read", this::readConsent),
        Endpoint.post("/api/user/v1/consent/read", "api.user.consent.read", this::readConsent));
  }

  // ---- profiles ----

  private CompletionStage<UserResult> putProfile(ApiRequest req) {
    Caller caller = req.requireCaller();
    UserDirectoryAdmin admin = builtIn("change");
    UserProfile profile = parse(req.pathParam("userId"), req.request());
    return access.requireProfileWrite(caller, profile.userId(), Optional.ofNullable(profile.rootOrgId()))
        .thenCompose(allowed -> admin.putProfile(profile, caller.userId()))
        .thenApply(done -> UserResult.ProfileStored.of(profile.userId()));
  }

  private CompletionStage<UserResult> getProfile(ApiRequest req) {
    String userId = req.pathParam("userId");
    return mayRead(req, Operation.LEARNER_READ, userId).thenCompose(allowed -> findProfile(userId)).thenApply(found -> {
      UserProfile profile = found.orElseThrow(() -> ErrorCode.USER_PROFILE_NOT_FOUND.reject(userId).asException());
      return new UserResult.ProfileRead(UserResult.Profile.of(profile));
    });
  }

  private CompletionStage<Optional<UserProfile>> findProfile(String userId) {
    if (directory instanceof Directory.UserService remote) {
      return remote.users().profiles(List.of(userId)).thenApply(found -> Optional.ofNullable(found.get(userId)));
    }
    return builtIn("read").findProfile(userId);
  }

  private CompletionStage<UserResult> eraseProfile(ApiRequest req) {
    req.requireCaller();
    UserDirectoryAdmin admin = builtIn("erase");
    String userId = req.pathParam("userId");
    return access.requireProfileErasure(req.requireCaller(), userId)
        .thenCompose(allowed -> admin.erase(userId)).thenApply(erased -> UserResult.ProfileErased.of(userId, erased));
  }

  /**
   * The profile a PUT stores: every field is optional (absent, null or blank: not known) and must
   * be a string of at most the field's length; values are trimmed. {@code email} and {@code phone}
   * get a light format check.
   */
  static UserProfile parse(String userId, JsonFields request) {
    checkLength(userId, "userId", MAX_LENGTH);
    Map<UserProfile.Field, String> values = new EnumMap<>(UserProfile.Field.class);
    for (UserProfile.Field f : UserProfile.Field.values()) {
      String value = optional(request, f.key(), f.maxLength());
      if (value != null) {
        values.put(f, value);
      }
    }
    String email = values.get(UserProfile.Field.EMAIL);
    if (email != null && !EMAIL.matcher(email).matches()) {
      throw ErrorCode.EMAIL_FORMAT_ERROR.reject().asException();
    }
    String phone = values.get(UserProfile.Field.PHONE);
    if (phone != null && !PHONE.matcher(PHONE_SEPARATORS.matcher(phone).replaceAll("")).matches()) {
      throw ErrorCode.INVALID_PHONE_NO_FORMAT.reject().asException();
    }
    return UserProfile.of(userId, values);
  }

  /** A string field that may be absent, null or blank (null then), else trimmed and at most {@code max} long. */
  private static String optional(JsonFields fields, String name, int max) {
    String value = fields.string(name).map(String::strip).filter(s -> !s.isEmpty()).orElse(null);
    return FieldLimits.requireWithin(value, fields.path(name), max);
  }

  private static void checkLength(String value, String name, int max) {
    FieldLimits.requireWithin(value, name, max);
  }

  // ---- consent ----

  /**
   * Sunbird's consent update: {@code request.consent} with {@code status} (ACTIVE or REVOKED),
   * {@code objectId} (the course), optional {@code userId} (default: the effective user),
   * {@code consumerId} and {@code objectType} (default Collection). The learner records their own
   * consent; the org admins of the learner's organisation and system admins may record it too.
   */
  private CompletionStage<UserResult> updateConsent(ApiRequest req) {
    Caller caller = req.requireCaller();
    UserDirectoryAdmin admin = builtIn("record");
    JsonFields consent = req.request().requiredObject("consent");
    String userId = optional(consent, "userId", MAX_LENGTH);
    if (userId == null) {
      userId = req.effectiveUserId();
    }
    String status = consent.string("status").map(String::strip).filter(s -> !s.isEmpty())
        .orElseThrow(() -> ErrorCode.MANDATORY_PARAMETER_MISSING.reject("consent.status").asException());
    Consent.Status parsed;
    try {
      parsed = Consent.Status.valueOf(status.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw ErrorCode.INVALID_CONSENT_STATUS.reject(status).asException();
    }
    String objectId = consent.requiredString("objectId").strip();
    checkLength(objectId, "consent.objectId", MAX_LENGTH);
    String objectType = optional(consent, "objectType", MAX_LENGTH);
    String consumerId = optional(consent, "consumerId", MAX_LENGTH);
    var update = new ConsentUpdate(userId, objectId, objectType == null ? Consent.COLLECTION : objectType, consumerId, parsed);
    String recorded = userId;
    return mayRead(req, Operation.LEARNER_CONSENT, userId).thenCompose(allowed -> admin.putConsent(update, caller.userId()))
        .thenApply(stored -> UserResult.ConsentUpdated.of(recorded));
  }

  /**
   * Sunbird's consent read: {@code request.consent.filters} with {@code userId} and optional
   * {@code objectId} and {@code consumerId}; the user's matching consents, or 404
   * {@code USER_CONSENT_NOT_FOUND} when there are none.
   */
  private CompletionStage<UserResult> readConsent(ApiRequest req) {
    req.requireCaller();
    UserDirectoryAdmin admin = builtIn("read");
    JsonFields filters = req.request().requiredObject("consent").requiredObject("filters");
    String userId = filters.requiredString("userId").strip();
    String objectId = optional(filters, "objectId", MAX_LENGTH);
    String consumerId = optional(filters, "consumerId", MAX_LENGTH);
    return mayRead(req, Operation.LEARNER_READ, userId)
        .thenCompose(allowed -> admin.findConsents(userId, objectId, consumerId)).thenApply(found -> {
      if (found.isEmpty()) {
        throw ErrorCode.USER_CONSENT_NOT_FOUND.reject().asException();
      }
      return UserResult.Consents.of(found);
    });
  }

  // ---- who may ----

  /** The user themself (the caller, or the managed user of x-authenticated-for), or who the access policy lets act on their data. */
  private CompletionStage<Void> mayRead(ApiRequest req, Operation op, String userId) {
    Caller caller = req.requireCaller();
    // A parent acting for a managed user still reads their own data.
    String actingAs = userId.equals(caller.userId()) ? userId : req.effectiveUserId();
    return access.requireOnUser(op, caller, actingAs, userId);
  }
}
