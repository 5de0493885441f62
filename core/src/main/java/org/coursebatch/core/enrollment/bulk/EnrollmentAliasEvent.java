package org.coursebatch.core.enrollment.bulk;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonSubTypes.Type;
import java.time.Instant;
import org.coursebatch.core.JournalEvent;

/** What happened to an enrolment alias. The {@code type} names are the stored format and never change. */
@JsonSubTypes({@Type(value = EnrollmentAliasEvent.AliasAssigned.class, name = "EnrollmentAliasAssigned")})
public sealed interface EnrollmentAliasEvent extends JournalEvent {

  /** {@code aliasId} now names {@code enrollmentId}; {@code previousEnrollmentId}: the one it named before, if any. */
  record AliasAssigned(String aliasId, String enrollmentId,
      @JsonInclude(JsonInclude.Include.NON_NULL) String previousEnrollmentId, String actor, Instant at)
      implements EnrollmentAliasEvent {}
}
