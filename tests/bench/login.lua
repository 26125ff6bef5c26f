-- wrk script of tests/bench/bench_login.sh: every request is a login, POST /api/v1/session with
-- the JSON body in the environment variable BENCH_LOGIN_BODY and the header the API requires of
-- requests that change state. wrk counts answers that are not 2xx or 3xx; a refused login is 401,
-- 403, 429 or 503, so each of them counts.
wrk.method = "POST"
wrk.body = os.getenv("BENCH_LOGIN_BODY")
wrk.headers["Content-Type"] = "application/json"
wrk.headers["X-Requested-With"] = "XMLHttpRequest"
