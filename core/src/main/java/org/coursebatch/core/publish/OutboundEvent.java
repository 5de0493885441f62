package org.coursebatch.core.publish;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * A domain event as it leaves the service (Kafka, webhooks): a stable schema, documented in
 * docs/events.md, that names people and things by id only.
 *
 * @param eventId the journal entry's persistence id and sequence number ({@code Enrollment|b1:u1#7}):
 *     a consumer drops a message whose id it has seen (delivery is at least once)
 * @param type what happened, e.g. {@code enrolment.enrolled} (the list is in docs/events.md)
 * @param version the schema version of {@code type}; a change a consumer could trip on makes a new one
 * @param occurredAt when the event was written to the journal
 * @param actor the user id of whoever caused it, or null when the node did (a scheduled transition)
 * @param batchId the batch it concerns
 * @param courseId the batch's course, when known
 * @param userId the learner it concerns, for enrolment events
 * @param key the ordering key: the batch id for batch events, {@code batchId:userId} for a learner's;
 *     messages with one key are delivered in journal order
 * @param change the event's own fields (ids, dates, statuses, scores), never a name, email or phone
 */
public record OutboundEvent(String eventId, String type, int version, Instant occurredAt, String actor, String batchId,
    String courseId, String userId, String key, JsonNode change) {}
