-- The projections read the journal by tag (events of one tag after an offset, in order). The
-- primary key (event_id, tag) cannot serve that; without this index the plan depends on fresh
-- table statistics, and a plan made while the tables were small (no ANALYZE since) scans
-- event_tag for every journal row, so the read side falls further behind with every event.
CREATE INDEX event_tag_tag_idx ON event_tag (tag, event_id);
