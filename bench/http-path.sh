#!/usr/bin/env bash
# The cost of the HTTP path itself, two builds side by side: GET /health (no token, no body) and
# POST /v1/course/batch/search (a token, a small JSON body), each node alone on the embedded
# default, pinned to CPU 0 with wrk on CPU 1. Prints requests/s and the node's CPU time per
# request (from /proc/<pid>/stat over the measured run), for each build in turn, ROUNDS times.
#
#   bench/http-path.sh BEFORE.jar AFTER.jar [ROUNDS] [SECONDS]
#
# Needs wrk and taskset (Debian: apt-get install -y wrk util-linux) and two free CPUs.
set -euo pipefail
before=$1 after=$2 rounds=${3:-3} seconds=${4:-10}
port=19400
hz=$(getconf CLK_TCK)
work=$(mktemp -d)
node=
trap '[ -n "$node" ] && kill "$node" 2> /dev/null; rm -rf "$work"' EXIT

cat > "$work/search.lua" <<'EOF'
wrk.method = "POST"
wrk.body = '{"request": {"filters": {"courseId": "do_bench"}, "limit": 10}}'
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("TOKEN")
EOF

# CPU ticks (user + system) the process has used so far.
ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }

measure() { # label jar
  local label=$1 jar=$2 data="$work/data-$1"
  rm -rf "$data"
  BATCH_DATA_DIR=$data BATCH_HTTP_PORT=$port taskset -c 0 java -jar "$jar" > "$work/node-$label.log" 2>&1 &
  local pid=$!
  node=$pid
  for _ in $(seq 1 120); do curl -sf "localhost:$port/health" > /dev/null && break; sleep 0.5; done
  kill -0 "$pid" || { echo "the $label node did not start:"; tail -n 20 "$work/node-$label.log"; exit 1; }
  export TOKEN
  TOKEN=$(BATCH_DATA_DIR=$data java -jar "$jar" token --user bench-1 --roles CONTENT_CREATOR 2>/dev/null | tail -n 1)
  for route in health search; do
    local args=("http://localhost:$port/health")
    [ "$route" = search ] && args=(-s "$work/search.lua" "http://localhost:$port/v1/course/batch/search")
    taskset -c 1 wrk -t1 -c32 -d3s "${args[@]}" > /dev/null # warm-up
    local t0; t0=$(ticks "$pid")
    local out; out=$(taskset -c 1 wrk -t1 -c32 "-d${seconds}s" "${args[@]}")
    local t1; t1=$(ticks "$pid")
    local rps total non2xx
    rps=$(awk '/Requests\/sec/ {print $2}' <<< "$out")
    total=$(awk '/requests in/ {print $1}' <<< "$out")
    non2xx=$(awk '/Non-2xx/ {print $5}' <<< "$out")
    awk -v l="$label" -v r="$route" -v rps="$rps" -v n="$total" -v d="$((t1 - t0))" -v hz="$hz" -v bad="${non2xx:-0}" \
      'BEGIN { printf "%-7s %-7s %10.0f req/s %8.1f us CPU/req  non-2xx %s\n", l, r, rps, d / hz * 1e6 / n, bad }'
  done
  kill "$pid"; wait "$pid" 2> /dev/null || true
  node=
}

for i in $(seq 1 "$rounds"); do
  if [ $((i % 2)) -eq 1 ]; then measure before "$before"; measure after "$after"
  else measure after "$after"; measure before "$before"; fi
done
