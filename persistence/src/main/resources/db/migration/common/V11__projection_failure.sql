-- Events a read model could not write (see docs/journal.md, "Events a projection cannot write").
-- One row per event left out of its projection: the event that failed (held_by_seq_nr NULL), or a
-- later event of the same persistence id, held back behind it so the entity's rows keep their order.
-- Nodes retry them when they start their projections; audit failures lists them.
CREATE TABLE projection_failure (
  projection_name VARCHAR(255) NOT NULL,
  projection_key VARCHAR(255) NOT NULL,
  persistence_id VARCHAR(255) NOT NULL,
  sequence_number BIGINT NOT NULL,
  ordering BIGINT NOT NULL,
  event_type VARCHAR(255) NOT NULL,
  error VARCHAR(2000) NOT NULL,
  held_by_seq_nr BIGINT NULL,
  failed_at BIGINT NOT NULL,
  PRIMARY KEY (projection_name, projection_key, persistence_id, sequence_number)
);
