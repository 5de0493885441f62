package org.coursebatch.core.access;

import java.util.Optional;
import org.coursebatch.core.identity.Caller;

/**
 * Who asks: the authenticated caller, the user they act as (a managed user of
 * {@code x-authenticated-for}, else the caller), and the caller's root organisation as the user
 * directory knows it (empty when it does not know the caller: no organisation-scoped authority).
 */
public record Requester(Caller caller, String actingAs, Optional<String> rootOrgId) {

  public Requester {
    actingAs = actingAs == null ? caller.userId() : actingAs;
    rootOrgId = rootOrgId == null ? Optional.empty() : rootOrgId;
  }

  /** A requester acting as themself. */
  public static Requester of(Caller caller, Optional<String> rootOrgId) {
    return new Requester(caller, caller.userId(), rootOrgId);
  }

  public String userId() {
    return caller.userId();
  }

  /** Whether {@code userId} is the user the request acts as (a request acts for one user only). */
  public boolean is(String userId) {
    return actingAs.equals(userId);
  }

  /** Whether the caller's root organisation is {@code orgId} (false when either is unknown). */
  public boolean belongsTo(Optional<String> orgId) {
    return rootOrgId.isPresent() && rootOrgId.equals(orgId);
  }
}
