package org.coursebatch.node;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.coursebatch.node.ApiClient.Reply;

/**
 * The user directory as the functional suites set it up. The access policy places every user in
 * the root organisation of their profile: an org admin has authority over the users of their own
 * organisation, a batch's creator and mentors over the users of the creator's organisation that
 * the batch was created for, and over a user without one only system admins do. So a suite gives
 * its learners, creators and org admins profiles, written by {@link #SYSTEM_ADMIN}.
 */
final class Directory {

  /** The organisation the suites' creators, mentors, org admins and learners belong to, unless a test says otherwise. */
  static final String ORG = "org-home";
  /** Another organisation: its users are beyond the reach of {@link #ORG}'s admins and batches. */
  static final String OTHER_ORG = "org-elsewhere";
  /** A system admin: writes any profile and has authority over every user. */
  static final String SYSTEM_ADMIN = "sys-admin";

  private Directory() {}

  static String systemAdminToken() {
    return TestNode.token(SYSTEM_ADMIN, "SYSTEM_ADMINISTRATION");
  }

  /** Gives each user a profile in {@code rootOrgId} (a profile without one when null) on the node {@code client} talks to. */
  static void place(ApiClient client, String rootOrgId, Collection<String> userIds) {
    Map<String, Object> profile = rootOrgId == null ? Map.of() : Map.of("rootOrgId", rootOrgId);
    for (String user : userIds) {
      Reply r = client.call("PUT", "/v1/user/profile/" + user, systemAdminToken(), profile);
      assertEquals(200, r.status(), () -> "the profile of " + user + ": " + r);
    }
  }

  static void place(ApiClient client, String rootOrgId, String... userIds) {
    place(client, rootOrgId, List.of(userIds));
  }

  /**
   * The batch request, for a batch created for {@link #ORG}: its creator (placed in {@link #ORG})
   * and mentors then act on that organisation's users, and its org admins administer it.
   */
  static Map<String, Object> forOrg(Map<String, Object> batchRequest) {
    batchRequest.put("createdFor", List.of(ORG));
    return batchRequest;
  }
}
