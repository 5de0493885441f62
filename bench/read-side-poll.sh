#!/usr/bin/env bash
# The read side's poll as the journal grows, on a scratch database with the service's journal
# schema: akka-persistence-jdbc 5.2.1's events-by-tag statement, as it reaches PostgreSQL, or the
# service's own (TagRangeReadJournalDao, with V14's index on event_tag (tag, event_id)).
# One connection prepares the poll while the journal holds 200 events (just analyzed, unless the
# setting says not) and runs it 7 times, as a pooled connection does. The journal then grows to
# SIZE events with nobody analyzing (autovacuum off, or between its runs), or, to compare, with an
# ANALYZE once it has grown (which also makes PostgreSQL replan the prepared poll); and with hash
# and merge joins allowed or not on the connection. The same connection then polls the newest 20
# events (a projection that keeps up) and from the middle of the journal (one
# catching up: a rebuild, a node back after an outage). For each setting it prints the rows of
# event_tag the poll read (EXPLAIN rounds a loop's rows, so 20 probes finding 2 rows read "0"),
# how often it scanned event_tag, the rows of event_journal it read, the plan's join, its shared
# buffers and execution time. Then the read journal's gap finder, which asks for the orderings after
# the newest 20 events' offset, once with the plugin's batch of 10,000 and once with the service's 100.
#
#   bench/read-side-poll.sh [SIZE...]        (default: 10000 100000 1000000)
#   SETTINGS='force_custom_plan,on,off,range' bench/read-side-poll.sh 1000000
#
# SETTINGS: space-separated plan_cache_mode,hash and merge joins,ANALYZE once grown,statement
# (plugin or range)[,ANALYZE at 200 events (default on; off: a journal nobody ever analyzed, as on
# a server with autovacuum off)]; default every setting.
#
# Needs psql and jq; PGHOST/PGUSER as for psql (default 127.0.0.1, postgres); BENCH_DB names the
# scratch database (created, then dropped).
set -euo pipefail
export PGHOST=${PGHOST:-127.0.0.1} PGUSER=${PGUSER:-postgres}
sizes=${*:-10000 100000 1000000}
here=$(cd "$(dirname "$0")/.." && pwd)
db=${BENCH_DB:-readpoll_$$}
work=$(mktemp -d)
trap 'cat "$work/err" 2> /dev/null; dropdb --if-exists --force "$db"; rm -rf "$work"' EXIT
createdb "$db"
psql -q -d "$db" -f "$here/persistence/src/main/resources/db/migration/postgresql/V1__journal.sql"

