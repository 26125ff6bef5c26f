-- wrk script of tests/bench/bench_workflow.sh: every request approves step 1 of another
-- request, POST /api/v1/requests/ID/decisions. The ids are the lines of the file BENCH_IDS; the
-- BENCH_WRK_THREADS threads take every n-th of them, so no two approve the same one. When a
-- thread runs out it asks for id 0, which answers 400 and counts as a bad answer.
wrk.method = "POST"
wrk.body = '{"version":2,"step":1,"action":"approve"}'
wrk.headers["Content-Type"] = "application/json"
wrk.headers["X-Requested-With"] = "XMLHttpRequest"
wrk.headers["Cookie"] = os.getenv("BENCH_COOKIE")

local started = 0
function setup(thread)
    started = started + 1
    thread:set("tid", started)
end

function init(args)
    local n = tonumber(os.getenv("BENCH_WRK_THREADS"))
    ids, next_id = {}, 1
    local i = 0
    for line in io.lines(os.getenv("BENCH_IDS")) do
        if i % n == tid - 1 then ids[#ids + 1] = line end
        i = i + 1
    end
end

function request()
    local id = ids[next_id] or "0"
    next_id = next_id + 1
    return wrk.format(nil, "/api/v1/requests/" .. id .. "/decisions")
end
