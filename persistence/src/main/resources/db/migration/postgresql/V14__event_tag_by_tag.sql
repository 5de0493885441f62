-- A tag's events in journal order: the read journal's poll (TagRangeReadJournalDao) reads a range
-- of one tag's rows from here, so a poll far behind the newest event reads the rows it returns and
-- not the whole tag table (ADR 12). No CONCURRENTLY: Flyway runs each migration in a transaction,
-- so the journal's writes wait for the build, once.
CREATE INDEX IF NOT EXISTS event_tag_tag_event_id_idx ON event_tag (tag, event_id);
