package org.coursebatch.core.exhaust;

import java.util.List;
import org.coursebatch.core.access.ReportScope;
import org.coursebatch.core.batch.Batch;
import org.coursebatch.core.catalog.Course;
import org.coursebatch.core.user.Consent;
import org.coursebatch.core.user.UserProfile;

/**
 * The user-info report of a batch: personal data of the enrolled learners who consented to share
 * it, for the course, with the requester's organisation (their consent for the course naming the
 * scope's organisation is ACTIVE), one row each, with the date the current consent was given
 * ({@code dd/MM/yyyy}). Learners without such a consent are not in the file.
 */
public final class UserInfoExhaust {

  static final List<String> COLUMNS = List.of("User Name", "User Type", "User Sub Type", "State", "District", "Block",
      "Cluster", "School Id", "School Name", "Org Name", "Email ID", "Mobile Number", "Consent Provided",
      "Consent Provided Date");

  private final Course course;
  private final Batch batch;
  private final ReportScope scope;

  public UserInfoExhaust(Course course, Batch batch, ReportScope scope) {
    this.course = course;
    this.batch = batch;
    this.scope = scope;
  }

  /** Whether the report lists a learner with {@code consent} (null: never answered). */
  public boolean lists(Consent consent) {
    return consent != null && consent.active() && consent.courseId().equals(course.identifier())
        && scope.listsConsentTo(consent.consumerId());
  }

  public List<String> header() {
    return ExhaustColumns.header(COLUMNS);
  }

  /** The learner's row, for a consent the report {@link #lists}; {@code profile} may be null (nothing known but the id). */
  public List<String> row(String userId, UserProfile profile, Consent consent) {
    if (!lists(consent)) {
      throw new IllegalArgumentException("User " + userId + " has not consented to share data of " + course.identifier()
          + " with " + scope.consentOrg().orElse("the requester's organisation"));
    }
    UserProfile p = profile == null ? new UserProfile(userId, null) : profile;
    List<String> out = ExhaustColumns.row(course, batch, userId);
    for (String v : new String[] {p.name(), p.userType(), p.userSubType(), p.state(), p.district(), p.block(), p.cluster(),
        p.schoolId(), p.schoolName(), p.orgName(), p.email(), p.phone()}) {
      out.add(ExhaustColumns.orEmpty(v));
    }
    out.add("true");
    out.add(ExhaustColumns.date(consent.at(), batch.zone()));
    return out;
  }
}
