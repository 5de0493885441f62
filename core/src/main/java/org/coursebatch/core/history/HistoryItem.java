package org.coursebatch.core.history;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;

/**
 * One entry of an entity's journal as an auditor reads it: where it stands ({@code persistenceId},
 * {@code sequenceNr}), the event's stable {@code type} name, when it was recorded ({@code at}), who
 * caused it ({@code actor}) and the change it made ({@code change}: the event's stored fields but
 * {@code type}, {@code actor} and {@code at}).
 *
 * @param hash the entry's hash in the entity's hash chain; null for an entry written before the chain existed
 * @param incarnation for an enrolment's entry, the number of the learner's latest enrolment in the
 *     batch once the event was recorded (0 before the first); null for other entities
 */
public record HistoryItem(String persistenceId, long sequenceNr, String type, Instant at, String actor, String hash,
    Integer incarnation, ObjectNode change) {}
