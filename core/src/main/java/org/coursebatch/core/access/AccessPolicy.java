package org.coursebatch.core.access;

import java.util.Optional;
import org.coursebatch.core.batch.Batch;
import org.coursebatch.core.error.ErrorCode;
import org.coursebatch.core.identity.Caller;

/**
 * Who may do what, decided in one place from the caller (id, roles, root organisation) and the
 * resource (a batch's creator, mentors and {@code createdFor}; a learner's root organisation; a
 * report's requester). Routes and services ask it; nothing else holds a role list.
 *
 * <p>The rules, in short (docs/security.md has the table a test keeps in step with this class):
 * <ul>
 *   <li>A batch is changed by its creator and mentors, and administered (participants,
 *       certificates, reports) by them, by the org admins of an organisation it was created for
 *       and by system admins.</li>
 *   <li>Acting on another user (enrolling, unenrolling, inviting) needs authority over that user:
 *       a system admin; an org admin of the user's own root organisation; or the batch's creator
 *       or a mentor, for users of the creator's organisation that the batch was created for. A
 *       user the directory does not know is acted on by system admins only.</li>
 *   <li>A user's personal data (profile, consents, enrolment list) is read by the user, the org
 *       admins of their organisation and system admins — never by a batch's creator or mentors.</li>
 * </ul>
 */
public final class AccessPolicy {

  private final AccessRoles roles;

  public AccessPolicy(AccessRoles roles) {
    this.roles = roles;
  }

  public AccessRoles roles() {
    return roles;
  }

  /** The facts about the resource an operation concerns; parts the operation does not read may be null. */
  public record Target(Batch batch, Learner learner, Optional<String> creatorOrg, Optional<String> newRootOrg,
      boolean erasure, String reportRequester, Boolean groupMember) {

    public static Target none() {
      return new Target(null, null, Optional.empty(), Optional.empty(), false, null, null);
    }

    public static Target batch(Batch batch) {
      return new Target(batch, null, Optional.empty(), Optional.empty(), false, null, null);
    }

    /** A learner in a batch whose creator belongs to {@code creatorOrg}. */
    public static Target learnerIn(Batch batch, Learner learner, Optional<String> creatorOrg) {
      return new Target(batch, learner, creatorOrg, Optional.empty(), false, null, null);
    }

    public static Target learner(Learner learner) {
      return new Target(null, learner, Optional.empty(), Optional.empty(), false, null, null);
    }

    /**
     * A profile write: the user as the directory knows them now, and the organisation the write
     * gives them (empty: none, which takes them out of every org admin's reach).
     */
    public static Target profileWrite(Learner learner, Optional<String> newRootOrg) {
      return new Target(null, learner, Optional.empty(), newRootOrg, false, null, null);
    }

    /** An erasure of what the directory holds of the user (repeatable: a user it no longer knows too). */
    public static Target profileErasure(Learner learner) {
      return new Target(null, learner, Optional.empty(), Optional.empty(), true, null, null);
    }

    public static Target report(Batch batch, String requestedBy) {
      return new Target(batch, null, Optional.empty(), Optional.empty(), false, requestedBy, null);
    }

    public static Target group(boolean member) {
      return new Target(null, null, Optional.empty(), Optional.empty(), false, null, member);
    }
  }

  /** The decision for {@code op} by {@code who} on {@code target}. */
  public Decision decide(Operation op, Requester who, Target target) {
    Caller caller = who.caller();
    return switch (op) {
      case PUBLIC, BATCH_READ, SELF_ENROL, SELF_PROGRESS, CATALOG_READ -> allow("any caller");
      case BATCH_CREATE -> roles.batchCreators().isEmpty() || caller.hasAnyRole(roles.batchCreators())
          ? allow("a batch creator role")
          : forbidden("Creating batches needs one of the roles " + roles.batchCreators() + ".");
      case BATCH_CHANGE -> mayChange(caller, target.batch())
          ? allow("creator or mentor of the batch") : unauthorized();
      case BATCH_HISTORY -> caller.hasAnyRole(roles.auditors()) || mayChange(caller, target.batch())
          ? allow("auditor, creator or mentor")
          : forbidden("Reading the journal of batch " + target.batch().batchId() + " needs one of the roles "
              + roles.auditors() + ", or being its creator or one of its mentors.");
      case BATCH_ADMINISTER -> administers(who, target.batch());
      case LEARNER_ENROL -> actsOn(who, target.batch(), target.learner(), target.creatorOrg());
      case LEARNER_READ, LEARNER_CONSENT -> who.is(target.learner().userId())
          ? allow("the user themself") : adminOf(who, target.learner());
      case LEARNER_WRITE -> writesProfile(who, target.learner(), target.newRootOrg(), target.erasure());
      case ENROLMENT_READ -> who.is(target.learner().userId())
          ? allow("the learner themself") : administers(who, target.batch());
      case REPORT_READ -> who.userId().equals(target.reportRequester())
          ? allow("the requester") : administers(who, target.batch());
      case REPORT_DOWNLOAD -> who.userId().equals(target.reportRequester())
          ? administers(who, target.batch()) : unauthorized();
      case CATALOG_WRITE -> roles.catalogWriters().isEmpty() || caller.hasAnyRole(roles.catalogWriters())
          ? allow("a catalog writer role")
          : forbidden("Registering in the catalog needs one of the roles " + roles.catalogWriters() + ".");
      // A group has no organisation: only its members and system admins see whose progress it holds.
      case GROUP_WRITE -> isSystemAdmin(caller)
          ? allow("a system admin role") : forbidden("Writing groups needs one of the roles " + roles.systemAdmins() + ".");
      case GROUP_READ -> Boolean.TRUE.equals(target.groupMember()) || isSystemAdmin(caller)
          ? allow("a member of the group or a system admin role") : unauthorized();
    };
  }

