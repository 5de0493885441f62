-- PATCH /v1/content/state/update: learners enrolled by enrol.lua (same prefix, same thread count)
-- each complete one content a request, learner after learner, then the next content, so that every
-- request records something new until all contents of all learners are done.
dofile(os.getenv("HOTPATHS_LUA") .. "/common.lua")

local secret, prefix = os.getenv("HOTPATHS_SECRET"), os.getenv("HOTPATHS_PREFIX")
local course, batch = os.getenv("HOTPATHS_COURSE"), os.getenv("HOTPATHS_BATCH")
local contents = tonumber(os.getenv("HOTPATHS_CONTENTS"))
local first, learners, j = 2, 0, 0

-- Every learner ever passed over again: later requests record nothing new (reported as a warning).
wrapped = 0

function init(args)
  -- wrk calls request() once on the first thread to check it, so that thread's learner 1 was
  -- never sent: start at 2. The last learner of each connection may still have been in flight
  -- when the enrolment run stopped: leave out as many as a thread has connections.
  local inflight = tonumber(os.getenv("HOTPATHS_INFLIGHT"))
  for line in io.lines(os.getenv("HOTPATHS_ISSUED")) do
    local t, n = line:match("^(%d+) (%d+)$")
    if tonumber(t) == tid then learners = tonumber(n) - inflight - first + 1 end
  end
  assert(learners > 0, "thread " .. tid .. " has no enrolled learners")
end

function request()
  local k, pass = j % learners, math.floor(j / learners)
  j = j + 1
  if pass >= contents then wrapped = 1 end
  local body = string.format(
    '{"request":{"contents":[{"contentId":"%s_c%d","courseId":"%s","batchId":"%s","status":2}]}}',
    course, pass % contents, course, batch)
  return wrk.format("PATCH", "/v1/content/state/update", {
    ["Content-Type"] = "application/json",
    ["Authorization"] = "Bearer " .. jwt(secret, learner(prefix, tid, first + k)),
  }, body)
end

local leftOut = { "NOT_ENROLLED", "INVALID_ITEMS", "CONTENT_NOT_IN_COURSE", "SERVICE_UNAVAILABLE",
  "NOT_A_ON_GOING_BATCH", "BATCH_NOT_EXISTS" }

function response(status, headers, body)
  local ok = status < 300 and body:find('"SUCCESS"', 1, true)
  for _, key in ipairs(leftOut) do
    if body:find(key, 1, true) then ok = false end
  end
  if not ok then refuse(status, body) end
end
