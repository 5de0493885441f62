package org.coursebatch.core.access;

import java.util.Optional;

/**
 * The personal data a report may hold, fixed when it is requested and held again at download.
 *
 * @param consentOrg the user-info report lists only learners whose active consent for the course
 *     names this organisation (the requester's root organisation); empty: nobody
 * @param locationOrg the progress report fills the learner's profile columns (location, school,
 *     type, board) only for learners of this organisation (the requester administers it); empty:
 *     for nobody
 * @param everyLocation the progress report fills them for every learner (a system admin asks)
 */
public record ReportScope(Optional<String> consentOrg, Optional<String> locationOrg, boolean everyLocation) {

  public static final ReportScope NONE = new ReportScope(Optional.empty(), Optional.empty(), false);

  public ReportScope {
    consentOrg = consentOrg == null ? Optional.empty() : consentOrg;
    locationOrg = locationOrg == null ? Optional.empty() : locationOrg;
  }

  /** Whether the user-info report may list a learner whose consent names {@code consumerId}. */
  public boolean listsConsentTo(String consumerId) {
    return consumerId != null && consentOrg.isPresent() && consentOrg.get().equals(consumerId);
  }

  /** Whether the progress report may show the location and school of a learner of {@code learnerOrg}. */
  public boolean showsLocationOf(Optional<String> learnerOrg) {
    return everyLocation || (learnerOrg.isPresent() && learnerOrg.equals(locationOrg));
  }

  /** Whether holding this scope now is enough to see what a report made under {@code made} holds. */
  public boolean covers(ReportScope made) {
    boolean consent = made.consentOrg.isEmpty() || made.consentOrg.equals(consentOrg);
    boolean location = made.everyLocation ? everyLocation
        : made.locationOrg.isEmpty() || everyLocation || made.locationOrg.equals(locationOrg);
    return consent && location;
  }

  /**
   * Whether holding this scope now is enough to see a report whose scope was never recorded (made
   * before scopes were, under rules that held nothing back): only a scope that shows every
   * learner, a system admin's.
   */
  public boolean coversUnrecorded() {
    return everyLocation;
  }
}
