package org.coursebatch.core.access;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import org.coursebatch.core.batch.Batch;
import org.coursebatch.core.batch.BatchStatus;
import org.coursebatch.core.batch.EnrollmentType;
import org.coursebatch.core.error.ErrorCode;
import org.coursebatch.core.identity.Caller;
import org.junit.jupiter.api.Test;

/** The combinations that make or break authority over a learner, each on its own. */
class AccessPolicyTest {

  static final AccessPolicy POLICY = new AccessPolicy(AccessRoles.SUNBIRD);
  static final Optional<String> ORG_A = Optional.of("org-a");
  static final Optional<String> ORG_B = Optional.of("org-b");

  static Batch batch(String creator, List<String> createdFor, List<String> mentors) {
    return new Batch("b-1", "do_1", "Batch", null, null, EnrollmentType.OPEN, LocalDate.parse("2026-01-01"), null, null,
        "UTC", createdFor, mentors, creator, Instant.parse("2026-01-01T00:00:00Z"), null, null, BatchStatus.IN_PROGRESS,
        null, null, null);
  }

  static Requester who(String userId, Optional<String> org, String... roles) {
    return Requester.of(Caller.of(userId, roles), org);
  }

  static boolean mayEnrol(Requester who, Batch batch, Learner learner, Optional<String> creatorOrg) {
    return POLICY.decide(Operation.LEARNER_ENROL, who, AccessPolicy.Target.learnerIn(batch, learner, creatorOrg)).allowed();
  }

  @Test
  void aCreatorActsOnlyOnLearnersOfTheirOwnOrganisationThatTheBatchIsFor() {
    Batch forA = batch("creator", List.of("org-a"), List.of("mentor"));
    Learner ofA = new Learner("victim", ORG_A);
    assertTrue(mayEnrol(who("creator", ORG_A, "CONTENT_CREATOR"), forA, ofA, ORG_A));
    assertTrue(mayEnrol(who("mentor", ORG_B), forA, ofA, ORG_A), "a mentor has the creator's authority, no more");

    Batch forVictims = batch("creator", List.of("org-a"), List.of());
    assertFalse(mayEnrol(who("creator", ORG_B, "CONTENT_CREATOR"), forVictims, ofA, ORG_B),
        "naming another organisation in createdFor gives its creator no power over its learners");
    assertFalse(mayEnrol(who("creator", ORG_A), batch("creator", List.of(), List.of()), ofA, ORG_A),
        "a batch created for nobody: no learner");
    assertFalse(mayEnrol(who("creator", ORG_A), forA, new Learner("ghost", Optional.empty()), ORG_A),
        "a user the directory does not know: only system admins");
    assertFalse(mayEnrol(who("victim", ORG_A), forA, ofA, ORG_A), "enrolling oneself by the admin route is not self enrolment");
  }

  @Test
  void orgAdminsActOnTheirOwnOrganisationsLearnersAndSystemAdminsOnAnyone() {
    Batch someBatch = batch("creator", List.of("org-b"), List.of());
    Learner ofA = new Learner("learner", ORG_A);
    assertTrue(mayEnrol(who("admin-a", ORG_A, "ORG_ADMIN"), someBatch, ofA, ORG_B));
    assertFalse(mayEnrol(who("admin-b", ORG_B, "ORG_ADMIN"), someBatch, ofA, ORG_B));
    assertFalse(mayEnrol(who("admin-x", Optional.empty(), "ORG_ADMIN"), someBatch, ofA, ORG_B),
        "an org admin the directory does not place in an organisation administers none");
    assertTrue(mayEnrol(who("root", Optional.empty(), "SYSTEM_ADMINISTRATION"), someBatch, new Learner("ghost", Optional.empty()),
        ORG_B));
  }

  @Test
  void personalDataIsTheUsersTheirOrgAdminsAndSystemAdminsOnly() {
    Learner ofA = new Learner("learner", ORG_A);
    var target = AccessPolicy.Target.learner(ofA);
    assertTrue(POLICY.decide(Operation.LEARNER_READ, who("learner", ORG_A), target).allowed());
    assertTrue(POLICY.decide(Operation.LEARNER_READ, who("admin-a", ORG_A, "ORG_ADMIN"), target).allowed());
    assertFalse(POLICY.decide(Operation.LEARNER_READ, who("admin-b", ORG_B, "ORG_ADMIN"), target).allowed());
    assertFalse(POLICY.decide(Operation.LEARNER_READ, who("creator", ORG_A, "CONTENT_CREATOR", "COURSE_MENTOR"), target).allowed(),
        "creators and mentors never read learners' personal data");
    var denied = (Decision.Denied) POLICY.decide(Operation.LEARNER_READ, who("other", ORG_A), target);
    assertEquals(ErrorCode.UNAUTHORIZED_USER, denied.rejection().code());
  }

