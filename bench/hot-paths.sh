#!/usr/bin/env bash
# The hot paths of a node on PostgreSQL against what the database itself commits, in one run:
# GET /health, GET /api/course/v1/batch/read/{id}, POST /v1/course/enroll (a new learner each
# request, each with a token of their own, signed in wrk), PATCH /v1/content/state/update (one
# content of a learner enrolled just before, each request) and pgbench committing a one-row INSERT
# per transaction with as many clients as wrk has connections. Prints one table: requests/s, p50,
# p99, non-2xx answers, errors (socket errors, timeouts, and 2xx answers that recorded nothing:
# a learner not enrolled, an item left out) and the ratios the goals are set in: batch read /
# health, enrolment / pgbench and progress / pgbench; and two rows of the node's own: how long
# after the measured enrolment run the read model listed every learner the journal holds (goal:
# 1 s), and the journal's events per commit (group commit). Each measured run also gets the CPU
# it cost per request: the node's, the database's (the rest of the machine), the load driver's and
# the whole machine's, which is what pgbench's commits are held against; how busy the machine was
# and how much of it the hypervisor took; and the JIT compiler's share of the node's CPU (a large
# one means the node was not warm yet). Below the table, what that CPU allows enrolment and
# progress to reach against pgbench. Fails (status 1) when a route has more than 1 % non-2xx
# answers or errors: an error storm would fake speed.
#
#   bench/hot-paths.sh JAR [JAR2] [--seconds 15] [--connections 64] [--warmup 90] [--writes-only | --reads-only]
#
# --writes-only leaves out /health and the batch read: for a change to the write paths, twice the
# rounds in the same time. --reads-only leaves out enrolment, progress and pgbench: for a change
# to the read path.
# HOTPATHS_KEEP=DIR keeps each node's log and wrk's output of every run there (the scratch directory
# is removed at the end), e.g. to see why a warm-up's requests failed.
# BEFORE_ENV and AFTER_ENV add variables to the "before" and "after" node, to compare settings of
# one build: bench/hot-paths.sh app.jar app.jar with BEFORE_ENV="BATCH_METRICS_ENABLED=false".
#
# Each build in turn (JAR is "before", JAR2 "after"; ROUNDS=n alternates them n times): a fresh
# scratch database ($HOTPATHS_DB, default hotpaths: dropped and created again), the node on it,
# a course of 10 contents and an open batch, then each route warmed up for --warmup seconds
# (enrolments of other learners) and measured for --seconds, then the node stopped and
# pgbench warmed up (at most 5 s) and measured on a table of its own in the same database. Nothing
# is pinned: the node, PostgreSQL, wrk and pgbench share the machine, as in production-like runs.
#
# The warm-up is long because the JIT is slow to settle on two cores: a flight recording showed a
# compiler thread busy for 60-70 % of a core through the first 80 s of enrolments and again for a
# minute when the progress route began; after 20 s the node enrolled 40 % fewer learners a second
# than after 90 s (BENCHMARKS.md, "Hot paths: the body read, the event reader and the catalog cache").
#
# Needs wrk, pgbench, psql, createdb and dropdb, curl and Java 17 (Debian: apt-get install -y wrk
# postgresql-client postgresql-contrib curl) and a PostgreSQL reached through the usual PGHOST,
# PGPORT, PGUSER and PGPASSWORD (default 127.0.0.1:5432, user postgres) whose user may create
# databases. THREADS (default 2) is wrk's and pgbench's thread count; JAVA_OPTS go to the node;
# BATCH_* variables in the environment configure it as usual (e.g. BATCH_DB_POOL_SIZE);
# HOTPATHS_ENTITY_LIMIT (default 1,000,000) is the nodes' active-entity limit.
set -euo pipefail

usage() {
  sed -n 's/^#   \(bench\/hot-paths.sh .*\)/usage: \1/p' "$0"
}

