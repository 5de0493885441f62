package org.coursebatch.core.user;

import java.util.Map;
import java.util.function.Function;

/**
 * What the built-in directory records of a user: the root organisation (certificate criteria) and
 * the personal data the exhaust reports show. Every field but {@code userId} is optional (null).
 * Personal data lives only in the directory, never in events, so it can be erased.
 */
public record UserProfile(
    String userId,
    String rootOrgId,
    String name,
    String email,
    String phone,
    String state,
    String district,
    String block,
    String cluster,
    String schoolId,
    String schoolName,
    String orgName,
    String userType,
    String userSubType,
    String declaredBoard) {

  /** A profile with a root organisation (or none) and no personal data. */
  public UserProfile(String userId, String rootOrgId) {
    this(userId, rootOrgId, null, null, null, null, null, null, null, null, null, null, null, null, null);
  }

  /** The optional fields: their names in the API and the longest value the directory stores. */
  public enum Field {
    ROOT_ORG_ID("rootOrgId", 100, UserProfile::rootOrgId),
    NAME("name", 200, UserProfile::name),
    EMAIL("email", 254, UserProfile::email),
    PHONE("phone", 32, UserProfile::phone),
    STATE("state", 200, UserProfile::state),
    DISTRICT("district", 200, UserProfile::district),
    BLOCK("block", 200, UserProfile::block),
    CLUSTER("cluster", 200, UserProfile::cluster),
    SCHOOL_ID("schoolId", 100, UserProfile::schoolId),
    SCHOOL_NAME("schoolName", 200, UserProfile::schoolName),
    ORG_NAME("orgName", 200, UserProfile::orgName),
    USER_TYPE("userType", 100, UserProfile::userType),
    USER_SUB_TYPE("userSubType", 100, UserProfile::userSubType),
    DECLARED_BOARD("declaredBoard", 200, UserProfile::declaredBoard);

    private final String key;
    private final int maxLength;
    private final Function<UserProfile, String> value;

    Field(String key, int maxLength, Function<UserProfile, String> value) {
      this.key = key;
      this.maxLength = maxLength;
      this.value = value;
    }

    /** The field's name in requests and responses, e.g. {@code schoolId}. */
    public String key() {
      return key;
    }

    public int maxLength() {
      return maxLength;
    }

    /** This field of {@code profile}; null when the profile has none. */
    public String of(UserProfile profile) {
      return value.apply(profile);
    }
  }

  /** The longest user id the directory stores. */
  public static final int MAX_USER_ID_LENGTH = org.coursebatch.core.json.FieldLimits.ID;

  /** A profile from field values; fields missing from {@code values} (or null there) are not known. */
  public static UserProfile of(String userId, Map<Field, String> values) {
    Function<Field, String> v = values::get;
    return new UserProfile(userId, v.apply(Field.ROOT_ORG_ID), v.apply(Field.NAME), v.apply(Field.EMAIL),
        v.apply(Field.PHONE), v.apply(Field.STATE), v.apply(Field.DISTRICT), v.apply(Field.BLOCK),
        v.apply(Field.CLUSTER), v.apply(Field.SCHOOL_ID), v.apply(Field.SCHOOL_NAME), v.apply(Field.ORG_NAME),
        v.apply(Field.USER_TYPE), v.apply(Field.USER_SUB_TYPE), v.apply(Field.DECLARED_BOARD));
  }
}
