-- Enrolment ids and deletion.
-- incarnation counts the learner's enrolments in the batch: an enrolment's id is
-- batch_id:user_id:incarnation. It is 0 on a row that never held an enrolment (invited only) and
-- goes up by one each time a learner without an enrolment (participation NONE or DELETED) is
-- enrolled or waitlisted. participation gains DELETED: a deleted enrolment leaves a tombstone row
-- that keeps its incarnation (and course) and nothing else; no list, count or report shows it.
-- left_on is the instant (epoch millis) of the last unenrolment, null unless participation is INACTIVE.
ALTER TABLE enrollment ADD COLUMN incarnation INT DEFAULT 0 NOT NULL;
ALTER TABLE enrollment ADD COLUMN left_on BIGINT NULL;

-- Rows written before this migration: no enrolment was ever deleted, so each is the first.
UPDATE enrollment SET incarnation = 1 WHERE participation IN ('ACTIVE', 'WAITLISTED', 'INACTIVE');
-- The unenrolment's own instant was not kept; the last event applied to the row is the closest
-- known instant at or after it (rebuilding the read model from the journal sets the exact one).
UPDATE enrollment SET left_on = updated_at WHERE participation = 'INACTIVE';

-- enrolments no longer in effect: those who left at or before an instant
CREATE INDEX enrollment_left_on_idx ON enrollment (participation, left_on);

-- Secrets the nodes of a cluster share (e.g. a signing key), generated once by whichever node
-- starts first. secret is the base64 text of the secret's bytes; created_at is epoch millis.
CREATE TABLE service_secret (
  name VARCHAR(100) NOT NULL PRIMARY KEY,
  secret VARCHAR(200) NOT NULL,
  created_at BIGINT NOT NULL
);