  /** Shorthand for {@link #decide} when the decision is to be enforced: a denial is thrown. */
  public void require(Operation op, Requester who, Target target) {
    decide(op, who, target).orThrow();
  }

  /**
   * Whether the caller may change the batch: its creator or a mentor. Pure and role-free, so the
   * batch entity applies the same rule to the commands it receives.
   */
  public static boolean mayChange(Caller caller, Batch batch) {
    return batch != null && batch.isAdministeredBy(caller.userId());
  }

  /** The personal data a report requested now by {@code who} may hold. */
  public ReportScope reportScope(Requester who) {
    boolean system = isSystemAdmin(who.caller());
    Optional<String> adminOf = isOrgAdmin(who.caller()) ? who.rootOrgId() : Optional.empty();
    return new ReportScope(who.rootOrgId(), adminOf, system);
  }

  /** Whether {@code who} administers every batch (a system admin): their catalog is all enrolments. */
  public boolean administersEveryBatch(Requester who) {
    return isSystemAdmin(who.caller());
  }

  /** The organisation {@code who} administers as an org admin (their root organisation), if any. */
  public Optional<String> administeredOrg(Requester who) {
    return isOrgAdmin(who.caller()) ? who.rootOrgId() : Optional.empty();
  }

  private Decision administers(Requester who, Batch batch) {
    Caller caller = who.caller();
    if (mayChange(caller, batch)) {
      return allow("creator or mentor of the batch");
    }
    if (isSystemAdmin(caller)) {
      return allow("a system admin role");
    }
    if (batch != null && isOrgAdmin(caller) && who.rootOrgId().isPresent() && batch.createdFor().contains(who.rootOrgId().get())) {
      return allow("an org admin of an organisation the batch was created for");
    }
    return unauthorized();
  }

  private Decision actsOn(Requester who, Batch batch, Learner learner, Optional<String> creatorOrg) {
    Caller caller = who.caller();
    if (isSystemAdmin(caller)) {
      return allow("a system admin role");
    }
    if (isOrgAdmin(caller) && who.belongsTo(learner.rootOrgId())) {
      return allow("an org admin of the user's organisation");
    }
    Optional<String> org = learner.rootOrgId();
    if (mayChange(caller, batch) && org.isPresent() && org.equals(creatorOrg) && batch.createdFor().contains(org.get())) {
      return allow("creator or mentor of a batch created for the user's organisation");
    }
    return unauthorized();
  }

  private Decision adminOf(Requester who, Learner learner) {
    if (isSystemAdmin(who.caller())) {
      return allow("a system admin role");
    }
    if (isOrgAdmin(who.caller()) && who.belongsTo(learner.rootOrgId())) {
      return allow("an org admin of the user's organisation");
    }
    return unauthorized();
  }

  private Decision writesProfile(Requester who, Learner learner, Optional<String> newRootOrg, boolean erasure) {
    if (isSystemAdmin(who.caller())) {
      return allow("a system admin role");
    }
    // An org admin registers users into their own organisation and keeps them there: a profile
    // without one would leave the user nobody's to protect. Erasing leaves no profile to keep.
    boolean admin = isOrgAdmin(who.caller()) && who.rootOrgId().isPresent();
    boolean ownNow = learner.rootOrgId().isEmpty() || who.belongsTo(learner.rootOrgId());
    boolean ownAfter = erasure || who.belongsTo(newRootOrg);
    if (admin && ownNow && ownAfter) {
      return allow("an org admin of the user's organisation");
    }
    return forbidden("Writing a user's profile needs one of the roles " + roles.systemAdmins() + ", or one of "
        + roles.orgAdmins() + " in the user's root organisation, which the profile must keep.");
  }

  private boolean isOrgAdmin(Caller caller) {
    return caller.hasAnyRole(roles.orgAdmins());
  }

  private boolean isSystemAdmin(Caller caller) {
    return caller.hasAnyRole(roles.systemAdmins());
  }

  private static Decision allow(String because) {
    return new Decision.Allowed(because);
  }

  private static Decision unauthorized() {
    return new Decision.Denied(ErrorCode.UNAUTHORIZED_USER.reject());
  }

  private static Decision forbidden(String message) {
    return new Decision.Denied(ErrorCode.FORBIDDEN.reject(message));
  }
}
