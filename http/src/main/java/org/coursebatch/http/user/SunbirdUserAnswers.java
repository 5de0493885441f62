package org.coursebatch.http.user;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.coursebatch.core.user.Consent;
import org.coursebatch.core.user.UserProfile;
import org.coursebatch.http.api.Envelope;
import org.coursebatch.http.outbound.ServiceCalls.CallFailed;

/**
 * Reads the Sunbird user service's answers: the user search ({@code result.response.content}) and
 * the consent read ({@code result.consents}). They are input like any request: a body that is not
 * the envelope fails the call (retried, then 503); a record for a user or consent that was not asked
 * for, or for a deleted user ({@code isDeleted: true}), is ignored; a field that is not a string, or
 * longer than the directory keeps, is left unknown.
 */
final class SunbirdUserAnswers {

  private SunbirdUserAnswers() {}

  /** The profiles of those of {@code asked} that the search answer holds, by user id. */
  static Map<String, UserProfile> profiles(String body, Set<String> asked) {
    JsonNode content = result(body).path("response").path("content");
    if (!content.isArray()) {
      throw new CallFailed("its answer has no result.response.content list");
    }
    Map<String, UserProfile> found = new HashMap<>();
    for (JsonNode user : content) {
      String id = firstText(user, "id", "userId", "identifier");
      // A deleted user is no longer one (lms-service refuses them as mentors the same way).
      if (id != null && asked.contains(id) && !user.path("isDeleted").asBoolean(false)) {
        found.put(id, profile(id, user));
      }
    }
    return found;
  }

  /**
   * The user's consent for the course naming {@code consumerOrg}, from a consent read answer;
   * empty when it holds none (or only ones for another user, course or organisation, or with a
   * status or dates it cannot read: not listing a learner is the safe side for personal data).
   */
  static Optional<Consent> consent(String body, String userId, String courseId, String consumerOrg) {
    JsonNode consents = result(body).path("consents");
    if (!consents.isArray()) {
      throw new CallFailed("its answer has no result.consents list");
    }
    for (JsonNode c : consents) {
      String user = text(c, "userId");
      if (!userId.equals(user) || !courseId.equals(text(c, "objectId")) || !consumerOrg.equals(text(c, "consumerId"))) {
        continue;
      }
      Optional<Consent.Status> status = status(text(c, "status"));
      Instant created = instant(text(c, "createdOn"));
      Instant updated = instant(text(c, "lastUpdatedOn"));
      Instant at = updated != null ? updated : created;
      if (status.isEmpty() || at == null) {
        continue;
      }
      String objectType = text(c, "objectType");
      return Optional.of(new Consent(userId, courseId, objectType == null ? Consent.COLLECTION : objectType, consumerOrg,
          status.get(), created != null ? created : at, at));
    }
    return Optional.empty();
  }

  private static JsonNode result(String body) {
    JsonNode root;
    try {
      root = Envelope.JSON.readTree(body);
    } catch (Exception e) {
      throw new CallFailed("its answer is not JSON");
    }
    JsonNode result = root == null ? null : root.get("result");
    if (result == null || !result.isObject()) {
      throw new CallFailed("its answer has no result");
    }
    return result;
  }

  /**
   * A search record as the directory's profile: the name from {@code firstName} and
   * {@code lastName}; state, district, block, cluster and school from {@code userLocations}
   * ({@code type}, {@code name}, {@code code}); the organisation's name from {@code rootOrgName};
   * user type and sub-type from {@code profileUserType}; the declared board from
   * {@code framework.board}.
   */
  private static UserProfile profile(String id, JsonNode user) {
    Map<UserProfile.Field, String> v = new EnumMap<>(UserProfile.Field.class);
    put(v, UserProfile.Field.ROOT_ORG_ID, text(user, "rootOrgId"));
    put(v, UserProfile.Field.NAME, name(text(user, "firstName"), text(user, "lastName")));
    put(v, UserProfile.Field.EMAIL, text(user, "email"));
    put(v, UserProfile.Field.PHONE, text(user, "phone"));
    put(v, UserProfile.Field.ORG_NAME, text(user, "rootOrgName"));
    for (JsonNode location : user.path("userLocations")) {
      String type = text(location, "type");
      String name = text(location, "name");
      switch (type == null ? "" : type.toLowerCase(Locale.ROOT)) {
        case "state" -> put(v, UserProfile.Field.STATE, name);
        case "district" -> put(v, UserProfile.Field.DISTRICT, name);
        case "block" -> put(v, UserProfile.Field.BLOCK, name);
        case "cluster" -> put(v, UserProfile.Field.CLUSTER, name);
        case "school" -> {
          put(v, UserProfile.Field.SCHOOL_NAME, name);
          put(v, UserProfile.Field.SCHOOL_ID, text(location, "code"));
        }
        default -> { } // other location types are not shown
      }
    }
    JsonNode type = user.path("profileUserType");
    put(v, UserProfile.Field.USER_TYPE, text(type, "type"));
    put(v, UserProfile.Field.USER_SUB_TYPE, text(type, "subType"));
    JsonNode board = user.path("framework").path("board");
    put(v, UserProfile.Field.DECLARED_BOARD, board.isArray() && board.size() > 0 ? value(board.get(0)) : null);
    return UserProfile.of(id, v);
  }

  /** Keeps a value the directory could store: not blank, within the field's length. */
  private static void put(Map<UserProfile.Field, String> values, UserProfile.Field field, String value) {
    if (value != null && value.length() <= field.maxLength() && !values.containsKey(field)) {
      values.put(field, value);
    }
  }

  private static String name(String first, String last) {
    String joined = ((first == null ? "" : first) + " " + (last == null ? "" : last)).strip();
    return joined.isEmpty() ? null : joined;
  }

  private static Optional<Consent.Status> status(String value) {
    if (value == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(Consent.Status.valueOf(value.toUpperCase(Locale.ROOT)));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  /** Sunbird's {@code yyyy-MM-dd HH:mm:ss:SSSZ}, or an ISO-8601 instant; null when neither. */
  private static Instant instant(String value) {
    if (value == null) {
      return null;
    }
    try {
      return Envelope.TS.parse(value, Instant::from);
    } catch (DateTimeParseException notSunbirds) {
      try {
        return Instant.parse(value);
      } catch (DateTimeParseException notIso) {
        return null;
      }
    }
  }

  private static String firstText(JsonNode node, String... fields) {
    for (String f : fields) {
      String v = text(node, f);
      if (v != null) {
        return v;
      }
    }
    return null;
  }

  /** A string field, trimmed; null when absent, blank or not a string. */
  private static String text(JsonNode node, String field) {
    return node == null || !node.isObject() ? null : value(node.get(field));
  }

  private static String value(JsonNode v) {
    if (v == null || !v.isTextual()) {
      return null;
    }
    String s = v.asText().strip();
    return s.isEmpty() ? null : s;
  }
}
