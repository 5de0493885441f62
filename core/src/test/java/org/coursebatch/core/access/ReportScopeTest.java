package org.coursebatch.core.access;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.coursebatch.core.identity.Caller;
import org.junit.jupiter.api.Test;

/** What a report may hold, and whether a requester's scope now covers the one a report was made under. */
class ReportScopeTest {

  static final Optional<String> V = Optional.of("org-v");
  static final Optional<String> W = Optional.of("org-w");
  static final AccessPolicy POLICY = new AccessPolicy(AccessRoles.SUNBIRD);

  /** A creator's or mentor's scope: their organisation's consents, nobody's location. */
  static final ReportScope CREATOR_OF_V = new ReportScope(V, Optional.empty(), false);
  static final ReportScope ADMIN_OF_V = new ReportScope(V, V, false);
  static final ReportScope ADMIN_OF_W = new ReportScope(W, W, false);
  static final ReportScope SYSTEM_ADMIN_OF_W = new ReportScope(W, Optional.empty(), true);

  @Test
  void theScopeFollowsTheRequestersRolesAndRootOrganisation() {
    assertEquals(ReportScope.NONE, POLICY.reportScope(Requester.of(Caller.of("nobody"), Optional.empty())));
    assertEquals(CREATOR_OF_V, POLICY.reportScope(Requester.of(Caller.of("c", "CONTENT_CREATOR"), V)));
    assertEquals(ADMIN_OF_V, POLICY.reportScope(Requester.of(Caller.of("a", "ORG_ADMIN"), V)));
    assertEquals(new ReportScope(Optional.empty(), Optional.empty(), false),
        POLICY.reportScope(Requester.of(Caller.of("a", "ORG_ADMIN"), Optional.empty())), "an org admin of no known organisation");
    assertEquals(SYSTEM_ADMIN_OF_W, POLICY.reportScope(Requester.of(Caller.of("s", "SYSTEM_ADMINISTRATION"), W)));
  }

  @Test
  void consentsAreListedOnlyWhenTheyNameTheScopesOrganisation() {
    assertTrue(ADMIN_OF_V.listsConsentTo("org-v"));
    assertFalse(ADMIN_OF_V.listsConsentTo("org-w"));
    assertFalse(ADMIN_OF_V.listsConsentTo(""), "a consent that names no organisation");
    assertFalse(ADMIN_OF_V.listsConsentTo(null));
    assertFalse(ReportScope.NONE.listsConsentTo("org-v"));
    assertFalse(ReportScope.NONE.listsConsentTo(""));
    assertFalse(SYSTEM_ADMIN_OF_W.listsConsentTo("org-v"), "a system admin lists the consents given to their organisation");
  }

  @Test
  void locationsAreShownForTheAdministeredOrganisationOrEveryoneForASystemAdmin() {
    assertTrue(ADMIN_OF_V.showsLocationOf(V));
    assertFalse(ADMIN_OF_V.showsLocationOf(W));
    assertFalse(ADMIN_OF_V.showsLocationOf(Optional.empty()), "a learner of no known organisation");
    assertFalse(CREATOR_OF_V.showsLocationOf(V), "a creator is no admin of their own organisation's learners");
    assertFalse(ReportScope.NONE.showsLocationOf(Optional.empty()));
    assertTrue(SYSTEM_ADMIN_OF_W.showsLocationOf(V));
    assertTrue(SYSTEM_ADMIN_OF_W.showsLocationOf(Optional.empty()));
  }

  @Test
  void aScopeCoversTheSameOrLessButNotAnotherOrganisationOrMore() {
    for (ReportScope s : new ReportScope[] {ReportScope.NONE, CREATOR_OF_V, ADMIN_OF_V, ADMIN_OF_W, SYSTEM_ADMIN_OF_W}) {
      assertTrue(s.covers(s), s + " covers itself");
      assertTrue(s.covers(ReportScope.NONE), s + " covers a report with no personal data");
    }
    assertTrue(ADMIN_OF_V.covers(CREATOR_OF_V), "an admin who was the creator");
    assertFalse(CREATOR_OF_V.covers(ADMIN_OF_V), "a creator who is no longer an org admin");
    assertFalse(ReportScope.NONE.covers(CREATOR_OF_V), "a requester whose organisation is gone");
    assertFalse(ADMIN_OF_W.covers(ADMIN_OF_V), "moved to another organisation");
    assertFalse(ADMIN_OF_V.covers(SYSTEM_ADMIN_OF_W));
    assertFalse(SYSTEM_ADMIN_OF_W.covers(ADMIN_OF_V), "every location, but consents given to V only");
    assertTrue(new ReportScope(V, Optional.empty(), true).covers(ADMIN_OF_V));
    assertFalse(new ReportScope(Optional.empty(), Optional.empty(), true).covers(CREATOR_OF_V));
  }

  @Test
  void onlyAScopeThatShowsEveryLearnerCoversAReportMadeBeforeScopesWereRecorded() {
    assertTrue(SYSTEM_ADMIN_OF_W.coversUnrecorded());
    assertFalse(ADMIN_OF_V.coversUnrecorded());
    assertFalse(CREATOR_OF_V.coversUnrecorded());
    assertFalse(ReportScope.NONE.coversUnrecorded());
  }

  @Test
  void absentOrganisationsAreEmpty() {
    assertEquals(ReportScope.NONE, new ReportScope(null, null, false));
  }
}