  @Test
  void aProfileWriteKeepsTheUserInTheAdminsOrganisation() {
    Requester adminA = who("admin-a", ORG_A, "ORG_ADMIN");
    assertTrue(POLICY.decide(Operation.LEARNER_WRITE, adminA,
        AccessPolicy.Target.profileWrite(new Learner("new", Optional.empty()), ORG_A)).allowed());
    assertFalse(POLICY.decide(Operation.LEARNER_WRITE, adminA,
        AccessPolicy.Target.profileWrite(new Learner("of-b", ORG_B), ORG_A)).allowed(), "no claiming another organisation's user");
    assertFalse(POLICY.decide(Operation.LEARNER_WRITE, adminA,
        AccessPolicy.Target.profileWrite(new Learner("of-a", ORG_A), ORG_B)).allowed(), "no moving a user out of reach");
    assertFalse(POLICY.decide(Operation.LEARNER_WRITE, adminA,
        AccessPolicy.Target.profileWrite(new Learner("of-a", ORG_A), Optional.empty())).allowed(), "nor into no organisation");
    assertTrue(POLICY.decide(Operation.LEARNER_WRITE, adminA, AccessPolicy.Target.profileErasure(new Learner("of-a", ORG_A))).allowed());
    assertTrue(POLICY.decide(Operation.LEARNER_WRITE, adminA, AccessPolicy.Target.profileErasure(new Learner("gone", Optional.empty())))
        .allowed(), "erasing again, once the directory no longer knows the user");
    assertFalse(POLICY.decide(Operation.LEARNER_WRITE, adminA, AccessPolicy.Target.profileErasure(new Learner("of-b", ORG_B))).allowed());
  }

  @Test
  void batchesAreAdministeredByCreatorMentorsTheirOrganisationsAdminsAndSystemAdmins() {
    Batch forA = batch("creator", List.of("org-a"), List.of("mentor"));
    var target = AccessPolicy.Target.batch(forA);
    assertTrue(POLICY.decide(Operation.BATCH_ADMINISTER, who("mentor", ORG_B), target).allowed());
    assertTrue(POLICY.decide(Operation.BATCH_ADMINISTER, who("admin-a", ORG_A, "ORG_ADMIN"), target).allowed());
    assertFalse(POLICY.decide(Operation.BATCH_ADMINISTER, who("admin-b", ORG_B, "ORG_ADMIN"), target).allowed());
    assertFalse(POLICY.decide(Operation.BATCH_CHANGE, who("admin-a", ORG_A, "ORG_ADMIN"), target).allowed(),
        "changing a batch stays with its creator and mentors");
    assertFalse(POLICY.decide(Operation.BATCH_CREATE, who("anyone", ORG_A), AccessPolicy.Target.none()).allowed());
  }

  @Test
  void aReportIsDownloadedByItsRequesterWhileTheyAdministerTheBatch() {
    Batch forA = batch("creator", List.of("org-a"), List.of("mentor"));
    assertTrue(POLICY.decide(Operation.REPORT_DOWNLOAD, who("admin-a", ORG_A, "ORG_ADMIN"),
        AccessPolicy.Target.report(forA, "admin-a")).allowed());
    assertFalse(POLICY.decide(Operation.REPORT_DOWNLOAD, who("admin-a", ORG_A),
        AccessPolicy.Target.report(forA, "admin-a")).allowed(), "the role was taken away since");
    assertFalse(POLICY.decide(Operation.REPORT_DOWNLOAD, who("creator", ORG_A),
        AccessPolicy.Target.report(forA, "admin-a")).allowed(), "another administrator sees the job, not the file");
    assertTrue(POLICY.decide(Operation.REPORT_READ, who("creator", ORG_A), AccessPolicy.Target.report(forA, "admin-a")).allowed());
  }

  @Test
  void aReportsScopeIsTheRequestersOrganisation() {
    ReportScope admin = POLICY.reportScope(who("admin-a", ORG_A, "ORG_ADMIN"));
    assertTrue(admin.listsConsentTo("org-a"));
    assertFalse(admin.listsConsentTo("org-b"));
    assertTrue(admin.showsLocationOf(ORG_A));
    assertFalse(admin.showsLocationOf(ORG_B));
    ReportScope creator = POLICY.reportScope(who("creator", ORG_A, "CONTENT_CREATOR"));
    assertFalse(creator.showsLocationOf(ORG_A), "location and school columns are for org admins");
    assertTrue(admin.covers(creator));
    assertFalse(creator.covers(admin));
    assertFalse(POLICY.reportScope(who("admin-a", ORG_B, "ORG_ADMIN")).covers(admin), "moved to another organisation");
  }
}