jars=() seconds=15 connections=64 warmup=90 reads=yes writes=yes
while [ $# -gt 0 ]; do
  case $1 in
    --seconds) seconds=$2; shift 2 ;;
    --connections) connections=$2; shift 2 ;;
    --warmup) warmup=$2; shift 2 ;;
    --writes-only) reads=; shift ;;
    --reads-only) writes=; shift ;;
    -h | --help) usage; exit 0 ;;
    -*) echo "unknown option $1" >&2; usage >&2; exit 2 ;;
    *) jars+=("$1"); shift ;;
  esac
done
if [ ${#jars[@]} -lt 1 ] || [ ${#jars[@]} -gt 2 ] || [ -z "$reads$writes" ]; then usage >&2; exit 2; fi
for jar in "${jars[@]}"; do [ -f "$jar" ] || { echo "no such jar: $jar" >&2; exit 2; }; done

missing=
for tool in wrk pgbench psql createdb dropdb curl java; do command -v "$tool" > /dev/null || missing+=" $tool"; done
if [ -n "$missing" ]; then
  echo "missing:$missing. On Debian: apt-get install -y wrk postgresql-client postgresql-contrib curl" \
    "(and a Java 17 runtime, e.g. openjdk-17-jre-headless)" >&2
  exit 2
fi

rounds=${ROUNDS:-1} threads=${THREADS:-2} db=${HOTPATHS_DB:-hotpaths} contents=10
# Every learner a run enrols stays running (BATCH_ACTIVE_ENTITY_LIMIT, as a system property so that
# builds older than that variable get it too). With the node's default of 100,000, a build that
# enrolled faster had its oldest learners stopped, and its progress run then recovered them: twice
# the CPU per update, which read as the build being slower (BENCHMARKS.md, "Hot paths: what the
# CPU allows").
entity_limit=akka.cluster.sharding.passivation.default-strategy.active-entity-limit
HOTPATHS_ENTITY_LIMIT=${HOTPATHS_ENTITY_LIMIT:-1000000}
export PGHOST=${PGHOST:-127.0.0.1} PGPORT=${PGPORT:-5432} PGUSER=${PGUSER:-postgres}
export HOTPATHS_LUA
HOTPATHS_LUA=$(cd "$(dirname "$0")/hot-paths" && pwd)
export HOTPATHS_SECRET # the nodes' BATCH_JWT_SECRET, with which wrk signs the learners' tokens
HOTPATHS_SECRET=$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')
export HOTPATHS_CONTENTS=$contents
export HOTPATHS_INFLIGHT=$(((connections + threads - 1) / threads))
work=$(mktemp -d)
node= label=

say() { echo "$*" >&2; }

cleanup() {
  local status=$?
  [ -n "$node" ] && kill "$node" 2> /dev/null
  if [ "$status" -ne 0 ] && [ -n "$node" ]; then say "the $label node's log ends:"; tail -n 20 "$work/node-$label.log" >&2; fi
  if [ -n "${HOTPATHS_KEEP:-}" ]; then
    mkdir -p "$HOTPATHS_KEEP" && cp "$work"/node-*.log "$work"/wrk-*.txt "$HOTPATHS_KEEP"/ 2> /dev/null
    say "node logs and wrk output kept in $HOTPATHS_KEEP"
  fi
  rm -rf "$work"
}
trap cleanup EXIT

# A TCP port nothing listens on now.
free_port() {
  local p
  for p in $(shuf -i 20000-45000 -n 100); do
    (exec 3<> "/dev/tcp/127.0.0.1/$p") 2> /dev/null || { echo "$p"; return; }
  done
  echo "no free port" >&2; exit 1
}

# api METHOD PATH BODY: the answer's body; fails with it on anything but 2xx.
api() {
  curl -sS --fail-with-body -X "$1" "$base$2" -H "Authorization: Bearer $HOTPATHS_TOKEN" \
    -H "Content-Type: application/json" -d "$3" || { echo >&2; say "$1 $2 failed"; exit 1; }
}

# wrk stops with requests in flight, which the node still answers: let it, so that they neither
# weigh on the next run nor leave a learner unenrolled when the progress run reaches them.
settle() { sleep 2; }

# read_lag: right after the measured enrolment run, the time until the read model lists every
# learner whose enrolment the journal holds for the batch, as one more row ("lag": seconds in the
# p50 column), to hold against the goal of 1 s at full load. The journal's count takes a scan (half
# a second at 240,000 learners), so it runs beside the polls of the read model's count (an index,
# every 50 ms) and is taken again once they agree: a learner whose enrolment was still in flight
# when wrk stopped is waited for too. The lag is when the first poll that agreed had finished.
read_lag() {
  local start now listed journal= agreed= again counting counted=$work/journal-count
  start=$(date +%s.%N)
  rm -f "$counted"
  (journal_count > "$counted.part" && mv "$counted.part" "$counted") &
  counting=$!
  while :; do
    listed=$(psql -At -d "$db" -c "SELECT count(*) FROM enrollment WHERE batch_id = '$HOTPATHS_BATCH'")
    now=$(date +%s.%N)
    if [ -z "$journal" ] && [ -f "$counted" ]; then journal=$(cat "$counted"); fi
    if [ -n "$journal" ] && [ "$listed" -ge "$journal" ]; then
      agreed=$now again=$(journal_count)
      if [ "$again" -le "$listed" ]; then break; fi
      journal=$again agreed= # more enrolments arrived since the first count: wait for those too
    fi
    if awk -v a="$start" -v b="$now" 'BEGIN { exit !(b - a > 60) }'; then say "the read model did not catch up in 60 s"; agreed=$now; break; fi
    sleep 0.05
  done
  wait "$counting" || true
  lag_row="$label lag 0 $(awk -v a="$start" -v b="$agreed" 'BEGIN { printf "%.2f", b - a }') 0 $listed 0 0"
  settle
}

# journal_count: how many learners' enrolments of the batch the journal holds.
journal_count() {
  psql -At -d "$db" -c "SELECT count(DISTINCT persistence_id) FROM event_journal
    WHERE persistence_id LIKE 'Enrollment|$HOTPATHS_BATCH:%'"
}

# enrolled_enough PREFIX: whether each wrk thread enrolled learners of PREFIX (w: warm-up, m:
# measured run) beyond those progress.lua leaves out.
enrolled_enough() {
  [ "$1" = w ] && [ "$warmup" -eq 0 ] && return
  local least=0
  [ -f "$work/issued-$1" ] && least=$(awk 'NR == 1 || $2 < least { least = $2 } END { print least + 0 }' "$work/issued-$1")
  if [ "$least" -le $((HOTPATHS_INFLIGHT + 1)) ]; then
    say "FAILED: the $label enrolment run enrolled too few learners to update their progress; give it more --seconds or --warmup"
    exit 1
  fi
}

# warmup_failures FILE: says how many of a warm-up's requests failed (FILE: wrk's output). Not
# counted against the route: a node still compiling its hot paths may let some enrolments'
# deadlines pass (503) in its first seconds on a slow machine; the measured run must not.
warmup_failures() {
  local n bad errors refused
  read -r _ n _ _ _ bad errors refused _ <<< "$(grep '^RESULT' "$1" || true)"
  if [ -n "$n" ] && [ $((bad + errors + refused)) -gt 0 ]; then
    say "$label $route warm-up: $((bad + errors + refused)) of $n requests failed (not counted; HOTPATHS_KEEP keeps the node's log)"
  fi
}

# cpu_mark VAR: sets VAR to the CPU time spent so far, as six words: the machine's busy and total
# time and the time the hypervisor took from it (steal) in clock ticks, from /proc/stat (busy
# leaves out idle, I/O wait and steal); the node's user and system time and its JIT compiler
# threads' in ticks (0 when no node runs); and in microseconds the time of this script's waited-for
# children, which is the load driver's (wrk or pgbench) between two marks. No subshell here:
# `times` must count this shell's children.
cpu_mark() {
  local node_ticks=0 jit_ticks=0 machine driver
  if [ -n "$node" ]; then
    node_ticks=$(awk '{ print $14 + $15 }' "/proc/$node/stat")
    # A thread's name may hold a space: its fields are counted after the closing parenthesis.
    jit_ticks=$(cat /proc/"$node"/task/*/stat 2> /dev/null \
      | awk '/\(C[12] CompilerThre/ { sub(/.*\) /, ""); t += $12 + $13 } END { print t + 0 }')
  fi
  machine=$(awk '$1 == "cpu" { busy = $2 + $3 + $4 + $7 + $8; printf "%d %d %d", busy, busy + $5 + $6 + $9, $9 }' /proc/stat)
  times > "$work/times"
  driver=$(awk 'NR == 2 { split($1, u, /[ms]/); split($2, s, /[ms]/); printf "%.0f", (u[1] * 60 + u[2] + s[1] * 60 + s[2]) * 1e6 }' "$work/times")
  printf -v "$1" '%s %s %s %s' "$machine" "$node_ticks" "$jit_ticks" "$driver"
}

# cpu_per_request MARK0 MARK1 N: what N requests between two marks cost, as seven words: CPU
# microseconds per request of the node, of the rest of the machine (PostgreSQL, mostly), of the
# load driver and of the whole machine; how busy the machine was and how much of its time the
# hypervisor took, in percent; and the JIT compiler's share of the node's CPU, in percent. The
# machine's cost is what pgbench's commits are held against; busy near 100 % means the CPU was the
# limit; a large JIT share means the node was not yet warm.
cpu_per_request() {
  local b0 t0 s0 n0 j0 d0 b1 t1 s1 n1 j1 d1
  read -r b0 t0 s0 n0 j0 d0 <<< "$1"; read -r b1 t1 s1 n1 j1 d1 <<< "$2"
  awk -v b="$((b1 - b0))" -v t="$((t1 - t0))" -v st="$((s1 - s0))" -v n="$((n1 - n0))" -v j="$((j1 - j0))" \
    -v d="$((d1 - d0))" -v r="$3" -v hz="$(getconf CLK_TCK)" 'BEGIN {
      node = n * 1e6 / hz / r; machine = b * 1e6 / hz / r; driver = d / r
      printf "%.0f %.0f %.0f %.0f %.0f %.0f %.0f", node, machine - node - driver, driver, machine,
        (t > 0 ? b * 100 / t : 0), (t > 0 ? st * 100 / t : 0), (n > 0 && j > 0 ? j * 100 / n : 0) }'
}

# recovered: how many entity recoveries the node has looked up so far (its recovery meter, ADR 25;
# empty for builds without it).
recovered() {
  curl -s --max-time 5 "http://127.0.0.1:$mport/metrics" \
    | awk '/^coursebatch_journal_recovery_ids_sum\{store="journal"\}/ { printf "%d", $2 }' || true
}

# wrk_run ROUTE SCRIPT PATH: warms the route up, then measures it; appends a row to $work/rows.
wrk_run() {
  local route=$1 script=$2 url="$base$3" out
  if [ "$route" = progress ]; then enrolled_enough w; enrolled_enough m; fi
  if [ "$warmup" -gt 0 ]; then
    HOTPATHS_PREFIX=w HOTPATHS_ISSUED=$work/issued-w \
      wrk "-t$threads" "-c$connections" "-d${warmup}s" --timeout 5s -s "$HOTPATHS_LUA/$script" "$url" \
      > "$work/wrk-$label-$route-warmup.txt"
    warmup_failures "$work/wrk-$label-$route-warmup.txt"
    settle
  fi
  local cpu0 cpu1 rec0 rec1
  rec0=$(recovered)
  cpu_mark cpu0
  out=$(HOTPATHS_PREFIX=m HOTPATHS_ISSUED=$work/issued-m \
    wrk "-t$threads" "-c$connections" "-d${seconds}s" --timeout 5s -s "$HOTPATHS_LUA/$script" "$url")
  cpu_mark cpu1
  rec1=$(recovered)
  # Progress updates go to learners enrolled just before: none should have to be recovered.
  if [ "$route" = progress ] && [ -n "$rec0" ] && [ -n "$rec1" ] && [ "$rec1" -gt "$rec0" ]; then
    say "warning: $label's node recovered $((rec1 - rec0)) entities during the progress run (stopped beyond its entity limit?): it measured recoveries too"
  fi
  echo "$out" > "$work/wrk-$label-$route.txt"
  if [ "$route" = enrol ]; then read_lag; else settle; fi
  grep -q '^RESULT' <<< "$out" || { say "wrk gave no result for $label $route:"; say "$out"; exit 1; }
  # RESULT requests seconds p50 p99 non-2xx socket-errors refused wrapped (common.lua)
  read -r _ n secs p50 p99 bad errors refused wrapped <<< "$(grep '^RESULT' <<< "$out")"
  [ "$wrapped" -eq 0 ] || say "warning: $label $route passed over every learner's every content; later requests recorded nothing new"
  echo "$label $route $(awk -v n="$n" -v s="$secs" 'BEGIN { printf "%.1f", n / s }') $p50 $p99 $n $bad $((errors + refused))" \
    "$(cpu_per_request "$cpu0" "$cpu1" "$n")" >> "$work/rows"
  say "$(tail -n 1 "$work/rows")"
}

pgbench_run() {
  psql -q -v ON_ERROR_STOP=1 -d "$db" \
    -c "CREATE TABLE hot_rows (id bigserial PRIMARY KEY, n integer NOT NULL, at timestamptz NOT NULL DEFAULT now())"
  printf '\\set n random(1, 1000000)\nINSERT INTO hot_rows (n) VALUES (:n);\n' > "$work/insert.sql"
  local warm=$((warmup < 5 ? warmup : 5)) out
  if [ "$warm" -gt 0 ]; then
    out=$(pgbench -n -f "$work/insert.sql" -c "$connections" -j "$threads" -T "$warm" "$db" 2>&1) || { say "$out"; exit 1; }
  fi
  rm -f "$work"/pgbench-log.*
  local cpu0 cpu1
  cpu_mark cpu0
  out=$(pgbench -n -f "$work/insert.sql" -c "$connections" -j "$threads" -T "$seconds" \
    -l --log-prefix="$work/pgbench-log" "$db" 2>&1) || { say "$out"; exit 1; }
  cpu_mark cpu1
  local tps n failed
  tps=$(awk '/^tps = / { print $3 }' <<< "$out")
  n=$(awk -F': ' '/actually processed/ { print $2 }' <<< "$out")
  failed=$(awk '/failed transactions/ { print $5 }' <<< "$out")
  # The per-transaction log's third field is the transaction's time in microseconds.
  local p50 p99
  read -r p50 p99 <<< "$(cat "$work"/pgbench-log.* | awk '{ print $3 }' | sort -n | awk '
    { t[NR] = $1 } END { printf "%.3f %.3f", t[int(NR * 0.5) + 1] / 1000, t[int(NR * 0.99) + 1] / 1000 }')"
  echo "$label pgbench $(printf '%.1f' "$tps") $p50 $p99 ${n%%/*} ${failed:-0} 0 $(cpu_per_request "$cpu0" "$cpu1" "${n%%/*}")" >> "$work/rows"
  say "$(tail -n 1 "$work/rows")"
}

measure() { # label jar
  label=$1
  local jar=$2 port mport rport
  say "== $label: $jar"
  dropdb --if-exists "$db"
  createdb "$db"
  port=$(free_port) mport=$(free_port) rport=$(free_port)
  base=http://127.0.0.1:$port
  local extra=${BEFORE_ENV:-}
  [[ $label == after* ]] && extra=${AFTER_ENV:-}
  # shellcheck disable=SC2086 # the variables are words of their own
  env $extra BATCH_DATA_DIR=$work/data-$label BATCH_HTTP_PORT=$port BATCH_HTTP_HOST=127.0.0.1 \
    BATCH_REMOTE_HOST=127.0.0.1 BATCH_REMOTE_PORT=$rport BATCH_MANAGEMENT_PORT=$mport \
    BATCH_DB_URL="jdbc:postgresql://$PGHOST:$PGPORT/$db" BATCH_DB_USER=$PGUSER BATCH_DB_PASSWORD=${PGPASSWORD:-} \
    BATCH_JWT_SECRET=$HOTPATHS_SECRET java ${JAVA_OPTS:-} -D$entity_limit=$HOTPATHS_ENTITY_LIMIT \
    -jar "$jar" > "$work/node-$label.log" 2>&1 &
  node=$!
  for _ in $(seq 1 240); do curl -sf "$base/health" > /dev/null && break; sleep 0.5; done
  curl -sf "$base/health" > /dev/null || { say "the $label node did not start:"; tail -n 30 "$work/node-$label.log" >&2; exit 1; }

  export HOTPATHS_TOKEN HOTPATHS_COURSE HOTPATHS_BATCH # a batch creator's token, for the set-up and the batch read
  HOTPATHS_TOKEN=$(BATCH_JWT_SECRET=$HOTPATHS_SECRET java -jar "$jar" token --user hotpaths-creator \
    --roles CONTENT_CREATOR --ttl PT12H 2> /dev/null | tail -n 1)
  HOTPATHS_COURSE=do_hotpaths_$(date +%s)
  local leaves= i
  for i in $(seq 0 $((contents - 1))); do
    leaves+="${leaves:+,}{\"identifier\": \"${HOTPATHS_COURSE}_c$i\", \"name\": \"Content $i\", \"mimeType\": \"video/mp4\"}"
  done
  api PUT "/v1/catalog/course/$HOTPATHS_COURSE" "{\"request\": {\"identifier\": \"$HOTPATHS_COURSE\",
    \"name\": \"Hot paths course\", \"status\": \"Live\", \"trackable\": {\"enabled\": \"Yes\"},
    \"children\": [{\"identifier\": \"${HOTPATHS_COURSE}_u1\", \"name\": \"Unit\",
      \"mimeType\": \"application/vnd.ekstep.content-collection\", \"children\": [$leaves]}]}}" > /dev/null
  HOTPATHS_BATCH=$(api POST /v1/course/batch/create "{\"request\": {\"courseId\": \"$HOTPATHS_COURSE\",
    \"name\": \"Hot paths batch\", \"enrollmentType\": \"open\", \"startDate\": \"$(date -u +%F)\",
    \"endDate\": \"$(date -u -d '+30 days' +%F)\"}}" | sed -n 's/.*"batchId" *: *"\([^"]*\)".*/\1/p')
  [ -n "$HOTPATHS_BATCH" ] || { say "no batch id in the create answer"; exit 1; }

  if [ -n "$reads" ]; then
    wrk_run health common.lua /health
    wrk_run read read.lua "/api/course/v1/batch/read/$HOTPATHS_BATCH"
  fi
  if [ -n "$writes" ]; then
    wrk_run enrol enrol.lua /v1/course/enroll
    echo "$lag_row" >> "$work/rows"
    wrk_run progress progress.lua /v1/content/state/update
    # Group commit: journal rows per transaction (PostgreSQL stamps each row with its writer, xmin).
    echo "$label commits 0 $(psql -At -d "$db" -c "SELECT round(count(*)::numeric / greatest(count(DISTINCT xmin::text), 1), 1)
      FROM event_journal") 0 0 0 0" >> "$work/rows"
  fi

  kill "$node"; wait "$node" 2> /dev/null || true
  node=
  if [ -n "$writes" ]; then pgbench_run; fi
}

for r in $(seq 1 "$rounds"); do
  if [ ${#jars[@]} -eq 1 ]; then measure "node#$r" "${jars[0]}"
  elif [ $((r % 2)) -eq 1 ]; then measure "before#$r" "${jars[0]}"; measure "after#$r" "${jars[1]}"
  else measure "after#$r" "${jars[1]}"; measure "before#$r" "${jars[0]}"; fi
done

echo
echo "$connections connections, $threads threads, ${warmup} s warm-up, ${seconds} s measured per route"
echo
echo "| build | what | req/s | p50 ms | p99 ms | requests | non-2xx | errors | CPU µs/req: node + database + driver = machine | CPU busy (stolen) | JIT | ratio | goal |"
echo "|---|---|---|---|---|---|---|---|---|---|---|---|---|"
awk '
  function goal(ok) { return ok ? "met" : "**missed**" }
  { rps[$1, $2] = $3; row[NR] = $0 }
  END {
    names["health"] = "GET /health"; names["read"] = "GET /api/course/v1/batch/read/{id}"
    names["enrol"] = "POST /v1/course/enroll (a new learner each)"
    names["progress"] = "PATCH /v1/content/state/update"; names["pgbench"] = "pgbench, one-row INSERT per commit"
    for (i = 1; i <= NR; i++) {
      split(row[i], f, " "); l = f[1]; r = f[2]; ratio = ""; g = ""
      if (r == "lag") {
        printf "| %s | participant list caught up, after the enrolment run | | %.2f s | | %d learners | | | | | | | %s |\n", l, f[4], f[6], goal(f[4] <= 1) " (≤ 1 s)"
        continue
      }
      if (r == "commits") { printf "| %s | journal events per commit | | %.1f | | | | | | | | | |\n", l, f[4]; continue }
      if (r == "read") { x = f[3] / rps[l, "health"]; ratio = sprintf("read / health %.2f", x); g = goal(x >= 0.9) " (≥ 0.9)" }
      if (r == "enrol" || r == "progress") {
        x = f[3] / rps[l, "pgbench"]; ratio = sprintf("%s / pgbench %.3f", r, x)
        g = goal(x >= 0.35 && f[5] < 50) " (≥ 0.35, p99 < 50 ms)"
      }
      # The database column is the machine less the node and the driver: PostgreSQL, mostly.
      cost = r == "pgbench" ? sprintf("%s + %s = %s", f[10], f[11], f[12]) : sprintf("%s + %s + %s = %s", f[9], f[10], f[11], f[12])
      printf "| %s | %s | %.0f | %.1f | %.1f | %d | %d | %d | %s | %s %% (%s %%) | %s | %s | %s |\n", l, names[r], f[3], f[4], f[5], f[6], \
        f[7], f[8], cost, f[13], f[14], r == "pgbench" ? "" : f[15] " %", ratio, g
      if (r == "enrol" || r == "progress" || r == "pgbench") { cpu[l, r] = f[12]; builds[l] = 1 }
    }
    # What the CPU allows: at the same machine CPU per second, the rate of a route over that of pgbench can be
    # at most the CPU of one commit over the CPU of one request of the route.
    for (l in builds) {
      if (!cpu[l, "pgbench"] || !cpu[l, "enrol"] || !cpu[l, "progress"]) continue
      printf "\n%s: an enrolment takes %.1f× the machine CPU of a one-row commit, a progress update %.1f×;", \
        l, cpu[l, "enrol"] / cpu[l, "pgbench"], cpu[l, "progress"] / cpu[l, "pgbench"]
      printf " with the CPU as the limit, their ratios to pgbench can reach %.3f and %.3f\n", \
        cpu[l, "pgbench"] / cpu[l, "enrol"], cpu[l, "pgbench"] / cpu[l, "progress"]
    }
  }' "$work/rows"
if awk '$2 != "lag" && $2 != "commits" && ($6 == 0 || ($7 + $8) * 100 > $6) { bad = 1; printf "%s %s: %d of %d requests failed (non-2xx or errors)\n", $1, $2, $7 + $8, $6 > "/dev/stderr" }
  END { exit bad ? 0 : 1 }' "$work/rows"; then
  say "FAILED: more than 1 % of a route's requests failed; its speed means nothing (see above)"
  exit 1
fi
