package org.coursebatch.http.user;

import java.util.List;
import org.coursebatch.core.user.Consent;
import org.coursebatch.core.user.UserDirectoryAdmin.Erasure;
import org.coursebatch.core.user.UserProfile;
import org.coursebatch.http.api.Envelope;

/** The {@code result} of each user-directory operation; consent in Sunbird's shapes. */
public sealed interface UserResult {

  /** A profile stored: {@code {response: "SUCCESS", userId}}. */
  record ProfileStored(String response, String userId) implements UserResult {
    public static ProfileStored of(String userId) {
      return new ProfileStored("SUCCESS", userId);
    }
  }

  /** {@code {profile: {...}}}. */
  record ProfileRead(Profile profile) implements UserResult {}

  /** Every field of a profile, null when not known, in the order of {@link UserProfile.Field} after {@code userId}. */
  record Profile(String userId, String rootOrgId, String name, String email, String phone, String state, String district,
      String block, String cluster, String schoolId, String schoolName, String orgName, String userType, String userSubType,
      String declaredBoard) {

    public static Profile of(UserProfile p) {
      return new Profile(p.userId(), p.rootOrgId(), p.name(), p.email(), p.phone(), p.state(), p.district(), p.block(),
          p.cluster(), p.schoolId(), p.schoolName(), p.orgName(), p.userType(), p.userSubType(), p.declaredBoard());
    }
  }

  /** What an erasure deleted: {@code {response: "SUCCESS", userId, profileErased, consentsErased}}. */
  record ProfileErased(String response, String userId, boolean profileErased, int consentsErased) implements UserResult {
    public static ProfileErased of(String userId, Erasure erased) {
      return new ProfileErased("SUCCESS", userId, erased.profile(), erased.consents());
    }
  }

  /** Sunbird's answer to a consent update. */
  record ConsentUpdated(ConsentOf consent, String message) implements UserResult {
    public static ConsentUpdated of(String userId) {
      return new ConsentUpdated(new ConsentOf(userId), "User Consent updated successfully.");
    }
  }

  record ConsentOf(String userId) {}

  /** The user's matching consents, as Sunbird's consent read lists them. */
  record Consents(List<ConsentDocument> consents) implements UserResult {
    public static Consents of(List<Consent> found) {
      return new Consents(found.stream().map(ConsentDocument::of).toList());
    }
  }

  /** {@code objectId} is the course; timestamps in Sunbird's {@link Envelope#TS} format. */
  record ConsentDocument(String status, String userId, String consumerId, String objectId, String objectType, String createdOn,
      String lastUpdatedOn) {

    public static ConsentDocument of(Consent c) {
      return new ConsentDocument(c.status().name(), c.userId(), c.consumerId(), c.courseId(), c.objectType(),
          Envelope.timestamp(c.givenAt()), Envelope.timestamp(c.at()));
    }
  }
}
