package org.coursebatch.core;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.time.Instant;
import org.coursebatch.core.batch.BatchEvent;
import org.coursebatch.core.enrollment.EnrollmentEvent;
import org.coursebatch.core.enrollment.bulk.EnrollmentAliasEvent;

/**
 * Every event written to the journal. The journal is the audit trail, so each event says who
 * caused it ({@link #actor()}) and when it was recorded ({@link #at()}). Events carry ids, never
 * personal data.
 *
 * <p>Events are stored as JSON with an explicit, stable {@code type} name (see the
 * {@code @JsonSubTypes} of each event family), not the Java class name: classes can be renamed or
 * moved without touching stored events. Schema changes go through
 * {@link org.coursebatch.core.JournalEventMigration}.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
  @JsonSubTypes.Type(BatchEvent.class),
  @JsonSubTypes.Type(EnrollmentEvent.class),
  @JsonSubTypes.Type(EnrollmentAliasEvent.class)
})
public interface JournalEvent {
  /** The user id that caused the event, or {@link #SYSTEM} for time-driven changes. */
  String actor();

  /** The instant the event was recorded. */
  Instant at();

  String SYSTEM = "system";
}
