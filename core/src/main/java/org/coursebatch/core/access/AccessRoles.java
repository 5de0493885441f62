package org.coursebatch.core.access;

import java.util.List;

/**
 * The roles the access policy reads from configuration (role names compare case-insensitively).
 * A role says what kind of thing its holder may do; where it applies comes from the holder's root
 * organisation (see {@link AccessPolicy}).
 *
 * @param batchCreators roles that may create batches; empty: any authenticated user
 * @param catalogWriters roles that may register courses and certificate templates (built-in catalog)
 * @param orgAdmins roles that administer the holder's own root organisation: its learners and the
 *     batches created for it
 * @param systemAdmins roles that administer every organisation (the deployment's operators)
 * @param auditors roles that read every batch's journal history
 */
public record AccessRoles(List<String> batchCreators, List<String> catalogWriters, List<String> orgAdmins,
    List<String> systemAdmins, List<String> auditors) {

  public AccessRoles {
    batchCreators = List.copyOf(batchCreators);
    catalogWriters = List.copyOf(catalogWriters);
    orgAdmins = List.copyOf(orgAdmins);
    systemAdmins = List.copyOf(systemAdmins);
    auditors = List.copyOf(auditors);
  }

  /** Sunbird's roles for each: what a deployment gets when it configures nothing. */
  public static final AccessRoles SUNBIRD = new AccessRoles(
      List.of("CONTENT_CREATOR", "COURSE_MENTOR", "ORG_ADMIN", "SYSTEM_ADMINISTRATION"),
      List.of("CONTENT_CREATOR", "ORG_ADMIN", "SYSTEM_ADMINISTRATION"),
      List.of("ORG_ADMIN"),
      List.of("SYSTEM_ADMINISTRATION"),
      List.of("AUDITOR"));
}