cat > "$work/fill.sql" <<'SQL'
-- appends :n events, each with one of 8 tags (the service's 4 enrolment and 4 batch tags)
SELECT coalesce(max(ordering), 0) AS base FROM event_journal \gset
INSERT INTO event_journal(persistence_id, sequence_number, writer, write_timestamp, event_ser_id,
    event_ser_manifest, event_payload)
  SELECT 'Enrollment|b' || (g % 500) || '-l' || g, 1, 'w', 0, 33, 'E', convert_to(repeat('x', 100), 'UTF8')
  FROM generate_series(:base + 1, :base + :n) g;
INSERT INTO event_tag(event_id, tag)
  SELECT ordering, CASE WHEN ordering % 2 = 0 THEN 'enrollment-' ELSE 'batch-' END || (ordering / 2 % 4)
  FROM event_journal WHERE ordering > :base;
SQL

cat > "$work/poll.sql" <<'SQL'
SET client_min_messages = warning;
\if :small
TRUNCATE event_journal CASCADE;
ALTER SEQUENCE event_journal_ordering_seq RESTART;
\else
-- a journal nobody ever analyzed: new tables, without the statistics a TRUNCATE leaves behind
DROP TABLE event_tag, event_journal, snapshot, durable_state;
\i :migrations/V1__journal.sql
\endif
-- the plugin's statement as measured before V14's index; the service's with it
DROP INDEX IF EXISTS event_tag_tag_event_id_idx;
\if :range
\i :migrations/V14__event_tag_by_tag.sql
\endif
\set n 200
\i :work/fill.sql
\if :small
ANALYZE event_journal;
ANALYZE event_tag;
\endif
SET plan_cache_mode = :mode;
SET enable_hashjoin = :joins;
SET enable_mergejoin = :joins;
\if :range
-- TagRangeReadJournalDao's statement; it binds the offset and the maximum twice ($2 and $3 here)
PREPARE poll(varchar, bigint, bigint, bigint) AS
SELECT j.ordering, j.deleted, j.persistence_id, j.sequence_number, j.writer, j.write_timestamp, j.adapter_manifest, j.event_payload, j.event_ser_id, j.event_ser_manifest, j.meta_payload, j.meta_ser_id, j.meta_ser_manifest FROM event_tag t JOIN event_journal j ON j.ordering = t.event_id WHERE t.tag = $1 AND t.event_id > $2 AND t.event_id <= $3 AND j.ordering > $2 AND j.ordering <= $3 AND j.deleted = false ORDER BY t.event_id LIMIT $4;
\else
-- the statement as akka-persistence-jdbc 5.2.1 (Slick's PostgresProfile) sends it
PREPARE poll(varchar, bigint, bigint, bigint) AS
select x2.x3, x2.x4, x2.x5, x2.x6, x2.x7, x2.x8, x2.x9, x2.x10, x2.x11, x2.x12, x2.x13, x2.x14, x2.x15 from (select "deleted" as x4, "meta_ser_id" as x14, "meta_ser_manifest" as x15, "sequence_number" as x6, "writer" as x7, "event_ser_manifest" as x12, "write_timestamp" as x8, "persistence_id" as x5, "adapter_manifest" as x9, "ordering" as x3, "event_payload" as x10, "event_ser_id" as x11, "meta_payload" as x13 from "event_journal" where "deleted" = false) x2, "event_tag" x16 where ((x16."tag" = $1) and ((x2.x3 > $2) and (x2.x3 <= $3))) and (x2.x3 = x16."event_id") order by x2.x3 limit $4;
\endif
-- the read journal's gap finder (JournalSequenceActor), as the plugin sends it
PREPARE sequence(bigint, bigint) AS
select "ordering" from "event_journal" where "ordering" > $1 order by "ordering" limit $2;
SELECT max(ordering) - 20 AS lo, max(ordering) AS hi FROM event_journal \gset
\o /dev/null
EXECUTE sequence(:lo, 10000);
EXECUTE sequence(:lo, 10000);
EXECUTE sequence(:lo, 10000);
EXECUTE sequence(:lo, 10000);
EXECUTE sequence(:lo, 10000);
EXECUTE sequence(:lo, 10000);
EXECUTE sequence(:lo, 10000);
EXECUTE poll('enrollment-1', :lo, :hi, 500);
EXECUTE poll('enrollment-1', :lo, :hi, 500);
EXECUTE poll('enrollment-1', :lo, :hi, 500);
EXECUTE poll('enrollment-1', :lo, :hi, 500);
EXECUTE poll('enrollment-1', :lo, :hi, 500);
EXECUTE poll('enrollment-1', :lo, :hi, 500);
EXECUTE poll('enrollment-1', :lo, :hi, 500);
\o
SELECT :size - 200 AS n \gset
\i :work/fill.sql
\if :analyze
ANALYZE event_journal;
ANALYZE event_tag;
\endif
SELECT max(ordering) - 20 AS lo, max(ordering) AS hi, max(ordering) / 2 AS half FROM event_journal \gset
EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) EXECUTE poll('enrollment-1', :lo, :hi, 500);
EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) EXECUTE poll('enrollment-1', :half, :hi, 500);
EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) EXECUTE sequence(:lo, 10000);
EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) EXECUTE sequence(:lo, 100);
SQL

# event_tag: rows read (returned and filtered out; EXPLAIN rounds a loop's rows) and times scanned;
# event_journal: rows read; the join; shared buffers; execution time
summary='def rows($t): [.. | objects | select(."Relation Name"? == $t)
    | (."Actual Rows" + (."Rows Removed by Filter" // 0)) * ."Actual Loops"] | add;
  [.. | objects | select(."Relation Name"? == "event_tag") | ."Actual Loops"] as $tagScans
  | .[0] | [rows("event_tag"), ($tagScans | add), rows("event_journal"),
            ([.. | objects | ."Node Type"? | select(. != null and test("Join|Nested"))] | first),
            .Plan."Shared Hit Blocks" + .Plan."Shared Read Blocks", ."Execution Time"] | @tsv'
all='auto,on,off,plugin auto,on,on,plugin force_custom_plan,on,off,plugin force_custom_plan,off,off,plugin
  force_custom_plan,off,on,plugin force_custom_plan,on,off,range auto,on,off,range'
printf 'events\tsettings\tpoll\tevent_tag rows\tevent_tag scans\tevent_journal rows\tjoin\tbuffers\tms\n'
for size in $sizes; do
  for setting in ${SETTINGS:-$all}; do
    IFS=, read -r mode joins analyze statement small <<< "$setting"
    small=${small:-on}
    label=$mode
    if [ "$small" = off ]; then label="$label, never analyzed before"; fi
    if [ "$joins" = off ]; then label="$label, no hash/merge join"; fi
    if [ "$analyze" = on ]; then label="$label, ANALYZE once grown"; fi
    if [ "$statement" = range ]; then range=on; label="$label, tag range statement"; else range=off; fi
    psql -qAt -v ON_ERROR_STOP=1 -d "$db" -v work="$work" -v mode="$mode" -v joins="$joins" -v analyze="$analyze" -v small="$small" \
        -v range="$range" -v migrations="$here/persistence/src/main/resources/db/migration/postgresql" \
        -v size="$size" -f "$work/poll.sql" 2> "$work/err" \
      | jq -r "$summary" | paste <(printf 'newest 20\nfrom the middle\ngap finder, batch 10000\ngap finder, batch 100\n') - | sed "s|^|$size\t$label\t|"
  done
done
