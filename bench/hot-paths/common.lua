-- What every route's script shares: thread numbers, learner ids, and one machine-readable result
-- line (RESULT requests seconds p50-ms p99-ms non-2xx socket-errors refused wrapped) for hot-paths.sh.
local dir = os.getenv("HOTPATHS_LUA")
dofile(dir .. "/jwt.lua")

local threads = {}

function setup(thread)
  threads[#threads + 1] = thread
  thread:set("tid", #threads)
end

-- 2xx answers that did not do what was asked (a learner not enrolled, an item left out): the
-- scripts that read bodies count them, as a 200 that records nothing would fake speed.
refused = 0

local shown = 0

-- The first few failed answers of a thread go to stderr, which says why they failed.
local function show(status, body)
  shown = shown + 1
  if shown <= 3 then io.stderr:write("failed (", status, "): ", body:sub(1, 400), "\n") end
end

-- Counts an answer that did not do what was asked; a 4xx or 5xx only shows (wrk counts it).
function refuse(status, body)
  if status < 400 then refused = refused + 1 end
  show(status, body)
end

-- The n-th learner of thread tid in a phase: the same id in the enrolment and the progress script.
function learner(prefix, tid, n)
  return prefix .. "-" .. tid .. "-" .. n
end

function done(summary, latency, requests)
  local refusedTotal, wrapped, issued = 0, 0, {}
  for i, t in ipairs(threads) do
    refusedTotal = refusedTotal + (t:get("refused") or 0)
    wrapped = wrapped + (t:get("wrapped") or 0)
    local n = t:get("issued")
    if n then issued[#issued + 1] = i .. " " .. n end
  end
  local e = summary.errors
  io.write(string.format("RESULT %d %.3f %.3f %.3f %d %d %d %d\n", summary.requests, summary.duration / 1e6,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, e.status,
    e.connect + e.read + e.write + e.timeout, refusedTotal, wrapped))
  local out = os.getenv("HOTPATHS_ISSUED")
  if out and #issued > 0 then
    local f = assert(io.open(out, "w"))
    f:write(table.concat(issued, "\n"), "\n")
    f:close()
  end
end
