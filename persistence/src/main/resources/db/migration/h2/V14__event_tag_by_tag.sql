-- The index PostgreSQL's read journal poll reads a tag's range from (ADR 12). H2 polls with the
-- plugin's own statement; the index keeps the two schemas alike.
CREATE INDEX IF NOT EXISTS "event_tag_tag_event_id_idx" ON "event_tag" ("tag", "event_id");
