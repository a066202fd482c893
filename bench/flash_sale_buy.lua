-- wrk script: every request is one logged-in user's Buy click, users taken in turn from
-- BENCH_USERS_FILE (one "session-cookie<TAB>csrf-token" line per user, so each user clicks
-- again and again); the answers are counted by status. done() writes the counts as JSON to
-- BENCH_STATUS_FILE, then prints report.lua's BENCH_JSON line (BENCH_REPORT_LUA names it).
dofile(os.getenv("BENCH_REPORT_LUA"))
local report_done = done
local threads = {}

function setup(thread)
  thread:set("number", #threads)
  table.insert(threads, thread)
end

function init(args)
  users = {}
  for line in io.lines(os.getenv("BENCH_USERS_FILE")) do
    local cookie, token = line:match("^([^\t]+)\t([^\t]+)$")
    users[#users + 1] = { cookie, token }
  end
  turn = number * 7919 % #users -- threads start at different users
  accepted, refused, other = 0, 0, 0
end

function request()
  turn = turn % #users + 1
  local user = users[turn]
  return wrk.format("POST", nil, {
    ["Cookie"] = "session=" .. user[1],
    ["X-CSRFToken"] = user[2],
    ["Accept"] = "application/json",
  }, "")
end

function response(status, headers, body)
  if status == 202 then accepted = accepted + 1
  elseif status == 409 then refused = refused + 1
  else other = other + 1 end
end

done = function(summary, latency, requests)
  local a, r, o = 0, 0, 0
  for _, thread in ipairs(threads) do
    a = a + thread:get("accepted")
    r = r + thread:get("refused")
    o = o + thread:get("other")
  end
  local out = io.open(os.getenv("BENCH_STATUS_FILE"), "w")
  out:write(string.format("{\"202\": %d, \"409\": %d, \"other\": %d}\n", a, r, o))
  out:close()
  report_done(summary, latency, requests)
end
