-- POST /v1/course/enroll by a learner nobody used before, with a token of their own: the n-th
-- request of thread t enrols learner <prefix>-<t>-<n>. How many each thread issued goes to
-- $HOTPATHS_ISSUED for progress.lua.
dofile(os.getenv("HOTPATHS_LUA") .. "/common.lua")

local secret, prefix = os.getenv("HOTPATHS_SECRET"), os.getenv("HOTPATHS_PREFIX")
local body = string.format('{"request":{"courseId":"%s","batchId":"%s"}}',
  os.getenv("HOTPATHS_COURSE"), os.getenv("HOTPATHS_BATCH"))

issued = 0

function request()
  issued = issued + 1
  return wrk.format("POST", "/v1/course/enroll", {
    ["Content-Type"] = "application/json",
    ["Authorization"] = "Bearer " .. jwt(secret, learner(prefix, tid, issued)),
  }, body)
end

function response(status, headers, body)
  if status >= 300 or not body:find('"SUCCESS"', 1, true) or body:find('"waitlisted"', 1, true) then
    refuse(status, body)
  end
end
